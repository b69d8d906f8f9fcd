"""The vectorised engine's budget phases: consumption, saving, informal credit and debt, microcredit,
default and investment in productive assets.

Part of :class:`model.households.VectorHouseholds` (a mixin, as :mod:`model.work` and :mod:`model.transfers`
are).  Every month each household pays the interest on its informal debt (deducted from its property
income), repays its microcredit, pays its debt instalment, consumes out of its permanent income with a buffer
stock of savings, borrows a shortfall up to its credit limit and repays debt early from savings it can spare
(:mod:`model.rules.savings`, :mod:`model.rules.credit`).  Each December households in too much debt default,
assets depreciate and households decide whether to invest (:mod:`model.rules.investment`).  The per-agent
engine's counterparts are the methods of :class:`model.agents.budget.HouseholdBudget`.
"""

from __future__ import annotations

import numpy as np

from .month import FIRST_T
from .rules import credit, investment, labour, monitoring, production, savings


class BudgetPhases:
    """Budget, credit and investment phases over numpy columns (methods of ``VectorHouseholds``)."""

    def take_credit(self, ctx):
        """Microcredit for targeted households that take it up, invested in productive assets."""
        h, gov, lv = self.h, self.m.gov, ctx.levels
        mc = gov.programmes["microcredit"]
        takes = (self.targeted("microcredit") & (h.workers >= 1) & (h.loan <= 0)
                 & (ctx.u("credit") < mc.other["take_up"]) & (lv["microcredit"] > 0))
        amount = np.where(takes, mc.amount * lv["microcredit"], 0.0)
        h.assets += amount
        h.loan += amount
        h.loan_payment[:] = np.where(takes, amount / mc.other["months"], h.loan_payment)

    def budget_month(self, ctx, income, oop):
        """Interest, loan repayment, consumption, savings and debt; updates the assessed income for monitoring.

        Consumption is computed for every household without debt service; only households in debt or short
        of cash this month (up to about a fifth before a harvest) go through the credit rule, which for the others
        would reduce to adding the month's surplus to savings."""
        h, f = self.h, self.p.finance
        if ctx.month == 0:
            h.hardship_months[:] = 0.0
        permanent = savings.permanent_income(h.assessed_income, ctx.t - FIRST_T, income)
        cash = income - oop
        borrowers = self._borrowers()
        if borrowers.size:
            pay = np.minimum(h.loan_payment[borrowers], h.loan[borrowers])
            h.loan[borrowers] -= pay
            h.loan_payment[borrowers] = np.where(h.loan[borrowers] > 0, h.loan_payment[borrowers], 0.0)
            cash[borrowers] -= pay
        spend = savings.consumption(permanent, h.savings, h.members, f, self._living_away, self._away)
        after = h.savings + cash
        after -= spend
        k = np.flatnonzero((h.debt > 0) | (after < 0))
        if k.size:  # (``income`` is this month's array, made for this step: changed in place)
            debt, living, away, p_k = h.debt[k], _at(self._living_away, k), _at(self._away, k), permanent[k]
            paid = credit.interest(debt, f)
            due = credit.scheduled_repayment(debt, f)
            spend_k = savings.consumption(p_k, h.savings[k], h.members[k], f, living, away, due)
            barred = ctx.year <= h.credit_barred_until[k]
            after[k], h.debt[k], spend_k, cut = savings.settle(
                h.savings[k], debt, cash[k] - paid, spend_k, due, credit.room(debt, p_k, barred, f), living,
                f.reserve_months * np.maximum(p_k, 0.0))
            h.hardship_months[k] += savings.hardship(spend_k, living, savings.home_floor(h.members[k], away, f), cut)
            h.property[k] -= paid  # interest on household debt: property expenditure (财产性支出)
            income[k] -= paid
            spend[k] = spend_k
        h.savings = after
        h.income += income
        self.consumption_this_month = spend
        slot = ctx.month
        monitoring.rolling(h.assessed_income, income, self.ring_income[slot])
        monitoring.rolling(h.assessed_oop, oop, self.ring_oop[slot])
        self.ring_income[slot] = income
        self.ring_oop[slot] = oop

    def invest(self, ctx):
        """December: defaults, depreciation, then the investment decision at the expected price."""
        h, e, f = self.h, self.p.economy, self.p.finance
        k = np.flatnonzero(credit.defaults(h.debt, h.assessed_income, f))
        if k.size:
            h.savings[k], h.assets[k] = credit.default_settlement(h.savings[k], h.assets[k], h.debt[k], f)
            h.debt[k] = 0.0
            h.credit_barred_until[k] = credit.barred_until(ctx.year, f)
        h.assets[:] = investment.depreciate(h.assets, f)
        farm = labour.farm_labour(h.workers, h.migrants, h.local_job, h.post, h.elderly, h.chronic, 0.0, e,
                                  self.p.illness.chronic_labour_loss)
        value = production.output_before_assets(h.land, farm, h.skill, h.effort, e.farm_tfp * ctx.farm_index, e)
        value *= ctx.price * e.spot_price_factor
        h.savings[:], h.assets[:] = investment.invest(h.assets, h.savings, value, h.assessed_income / 12.0, e, f)


def _at(x, k):
    """``x[k]`` of a per-household array, or the scalar ``x``."""
    return x[k] if np.ndim(x) else x
