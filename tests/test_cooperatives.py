"""Cooperatives as agents that decide (mechanism 7): hand cases of their methods, households' membership
responses, and the direction of paired-seed patterns.

Hand cases set one cooperative's state on a small county, call one method and compare with the rule
worked out by hand (defaults of ``cooperative.*`` in model/parameters.py unless set here).  Pattern tests
compare paired runs (same seed: the same county and the same shocks) and check directions only.
"""

from __future__ import annotations

import numpy as np
import pytest

from ruralsim.model import Cooperative, LeadingEnterprise, RuralEconomy
from ruralsim.model.month import Month
from ruralsim.model.scenario import Scenario


@pytest.fixture
def county():
    return RuralEconomy(n_households=500, rng=4, household_agents=False)


def _ctx(county, neutral=False):
    return Month(county, county.t, neutral=neutral)


# -- January: the plan ----------------------------------------------------------------------------
def _planning(county, **state):
    coop = county.agents_by_type[Cooperative][0]
    defaults = dict(alive=True, trained=False, capacity=0.5, member_output=1000.0, contract_quantity=0.0,
                    cash=1e6, advance=1.0, loss_years=0.0, last_bought=10.0, last_surplus=1e6)
    for k, v in {**defaults, **state}.items():
        setattr(coop, k, v)
    county.log_price = 0.0  # market price 1
    coop.plan(_ctx(county), 0.0)
    return coop


def test_a_cooperative_with_a_surplus_and_cash_raises_its_advance(county):
    # the surplus 1e6 would have paid .02 more on last year's 10 units; untrained: capacity .5 * (1 - .05) = .475 ; surplus, cash free: advance 1 + .02 ;
    # share: marketable .475 * 1000 = 475 units < financeable 8 * 1e6 / 1.02 -> .475
    coop = _planning(county)
    assert coop.capacity == pytest.approx(0.475) and coop.advance == pytest.approx(1.02)
    assert coop.buy_share == pytest.approx(0.475)


def test_a_cooperative_that_lost_money_lowers_its_advance(county):
    assert _planning(county, last_surplus=-1.0).advance == pytest.approx(0.98)
    # a surplus too small to pay a step more on last year's purchases (.02 * 10 = .2 yuan): unchanged
    assert _planning(county, last_surplus=0.1).advance == pytest.approx(1.0)


def test_a_cooperative_short_of_cash_buys_less_and_does_not_raise_its_advance(county):
    # cash 10: financeable 2 * 4 * 10 / 1.0 = 80 units < 475 marketable -> share .08, advance unchanged
    coop = _planning(county, cash=10.0)
    assert coop.advance == pytest.approx(1.0) and coop.buy_share == pytest.approx(0.08)


def test_a_contract_lets_it_buy_more_and_training_raises_capacity(county):
    # trained: .5 + .15 * .5 = .575 ; contract 300 units: (575 + 300) / 1000 = .875
    coop = _planning(county, trained=True, contract_quantity=300.0)
    assert coop.capacity == pytest.approx(0.575) and coop.buy_share == pytest.approx(0.875)


def test_the_advance_follows_the_market_price(county):
    # the advance is a multiple of the market price: the price members get moves with it
    county.hh.cooperative[:] = -1
    county.hh.cooperative[0] = county.hh.village[0]
    c = county.coops
    terms = {"advance_price": c.advance * 0.5, "buy_share": np.ones(c.n), "contract_share": np.zeros(c.n)}
    county.log_price = np.log(0.5)
    q = np.zeros(county.n_households)
    q[0] = 100.0
    sale = county.households.sell_harvest(_ctx(county, neutral=True), q, terms)
    assert sale["advances"][0] == pytest.approx(100.0 * c.advance[c.village == county.hh.village[0]][0] * 0.5)


# -- harvest --------------------------------------------------------------------------------------
def test_cooperative_delivers_its_contract_first_and_sells_the_rest_on_its_own(county):
    coop = county.agents_by_type[Cooperative][0]
    coop.alive, coop.capacity, coop.enterprise, coop.buy_share = True, 0.0, 0, 0.5
    coop.contract_quantity, coop.delivered, coop.cash, coop.sales, coop.bought = 100.0, 0.0, 0.0, 0.0, 0.0
    coop.purchases, coop.surplus = 0.0, 0.0
    county.enterprises.alive[0] = True
    buyer = county.agents_by_type[LeadingEnterprise][0]
    buyer.floor, buyer.premium, buyer.defaulting = 0.95, 0.05, False
    county.log_price = 0.0
    ctx = _ctx(county)
    # buys .5 * 400 = 200; contract price max(.95, 1 * 1.05) = 1.05 on 100, own price 1 on the other 100
    assert coop.sell(ctx, [400.0, 0.0], 0.0) == pytest.approx((0.5, 100.0, 105.0))
    # the contract is filled: the next harvest all goes on its own market
    assert coop.sell(ctx, [400.0, 0.0], 0.0) == pytest.approx((0.0, 0.0, 0.0))
    assert coop.cash == pytest.approx(405.0) and coop.bought == 400.0 and coop.delivered == 100.0
    coop.book_purchases([150.0, 0.0], [10.0, 0.0])  # advances paid, consumption support passed on
    assert coop.cash == pytest.approx(255.0) and coop.purchases == 150.0 and coop.surplus == pytest.approx(255.0)


# -- December -------------------------------------------------------------------------------------
def test_cooperative_closes_its_accounts_asset_dividend_first(county):
    coop = county.agents_by_type[Cooperative][0]
    coop.alive, coop.assets, coop.members_n, coop.surplus, coop.cash, coop.asset_fund = True, 1000.0, 10.0, 0.0, 0.0, 3000.0
    # .08 * 1000 - 120 * 10 - 30,000 = -31,120 ; asset dividend .06 * 3000 = 180 to 2 holders -> 90 each
    assert coop.close_accounts([2.0, 0.0]) == pytest.approx(90.0)
    assert coop.surplus == pytest.approx(-31_300.0) and coop.cash == pytest.approx(-31_300.0)
    assert coop.patronage() == 0.0  # no patronage dividend out of a loss


def test_cooperative_reinvests_and_keeps_reserves(county):
    coop = county.agents_by_type[Cooperative][0]
    coop.alive, coop.surplus, coop.cash, coop.paid_members, coop.purchases = True, 1000.0, 5000.0, 10.0, 2000.0
    coop.assets, coop.loss_years, coop.capacity = 100.0, 0.0, 1.0
    assert coop.patronage() == pytest.approx(600.0)
    failed = coop.close_year(_ctx(county), [200.0, 0.0], [150.0, 0.0], [0.5, 1.0], [1.0, 1.0], [250, 250])
    # 5000 - 150 patronage - .5 * (1000 - 150) reinvested = 4425 ; assets 100 + 425 ; dividend 150 / 2000
    assert not failed and coop.alive
    assert coop.cash == pytest.approx(4425.0) and coop.assets == pytest.approx(525.0)
    assert coop.paid_members == 210.0 and coop.dividend_rate == pytest.approx(0.075) and coop.loss_years == 0


def test_cooperative_fails_when_its_cash_runs_out_but_not_in_neutral_years(county):
    coop = county.agents_by_type[Cooperative][0]
    for neutral, fails in ((True, False), (False, True)):
        coop.alive, coop.surplus, coop.cash, coop.capacity, coop.loss_years = True, -10.0, -1.0, 1.0, 0.0
        coop.asset_fund, coop.assets = 3000.0, 50.0
        assert coop.close_year(_ctx(county, neutral), [0.0, 0.0], [0.0, 0.0], [0.9, 1.0], [1.0, 1.0], [250, 250]) == fails
    assert not coop.alive and coop.asset_fund == 0.0 and coop.assets == 0.0 and coop.failed_year == county.year


def test_the_leader_quits_more_often_after_losses(county):
    coop = county.agents_by_type[Cooperative][0]
    # capacity .5: (.02 + .05) * (1 + loss years); after a second loss year .07 * 3 = .21 > draw .2 -> quits
    coop.alive, coop.surplus, coop.cash, coop.capacity, coop.loss_years = True, -10.0, 1e6, 0.5, 1.0
    assert coop.close_year(_ctx(county), [0.0, 0.0], [0.0, 0.0], [0.2, 1.0], [1.0, 1.0], [250, 250])
    coop.alive, coop.surplus, coop.loss_years = True, 10.0, 1.0  # a surplus: .07 < .2 -> stays
    assert not coop.close_year(_ctx(county), [0.0, 0.0], [0.0, 0.0], [0.2, 1.0], [1.0, 1.0], [250, 250])


def test_a_failed_cooperative_is_refounded_with_its_members_start_capital(county):
    coop = county.agents_by_type[Cooperative][1]
    p = county.params.cooperative.refound_prob
    coop.alive, coop.cash, coop.failed_year = False, -7.0, 2022
    assert not coop.close_year(_ctx(county), [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [1.0, p / 2], [250, 250])
    # capacity .2 + .6 * .5 = .5 ; 1,000 yuan per village household ; advance (1 + price_premium * .5) * .95
    assert coop.alive and coop.capacity == pytest.approx(0.5) and coop.cash == 250_000.0
    premium = county.params.cooperative.price_premium
    assert coop.advance == pytest.approx((1 + premium * 0.5) * 0.95) and coop.failed_year == -1


def test_government_trains_leaders_of_operating_cooperatives_and_pays_per_leader(county):
    c, gov = county.coops, county.gov
    gov.programmes["leader_training"].amount = 1.0
    gov.update_levels(county.year, 0)
    c.alive[:] = [True, False]
    before = c.recv_gov.copy()
    gov.cost["leader_training"] = 0.0
    gov.train_leaders(_ctx(county))
    assert list(c.trained) == [True, False]
    assert gov.cost["leader_training"] == 5000.0 and c.recv_gov[0] - before[0] == 5000.0
    gov.programmes["leader_training"].amount = 0.0
    gov.train_leaders(_ctx(county))
    assert not c.trained.any()


# -- the contract in a price crash (订单农业, 保底价) -------------------------------------------------
def _crash_year_contract_price(enterprise_cash):
    """A one-household county, its cooperative (leader capacity 0) under an unlimited contract with the
    enterprise; the market price falls to exp(-0.7) in 2022.  Returns what the cooperative was paid per
    unit it bought in 2022, and the market price."""
    sc = Scenario(parameters_overrides={"shocks.price_shock_year": 2022, "shocks.price_shock_size": -0.7},
                  programme_changes={"monitoring": {"generosity": 0}, "leader_training": {"generosity": 0}})
    m = RuralEconomy(sc, n_households=1, rng=1, household_agents=False, shocks=False)
    h = m.hh
    for k, v in dict(workers=1, children=1, schooling=0, elderly=0, land=5, private_transfer=0, is_ex_poor=False,
                     cooperative=0).items():
        getattr(h, k)[0] = v
    h.members[0] = 2
    for k, v in dict(alive=True, enterprise=0, capacity=0.0, cash=1e9).items():
        getattr(m.coops, k)[0] = v
    m.enterprises.alive[0], m.enterprises.cash[0] = True, enterprise_cash
    m.run_years(1)  # to December 2021, when the enterprise planned its 2022 contracts: set this one's volume
    m.coops.contract_quantity[0] = 1e5  # more than the household's harvest, a bill its cash of 1e9 can pay
    m.run_years(1)
    return m.coops.sales[0] / m.coops.bought[0], float(np.exp(m.log_price))


def test_the_cooperative_is_paid_the_floor_when_its_enterprise_honours_it():
    # the floor 0.95 (x 2020 price) is above the market price plus the 5% contract premium
    price, market = _crash_year_contract_price(1e9)
    assert market == pytest.approx(np.exp(-0.7)) and price == pytest.approx(0.95)


def test_an_enterprise_short_of_cash_defaults_and_the_cooperative_bears_the_price_risk():
    # the market is more than 20% below the floor and the enterprise cannot pay last year's volume at the
    # floor: it pays the cooperative's own price (the market price, capacity 0) plus its 5% premium
    price, _ = _crash_year_contract_price(0.0)
    assert price == pytest.approx(np.exp(-0.7) * 1.05)


# -- households respond: a cooperative that pays badly loses its members -----------------------------
def _county_with_one_cooperative_at(capacity):
    """A county without random shocks (no failures) and without leader training; cooperative 0 sells
    only on its own (no contract) with the given leader capacity; members' bad years start from zero."""
    m = RuralEconomy(Scenario(programme_changes={"leader_training": {"generosity": 0.0}}), n_households=1000, rng=5,
                     household_agents=False, shocks=False)
    m.coops.capacity[0], m.coops.enterprise[0] = capacity, -1
    m.hh.coop_bad_years[:] = 0.0
    return m


def test_members_of_a_cooperative_that_pays_badly_for_several_years_leave():
    # capacity 0: it can market nothing on its own (reach x capacity = 0), so it buys nothing and membership
    # brings a member no more than the asset-income dividend, if any; capable (0.8): it buys most of their produce
    arms = {cap: _county_with_one_cooperative_at(cap) for cap in (0.0, 0.8)}
    start = {cap: (m.hh.cooperative == 0) & ~m.hh.is_ex_poor for cap, m in arms.items()}
    assert start[0.0].sum() > 50 and np.array_equal(start[0.0], start[0.8])
    for m in arms.values():
        m.run_years(2)
    # patience: two bad years are counted (December 2021 and 2022) before anybody leaves (from January 2023)
    assert (arms[0.0].hh.cooperative[start[0.0]] == 0).all()
    assert (arms[0.0].hh.coop_bad_years[start[0.0]] == 2).all()
    # under the capable leader only members with too little produce to gain its cost count bad years
    assert (arms[0.8].hh.coop_bad_years[start[0.8]] == 0).mean() > 0.5
    for m in arms.values():
        m.run_years(3)
    stayed = {cap: (m.hh.cooperative[start[cap]] == 0).mean() for cap, m in arms.items()}
    # three yearly chances of .15 to act: about 1 - .85**3 = 39% have left (binomial s.d. with ~100 members
    # about 5 points, hence the wide band); the capable cooperative keeps more of them
    assert 0.4 < stayed[0.0] < 0.8 and stayed[0.8] > stayed[0.0] + 0.1
    # and it attracts nobody new who is not registered (its published terms promise nothing)
    newcomers = (arms[0.0].hh.cooperative == 0) & ~start[0.0] & ~arms[0.0].hh.is_ex_poor
    assert not newcomers.any() and ((arms[0.8].hh.cooperative == 0) & ~start[0.8]).any()


# -- patterns: paired runs, directions only ------------------------------------------------------------
SEEDS = (1, 2, 3)
INDUSTRY_SUPPORT_ENDS = Scenario(name="industry_support_ends",
                                 programme_changes={"industry_support": {"schedule": {"shape": "cliff", "end": 2021}}})
NO_LEADER_TRAINING = Scenario(name="no_leader_training", programme_changes={"leader_training": {"generosity": 0.0}})


def _paired(reform, seed, n=20_000, years=6):
    """Baseline and reform run together to the end of 2021 (the same policy so far), then ``years`` more.
    Returns (the two models at the end of 2021 as copies of the cooperative table, the two models)."""
    arms = [RuralEconomy(sc, n_households=n, rng=seed, household_agents=False) for sc in (None, reform)]
    for m in arms:
        m.run_years(1)
    before = arms[0].coops.frame()
    for m in arms:
        m.run_years(years)
    return before, arms


def test_ending_industry_support_shrinks_the_cooperatives_that_depended_on_it():
    """Cooperatives whose industry support (200 yuan a member) was a large share of their gross margin in
    2021 lose more of their members (by members leaving and by failing) when it ends than the others;
    county-wide, fewer households are members and no more cooperatives operate.  Pooled over three seeds of
    20,000 households (80 cooperatives each): per seed the split is noisy (a failure or two among 40
    cooperatives), pooled the difference is several times that noise."""
    kept = {"dependent": [0.0, 0.0], "other": [0.0, 0.0]}  # members at the end over members in 2021: base, reform
    for seed in SEEDS:
        before, (base, reform) = _paired(INDUSTRY_SUPPORT_ENDS, seed)
        alive = before.alive.to_numpy()
        support = before.members_n.to_numpy() * 200.0
        dependence = support / np.maximum((before.sales - before.purchases).to_numpy() + support, 1.0)
        dependent = alive & (dependence >= np.median(dependence[alive]))
        for name, group in (("dependent", dependent), ("other", alive & ~dependent)):
            for i, m in enumerate((base, reform)):
                kept[name][i] += m.coops.members_n[group].sum() / before.members_n[group].sum() / len(SEEDS)
        b, r = base.annual_metrics().set_index("year"), reform.annual_metrics().set_index("year")
        assert (r.loc[2023:, "coop_member_share"] < b.loc[2023:, "coop_member_share"]).all()
        assert r.loc[2022:, "coop_active"].sum() <= b.loc[2022:, "coop_active"].sum()
    loss = {name: k[0] - k[1] for name, k in kept.items()}
    # both groups lose members; which loses more is within the noise when support ends as early as 2022 (7.2
    # against 8.2 points of their 2021 members on the current defaults, the other way round before the household
    # dynamics were refitted), so it is not asserted here: docs/validation.md, and test_chain_patterns.py for the
    # end of support after 2025, where the dependent cooperatives lose more
    assert loss["dependent"] > 0 and loss["other"] > 0


def test_training_leaders_raises_cooperative_survival_and_members_incomes():
    """Leader training on (the baseline) against off: leaders are more capable, more cooperatives operate
    and the households that were members in 2021 earn more.  Paired runs, summed over three seeds."""
    active, income = [0.0, 0.0], [0.0, 0.0]
    for seed in SEEDS:
        arms = [RuralEconomy(sc, n_households=20_000, rng=seed, household_agents=False) for sc in (None, NO_LEADER_TRAINING)]
        members = arms[0].hh.cooperative >= 0  # members at the end of 2020, the same in both arms
        assert np.array_equal(members, arms[1].hh.cooperative >= 0)
        for i, m in enumerate(arms):
            df = m.run_years(7)
            active[i] += df.loc[df.year >= 2021, "coop_active"].sum()
            income[i] += (m.hh.income[members] / m.hh.members[members]).mean()
        assert arms[0].coops.capacity[arms[0].coops.alive].mean() > arms[1].coops.capacity[arms[1].coops.alive].mean()
    assert active[0] > active[1] and income[0] > income[1]


def test_a_failed_cooperative_pays_its_members_the_cash_it_has_left(county):
    from ruralsim.model.agents.cooperative import wind_up
    h, c = county.hh, county.coops
    h.cooperative[:] = -1
    h.cooperative[[0, 1, 2]] = [0, 0, 1]
    h.coop_sales[[0, 1, 2]] = [300.0, 100.0, 0.0]
    c.cash[:2], c.paid_members[:2] = [1000.0, -50.0], 0.0
    failed = np.zeros(c.n, dtype=bool)
    failed[:2] = True
    member, cid = h.cooperative >= 0, np.maximum(h.cooperative, 0)
    got = wind_up(county, failed, member, cid)
    # cooperative 0: 1,000 by sales 300:100 -> 750, 250; cooperative 1 is in debt: nothing, the debt written off
    assert got[:3].tolist() == [750.0, 250.0, 0.0] and got[3:].sum() == 0.0
    assert c.cash[:2].tolist() == [0.0, 0.0] and c.paid_members[:2].tolist() == [1000.0, 0.0]
