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

from .. import payment
from ..streams import FIXED
from .family import COMPULSORY_SCHOOLING


class Welfare:
    """Transfer claims and receipts, monitoring, effort (household methods)."""

    # -- transfers, every month --------------------------------------------------------------
    def claim_transfers(self, ctx, cash) -> None:
        """What each cash programme (``cash``: their names, in paying order) owes this household this month,
        before budgets (``claims``): what its entitlement rule says, if its targeting selects us (and, for a
        conditional programme, if we work, farm or train: 扶志); and the interest the government pays on our
        microcredit loan."""
        progs, lv = self.gov.programmes, ctx.levels
        claims = {}
        for name in cash:
            p = progs[name]
            eligible = self.is_targeted(name) and (not p.conditional or self.is_active())
            owed = getattr(self, payment.entitlement(p))(ctx, p) if eligible else 0.0
            claims[name] = owed * lv[name]
        claims["microcredit"] = self.loan * progs["microcredit"].other["interest"] / 12.0 * lv["microcredit"]
        self.claims = claims

    def is_active(self) -> bool:
        """Do we work, farm or train (the condition of conditional support, 扶志)?"""
        return self.workers > 0 and (self.migrants + self.local_job + self.post > 0 or self.land > 0 or self.trained)

    # -- entitlement rules: what a cash programme owes us per month at full level ----------------------
    def per_member(self, ctx, p) -> float:
        return self.members * p.amount / 12.0

    def per_elderly(self, ctx, p) -> float:
        return self.elderly * p.amount / 12.0

    def top_up_to_standard(self, ctx, p) -> float:
        """The minimum living guarantee (低保): last year's income per member topped up to the standard
        (indexed from 2020), if our labour is weak and our claim is recognised."""
        if not (self.has_weak_labour() and self.dibao_claim_recognised()):
            return 0.0
        standard = p.amount * (1.0 + p.other["indexation"]) ** (ctx.year - 2020)
        return max(standard - self.prev_pc_income, 0.0) * self.members / 12.0

    def per_student(self, ctx, p) -> float:
        """Education support (雨露计划) while a child is in school beyond compulsory schooling."""
        return p.amount / 12.0 if self.children > 0 and self.schooling >= COMPULSORY_SCHOOLING else 0.0

    def share_of_gap_to_monitoring_line(self, ctx, p) -> float:
        """Help once flagged by monitoring: a share of our gap to the monitoring line, while monitoring runs."""
        if not self.monitored:
            return 0.0
        gap = max(self.model.monitoring_line - self.assessed_income / self.members, 0.0)
        return gap * self.members / 12.0 * p.amount * ctx.levels["monitoring"]

    def dibao_claim_recognised(self) -> bool:
        """Is an eligible claim recognised?  For a fixed share of households (exclusion errors: one draw for the
        whole run), for every household monitoring found before this year (应保尽保), and for every household
        the verification at exit enrolled (兜底保障)."""
        draw = self.model.streams.uniform_one("dibao_takeup", FIXED, self.row)
        return draw < self.params.dibao.coverage or self.ever_flagged or self.dibao_enrolled

    def receive_transfers(self, factors: dict[str, float], bookings: dict) -> None:
        """Book what the government paid (``factors``: the share of each claim paid) by each cash programme's
        kind (``bookings``: :func:`model.payment.booking` by name), the interest on our loan (in kind),
        remittances and land rent; sets ``transfer_this_month`` and ``rent_this_month``."""
        public = 0.0
        for name, b in bookings.items():
            paid = self.claims[name] * factors[name]
            public += paid
            if b.means_tested:
                self.dibao_received = self.dibao_received + paid
            if b.effort == "unconditional":
                self.unconditional = self.unconditional + paid
            elif b.effort == "conditional":
                self.conditional = self.conditional + paid
        self.recv_gov = self.recv_gov + (public + self.claims["microcredit"] * factors["microcredit"])
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
