"""Mechanism 7: farmers' cooperatives (农民专业合作社).

A cooperative markets its members' produce: it obtains a better price the more
capable its leader (带头人, capacity in [0, 1]), keeps a margin, and at the end of
the year pays part of its surplus back to members in proportion to what they
sold through it (二次分红), plus a fixed dividend on the fiscal funds turned into
shares held by registered members (资产收益扶贫), paid first.  It trains its
members (productivity gain proportional to capacity).  Households join when
membership pays (they have produce to sell); poor households with little land
gain little, which is why the member premium is small at the bottom (Dong, Mu &
Abler 2019).  Weakly led or loss-making cooperatives fail; members then sell spot.

Defaults: 44.5% of households members (MoA 2016); price premium 15% at full
capacity, so the average member premium is near the 18-20% of NPC 2012 and
Dong, Mu & Abler 2019; dividend share 60% (Cooperative Law 2017, art. 44).
"""

from __future__ import annotations

import numpy as np


def coop_price(market_price, capacity, coop):
    """Price the cooperative obtains for its members' produce before its margin."""
    return market_price * (1.0 + coop.price_premium * capacity)


def member_price(price, coop):
    """Price paid to members: the cooperative keeps its margin."""
    return price * (1.0 - coop.margin)


def joins(member, coop_alive, expected_gain, cost, u, join_prob):
    """A non-member in a village with a working cooperative joins if it gains, with some inertia."""
    return ~member & coop_alive & (expected_gain > cost) & (u < join_prob)


def failure_hazard(capacity, surplus, coop):
    """Yearly failure probability: base hazard, more for weak leaders, doubled after a loss."""
    h = coop.failure_base + coop.failure_weak * (1.0 - capacity)
    return np.clip(np.where(surplus < 0, 2.0 * h, h), 0.0, 1.0)


def patronage_dividend(surplus, dividend_share, member_sales, coop_sales):
    """A member's share of the surplus, in proportion to its sales through the cooperative."""
    pool = np.maximum(surplus, 0.0) * dividend_share
    return np.where(coop_sales > 0, pool * member_sales / np.where(coop_sales > 0, coop_sales, 1.0), 0.0)
