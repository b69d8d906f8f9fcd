"""Mechanism 8: leading enterprises (龙头企业).

An enterprise contracts with cooperatives (订单农业) to buy their members'
produce at the higher of a contract price and a guaranteed floor (保底价), sells
it processed, and employs local workers in its plant and workshops (扶贫车间).
When the market price falls far below the floor and its cash is short, it
defaults on the floor and pays the cooperative's own price plus its premium instead: under market-led chains
the farmers bear the price risk after all.

Each December it books its profit and plans the next year:

* **Jobs.**  The value its workers produce is Cobb-Douglas in its staff ``L`` with
  the plant fixed, ``V(L) = prod * v * L0 * (L / L0)^alpha`` (``alpha`` the labour
  share of value added, ``v`` the value per worker at the plant's size ``L0``, growing
  with the wage index).  It aims at the staff where a job's marginal value equals its
  cost net of the subsidy it expects per job, ``pay + overhead - s * tau`` (``tau``
  the share of its workers the programme targets), moving at most ``adjustment`` of
  its posts a year (adjustment costs), never far beyond the staff it could find, and
  expanding only with the cash for ``cash_buffer_months`` of the larger wage bill; a
  loss-making enterprise short of that cash cuts its posts.
* **Contracts.**  Per cooperative, it contracts for more (towards its members' whole
  output, by at most ``adjustment`` of it a year) while the expected margin of a unit bought at the
  contract price and sold processed is positive, less otherwise; its processing needs
  workers in a fixed proportion (its throughput per worker in 2019), so its contracts
  follow its posts.  Prices are expected from the AR(1) of the log crop price.
* **Terms.**  A profitable enterprise pays the contract premium and promises the
  floor; a loss-making one pays no premium and promises no more than the price it
  expects.
* **Exit** when its cash is exhausted, or, after ``exit_loss_years`` consecutive years
  of operating losses, with probability ``exit_prob`` a year.  Its capital is sunk, so
  an enterprise that covers its operating costs but not the normal return on its
  capital stays (Dixit 1989, "Entry and exit decisions under uncertainty", JPE 97).  **Entry**: the area of an enterprise
  that exited in an earlier year attracts a new enterprise (a new productivity draw,
  the same plant) with probability ``entry_prob`` times the share of the county's
  operating enterprises that made a profit.

The plant's economics are derived, not set: enterprises are assumed to have been
built, before 2020, to the size that was optimal for an enterprise of mean
productivity under the conditions then in force (:func:`worker_value`), and to earn
a normal return on capital without subsidies (free entry: zero economic profit), so
that their yearly capital cost absorbs their operating surplus at mean productivity,
except that an enterprise still operating in 2020 covered its costs with the
subsidies it received (:func:`capital_cost`).  The capital cost then grows with the
productivity of the plant's labour (a constant capital-output ratio along balanced
growth: Kaldor 1961).  Subsidies are what enterprises earn beyond a normal return,
and their productivity draw decides who depends on them.  Defaults are assumptions
(no published figures); see ``parameters.py``.
"""

from __future__ import annotations

import numpy as np

#: months from December to the two harvests of next year (June, October)
HARVEST_LEADS = (6, 10)


def defaults_on_floor(market_price, floor, cash, purchase_bill, gap):
    """Default when the market is more than ``gap`` below the floor and cash cannot cover the bill."""
    return (market_price < floor * (1.0 - gap)) & (cash < purchase_bill)


def profit(sales_value, purchases, wages, fixed_cost, subsidies):
    """Yearly profit (yuan)."""
    return sales_value - purchases - wages - fixed_cost + subsidies


def exits(loss_years, cash, u, ent):
    """Exit when cash is exhausted (``cash < 0``), or after ``exit_loss_years`` consecutive loss years with
    probability ``exit_prob``; a draw ``u`` of 1 (years without shocks) never exits."""
    return ((cash < 0) & (u < 1.0)) | ((loss_years >= ent.exit_loss_years) & (u < ent.exit_prob))


def labour_value(v, prod, plant, staff, alpha):
    """Yearly value produced by ``staff`` workers: ``prod * v * L0 * (staff / L0)^alpha``."""
    plant = np.maximum(plant, 1.0)
    return prod * v * plant * np.power(np.maximum(staff, 0.0) / plant, alpha)


def optimal_staff(v, prod, plant, cost, alpha):
    """Staff at which a worker's marginal value ``alpha * prod * v * (L / L0)^(alpha - 1)`` equals ``cost``
    (yuan per worker); unbounded (inf) when a worker costs nothing net of subsidies."""
    plant = np.maximum(plant, 1.0)
    with np.errstate(divide="ignore"):
        ratio = np.where(cost > 0, alpha * prod * v / np.where(cost > 0, cost, 1.0), np.inf)
    return plant * np.power(ratio, 1.0 / (1.0 - alpha))


def plan_posts(posts, staff, target, adjustment, can_expand, distressed):
    """Next year's posts: towards ``target`` but no further than ``1 + adjustment`` times this year's staff
    or one post more (it does not open posts it could not fill), by at most ``adjustment`` of its posts, or one
    post (none for an enterprise without posts: it has no plant to staff), either way; no expansion without the cash, at least that cut when loss-making and short of cash."""
    # a small enterprise can still move by one post; one without posts has no plant to staff
    step = np.where(posts > 0, np.maximum(adjustment * posts, 1.0), 0.0)
    want = np.minimum(target, np.maximum(staff * (1.0 + adjustment), staff + 1.0))
    want = np.where(can_expand, want, np.minimum(want, posts))
    want = np.where(distressed, np.minimum(want, posts - step), want)
    return np.maximum(np.floor(np.clip(want, posts - step, posts + step) + 0.5), 0.0)


def expected_price(log_price, persistence):
    """Expected market price at next year's harvests from December: the log price decays as an AR(1)."""
    return float(np.mean([np.exp(persistence ** k * log_price) for k in HARVEST_LEADS]))


def unit_margin(price, value_added, prod, ecommerce, contract_price, subsidy=0.0):
    """Margin of one unit bought at ``contract_price`` and sold processed: ``price (1 + va prod)(1 + ecommerce)``
    less the contract price (which already includes the e-commerce gain), of which a share ``subsidy`` is paid
    back by industry support per yuan bought under contract."""
    return price * (1.0 + value_added * prod) * (1.0 + ecommerce) - contract_price * (1.0 - subsidy)


def plan_contracts(contracted, potential, margin, adjustment, can_expand, distressed):
    """Next year's contracted quantity per cooperative: towards its members' whole output (``potential``, units)
    where the unit margin is positive, towards none where it is not or the enterprise is distressed, moving by
    at most ``adjustment`` of that output a year (an open contract, ``inf``, is replaced at once); no more than
    this year's contract without the cash."""
    target = np.where((margin > 0) & ~distressed, potential, 0.0)
    step = adjustment * potential
    open_ = np.isinf(contracted)
    low = np.where(open_, target, np.maximum(contracted - step, 0.0))
    high = np.where(open_, target, contracted + step)
    planned = np.clip(target, low, high)
    return np.where(can_expand | open_, planned, np.minimum(planned, contracted))


def processing_cap(contracts, capacity):
    """Scale contracts down pro rata so that their total fits the processing ``capacity`` (units a year)."""
    total = float(np.sum(contracts))
    return contracts if total <= capacity else contracts * (capacity / total)


def contract_terms(last_profit, expected, floor_price, premium):
    """(premium, floor) offered for next year: the full terms when it made a profit; no premium and a floor
    no higher than the expected market price when it lost money."""
    losing = last_profit < 0
    return np.where(losing, 0.0, premium), np.where(losing, np.minimum(floor_price, expected), floor_price)


def worker_value(pay, overhead, subsidy, alpha):
    """Value per worker at the plant's size if that size was optimal for mean productivity: the marginal value
    ``alpha * v`` equals the cost of a worker net of the subsidy, so ``v = (pay + overhead - subsidy) / alpha``."""
    return (pay + overhead - subsidy) / alpha


def capital_cost(surplus_at_mean, surplus_with_subsidies):
    """Yearly cost of the plant's capital: a normal return (zero economic profit) at mean productivity without
    subsidies, ``surplus_at_mean``; but no more than the enterprise could bear with its own productivity and
    the subsidies it received, ``surplus_with_subsidies`` (an enterprise still operating in 2020 was not making
    losses: those that were had left); never negative."""
    return np.maximum(np.minimum(surplus_at_mean, surplus_with_subsidies), 0.0)


def enters(u, profitable_share, entry_prob):
    """An exited enterprise's area attracts an entrant with probability ``entry_prob`` times the share of the
    county's operating enterprises that made a profit."""
    return u < entry_prob * profitable_share
