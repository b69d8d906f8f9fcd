"""A household and the safety net: transfers, monitoring and motivation.

Part of the :class:`~model.agents.household.Household` agent (a mixin).  Every
month the household claims what the programmes owe it (the rural pension, direct
support, the minimum living guarantee 低保, education support 雨露计划, help once
flagged by monitoring, the interest on its microcredit loan), receives what the
government pays, its family's remittances and any land rent.  Dynamic monitoring
(防止返贫动态监测) screens it every few months and flags it while at risk.  In
December its effort moves with the kind of support it received (扶志).
Mechanisms, parameters and sources: :mod:`model.rules.programmes`,
:mod:`model.rules.monitoring`, :mod:`model.rules.motivation`, :mod:`model.policy`.
"""

from __future__ import annotations

import math

from ..streams import FIXED
from .family import COMPULSORY_SCHOOLING

#: transfer programmes in the order the government pays them
TRANSFER_PROGRAMMES = ("pension", "direct_support", "dibao", "education_support", "monitoring_support", "microcredit")


class Welfare:
    """Transfer claims and receipts, monitoring, effort (household methods)."""

    # -- transfers, every month --------------------------------------------------------------
    def claim_transfers(self, ctx) -> None:
        """What each transfer programme owes this household this month, before budgets (``claims``)."""
        progs, lv = self.gov.programmes, ctx.levels
        claims = dict.fromkeys(TRANSFER_PROGRAMMES, 0.0)
        if self.is_targeted("pension"):
            claims["pension"] = self.elderly * progs["pension"].amount / 12.0 * lv["pension"]
        ds = progs["direct_support"]
        eligible = self.is_targeted("direct_support")
        if ds.conditional:  # paid only to households that work or train (扶志)
            active = self.migrants + self.local_job + self.post > 0 or self.land > 0 or self.trained
            eligible = eligible and self.workers > 0 and active
        if eligible:
            claims["direct_support"] = self.members * ds.amount / 12.0 * lv["direct_support"]
        d = progs["dibao"]
        standard = d.amount * (1.0 + d.other["indexation"]) ** (ctx.year - 2020)
        if self.is_targeted("dibao") and self.has_weak_labour() and self.dibao_claim_recognised():
            gap = max(standard - self.prev_pc_income, 0.0)
            claims["dibao"] = gap * self.members / 12.0 * lv["dibao"]
        if (self.is_targeted("education_support") and self.children > 0
                and self.schooling >= COMPULSORY_SCHOOLING):
            claims["education_support"] = progs["education_support"].amount / 12.0 * lv["education_support"]
        if self.monitored and self.is_targeted("monitoring_support"):
            gap = max(self.model.monitoring_line - self.assessed_income / self.members, 0.0)
            claims["monitoring_support"] = (gap * self.members / 12.0 * progs["monitoring_support"].amount
                                            * lv["monitoring_support"] * lv["monitoring"])
        claims["microcredit"] = self.loan * progs["microcredit"].other["interest"] / 12.0 * lv["microcredit"]
        self.claims = claims

    def dibao_claim_recognised(self) -> bool:
        """Is an eligible claim recognised?  For a fixed share of households (exclusion errors: one draw for the
        whole run), and for every household monitoring found before this year (应保尽保)."""
        draw = self.model.streams.uniform_one("dibao_takeup", FIXED, self.row)
        return draw < self.params.dibao.coverage or self.ever_flagged

    def receive_transfers(self, factors: dict[str, float]) -> None:
        """Book public transfers (``factors``: the share of each claim paid), remittances and land rent; sets
        ``transfer_this_month`` and ``rent_this_month``."""
        paid = {name: self.claims[name] * factors[name] for name in TRANSFER_PROGRAMMES}
        conditional_direct = self.gov.programmes["direct_support"].conditional
        public = (paid["pension"] + paid["direct_support"] + paid["dibao"] + paid["education_support"]
                  + paid["monitoring_support"])
        self.recv_gov = self.recv_gov + (public + paid["microcredit"])  # interest subsidy: in kind
        self.dibao_received = self.dibao_received + paid["dibao"]
        if conditional_direct:
            self.unconditional = self.unconditional + paid["dibao"]
            self.conditional = (self.conditional
                                + (paid["education_support"] + paid["monitoring_support"] + paid["direct_support"]))
        else:
            self.unconditional = self.unconditional + (paid["dibao"] + paid["direct_support"])
            self.conditional = self.conditional + (paid["education_support"] + paid["monitoring_support"])
        transfer = public + self.private_transfer / 12.0
        self.transfer = self.transfer + transfer
        rent = 0.0
        if self.workers - self.migrants - self.local_job <= 0 and self.elderly == 0:
            rent = self.land * self.params.economy.land_rent / 12.0  # nobody farms: the land is rented out (土地流转)
        self.property = self.property + rent
        self.transfer_this_month, self.rent_this_month = transfer, rent

    # -- monitoring ------------------------------------------------------------------------------
    def be_monitored(self, ctx, screen: bool) -> None:
        """Dynamic monitoring (防止返贫动态监测): at a screening we may be found at risk, or cleared once
        the risk is gone; then help starts if we were found ``lag`` months ago (this month if the lag is 0)."""
        mp = self.params.monitoring
        if screen:
            risk = self.is_at_risk(ctx)
            # found with a higher chance when in sudden difficulty: a large medical bill or a sharp income fall
            sudden = (self.assessed_oop > mp.rigid_expense_share * max(self.assessed_income, 0.0)
                      or self.assessed_income < mp.income_drop * self.prev_pc_income * self.members)
            chance = mp.detection_sudden if sudden else mp.detection
            if risk and not self.monitored and not self.pending and self.draw(ctx, "monitoring") < chance:
                self.pending = True
                self.pending_month = ctx.t + mp.lag
            if self.monitored and not risk and self.months_flagged >= mp.min_months and not self.has_weak_labour():
                self.monitored = False  # risk eliminated (风险消除); never for a household without labour capacity
        self.start_help_if_due(ctx)
        if self.monitored:
            self.flagged_this_year = True
            self.months_flagged = self.months_flagged + 1.0

    def is_at_risk(self, ctx) -> bool:
        """Last-12-month income (as a home visit records it, with an error) net of medical spending per
        person below the monitoring line, or medical spending large relative to income."""
        mp = self.params.monitoring
        err = mp.assessment_error
        income = self.assessed_income * math.exp(err * self.shock_size(ctx, "assessment") - 0.5 * err * err)
        net_pc = (income - self.assessed_oop) / self.members
        return (net_pc < self.model.monitoring_line
                or self.assessed_oop > mp.rigid_expense_share * max(income, 0.0))

    def start_help_if_due(self, ctx) -> None:
        """A household found at risk is helped once the lag has passed."""
        if self.pending and ctx.t >= self.pending_month:
            self.monitored = True
            self.pending = False
            self.months_flagged = 0.0

    # -- December ------------------------------------------------------------------------
    def update_effort(self) -> None:
        """Effort reverts to 1, falls with the unconditional share of income, rises with conditional support."""
        m = self.params.motivation
        if m.strength == 0:
            return
        unconditional_share = self.unconditional / max(self.income, 1.0)
        supported = self.conditional > 0 or self.trained
        change = (m.reversion * (1.0 - self.effort)
                  + m.strength * ((m.conditional_gain if supported else 0.0)
                                  - m.unconditional_erosion * unconditional_share))
        self.effort = min(max(self.effort + change, m.min_effort), m.max_effort)
