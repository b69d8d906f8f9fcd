"""A household's budget: spending, saving, debt and investment.

Part of the :class:`~model.agents.household.Household` agent (a mixin).  Every
month the household repays its microcredit, consumes a subsistence floor or a
share of its income and savings (buffer-stock smoothing, Deaton 1991), borrows a
shortfall informally and repays debt from a surplus, and its last twelve months
of income and medical spending (what monitoring looks at) move on a month.  Each
December it invests part of its savings above a buffer in productive assets,
which depreciate, fast below a threshold (an asset poverty trap, Carter & Barrett
2006).  Mechanisms, parameters and sources: :mod:`model.rules.savings`.
"""

from __future__ import annotations


class HouseholdBudget:
    """Consumption, saving, debt, the twelve-month window, investment (household methods)."""

    def spend_and_save(self, ctx, income, oop) -> None:
        """Consume, repay microcredit, save or borrow; update the twelve-month window monitoring looks at
        (``income``, ``oop``: this month's income and out-of-pocket spending of every household)."""
        b = self.params.budget
        income, oop = float(income[self.row]), float(oop[self.row])
        self.income = self.income + income
        repayment = min(self.loan_payment, self.loan)
        self.loan = self.loan - repayment
        if not self.loan > 0:
            self.loan_payment = 0.0
        # members working away spend their living costs there; the rest of the household spends at home
        living, away = self.living_away_this_month, self.away_this_month
        spend = max(b.subsistence / 12.0 * (self.members - away),
                    b.mpc * (income - living) + b.wealth_mpc * max(self.savings, 0.0)) + living
        # the month's cash flow: borrow any shortfall (informal debt), repay debt from a surplus
        self.debt = self.debt * (1.0 + b.borrow_rate)
        cash = self.savings + (income - oop - repayment) - spend
        borrowed = max(-cash, 0.0)
        cash = cash + borrowed
        repaid = min(self.debt, cash * b.debt_repay_share)
        self.savings = cash - repaid
        self.debt = self.debt + borrowed - repaid
        # twelve-month totals: this month replaces the same month last year
        slot = ctx.month
        self.assessed_income = self.assessed_income + income - self.income_by_month[slot]
        self.assessed_oop = self.assessed_oop + oop - self.oop_by_month[slot]
        self.income_by_month[slot] = income
        self.oop_by_month[slot] = oop

    def invest_and_age_assets(self) -> None:
        """Invest part of the savings above a three-month buffer; assets depreciate (fast below the trap)."""
        b = self.params.budget
        buffer = b.subsistence / 4.0 * self.members
        invested = max(self.savings - buffer, 0.0) * b.invest_share
        self.savings = self.savings - invested
        self.assets = self.assets + invested
        rate = b.asset_decay_low if self.assets < b.asset_threshold else b.asset_depreciation
        self.assets = self.assets * (1.0 - rate)
