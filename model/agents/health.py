"""A household's health and earning power: illness, medical bills, the persistent fortune.

Part of the :class:`~model.agents.household.Household` agent (a mixin).  Each
January a member may fall chronically ill and the household's persistent fortune
moves on.  Every month a member may fall seriously ill; basic medical insurance
(基本医保) and, for targeted households, health protection (三重保障) pay part of
the bill, the rest is out-of-pocket spending.  Mechanisms, parameters and
sources: :mod:`model.rules.illness`, :mod:`model.rules.fortune`.
"""

from __future__ import annotations

import math


class Health:
    """Chronic and acute illness, medical bills, fortune (household methods)."""

    # -- January ---------------------------------------------------------------------------
    def health_and_earnings(self, ctx) -> None:
        """January: onset of chronic illness; the persistent fortune moves on."""
        self.maybe_fall_chronically_ill(ctx)
        self.change_fortune(ctx)

    def maybe_fall_chronically_ill(self, ctx) -> None:
        if self.shock_draw(ctx, "chronic") < self.params.illness.chronic_onset:
            self.chronic = True

    def change_fortune(self, ctx) -> None:
        """The persistent productivity deviation moves one year on (not in neutral years)."""
        if ctx.neutral:
            return
        e = self.params.economy
        x = (e.fortune_persistence * self.fortune
             + math.sqrt(1.0 - e.fortune_persistence ** 2) * e.fortune_sd * self.shock_size(ctx, "fortune"))
        self.skill = self.skill * math.exp(x - self.fortune)
        self.fortune = x

    # -- every month -----------------------------------------------------------------------
    def fall_ill(self, ctx) -> None:
        """Serious illness this month, the month's medical bill and what insurance is asked to pay of it."""
        ip = self.params.illness
        risk = ip.acute_prob_chronic if self.chronic else ip.acute_prob
        bill = 0.0
        if self.shock_draw(ctx, "illness") < risk:
            bill = ip.acute_cost_median * math.exp(ip.acute_cost_sigma * self.shock_size(ctx, "illness_cost"))
            self.illness_episodes = self.illness_episodes + 1.0
            self.sick_months = max(self.sick_months, ip.lost_months)
        if self.chronic:
            bill = bill + ip.chronic_cost
        basic, total = self.insurance_coverage(ctx)
        self.medical_bill = bill
        self.claims = {"medical_insurance": bill * basic, "health_protection": bill * (total - basic)}

    def insurance_coverage(self, ctx) -> tuple[float, float]:
        """(basic share of the bill reimbursed, total share reimbursed including health protection)."""
        basic = self.gov.programmes["medical_insurance"].amount * ctx.levels["medical_insurance"]
        if not self.is_targeted("medical_insurance"):
            basic = 0.0
        hp = self.gov.programmes["health_protection"]
        extra = max(hp.amount - basic, 0.0) * ctx.levels["health_protection"]
        total = max(basic, basic + extra) if self.is_targeted("health_protection") else basic
        return basic, total

    def pay_medical_bill(self, factors: dict[str, float]) -> None:
        """Insurance pays its part (``factors``: the share of each claim the programmes pay); the household
        pays the rest out of pocket (``oop_this_month``)."""
        paid_basic = self.claims["medical_insurance"] * factors["medical_insurance"]
        paid_extra = self.claims["health_protection"] * factors["health_protection"]
        self.recv_gov = self.recv_gov + (paid_basic + paid_extra)
        oop = self.medical_bill - paid_basic - paid_extra
        self.oop = self.oop + oop
        self.oop_this_month = oop
