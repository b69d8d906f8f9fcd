"""A household's budget: spending, saving, informal credit and debt, default and investment.

Part of the :class:`~model.agents.household.Household` agent (a mixin).  Every
month the household pays the interest on its informal debt (property expenditure,
deducted from its property income as the NBS survey counts it), repays its
microcredit and its debt instalment, and consumes out of its permanent income (its
income over the last twelve months) plus a share of its savings above a target
buffer, never below a subsistence floor unless cash and credit run out (buffer-stock
smoothing, Deaton 1991, Carroll 2001).  A shortfall is borrowed informally up to a
credit limit; savings it can spare repay debt early; its last twelve months of income
and medical spending (what monitoring looks at) move on a month.  Each December a
household in too much debt defaults, assets depreciate, and the household decides
whether to invest: to cross the asset threshold of the improved technique if its
savings reach it and it pays, else a share of its spare savings if assets' marginal
return beats the return it requires.  Mechanisms, parameters and sources:
:mod:`model.rules.savings`, :mod:`model.rules.credit`, :mod:`model.rules.investment`.
"""

from __future__ import annotations

from ..month import FIRST_T


class HouseholdBudget:
    """Consumption, saving, debt, the twelve-month window, default and investment (household methods)."""

    def permanent_income(self, ctx, income: float) -> float:
        """Monthly permanent income: the last twelve months' income / 12, before this month's (in the first
        year of the run, the mean of the months seen so far; in its first month, this month's income)."""
        seen = ctx.t - FIRST_T  # months since the run began
        return income if seen <= 0 else self.assessed_income / min(seen, 12)

    def spend_and_save(self, ctx, income, oop) -> None:
        """Pay interest, repay microcredit and the debt instalment, consume, save or borrow; update the
        twelve-month window monitoring looks at (``income``, ``oop``: this month's income and out-of-pocket
        spending of every household)."""
        f = self.params.finance
        if ctx.month == 0:
            self.hardship_months = 0.0
        income, oop = float(income[self.row]), float(oop[self.row])
        permanent = self.permanent_income(ctx, income)
        repayment = min(self.loan_payment, self.loan)
        self.loan = self.loan - repayment
        if not self.loan > 0:
            self.loan_payment = 0.0
        debt = self.debt
        interest = f.borrow_rate * debt
        due = min(debt, max(debt / f.repay_months, f.min_repayment)) if debt > 0 else 0.0
        # members working away spend their living costs there; the rest of the household spends at home:
        # permanent income less the debt instalment, plus a share of savings above the target buffer
        living, away = self.living_away_this_month, self.away_this_month
        floor = f.subsistence / 12.0 * (self.members - away)
        wish = (permanent * (1.0 - f.smoothing_share * f.buffer_months) + f.smoothing_share * self.savings
                - living - due)
        spend = max(wish, floor) + living
        cash = self.savings + ((income - oop - repayment) - interest) - due - spend
        if debt > 0 or cash < 0:
            short = max(-cash, 0.0)
            barred = ctx.year <= self.credit_barred_until
            room = 0.0 if barred else max(f.credit_limit * 12.0 * permanent - debt, 0.0)
            borrowed = min(short, room)
            cut = min(short - borrowed, spend - living)  # consumption at home falls to what cash allows
            spend = spend - cut
            cash = cash + short
            left = debt - due
            early = min(left, max(cash - f.reserve_months * max(permanent, 0.0), 0.0))
            cash = cash - early
            self.debt = left - early + borrowed + (short - borrowed - cut)  # what still cannot be paid: arrears
            if cut > 0 and spend - living < floor:
                self.hardship_months = self.hardship_months + 1.0
            # interest on household debt is property expenditure (财产性支出): net property income falls
            self.property = self.property - interest
            income = income - interest
        self.savings = cash
        self.income = self.income + income
        self.consumption_this_month = spend
        # twelve-month totals: this month replaces the same month last year
        slot = ctx.month
        self.assessed_income = self.assessed_income + income - self.income_by_month[slot]
        self.assessed_oop = self.assessed_oop + oop - self.oop_by_month[slot]
        self.income_by_month[slot] = income
        self.oop_by_month[slot] = oop

    def default_and_invest(self, ctx) -> None:
        """December: default on too much debt; assets depreciate; decide whether to invest."""
        f, e = self.params.finance, self.params.economy
        if self.debt > 0 and self.debt > f.default_multiple * max(self.assessed_income, 0.0):
            from_savings = min(self.savings, self.debt)
            seized = min(f.seizure_share * self.assets, self.debt - from_savings)
            self.savings = self.savings - from_savings
            self.assets = self.assets - seized
            self.debt = 0.0  # the rest is written off
            self.credit_barred_until = ctx.year + int(f.credit_bar_years)
        self.assets = self.assets * (1.0 - f.asset_depreciation)
        # the expected annual output value at this price with the household's farm labour, by assets
        price = ctx.price * e.spot_price_factor
        labour = self.farm_labour(0.0)
        tfp = e.farm_tfp * ctx.farm_index

        def value(assets: float) -> float:
            return self.farm_output(labour, tfp, assets) * price

        required = f.discount_rate + f.asset_depreciation
        spare = max(self.savings - f.reserve_months * max(self.assessed_income / 12.0, 0.0), 0.0)
        gap = f.asset_threshold - self.assets
        now = value(self.assets)
        if f.improved_productivity > 1.0 and gap > 0 and gap <= spare and value(f.asset_threshold) - now > required * gap:
            self.savings = self.savings - gap
            self.assets = f.asset_threshold  # the improved technique
        elif e.asset_elasticity * now / (e.asset_scale + self.assets) > required:
            amount = f.invest_share * spare
            self.savings = self.savings - amount
            self.assets = self.assets + amount
