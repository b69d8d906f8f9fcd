"""Mechanism 5b: informal credit, debt service and default.

Rural households borrow from relatives, friends and moneylenders (民间借贷) to cover a
shortfall, and informal lenders lend against what the household earns: debt can grow only
up to a multiple of its income over the last twelve months (Turvey & Kong 2010 *China
Economic Review* 21(4), informal lending in rural China; the multiple is an assumption).
Debt costs interest each month and is repaid on a schedule (a share of the principal, at
least a minimum instalment); interest paid on household debt is deducted from property
income, as the NBS household survey counts disposable income (财产净收入 = 财产性收入 −
财产性支出; net property income includes net interest income, 利息净收入: NBS, *China Statistical
Yearbook 2020*, Explanatory Notes on Main Statistical Indicators).  A household whose debt
exceeds a larger multiple of its year's income defaults in December: the lender takes its
savings and part of its productive assets, writes the rest off, and it is barred from
informal credit for some years.  Poverty-alleviation microcredit (扶贫小额信贷) is a separate,
government-subsidised loan (:mod:`model.households`, ``take_credit``).
"""

from __future__ import annotations

import numpy as np


def interest(debt, f):
    """This month's interest on informal debt (paid in cash; property expenditure)."""
    return f.borrow_rate * debt


def scheduled_repayment(debt, f):
    """This month's instalment: 1/repay_months of the debt, at least ``min_repayment``, at most the debt."""
    return np.minimum(debt, np.maximum(debt / f.repay_months, f.min_repayment))


def room(debt, permanent, barred, f):
    """What the household can still borrow this month: credit_limit x annual income (12 x permanent
    income) less the debt outstanding; nothing while barred after a default."""
    return np.where(barred, 0.0, np.maximum(f.credit_limit * 12.0 * permanent - debt, 0.0))


def defaults(debt, annual_income, f):
    """December: debt above default_multiple x the year's income (or any debt without income) defaults."""
    return (debt > 0) & (debt > f.default_multiple * np.maximum(annual_income, 0.0))


def default_settlement(savings, assets, debt, f):
    """The lender takes the defaulter's savings, then up to seizure_share of its productive assets, and writes
    the rest off.  Returns (savings, assets)."""
    from_savings = np.minimum(savings, debt)
    seized = np.minimum(f.seizure_share * assets, debt - from_savings)
    return savings - from_savings, assets - seized


def barred_until(year, f):
    """Last year in which a household defaulting in ``year`` is barred from informal credit."""
    return year + int(f.credit_bar_years)
