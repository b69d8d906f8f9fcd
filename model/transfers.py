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

from . import payment
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
        return monitoring.dibao_recognised(self._dibao_draw, self.p.dibao.coverage,
                                           self.h.ever_flagged | self.h.dibao_enrolled)

    # -- what each cash programme owes: its entitlement rule (the programme's declaration names it) -------
    def _per_member(self, ctx, p):
        return prog.per_member(self.h.members, p.amount)

    def _per_elderly(self, ctx, p):
        return prog.per_elderly(self.h.elderly, p.amount)

    def _top_up_to_standard(self, ctx, p):
        """The minimum living guarantee's rule: the standard indexed from 2020, for households with weak
        labour whose claim is recognised."""
        h = self.h
        standard = p.amount * (1.0 + p.other["indexation"]) ** (ctx.year - 2020)
        weak = prog.weak_labour(h.workers, h.chronic, h.elderly, h.members) & self._dibao_recognised()
        return prog.top_up_to_standard(h.prev_pc_income, h.members, standard, weak)

    def _per_student(self, ctx, p):
        return prog.per_student(self.h.children, self.h.schooling, p.amount)

    def _owed(self, ctx, name):
        """What a cash programme with a yearly entitlement owes each household per month at full level
        (set in January); a conditional programme pays only households that work, farm or train (扶志)."""
        h, p = self.h, self.m.gov.programmes[name]
        owed = getattr(self, "_" + payment.entitlement(p))(ctx, p)
        if p.conditional:
            owed = owed * ((h.workers > 0) & ((h.migrants + h.local_job + h.post > 0) | (h.land > 0) | h.trained))
        return owed

    def _standing_payments(self, ctx, yearly):
        """Monthly payments of the cash programmes whose amounts are fixed for the year, booked by kind.

        Returns (arrays of the programmes with fixed targeting, rebuilt only when a level or budget
        factor changes; sparse (name, households, amounts) of programmes targeting monitored households)."""
        gov, lv = self.m.gov, ctx.levels
        y = self._year_cache
        key, static, sparse = [ctx.year], {}, []
        for name in yearly:
            owed = self._cached(y, ctx.year, "owed:" + name, lambda n=name: self._owed(ctx, n))
            if "monitored" in gov.programmes[name].targeting:
                idx = self._cached(y, ctx.year, "owing:" + name, lambda o=owed: np.flatnonzero(o))
                vals = self.targeted(name)[idx] * owed[idx]
                sparse.append((name, idx, vals * (lv[name] * gov.pay_total(name, float(vals.sum()) * lv[name]))))
                continue
            entitled = self._cached(y, ctx.year, "entitled:" + name, lambda n=name, o=owed: self.targeted(n) * o)
            total = self._cached(y, ctx.year, "total:" + name, lambda e=entitled: float(e.sum()))
            rate = lv[name] * gov.pay_total(name, total * lv[name])
            static[name] = (entitled, rate)
            key.append(rate)
        if y.get("standing_key") != key:
            st = dict.fromkeys(("public", "means_tested", "unconditional", "conditional"), 0.0)
            for name, (entitled, rate) in static.items():
                paid = entitled * rate
                _book(st, payment.booking(gov.programmes[name]), paid)
            y["standing"] = st
            y["standing_key"] = key
        return y["standing"], sparse

    def _monthly_payments(self, ctx, monthly):
        """(name, households, amounts) of the cash programmes whose amounts change every month: help for
        households flagged by monitoring (a share of their gap to the monitoring line, while monitoring runs)."""
        h, gov, lv = self.h, self.m.gov, ctx.levels
        out = []
        for name in monthly:
            p = gov.programmes[name]
            flagged = np.flatnonzero(h.monitored & self.targeted(name))  # share_of_gap_to_monitoring_line
            owed = prog.share_of_gap_to_monitoring_line(h.assessed_income[flagged] / h.members[flagged],
                                                        h.members[flagged], self.m.monitoring_line, p.amount)
            out.append((name, flagged, gov.pay(name, owed * lv[name] * lv["monitoring"])))
        return out

    def transfers_month(self, ctx):
        """Cash transfers (paid and booked by kind, :mod:`model.payment`), the interest on microcredit loans
        (in kind), remittances and land rent; returns (transfer income, property income)."""
        h, gov, lv = self.h, self.m.gov, ctx.levels
        cash = payment.cash_programmes(gov.programmes)
        yearly = [n for n in cash if payment.is_yearly(gov.programmes[n])]
        st, sparse = self._standing_payments(ctx, yearly)
        monthly = self._monthly_payments(ctx, [n for n in cash if n not in yearly])
        borrowers = self._borrowers()
        interest = gov.pay("microcredit", h.loan[borrowers] * gov.programmes["microcredit"].other["interest"] / 12.0
                           * lv["microcredit"])
        monthly_remittance = self._cached(self._year_cache, ctx.year, "remittance",  # set in January at the latest
                                          lambda: h.private_transfer / 12.0)
        transfer = st["public"] + monthly_remittance
        h.recv_gov += st["public"]
        h.dibao_received += st["means_tested"]
        h.unconditional += st["unconditional"]
        h.conditional += st["conditional"]
        for name, idx, vals in monthly:
            self._book_sparse(gov.programmes[name], transfer, idx, vals)
        h.recv_gov[borrowers] += interest
        for name, idx, vals in sparse:
            self._book_sparse(gov.programmes[name], transfer, idx, vals)
        h.transfer += transfer
        y = self._cached(self._year_cache, ctx.year, "labour", lambda: self._labour_year(ctx))
        rent, renting = y["rent"], y["renting"]
        h.property[renting] += rent[renting]
        return transfer, rent


    def _book_sparse(self, programme, transfer, idx, vals) -> None:
        """Book a cash programme's payments ``vals`` to households ``idx`` by its kind."""
        h, b = self.h, payment.booking(programme)
        transfer[idx] += vals
        h.recv_gov[idx] += vals
        if b.means_tested:
            h.dibao_received[idx] += vals
        if b.effort == "unconditional":
            h.unconditional[idx] += vals
        elif b.effort == "conditional":
            h.conditional[idx] += vals


def _book(totals: dict, b, paid) -> None:
    """Add a cash programme's payments to the month's totals by its kind."""
    totals["public"] = totals["public"] + paid
    if b.means_tested:
        totals["means_tested"] = totals["means_tested"] + paid
    if b.effort == "unconditional":
        totals["unconditional"] = totals["unconditional"] + paid
    elif b.effort == "conditional":
        totals["conditional"] = totals["conditional"] + paid
