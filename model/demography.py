"""Household dissolution and formation (分家, marriage): written once, shared by both household engines.

The county keeps a fixed number of household rows.  When the last member of a
household has died (:mod:`model.rules.demography`), the household is dissolved
and its row is re-used the same January by a new household: a worker leaves a
household with at least two workers (分家: a grown child sets up a household of
its own) together with a spouse, and takes over the dissolved household's house,
contracted land and productive assets (the village collective re-allocates the
contract land of an extinct household, and its house and tools pass to kin in
the village; assumption).  Candidates for the leaving worker: households with
three or more workers of the same village first, then with two workers of the
same village, then those of other villages (three or more, then two); within a
group the smallest ``formation_parent`` draw (the household streams, so both
engines agree).  The spouse comes from another household of the county with at
least two workers (three or more first; smallest ``formation_spouse`` draw) or,
when there is none, from outside the county (marriage migration).  A household
gives at most one member a year.

The new household (every column zero, False or the column's "none" value, except):

* ``village`` the row's; ``workers`` = ``members`` = 2; ``formed_year`` this year;
* ``is_ex_poor`` and ``relocated`` the parent household's: the split-off part of
  a registered household (建档立卡户) stays registered, since registration and
  the post-2020 monitoring follow the registered people (脱贫人口), not the
  household row;
* ``edu``, ``ability``, ``fortune`` and ``taste`` the parent household's (the
  leaver is a typical worker of it), and ``skill`` the productivity they give a
  healthy, untrained household with no transitory shock; ``effort`` 1;
  ``employer``, ``cooperative`` -1;
* ``ever_poor`` and ``ever_flagged`` the parent household's: the poverty and
  monitoring record follows the people, so the cumulative relapse rate never
  falls because a household split;
* ``land`` and ``assets`` of the dissolved household, taken over; its savings,
  debt and microcredit leave the county with its heirs or are written off;
* ``savings``: the leaver's per capita share of the parent's savings (if
  positive), taken from the parent;
* ``private_transfer``, ``assessed_income`` and the 12-month income window: the
  parent's per member, times two; ``prev_pc_income`` the parent's, so that
  monitoring and the minimum living guarantee (低保) see the income the couple
  lived on, not zero.

If no household in the county has two workers the row is taken by a couple from
outside the county with the dissolved household's characteristics and income
record.  Each engine resets its own per-row state for the re-used rows through
``reset(rows, sources, scales)``: the income window of row ``sources[k]`` times
``scales[k]`` (the out-of-pocket window empty).
"""

from __future__ import annotations

import numpy as np

from .rules import fortune
from .state import HOUSEHOLD_COLUMNS

#: columns the new household takes from the parent household
INHERITED = ("is_ex_poor", "relocated", "edu", "ability", "fortune", "taste", "prev_pc_income", "ever_poor",
             "ever_flagged")
#: columns whose zero value is "none" and which read -1 instead
NONE = ("employer", "cooperative")


def _leave(h, rows):
    """One worker of each household ``rows`` (each at most once) leaves it: a worker at home if there is one, else a
    migrant."""
    at_home = h.workers[rows] - h.migrants[rows] - h.local_job[rows]
    h.migrants[rows] -= (at_home < 1.0) & (h.migrants[rows] > 0)
    h.workers[rows] -= 1.0
    h.members[rows] -= 1.0


class _Queue:
    """Households in the order they are chosen (a fixed order; a household used once is skipped after).

    ``order`` may be only the first part of the whole order; ``whole`` then gives the whole order (computed only
    if the queue gets that far: a January forms few households, so a few hundred of the county's candidates are
    the most it can use)."""

    def __init__(self, order, used, whole=None):
        self.order, self.used, self.next, self.whole = order, used, 0, whole

    def pop(self) -> int:
        """The first household not used yet (-1 if none), now used."""
        while True:
            while self.next < self.order.size and self.used[self.order[self.next]]:
                self.next += 1
            if self.next < self.order.size or self.whole is None:
                break
            self.order, self.whole = self.whole(), None  # the first part is used up: the whole order
        if self.next == self.order.size:
            return -1
        row = int(self.order[self.next])
        self.used[row] = True
        return row


def _in_order(rows, key):
    """``rows`` by ``key``, ties in row order (a stable sort)."""
    return rows[np.argsort(key, kind="stable")]


def _first_in_order(rows, key, k):
    """The first ``k`` of :func:`_in_order` (``rows`` ascending), without sorting all of them."""
    if k >= rows.size:
        return _in_order(rows, key)
    part = np.argpartition(key, k - 1)[:k]
    # the k smallest keys, by key then row; a tie across the cut is broken by the partition, but keys are
    # continuous uniform draws (plus 0 or 1), so a tie has probability zero
    part = part[np.lexsort((rows[part], key[part]))]
    return rows[part]


def form_households(model, ctx, reset) -> np.ndarray:
    """January, after births and deaths: every household with no member left is dissolved and its row taken by
    a newly formed household.  Returns the re-used rows."""
    h = model.hh
    rows = np.flatnonzero(h.members <= 0)
    if not rows.size:
        return rows
    used = np.zeros(h.n, dtype=bool)
    used[rows] = True
    # candidates (two workers or more) in the order they are chosen: three or more workers first, then the draw;
    # a household's workers change only when it is chosen, so the orders are fixed for this January
    cand = np.flatnonzero(h.workers >= 2.0)
    few = (h.workers[cand] < 3.0).astype(float)
    parent_key = few + ctx.u("formation_parent", cand)
    spouse_key = few + ctx.u("formation_spouse", cand)
    # a village's rows are contiguous (model.population), so are its candidates: its queue is its slice by key
    bounds = np.searchsorted(h.village[cand], np.arange(model.coops.n + 1))
    villages: dict = {}

    def village_queue(v):
        if v not in villages:
            lo, hi = bounds[v], bounds[v + 1]
            villages[v] = _Queue(_in_order(cand[lo:hi], parent_key[lo:hi]), used)
        return villages[v]

    parents = _Queue(cand[:0], used, lambda: _in_order(cand, parent_key))  # sorted only if ever needed
    # a spouse for each new household: at most one candidate is skipped per household formed before it
    spouses = _Queue(_first_in_order(cand, spouse_key, 2 * rows.size + 1), used,
                     lambda: _in_order(cand, spouse_key))
    # who forms each new household: a parent household (its village first) and a spouse's household (a
    # household is chosen once at most, so the choices can be made first and the rows written after)
    parent, spouse = np.full(rows.size, -1), np.full(rows.size, -1)
    for k, r in enumerate(rows):
        parent[k] = village_queue(h.village[r]).pop()
        if parent[k] < 0:
            parent[k] = parents.pop()
        if parent[k] >= 0:
            spouse[k] = spouses.pop()
    outside = parent < 0  # a couple from outside the county takes over the house, with its record
    sources = np.where(outside, rows, parent)
    p = parent[~outside]
    scales = np.ones(rows.size)
    scales[~outside] = 2.0 / h.members[p]
    kept = {name: getattr(h, name)[rows] for name in ("village", "land", "assets")}
    kept.update({name: getattr(h, name)[sources] for name in INHERITED})
    kept["private_transfer"] = h.private_transfer[sources] * scales
    kept["assessed_income"] = h.assessed_income[sources] * scales
    kept["savings"] = np.zeros(rows.size)
    kept["savings"][~outside] = np.maximum(h.savings[p], 0.0) / h.members[p]
    h.savings[p] -= kept["savings"][~outside]
    _leave(h, p)
    _leave(h, spouse[spouse >= 0])
    # the new households' rows (no row is a parent or a spouse: their values were read above)
    for name in HOUSEHOLD_COLUMNS:
        getattr(h, name)[rows] = -1 if name in NONE else 0
    for name, values in kept.items():
        getattr(h, name)[rows] = values
    h.workers[rows] = h.members[rows] = 2.0
    h.effort[rows] = 1.0
    h.formed_year[rows] = ctx.year
    # productivity from the inherited components: healthy, untrained, no transitory shock this year
    h.skill[rows] = fortune.productivity(h.ability[rows], h.fortune[rows], 0.0, 1.0, 1.0, model.params.earnings)
    reset(rows, sources, scales)
    return rows
