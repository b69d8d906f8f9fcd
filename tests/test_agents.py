"""Cooperatives, enterprises and the government acting through their own methods (model/agents/).

Hand cases on a small county: the state of one agent is set, one method is called, and what it did is
compared with the rule worked out by hand.  (The household agent's methods are checked against the
vectorised engine in tests/test_docking.py.)
"""

from __future__ import annotations

import numpy as np
import pytest

from ruralsim.model import Cooperative, Government, LeadingEnterprise, RuralEconomy
from ruralsim.model.market import ration, serve
from ruralsim.model.month import Month


@pytest.fixture
def county():
    return RuralEconomy(n_households=500, rng=4, household_agents=False)


def test_serve_is_ration_for_one_queue():
    """The single-queue form gives the places to the same applicants, ties included."""
    rng = np.random.default_rng(1)
    for _ in range(50):
        n = int(rng.integers(1, 60))
        applicants = rng.random(n) < 0.7
        u = np.round(rng.random(n), 1)  # many ties, served in row order
        prio = rng.integers(0, 2, n)
        places = float(rng.integers(0, n + 2))
        one = np.zeros(n, dtype=np.int64)
        np.testing.assert_array_equal(serve(applicants, places, u, prio), ration(applicants, one, np.array([places]), u, prio))
        np.testing.assert_array_equal(serve(applicants, places, u), ration(applicants, one, np.array([places]), u))
    assert not serve(np.ones(3, bool), 0.0, np.array([0.1, 0.2, 0.3])).any()


def test_enterprise_hires_relocated_into_the_workshop_then_registered_households_first(county):
    h, ent = county.hh, county.agents_by_type[LeadingEnterprise][0]
    ent.workshop_jobs, ent.jobs, ent.alive = 1.0, 2.0, True
    rows = np.array([10, 11, 12, 13, 14])
    h.relocated[rows] = [False, True, True, False, False]
    h.is_ex_poor[rows] = [False, False, False, True, False]
    h.monitored[rows] = False
    h.local_job[rows], h.employer[rows] = 0.0, -1
    queue = np.array([0.1, 0.5, 0.2, 0.9, 0.3])
    ent.hire(rows, queue, h.is_ex_poor[rows] | h.monitored[rows], (0, 0))  # priority hiring runs
    # workshop: relocated 11 (.5) and 12 (.2) -> 12; other jobs: registered 13 first, then the best draw, 10 (.1)
    assert list(rows[h.local_job[rows] == 1.0]) == [10, 12, 13]
    assert (h.employer[[10, 12, 13]] == 0).all() and (h.employer[[11, 14]] == -1).all()
    ent.close()
    assert not ent.alive and (h.local_job[rows] == 0).all() and (h.employer[rows] == -1).all()
    h.local_job[rows] = 0.0
    ent.hire(rows, queue, h.is_ex_poor[rows], (0, 0))  # a closed enterprise hires nobody
    assert (h.local_job[rows] == 0).all()


def test_cooperative_prices_with_and_without_a_contract(county):
    c = county.agents_by_type[Cooperative][0]
    ctx = Month(county, county.t, neutral=True)
    cp = county.params.cooperative
    c.capacity, c.alive = 0.5, True
    c.enterprise = -1
    own, _, contracted = c.offer_prices(ctx, 0.0)
    assert own == pytest.approx(ctx.price * (1 + cp.price_premium * 0.5)) and not contracted
    c.enterprise = 0
    county.enterprises.alive[0] = True
    buyer = county.agents_by_type[LeadingEnterprise][0]
    buyer.floor, buyer.premium, buyer.defaulting = 10.0, 0.05, False
    own, contract, contracted = c.offer_prices(ctx, 0.0)  # a floor far above the market binds
    assert contracted and contract == 10.0
    buyer.defaulting = True  # the enterprise defaults: no floor, its premium over the cooperative's own price
    own, contract, _ = c.offer_prices(ctx, 0.0)
    assert contract == pytest.approx(own * 1.05)


def test_government_opens_the_year_and_gives_posts_to_the_poorest(county):
    gov = county.agents_by_type[Government][0]
    gov.cost["pension"] = 1e12  # last year's ledger
    county.step()  # January 2021: a new ledger, then the month's pensions
    assert 0 < gov.cost["pension"] < 1e9 and set(gov.levels) == set(gov.programmes)
    h = county.hh
    ctx = Month(county, county.t, neutral=False)
    candidates = np.zeros(h.n, dtype=bool)
    candidates[[3, 4, 5]] = True
    h.prev_pc_income[[3, 4, 5]] = [3000.0, 1000.0, 2000.0]
    gov.programmes["welfare_posts"].other["posts_per_household"] = 2.0 / h.n
    gov.update_levels(county.year, 0)
    gov.assign_posts(ctx, candidates)
    assert list(np.flatnonzero(h.post)) == [4, 5]


def test_serve_gives_the_places_of_a_stable_sort_ties_in_row_order():
    rng = np.random.default_rng(7)
    for n, places in ((50, 7), (50, 0.5), (50, 50), (50, 80), (3, 2)):
        draws = np.round(rng.random(n), 1)  # many exact ties
        priority = rng.integers(0, 3, n)
        applicants = rng.random(n) < 0.8
        served = serve(applicants, places, draws, priority)
        idx = np.flatnonzero(applicants)
        order = np.lexsort((draws[idx], priority[idx]))  # stable: ties in row order
        expected = np.zeros(n, dtype=bool)
        expected[idx[order[:int(np.ceil(places))]]] = True
        np.testing.assert_array_equal(served, expected)
