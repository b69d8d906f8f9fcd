"""Mechanism 8: leading enterprises (龙头企业).

An enterprise contracts with cooperatives (订单农业) to buy their members'
produce at the higher of a contract price and a guaranteed floor (保底价), sells
it processed at a value-added margin, hires local workers, and receives industry
subsidies while they last.  When the market price falls far below the floor and
its cash is short, it defaults on the floor and pays the market price instead:
under market-led chains the farmers bear the price risk after all.  After
several loss-making years it may exit, taking its jobs and contracts with it.
Default values are assumptions (no published figures) and are for experiments
to vary; see ``parameters.py``.
"""

from __future__ import annotations


def defaults_on_floor(market_price, floor, cash, purchase_bill, gap):
    """Default when the market is more than ``gap`` below the floor and cash cannot cover the bill."""
    return (market_price < floor * (1.0 - gap)) & (cash < purchase_bill)


def profit(sales_value, purchases, wages, fixed_cost, subsidies):
    """Yearly profit (yuan)."""
    return sales_value - purchases - wages - fixed_cost + subsidies


def exits(loss_years, u, ent):
    """Exit after ``exit_loss_years`` consecutive loss years, with probability ``exit_prob`` a year."""
    return (loss_years >= ent.exit_loss_years) & (u < ent.exit_prob)
