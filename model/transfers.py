"""The transfer phase of the vectorised engine: public programmes, remittances and land rent.

Every month each household receives the standing programmes (the rural basic
pension 城乡居民基础养老金, direct support 到户补贴, the minimum living guarantee
低保, education support 雨露计划), the help paid to households flagged by
monitoring and the interest on its microcredit loan (borne by the government, in
kind), its family's remittances, and land rent when nobody is left to farm
(土地流转).  The standing programmes' amounts are fixed for the year, so they are
computed in January and only rescaled when a level or a budget factor changes;
the results are those of applying :mod:`model.rules.programmes` every month.
Part of :class:`model.households.VectorHouseholds` (a mixin); the per-agent form
is :mod:`model.agents.welfare`.
"""

from __future__ import annotations

import numpy as np

from .rules import monitoring
from .rules import programmes as prog
from .streams import FIXED


class Transfers:
    """Transfers of the vectorised household engine (uses the caches of :class:`VectorHouseholds`)."""

    def _dibao_recognised(self):
        """Households whose dibao claim is recognised when eligible (a draw fixed for the whole run), and
        those monitoring found before this year."""
        if not hasattr(self, "_dibao_draw"):
            self._dibao_draw = self.m.streams.uniform("dibao_takeup", FIXED)
        return monitoring.dibao_recognised(self._dibao_draw, self.p.dibao.coverage, self.h.ever_flagged)

    STANDING = ("pension", "direct_support", "dibao", "education_support")

    def _owed(self, ctx, name):
        """What a standing programme owes each household per month at full level (set in January)."""
        h, progs = self.h, self.m.gov.programmes
        p = progs[name]
        if name == "pension":
            return prog.pension(h.elderly, p.amount)
        if name == "direct_support":
            owed = prog.direct_support(h.members, p.amount)
            if p.conditional:  # 扶志: only households that work or train
                owed = owed * ((h.workers > 0) & ((h.migrants + h.local_job + h.post > 0) | (h.land > 0) | h.trained))
            return owed
        if name == "dibao":
            standard = p.amount * (1.0 + p.other["indexation"]) ** (ctx.year - 2020)
            weak = prog.weak_labour(h.workers, h.chronic, h.elderly, h.members) & self._dibao_recognised()
            return prog.dibao_topup(h.prev_pc_income, h.members, standard, weak)
        return prog.education_support(h.children, h.schooling, p.amount)

    def _standing_payments(self, ctx):
        """Monthly payments of the standing programmes, whose amounts are fixed for the year.

        Returns (arrays of the programmes with fixed targeting, rebuilt only when a level or budget
        factor changes; sparse (name, households, amounts) of programmes targeting monitored households)."""
        gov, lv = self.m.gov, ctx.levels
        y = self._year_cache
        key, static, sparse = [ctx.year], {}, []
        for name in self.STANDING:
            owed = self._cached(y, ctx.year, "owed:" + name, lambda n=name: self._owed(ctx, n))
            if "monitored" in gov.programmes[name].targeting:
                idx = self._cached(y, ctx.year, "owing:" + name, lambda o=owed: np.flatnonzero(o))
                vals = self.targeted_among(name, idx) * owed[idx]
                sparse.append((name, idx, vals * (lv[name] * gov.pay_total(name, float(vals.sum()) * lv[name]))))
                static[name] = 0.0
                continue
            entitled = self._cached(y, ctx.year, "entitled:" + name, lambda n=name, o=owed: self.targeted(n) * o)
            total = self._cached(y, ctx.year, "total:" + name, lambda e=entitled: float(e.sum()))
            rate = lv[name] * gov.pay_total(name, total * lv[name])
            static[name] = (entitled, rate)
            key.append(rate)
        if y.get("standing_key") != key:
            cond = gov.programmes["direct_support"].conditional
            a = {n: (v[0] * v[1] if isinstance(v, tuple) else 0.0) for n, v in static.items()}
            y["standing"] = {
                "public": a["pension"] + a["direct_support"] + a["dibao"] + a["education_support"],
                "dibao": a["dibao"],
                "unconditional": a["dibao"] + (0.0 if cond else a["direct_support"]),
                "conditional": a["education_support"] + (a["direct_support"] if cond else 0.0),
            }
            y["standing_key"] = key
        return y["standing"], sparse

    def transfers_month(self, ctx):
        """Public and private transfers this month; returns (transfer income, property income)."""
        h, gov, lv = self.h, self.m.gov, ctx.levels
        progs = gov.programmes
        st, sparse = self._standing_payments(ctx)
        flagged = np.flatnonzero(h.monitored)
        flagged = flagged[self.targeted_among("monitoring_support", flagged)]
        help_ = gov.pay("monitoring_support", prog.monitoring_support(
            h.assessed_income[flagged] / h.members[flagged], h.members[flagged], self.m.monitoring_line,
            progs["monitoring_support"].amount) * lv["monitoring_support"] * lv["monitoring"])
        borrowers = self._borrowers()
        interest = gov.pay("microcredit", h.loan[borrowers] * progs["microcredit"].other["interest"] / 12.0
                           * lv["microcredit"])
        remittances = self._cached(self._year_cache, ctx.year, "remittances", lambda: h.private_transfer / 12.0)
        transfer = st["public"] + remittances
        transfer[flagged] += help_
        h.recv_gov += st["public"]
        h.recv_gov[flagged] += help_
        h.recv_gov[borrowers] += interest
        for name, paid in (("dibao_received", "dibao"), ("unconditional", "unconditional"), ("conditional", "conditional")):
            if isinstance(st[paid], np.ndarray):  # otherwise nothing to add: the programmes are paid below
                getattr(h, name)[:] += st[paid]
        h.conditional[flagged] += help_
        cond_direct = progs["direct_support"].conditional
        for name, idx, vals in sparse:
            transfer[idx] += vals
            h.recv_gov[idx] += vals
            if name == "dibao":
                h.dibao_received[idx] += vals
            if name == "dibao" or (name == "direct_support" and not cond_direct):
                h.unconditional[idx] += vals
            elif name != "pension":
                h.conditional[idx] += vals
        h.transfer += transfer
        y = self._cached(self._year_cache, ctx.year, "labour", lambda: self._labour_year(ctx))
        rent, renting = y["rent"], y["renting"]
        h.property[renting] += rent[renting]
        return transfer, rent

