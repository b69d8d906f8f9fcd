"""Mechanism 7: farmers' cooperatives (农民专业合作社) as firms that decide.

A cooperative buys part of its members' produce at an *advance price* (a
multiple of the market price at the harvest), sells it on (to its leading
enterprise under contract, 订单农业, up to the contracted quantity; the rest on its
own at a better price the more capable its leader, 带头人), and keeps accounts:
sales less advances, plus industry support per member and the return on its
collective assets, less a running cost per member and a fixed cost.  In
December it pays a fixed dividend on the fiscal funds held as shares by
registered members first (资产收益扶贫), then returns a share of the remaining
positive surplus to members in proportion to what they sold to it (二次分红,
Farmers' Professional Cooperatives Law 2017, art. 44: at least 60%), reinvests
part of the rest in collective assets and keeps the rest as cash.

Decisions (each January, from last year's accounts and its cash):

* the advance price: a cooperative that made a loss lowers it by ``advance_step``;
  one whose surplus would have paid a step more on last year's purchases raises it,
  unless cash limits its purchases; it never pays less than a trader (the spot
  price; members would leave) nor more than its own selling price;
* the share of members' produce it buys: what it can market (its contract plus
  ``market_reach * capacity`` of members' output) and what its cash can finance
  (``cash_turnover`` times its cash at each of the two harvests), whichever is less;
  members sell the rest to traders themselves.

It fails when its cash runs out (it cannot pay its bills) or its leader quits;
the yearly chance the leader quits is ``(failure_base + failure_weak * (1 -
capacity)) * (1 + loss_years)``: higher for a weak leader and after poor years.
Leader capacity grows with training (a share ``training_gain`` of the gap to
full capacity) and depreciates without it.

Households join and leave by comparing what membership brought them last year
(members) or what the cooperative's published terms promise (non-members) with
what membership costs them, acting on the comparison with a yearly probability
(inertia); a member leaves after ``patience`` consecutive years in which
membership did not pay.  Poor households with little land gain little, which is
why the member premium is small at the bottom (Dong, Mu & Abler 2019).

Defaults: 44.5% of households members (MoA 2016); price premium 30% at full
capacity; dividend share 60% (Cooperative Law 2017, art. 44); the other
numbers are assumptions (``parameters.py``).
"""

from __future__ import annotations

import numpy as np


def coop_price(market_price, capacity, coop):
    """Price the cooperative obtains on its own for produce (before e-commerce)."""
    return market_price * (1.0 + coop.price_premium * capacity)


def first_advance(capacity, coop):
    """Advance price (x market price) of a new cooperative: its own price less its margin."""
    return (1.0 + coop.price_premium * capacity) * (1.0 - coop.margin)


def next_advance(advance, surplus, bought_value, cash_binds, capacity, ecommerce, spot_factor, coop):
    """This year's advance price (x market price) from last year's ``surplus``: down a step after a loss; up a
    step when the surplus would have paid the higher advance on last year's purchases (``bought_value``, at
    this year's market price) and cash does not limit purchases; unchanged if it bought nothing last year.
    At least the trader's price ``spot_factor``, at most its own selling price."""
    raise_ = (surplus >= coop.advance_step * bought_value) & ~cash_binds
    step = np.where(surplus < 0, -coop.advance_step, np.where(raise_, coop.advance_step, 0.0))
    a = advance + np.where(bought_value > 0, step, 0.0)
    highest = (1.0 + coop.price_premium * capacity) * (1.0 + ecommerce)
    return np.maximum(np.minimum(a, highest), spot_factor)


def buy_share(member_output, contract, cash, advance_price, capacity, coop):
    """(share of members' produce it buys, whether cash limits it).  It can market its contract plus
    ``market_reach * capacity`` of members' output and finance ``2 * cash_turnover * cash`` of advances a
    year; ``member_output`` is last year's (units), ``advance_price`` in yuan per unit.  Without a record
    of members' output (a new cooperative) it buys all if it has a contract, else what it can market."""
    marketable = coop.market_reach * capacity * member_output + contract
    financeable = 2.0 * coop.cash_turnover * np.maximum(cash, 0.0) / np.maximum(advance_price, 1e-12)
    has_output = member_output > 0
    share = np.where(has_output, np.minimum(marketable, financeable) / np.where(has_output, member_output, 1.0),
                     np.where(contract > 0, 1.0, coop.market_reach * capacity))
    return np.clip(share, 0.0, 1.0), has_output & (financeable < marketable)


def expected_gain(output_value, buy_share, advance, dividend_rate, spot_factor, asset_dividend):
    """What a non-member expects from joining (yuan/year): on the share of its output (``output_value`` at
    market price) the cooperative buys, the advance over the trader's price plus the patronage dividend per
    yuan sold to it; plus the asset-income dividend if it is a registered household (``asset_dividend``)."""
    return output_value * buy_share * (advance - spot_factor + advance * dividend_rate) + asset_dividend


def membership(member, coop_alive, gain, bad_years, cost, u, act_prob, patience):
    """(joins, leaves) this January.  A non-member in a village with a working cooperative joins when the
    expected ``gain`` beats the ``cost``; a member leaves after ``patience`` bad years; each acts only with
    probability ``act_prob`` (inertia)."""
    acts = u < act_prob
    joins = ~member & coop_alive & (gain > cost) & acts
    leaves = member & (bad_years >= patience) & acts
    return joins, leaves


def count_bad_years(member, gain, cost, bad_years):
    """A member's consecutive years in which membership brought less than it costs (0 for non-members)."""
    return np.where(member & (gain < cost), bad_years + 1.0, 0.0)


def leader_quit_hazard(capacity, loss_years, coop):
    """Yearly chance the leader quits: base, more for weak leaders, times one plus the loss years."""
    h = (coop.failure_base + coop.failure_weak * (1.0 - capacity)) * (1.0 + loss_years)
    return np.clip(h, 0.0, 1.0)


def leader_capacity(capacity, trained, coop):
    """Next capacity: a trained leader closes ``training_gain`` of the gap to 1; otherwise it depreciates."""
    return np.where(trained, capacity + coop.training_gain * (1.0 - capacity),
                    capacity * (1.0 - coop.capacity_depreciation))


def patronage_pool(surplus, coop):
    """Surplus returned to members as patronage dividends (二次分红): a share of a positive surplus."""
    return np.maximum(surplus, 0.0) * coop.dividend_share


def reinvestment(retained, coop):
    """Part of a positive retained surplus invested in collective assets."""
    return np.maximum(retained, 0.0) * coop.reinvest_share


def patronage_dividend(surplus, dividend_share, member_sales, coop_sales):
    """A member's share of the surplus, in proportion to its sales to the cooperative."""
    pool = np.maximum(surplus, 0.0) * dividend_share
    return np.where(coop_sales > 0, pool * member_sales / np.where(coop_sales > 0, coop_sales, 1.0), 0.0)
