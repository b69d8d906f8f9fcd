"""Mechanism 5: savings, consumption smoothing, productive assets, credit and debt.

Each month the household consumes a subsistence floor plus a share of its
income and a little of its savings (buffer-stock smoothing, Deaton 1991).  A
shortfall is borrowed at an informal interest rate; each month a share of savings repays debt.
Each December a share of savings above a buffer is invested in productive
assets.  Assets depreciate slowly above a threshold but decay fast below it: a
poverty trap in assets (Carter & Barrett 2006).  Microcredit (扶贫小额信贷)
adds assets financed by a loan repaid over three years.
"""

from __future__ import annotations

import numpy as np


def consumption(income, savings, members, b, living_away=0.0, away=0.0):
    """Monthly consumption: the living costs of members working away this month (``living_away``, spent
    where they work; ``away`` of them) plus, at home,
    max(subsistence * (members - away), mpc * (income - living_away) + wealth_mpc * savings)."""
    spend = np.maximum(savings, 0.0)
    spend *= b.wealth_mpc
    spend += b.mpc * (income - living_away)
    spend = np.maximum(spend, b.subsistence / 12.0 * (members - away), out=spend)
    spend += living_away
    return spend


def settle(savings, debt, cash_in, spend, b):
    """Add the month's cash flow; borrow any shortfall, repay debt from a surplus. Returns (savings, debt)."""
    debt = debt * (1.0 + b.borrow_rate)
    s = savings + cash_in - spend
    borrow = np.maximum(-s, 0.0)
    s = s + borrow
    repay = np.minimum(debt, s * b.debt_repay_share)
    return s - repay, debt + borrow - repay


def invest(savings, assets, members, b):
    """December: invest a share of savings above a three-month subsistence buffer. Returns (savings, assets)."""
    buffer = b.subsistence / 4.0 * members
    amount = np.maximum(savings - buffer, 0.0) * b.invest_share
    return savings - amount, assets + amount


def asset_dynamics(assets, b):
    """December: assets below the trap threshold decay fast, above it depreciate slowly."""
    rate = np.where(assets < b.asset_threshold, b.asset_decay_low, b.asset_depreciation)
    return assets * (1.0 - rate)
