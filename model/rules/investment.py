"""Mechanism 5c: productive assets, their depreciation and the December investment decision.

Assets depreciate each year.  Each December a household weighs investing its savings in
productive assets: the extra output value the production function gives (at the expected
price, :mod:`model.rules.production`) against the return it requires (a discount rate plus
depreciation).  Below the asset threshold of the improved technique it compares crossing it,
if the savings it can spare reach the gap, with staying; otherwise it invests a share of
its spare savings when the marginal return of assets beats the required return.  So a
household near the threshold invests and crosses while one far below cannot, whatever the
return: the credit-constrained poverty trap of Banerjee & Newman 1993 (*JPE* 101(2)),
Carter & Barrett 2006 (*J. Development Studies* 42(2)) and Balboni et al. 2022 (*QJE* 137(2)).
"""

from __future__ import annotations

import numpy as np

from .production import asset_factor


def depreciate(assets, fin):
    """A year's depreciation of productive assets."""
    return assets * (1.0 - fin.asset_depreciation)


def required_return(fin):
    """Return per yuan a year an investment must beat: the discount rate plus depreciation."""
    return fin.discount_rate + fin.asset_depreciation


def invest(assets, savings, value_before_assets, permanent, econ, fin):
    """December: invest (``value_before_assets``: expected annual output value without the assets' factor;
    ``permanent``: monthly permanent income).  Spare savings are those above ``reserve_months`` of permanent
    income.  Cross the threshold (invest exactly the gap) when the spare savings reach it and the output
    value gained beats the required return on the gap; else invest ``invest_share`` of the spare savings
    when the marginal value of assets, b V / (K + A), beats the required return.  (Without an improved
    technique, ``improved_productivity`` <= 1, there is no threshold to cross.)  Returns (savings, assets)."""
    required = required_return(fin)
    spare = np.maximum(savings - fin.reserve_months * np.maximum(permanent, 0.0), 0.0)
    gap = fin.asset_threshold - assets
    value = value_before_assets * asset_factor(assets, econ, fin)
    gain = value_before_assets * asset_factor(fin.asset_threshold, econ, fin) - value
    cross = (fin.improved_productivity > 1.0) & (gap > 0) & (gap <= spare) & (gain > required * gap)
    marginal = econ.asset_elasticity * value / (econ.asset_scale + assets)
    amount = np.where(cross, gap, np.where(marginal > required, fin.invest_share * spare, 0.0))
    return savings - amount, np.where(cross, fin.asset_threshold, assets + amount)
