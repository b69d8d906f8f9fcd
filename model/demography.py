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
* ``edu``, ``skill``, ``fortune`` and ``taste`` the parent household's (the
  leaver is a typical worker of it); ``effort`` 1; ``employer``, ``cooperative`` -1;
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
INHERITED = ("is_ex_poor", "relocated", "edu", "skill", "ability", "fortune", "taste", "prev_pc_income")
#: columns whose zero value is "none" and which read -1 instead
NONE = ("employer", "cooperative")


def _leave(h, row):
    """One worker of household ``row`` leaves it: a worker at home if there is one, else a migrant."""
    at_home = h.workers[row] - h.migrants[row] - h.local_job[row]
    if at_home < 1.0 and h.migrants[row] > 0:
        h.migrants[row] -= 1.0
    h.workers[row] -= 1.0
    h.members[row] -= 1.0


class _Queue:
    """Households in the order they are chosen (a fixed order; a household used once is skipped after)."""

    def __init__(self, order, used):
        self.order, self.used, self.next = order, used, 0

    def pop(self) -> int:
        """The first household not used yet (-1 if none), now used."""
        while self.next < self.order.size and self.used[self.order[self.next]]:
            self.next += 1
        if self.next == self.order.size:
            return -1
        row = int(self.order[self.next])
        self.used[row] = True
        return row


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
    county = cand[np.argsort(few + ctx.u("formation_parent", cand), kind="stable")]
    by_village = county[np.argsort(h.village[county], kind="stable")]  # the same order within each village
    bounds = np.searchsorted(h.village[by_village], np.arange(model.coops.n + 1))
    villages = [_Queue(by_village[bounds[v]:bounds[v + 1]], used) for v in range(model.coops.n)]
    parents = _Queue(county, used)
    spouses = _Queue(cand[np.argsort(few + ctx.u("formation_spouse", cand), kind="stable")], used)
    sources, scales = np.empty(rows.size, dtype=np.int64), np.empty(rows.size)
    for k, r in enumerate(rows):
        parent = villages[h.village[r]].pop()
        if parent < 0:
            parent = parents.pop()
        kept = {name: getattr(h, name)[r] for name in ("village", "land", "assets")}
        if parent < 0:  # a couple from outside the county takes over the house, with its record
            kept.update({name: getattr(h, name)[r] for name in INHERITED})
            kept.update(private_transfer=h.private_transfer[r], assessed_income=h.assessed_income[r])
            sources[k], scales[k] = r, 1.0
        else:
            scale = 2.0 / h.members[parent]
            kept.update({name: getattr(h, name)[parent] for name in INHERITED})
            kept.update(private_transfer=h.private_transfer[parent] * scale,
                        assessed_income=h.assessed_income[parent] * scale,
                        savings=max(h.savings[parent], 0.0) / h.members[parent])
            h.savings[parent] -= kept["savings"]
            _leave(h, parent)
            spouse = spouses.pop()
            if spouse >= 0:
                _leave(h, spouse)
            sources[k], scales[k] = parent, scale
        for name in HOUSEHOLD_COLUMNS:
            getattr(h, name)[r] = -1 if name in NONE else 0
        for name, value in kept.items():
            getattr(h, name)[r] = value
        h.workers[r] = h.members[r] = 2.0
        h.effort[r] = 1.0
        h.formed_year[r] = ctx.year
    if rows.size:  # productivity from the inherited components: healthy, untrained, no transitory shock this year
        e = model.params.earnings
        h.skill[rows] = fortune.productivity(h.ability[rows], h.fortune[rows], 0.0, 1.0, 1.0, e)
    reset(rows, sources, scales)
    return rows
