"""Leading enterprises (mechanism 8): the planning rules by hand, the agent's decisions responding to
subsidies, prices and cash, contracts capping what it buys, exit and entry, and two paired-seed patterns
(ending industry support; a price crash)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ruralsim.model import LeadingEnterprise, RuralEconomy
from ruralsim.model.month import Month
from ruralsim.model.rules import enterprise as ent
from ruralsim.model.scenario import Scenario

T, F = True, False


def arr(*x):
    return np.array(x, dtype=float)


# -- the rules, by hand ---------------------------------------------------------------------------

def test_labour_value_is_cobb_douglas_around_the_plant():
    # v 100, prod 1.1, plant 4, alpha .5: staff 1 -> 1.1*100*4*(1/4)^.5 = 220 ; staff 4 -> 440 ; staff 0 -> 0
    np.testing.assert_allclose(ent.labour_value(100.0, 1.1, 4.0, arr(1, 4, 0), 0.5), [220.0, 440.0, 0.0])
    # a plant below 1 counts as 1: 1.1*100*1*4^.5 = 220
    assert ent.labour_value(100.0, 1.1, 0.0, 4.0, 0.5) == pytest.approx(220.0)


def test_optimal_staff_equates_marginal_value_and_cost():
    # v 100, prod 1, plant 4, alpha .5: L = 4 * (.5*100/cost)^2 ; cost 25 -> 16 ; cost 50 -> 4 ; cost <= 0 -> inf
    got = ent.optimal_staff(100.0, 1.0, 4.0, arr(25, 50, 0, -5), 0.5)
    np.testing.assert_allclose(got[:2], [16.0, 4.0])
    assert np.isinf(got[2:]).all()
    # the marginal value at 16 is .5*100*(16/4)^(-.5) = 25, the cost
    assert 0.5 * 100.0 * (16.0 / 4.0) ** -0.5 == pytest.approx(25.0)


def test_plan_posts():
    # adjustment .1; (posts, staff, target, can_expand, distressed) -> posts
    # (100, 100, 200, T, F): min(200, 110) = 110 within [90, 110] -> 110
    # (100,  80, 200, T, F): min(200, 88) = 88, at least 90 -> 90
    # (100, 100, 105, F, F): no cash to expand: min(105, 100) -> 100
    # (100, 100, 150, T, T): distressed: min(110, 90) -> 90
    # (100, 100,  95, T, F): -> 95
    # (  7,   7, 7.6, T, F): 7.6 within [6, 8] (a step of at least one post), rounded -> 8
    # (  3,   3,  10, T, F): a small enterprise grows by one post: min(10, max(3.3, 4)) = 4 within [2, 4] -> 4
    # (  5,   5,   0, T, T): distressed and small: it still cuts one post -> 4
    # (  0,   0,   5, T, F): no posts, no plant to staff -> 0
    got = ent.plan_posts(arr(100, 100, 100, 100, 100, 7, 3, 5, 0), arr(100, 80, 100, 100, 100, 7, 3, 5, 0),
                         arr(200, 200, 105, 150, 95, 7.6, 10, 0, 5), 0.1,
                         np.array([T, T, F, T, T, T, T, T, T]), np.array([F, F, F, T, F, F, F, T, F]))
    np.testing.assert_array_equal(got, [110, 90, 100, 90, 95, 8, 4, 4, 0])


def test_expected_price_decays_like_the_ar1_log_price():
    # log price -.5, persistence .9: mean of exp(.9^6 * -.5) and exp(.9^10 * -.5)
    want = (math.exp(0.9 ** 6 * -0.5) + math.exp(0.9 ** 10 * -0.5)) / 2
    assert ent.expected_price(-0.5, 0.9) == pytest.approx(want)
    assert ent.expected_price(0.0, 0.9) == 1.0


def test_unit_margin():
    # price 1, va .3, prod 1, no e-commerce, contract 1.19: 1.3 - 1.19 = .11
    # price 1, va .3, prod .5, e-commerce .1, contract 1.1: 1.15 * 1.1 - 1.1 = .165
    np.testing.assert_allclose(ent.unit_margin(1.0, 0.3, arr(1, 0.5), arr(0, 0.1), arr(1.19, 1.1)), [0.11, 0.165])
    # with industry support paying back 10% of the contract price: 1.3 - 1.19 * .9 = .229
    assert ent.unit_margin(1.0, 0.3, 1.0, 0.0, 1.19, 0.1) == pytest.approx(0.229)


def test_plan_contracts():
    # adjustment .1, potential 200 (step 20); (contract, margin, can_expand, distressed) -> contract
    # (100, +, T, F) towards 200 by 20 -> 120 ; (100, -, T, F) towards 0 -> 80 ; (inf, +) open: 200 at once
    # (100, +, F, F) no cash: min(120, 100) -> 100 ; (100, +, T, T) distressed -> 80 ; (0, +, T, F) new -> 20
    got = ent.plan_contracts(arr(100, 100, np.inf, 100, 100, 0), arr(200, 200, 200, 200, 200, 200),
                             arr(0.1, -0.1, 0.1, 0.1, 0.1, 0.1), 0.1, np.array([T, T, T, F, T, T]),
                             np.array([F, F, F, F, T, F]))
    np.testing.assert_allclose(got, [120, 80, 200, 100, 80, 20])


def test_processing_cap_scales_contracts_pro_rata():
    np.testing.assert_allclose(ent.processing_cap(arr(100, 300), 200.0), [50.0, 150.0])
    np.testing.assert_allclose(ent.processing_cap(arr(100, 300), 500.0), [100.0, 300.0])


def test_contract_terms_follow_profit():
    # profit 10 -> (.05, .95) ; loss, expected price .7 -> (0, .7) ; loss, expected 1.2 -> (0, .95)
    premium, floor = ent.contract_terms(arr(10, -1, -1), arr(0.7, 0.7, 1.2), 0.95, 0.05)
    np.testing.assert_allclose(premium, [0.05, 0.0, 0.0])
    np.testing.assert_allclose(floor, [0.95, 0.7, 0.95])


def test_worker_value_and_capital_cost():
    # (pay 20,000 + overhead 6,000 - subsidy 3,000) / .5 = 46,000
    assert ent.worker_value(20000.0, 6000.0, 3000.0, 0.5) == pytest.approx(46000.0)
    # min(normal-return surplus, surplus with subsidies), never negative
    np.testing.assert_allclose(ent.capital_cost(arr(100, 100, -5, 10), arr(150, 40, 10, -5)), [100, 40, 0, 0])


def test_entry_rises_with_the_share_of_profitable_enterprises():
    # entry_prob .2: (u .05, share .5) .05 < .1 -> T ; (.15, .5) -> F ; (.15, 1) .15 < .2 -> T ; (0, 0) -> F
    np.testing.assert_array_equal(ent.enters(arr(0.05, 0.15, 0.15, 0.0), arr(0.5, 0.5, 1.0, 0.0), 0.2), [T, F, T, F])


# -- the agent ------------------------------------------------------------------------------------

@pytest.fixture
def county():
    return RuralEconomy(n_households=3000, rng=4, household_agents=False)


def _snapshot(m):
    return {(t, k): getattr(getattr(m, t), k).copy() for t in ("enterprises", "coops") for k in getattr(m, t).names}


def _restore(m, snap):
    for (t, k), v in snap.items():
        getattr(getattr(m, t), k)[:] = v


def _plan(m, e, **change):
    """Posts and total contracted quantity ``e`` plans from the county's December state, after ``change``."""
    snap = _snapshot(m)
    for key, value in change.items():
        setattr(e, key, value)
    ctx = Month(m, m.t - 1, neutral=False)  # December 2020
    h = m.hh
    targeted = float(np.sum((h.employer == e.row) & h.is_ex_poor))
    member = h.cooperative >= 0
    potential = np.bincount(h.cooperative[member], weights=h.output[member], minlength=m.coops.n) / ctx.price
    e.plan(ctx, targeted, potential)
    out = (e.jobs + e.workshop_jobs, float(m.coops.contract_quantity[m.coops.enterprise == e.row].sum()),
           e.premium, e.floor)
    _restore(m, snap)
    return out


def test_plan_responds_to_the_subsidy_it_expects(county):
    e = county.agents_by_type[LeadingEnterprise][0]
    with_subsidy = _plan(county, e, cash=1e9)
    county.gov.programme_in("industry_support", 2021).other["enterprise_per_job"] = 0.0  # as announced for 2021
    without = _plan(county, e, cash=1e9)
    assert without[0] < with_subsidy[0]  # a targeted worker's job costs 3,000 more: fewer posts


def test_plan_contracts_more_when_industry_support_pays_per_contract(county):
    # after a crash the floor makes a contracted unit a loss (margin 0.69 x 1.3 - 0.95 < 0); a subsidy of 30% of
    # the contract price turns it into a gain, so the enterprise contracts more
    e = county.agents_by_type[LeadingEnterprise][0]
    county.log_price = math.log(0.5)
    extras = county.gov.programme_in("industry_support", 2021).other  # as announced for 2021, the year planned
    extras["enterprise_per_contract"] = 0.0
    without = _plan(county, e, cash=1e9, profit=1.0)
    extras["enterprise_per_contract"] = 0.3
    with_support = _plan(county, e, cash=1e9, profit=1.0)
    assert with_support[1] > without[1]


def test_government_pays_enterprises_per_yuan_bought_under_contract(county):
    gov, e = county.gov, county.enterprises
    ctx = Month(county, county.t, neutral=True)
    rate = gov.programmes["industry_support"].other["enterprise_per_contract"] * ctx.levels["industry_support"]
    before, cost = e.recv_gov.copy(), gov.cost["industry_support"]
    e.alive[:] = True
    e.alive[0] = False  # an enterprise that exited is paid nothing
    purchases = np.full(e.n, 1000.0)
    gov.support_contracts(ctx, purchases)
    assert rate > 0
    np.testing.assert_allclose(e.recv_gov - before, np.where(e.alive, 1000.0 * rate, 0.0))
    assert gov.cost["industry_support"] - cost == pytest.approx(1000.0 * rate * (e.n - 1))


def test_plan_responds_to_cash(county):
    e = county.agents_by_type[LeadingEnterprise][0]
    e.productivity = 1.5  # wants to expand
    rich, poor = _plan(county, e, cash=1e9), _plan(county, e, cash=0.0)
    posts = e.jobs + e.workshop_jobs
    assert rich[0] > posts and poor[0] <= posts
    assert poor[1] <= rich[1]


def test_plan_responds_to_prices_and_losses(county):
    e = county.agents_by_type[LeadingEnterprise][0]
    normal = _plan(county, e, cash=1e9, profit=1.0)
    county.log_price = math.log(0.5)  # the market crashed: the floor makes every contracted unit a loss
    crash = _plan(county, e, cash=1e9, profit=1.0)
    assert crash[1] < normal[1]
    losing = _plan(county, e, cash=1e9, profit=-1.0)  # after a loss: no premium, a floor at the expected price
    expected = ent.expected_price(math.log(0.5), county.params.economy.price_persistence)
    assert losing[2:] == (0.0, pytest.approx(expected)) and crash[2:] == (0.05, 0.95)


def test_close_year_books_profit_and_counts_only_operating_losses(county):
    e, econ = county.agents_by_type[LeadingEnterprise][0], county.params.economy
    ctx = Month(county, county.t + 11, neutral=True)  # December 2021: wage index 1.05
    wi = ctx.wage_index
    potential = np.zeros(county.coops.n)

    def book(capital_cost, sales, purchases, loss_years=0.0):
        e.alive, e.productivity, e.worker_value, e.plant_staff, e.capital_cost = True, 1.0, 50000.0, 100.0, capital_cost
        e.jobs, e.workshop_jobs, e.cash, e.loss_years = 90.0, 10.0, 0.0, loss_years
        e.sales_value, e.purchases, e.recv_gov = sales, purchases, 100000.0
        e.wages = econ.local_wage * 12 * wi * 100  # 100 workers paid the going wage: 3,024,000
        e.close_year(ctx, [100.0], [100.0], potential, [1.0])
        return e.profit, e.cash, e.loss_years

    # value 50,000 * 1.05 * 100 = 5,250,000; overhead 6,000 * 100; capital 1,000,000 * 1.05
    # 2,000,000 + 5,250,000 - 1,800,000 - 3,024,000 - 600,000 - 1,050,000 + 100,000 = 876,000
    assert book(1e6, 2e6, 1.8e6) == (pytest.approx(876000.0), pytest.approx(876000.0), 0.0)
    # capital 1,900,000 * 1.05 = 1,995,000: a loss of 69,000, but not an operating loss (its capital is sunk)
    assert book(1.9e6, 2e6, 1.8e6, loss_years=1.0) == (pytest.approx(-69000.0), pytest.approx(-69000.0), 0.0)
    # no sales, purchases 3,000,000: -2,324,000, an operating loss (-1,274,000 before the capital cost)
    assert book(1e6, 0.0, 3e6, loss_years=1.0) == (pytest.approx(-2324000.0), pytest.approx(-2324000.0), 2.0)
    assert e.alive  # a year without shocks (draw 1) never exits


def test_floor_offered_defaults_only_when_the_market_crashed_and_cash_is_short(county):
    e, c = county.agents_by_type[LeadingEnterprise][0], county.coops
    c.enterprise[:] = -1
    c.enterprise[0], c.alive[0], c.contract_quantity[0], c.delivered[0] = 0, True, 1000.0, 0.0
    e.floor, e.premium = 0.95, 0.05
    county.log_price = math.log(0.5)  # below .95 * (1 - .2) = .76
    ctx = Month(county, county.t, neutral=False)
    # bill: max(.95, .5 * 1.05) * min(1000, 1000 * .5) = 475
    e.cash = 400.0
    assert e.floor_offered(ctx, 0.0) == 0.0 and e.defaulting
    assert e.contract_offer(0.5, 0.0) == pytest.approx(0.525)  # the cooperative's price plus the premium
    e.cash = 475.0
    assert e.floor_offered(ctx, 0.0) == 0.95 and not e.defaulting
    assert e.contract_offer(0.5, 0.0) == pytest.approx(0.95) and e.contract_offer(1.0, 0.1) == pytest.approx(1.155)
    county.log_price = math.log(0.8)
    e.cash = 0.0
    assert e.floor_offered(Month(county, county.t, neutral=False), 0.0) == 0.95  # the market is less than 20% below the floor: it honours


def test_the_enterprise_buys_no_more_than_it_contracted(county):
    c, e = county.coops, county.enterprises
    row = int(np.flatnonzero((c.enterprise == 0) & c.alive)[0])
    c.contract_quantity[row] = 10.0
    others = (c.enterprise == 0) & (np.arange(c.n) != row)
    for _ in range(6):  # January to June 2021: the summer harvest
        county.step()
    assert c.delivered[row] == 10.0
    assert e.quantity[0] == pytest.approx(c.delivered[(c.enterprise == 0)].sum())
    assert (c.delivered[others] <= c.contract_quantity[others] + 1e-9).all()


def test_exit_ends_jobs_and_contracts_and_an_entrant_may_take_over(county):
    e, c, h, p = county.agents_by_type[LeadingEnterprise][0], county.coops, county.hh, county.params.enterprise
    assert (h.employer == 0).any()
    e.close()
    assert not e.alive and e.exit_year == county.year
    assert not (h.employer == 0).any() and (c.contract_quantity[c.enterprise == 0] == 0).all()
    potential = np.full(c.n, 1000.0)
    same_year = Month(county, county.t, neutral=False)
    e.consider_entry(same_year, 1.0, [0.0], [0.0], potential)
    assert not e.alive  # not in the year it exited
    next_year = Month(county, county.t + 12, neutral=False)
    e.consider_entry(next_year, 0.5, [0.5 * p.entry_prob], [0.0], potential)
    assert not e.alive  # .1 is not below .2 * .5
    e.consider_entry(next_year, 1.0, [0.5 * p.entry_prob], [0.0], potential)
    sd = p.productivity_sd
    posts = e.jobs + e.workshop_jobs
    assert e.alive and e.exit_year == -1 and e.productivity == pytest.approx(math.exp(-0.5 * sd * sd))
    assert e.cash == pytest.approx(p.cash_buffer_months * county.params.economy.local_wage * next_year.wage_index * posts)
    mine = (c.enterprise == 0) & c.alive
    capacity = e.throughput * next_year.wage_index * posts
    want = ent.processing_cap(np.full(mine.sum(), p.adjustment * 1000.0), capacity)
    np.testing.assert_allclose(c.contract_quantity[mine], want)


# -- patterns: paired seeds, directions only ------------------------------------------------------

N, SEEDS = 10_000, range(1, 7)  # 4 enterprises a county, 24 enterprises over six paired counties


def test_ending_industry_support_shrinks_jobs_and_contracts_where_they_depended_on_it_and_elsewhere():
    """Industry support, priority hiring and e-commerce end after 2022.  Over 2023-2026 every county has fewer
    posts and buys less under contract; enterprises that would have made a loss in 2022 without their
    subsidies (profit - subsidies < 0 in the baseline) shrink, and so do the others."""
    end = {"schedule": {"shape": "cliff", "end": 2022}}
    reform = Scenario(name="industry_support_ends",
                      programme_changes={p: end for p in ("industry_support", "priority_hiring", "ecommerce")})
    dependent_change, other_change = [], []
    for seed in SEEDS:
        arms = [RuralEconomy(s, N, rng=seed, household_agents=False) for s in (None, reform)]
        for m in arms:
            m.run_years(2)
        e = arms[0].enterprises
        dependent = (e.profit - e.recv_gov) < 0
        posts, bought = np.zeros((2, e.n)), np.zeros((2, e.n))
        for _ in range(4):
            for i, m in enumerate(arms):
                m.run_years(1)
                posts[i] += (m.enterprises.jobs + m.enterprises.workshop_jobs) * m.enterprises.alive
                bought[i] += m.enterprises.quantity
        assert posts[1].sum() < posts[0].sum() and bought[1].sum() < bought[0].sum(), seed
        # each group's posts, summed: a mean of ratios per enterprise is dominated by an enterprise that exits in
        # one arm and not in the other (a ratio of -100% or, seen from the other side, +110% for one enterprise
        # of seed 2), which paired counties cannot rule out once households' fortunes diverge
        dependent_change.append(posts[:, dependent].sum(axis=1))
        other_change.append(posts[:, ~dependent].sum(axis=1))
    dependent_total, other_total = np.sum(dependent_change, axis=0), np.sum(other_change, axis=0)
    assert dependent_total[0] > 0 and other_total[0] > 0
    # both groups shrink; which shrinks more is within the noise when support ends as early as 2022 (-12.9% and
    # -13.2% of posts on the current defaults), so it is not asserted here: docs/validation.md, and
    # test_chain_patterns.py for the end of support after 2025, where the dependent enterprises shrink more
    assert dependent_total[1] / dependent_total[0] < 1.0 and other_total[1] / other_total[0] < 1.0


def test_a_price_crash_makes_weak_enterprises_default_on_the_floor_and_cut_jobs():
    """The crop price falls by 0.6 log points in January 2022.  At the June harvest enterprises whose cash
    cannot pay the floor bill default (none does in the baseline); the defaulters' posts in 2023 fall relative
    to the baseline on average, and more than those of the enterprises that honoured the floor."""
    crash = Scenario(name="crash", parameters_overrides={"shocks.price_shock_year": 2022, "shocks.price_shock_size": -0.6})
    defaulted_change, honoured_change = [], []
    for seed in SEEDS:
        arms = [RuralEconomy(s, N, rng=seed, household_agents=False) for s in (None, crash)]
        for m in arms:
            m.run_years(1)
            for _ in range(6):  # January to June 2022
                m.step()
        assert not arms[0].enterprises.defaulting.any()
        defaulted = arms[1].enterprises.defaulting.copy()
        for m in arms:
            m.run_years(2)  # to the end of 2023
        b, r = arms[0].enterprises, arms[1].enterprises
        change = ((r.jobs + r.workshop_jobs) * r.alive - (b.jobs + b.workshop_jobs) * b.alive) / (b.jobs + b.workshop_jobs)
        defaulted_change += list(change[defaulted])
        honoured_change += list(change[~defaulted])
    assert defaulted_change and honoured_change
    assert np.mean(defaulted_change) < min(np.mean(honoured_change), 0.0)



def test_the_december_2020_plan_reads_the_scenario_announced_for_2021():
    # a scenario that ends industry support in 2020: already in December 2020 (while 2020 still runs the baseline)
    # enterprises expect no per-job subsidy in 2021 and plan fewer posts than under the baseline
    ended = Scenario(name="ended_2020", programme_changes={"industry_support": {"schedule": {"shape": "cliff",
                                                                                             "end": 2020}}})
    base, reform = (RuralEconomy(s, n_households=3000, rng=4, household_agents=False) for s in (None, ended))
    assert base.gov.programme_in("industry_support", 2021).level(2021, 0) == 1.0
    assert reform.gov.programme_in("industry_support", 2021).level(2021, 0) == 0.0
    posts = [(m.enterprises.jobs + m.enterprises.workshop_jobs).sum() for m in (base, reform)]
    assert posts[1] < posts[0]
