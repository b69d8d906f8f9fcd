"""A household's health and earning power: illness, the health stock, medical bills, the income process.

Part of the :class:`~model.agents.household.Household` agent (a mixin).  Each
January the household's health is assessed (a member may have become chronically
ill, part of the damage from past illness heals), its training ages, its persistent
income component moves on, a new transitory one is drawn, and its productivity is
worked out from them.  Every month a member may fall seriously ill, which leaves a
lasting damage; basic medical insurance (基本医保) and, for targeted households,
health protection (三重保障) pay part of the bill, the rest is out-of-pocket
spending.  Mechanisms, parameters and sources: :mod:`model.rules.illness`,
:mod:`model.rules.health`, :mod:`model.rules.fortune`.
"""

from __future__ import annotations

import math


class Health:
    """Chronic and acute illness, the health stock, medical bills, the income process (household methods)."""

    #: this year's monthly risk of an acute episode, set each January (None: not yet assessed)
    acute_risk = None

    # -- January ---------------------------------------------------------------------------
    def health_and_earnings(self, ctx) -> None:
        """January: chronic illness and a year's recovery; training ages; the income shocks move on;
        productivity from its components; the year's risk of an acute episode."""
        self.assess_health(ctx)
        self.training = self.training * (1.0 - self.params.earnings.training_depreciation)
        self.change_fortune(ctx)
        self.skill = self.productivity()
        self.acute_risk = self.risk_of_acute_illness()

    def assess_health(self, ctx) -> None:
        """A household becomes chronically ill when its health damage has reached the threshold, or from other
        causes; part of the damage heals, the chronically ill staying at the threshold at least."""
        e = self.params.earnings
        if self.ill_health >= e.chronic_threshold or self.shock_draw(ctx, "chronic") < e.chronic_base_onset:
            self.chronic = True
        healed = self.ill_health * (1.0 - e.health_recovery)
        self.ill_health = max(healed, e.chronic_threshold) if self.chronic else max(healed, 0.0)

    def change_fortune(self, ctx) -> None:
        """The persistent income component moves one year on and a new transitory one is drawn (neither in
        neutral years, when the transitory component is zero)."""
        e = self.params.earnings
        if ctx.neutral:
            self.transitory = 0.0
            return
        self.fortune = e.permanent_persistence * self.fortune + e.permanent_sd * self.shock_size(ctx, "permanent")
        self.transitory = e.transitory_sd * self.shock_size(ctx, "transitory") - 0.5 * e.transitory_sd * e.transitory_sd

    def productivity(self) -> float:
        """exp(ability + persistent - its variance/2 + transitory) x health factor x training factor."""
        e = self.params.earnings
        variance = e.permanent_sd * e.permanent_sd / (1.0 - e.permanent_persistence * e.permanent_persistence)
        log_income_shocks = self.ability + self.fortune - 0.5 * variance + self.transitory
        return (math.exp(log_income_shocks) * math.exp(-e.health_productivity_loss * self.ill_health)
                * math.exp(self.training))

    def risk_of_acute_illness(self) -> float:
        """Monthly risk of an acute episode: the chronic rate when chronically ill, else rising with the health
        damage from the healthy rate to the chronic rate at the threshold."""
        ip, threshold = self.params.illness, self.params.earnings.chronic_threshold
        if self.chronic:
            return ip.acute_prob_chronic
        share = min(self.ill_health / threshold, 1.0) if threshold > 0 else 1.0
        return ip.acute_prob + (ip.acute_prob_chronic - ip.acute_prob) * share

    # -- every month -----------------------------------------------------------------------
    def fall_ill(self, ctx) -> None:
        """Serious illness this month, the month's medical bill and what insurance is asked to pay of it."""
        ip = self.params.illness
        risk = self.acute_risk if self.acute_risk is not None else self.risk_of_acute_illness()
        bill = 0.0
        if self.shock_draw(ctx, "illness") < risk:
            bill = ip.acute_cost_median * math.exp(ip.acute_cost_sigma * self.shock_size(ctx, "illness_cost"))
            self.illness_episodes = self.illness_episodes + 1.0
            self.sick_months = max(self.sick_months, ip.lost_months)
            self.ill_health = min(self.ill_health + self.params.earnings.illness_damage, 1.0)  # lasting damage
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
