"""Mechanism 5a: consumption smoothing with a buffer stock of savings.

A household consumes out of its permanent income, not out of this month's cash: the
harvest months' income is saved and spent over the following months, and a shock is
smoothed as far as savings allow (Deaton 1991 *Econometrica* 59(5), buffer-stock saving by
impatient, credit-constrained households; Carroll 1997 *QJE* 112(1); the rule
c = p + kappa (m - m*) of Carroll 2001 *J. Economic Perspectives* 15(3)).  Permanent income
is the household's income over the last twelve months (``assessed_income``), net of the
interest it pays (as the NBS household survey counts disposable income); the household
consumes that, less the scheduled repayment of its debt, plus a share kappa of its savings
above a target buffer of a few months of permanent income (minus that share of the gap
when below), with a subsistence floor at home; members working away spend their living
costs there.  What cash on hand and informal credit allow bounds it
(:func:`settle`; credit: :mod:`model.rules.credit`).
"""

from __future__ import annotations

import numpy as np


def permanent_income(assessed_income, months_seen, income):
    """Monthly permanent income: the income of the last twelve months / 12 (before this month's update);
    in the first year of a run the mean of the ``months_seen`` months so far, and in its first month
    this month's income."""
    if months_seen <= 0:
        return income
    return assessed_income / min(months_seen, 12)


def home_floor(members, away, f):
    """The subsistence floor of the members at home this month (yuan/month)."""
    return f.subsistence / 12.0 * (members - away)


def consumption(permanent, savings, members, f, living_away=0.0, away=0.0, repayment=0.0):
    """Monthly consumption: the living costs of members working away (``living_away``, ``away`` of them)
    plus, at home, max(subsistence floor, p - living_away - repayment + kappa (savings - buffer_months p)),
    p the permanent income, ``repayment`` the scheduled repayment of informal debt."""
    spend = permanent * (1.0 - f.smoothing_share * f.buffer_months)
    spend += f.smoothing_share * savings
    spend -= living_away
    if np.ndim(repayment) or repayment:
        spend -= repayment
    spend = np.maximum(spend, home_floor(members, away, f), out=spend)
    spend += living_away
    return spend


def settle(savings, debt, cash_in, spend, repayment, room, living_away, reserve):
    """The month's accounts of households with debt or short of cash (``cash_in``: income net of interest,
    medical spending and microcredit repayment).  The scheduled ``repayment`` and consumption are paid
    from cash and savings; a shortfall is borrowed up to ``room`` (:func:`model.rules.credit.room`); beyond
    it consumption at home falls (to zero at worst) and what still cannot be paid (medical bills, the
    instalment) is owed as arrears.  Savings above ``reserve`` repay debt early (informal debt costs
    interest, savings earn none).  Returns (savings, debt, consumption, the cut in consumption)."""
    s = savings + cash_in - repayment - spend
    short = np.maximum(-s, 0.0)
    borrowed = np.minimum(short, room)
    cut = np.minimum(short - borrowed, spend - living_away)
    arrears = short - borrowed - cut
    s = s + short
    left = debt - repayment
    early = np.minimum(left, np.maximum(s - reserve, 0.0))
    return s - early, left - early + borrowed + arrears, spend - cut, cut


def hardship(spend, living_away, floor, cut):
    """Consumption at home cut (cash and credit ran short) below the subsistence floor this month."""
    return (cut > 0) & (spend - living_away < floor)
