"""Mechanism 5: consumption smoothing, informal credit and debt, default, and productive assets with a threshold.

Hand-computed unit tests of the rules (model/rules/savings.py, credit.py, investment.py, production.py), then
tests on small counties (without shocks, so that only what a test sets differs) that the household's decisions
respond: to debt service, the credit limit, a default, its distance from the asset threshold and the crop price;
that consumption is smoothed over the harvests; and that both engines dock with credit, default and the
threshold at work.
"""

from __future__ import annotations

import math
from types import SimpleNamespace as NS

import numpy as np
import pytest

from ruralsim.model import RuralEconomy
from ruralsim.model.rules import credit, investment, production, savings
from ruralsim.model.scenario import Scenario

from test_docking import assert_docked

F = NS(subsistence=1200.0, smoothing_share=0.05, buffer_months=2.0, borrow_rate=0.008, repay_months=24.0,
       min_repayment=100.0, credit_limit=1.0, default_multiple=2.0, seizure_share=0.5, credit_bar_years=3.0)


def arr(*x):
    return np.array(x, dtype=float)


# -- consumption smoothing ---------------------------------------------------------------------------

def test_permanent_income_is_the_last_twelve_months():
    # before any month is seen, this month's income; then the mean of the months seen, at most twelve
    np.testing.assert_array_equal(savings.permanent_income(arr(60000), 0, arr(700)), [700])
    np.testing.assert_array_equal(savings.permanent_income(arr(6000), 5, arr(700)), [1200])
    np.testing.assert_array_equal(savings.permanent_income(arr(60000), 30, arr(700)), [5000])


def test_consumption_out_of_permanent_income_and_debt_service_lowers_it():
    # home = p (1 - kappa * buffer) + kappa * savings - repayment = .9 * 3000 + .05 * 4000 - R = 2900 - R,
    # floor 100 a month per member at home (2 members): 200
    c = savings.consumption(arr(3000, 3000, 3000), arr(4000, 4000, 4000), arr(2, 2, 2), F,
                            repayment=arr(0, 500, 2800))
    np.testing.assert_allclose(c, [2900.0, 2400.0, 200.0], rtol=1e-12)
    # below the target buffer (2 months = 6000) it consumes less than its permanent income: saving
    assert savings.consumption(arr(3000), arr(0), arr(2), F)[0] == pytest.approx(2700.0)


def test_settle_by_hand():
    # (a) surplus with debt: s = 1000 + 3000 - 250 - 2000 = 1750; instalment 250 paid; early repayment of what
    #     is above the reserve 500: 1250 -> savings 500, debt 6000 - 250 - 1250 = 4500
    # (b) shortfall 500 within the room: borrowed -> savings 0, debt 500, consumption kept
    # (c) at the limit (room 0): s = 1000 - 500 - 1500 = -1000: home consumption (1500 - 300 away) cut by 1000
    #     -> consumption 500, debt 12000 - 500 = 11500, savings 0
    # (d) a hospital bill beyond what cutting consumption to zero at home covers: s = -2000 - 500 - 1500 = -4000;
    #     cut 1200, arrears 2800 -> consumption 300 (the living costs away), debt 11500 + 2800 = 14300
    s, d, c, cut = savings.settle(arr(1000, 0, 0, 0), arr(6000, 0, 12000, 12000), arr(3000, 1000, 1000, -2000),
                                  arr(2000, 1500, 1500, 1500), arr(250, 0, 500, 500), arr(0, 10000, 0, 0),
                                  arr(0, 0, 300, 300), arr(500, 500, 500, 500))
    np.testing.assert_allclose(s, [500.0, 0.0, 0.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(d, [4500.0, 500.0, 11500.0, 14300.0], rtol=1e-12)
    np.testing.assert_allclose(c, [2000.0, 1500.0, 500.0, 300.0], rtol=1e-12)
    np.testing.assert_allclose(cut, [0.0, 0.0, 1000.0, 1200.0], atol=1e-9)
    # hardship: consumption at home cut below the floor: 100 a month per member at home, 3 of 4 at home in (c)
    # and (d): 300 > 200 at home in (c) and 0 in (d); (a) and (b) were not cut
    floor = savings.home_floor(arr(2, 2, 4, 4), arr(0, 0, 1, 1), F)
    np.testing.assert_array_equal(savings.hardship(c, arr(0, 0, 300, 300), floor, cut), [False, False, True, True])


# -- credit, debt and default ------------------------------------------------------------------------

def test_interest_instalment_and_room_by_hand():
    assert credit.interest(arr(5000), F)[0] == pytest.approx(40.0)
    # D / 24, at least 100, at most the debt
    np.testing.assert_allclose(credit.scheduled_repayment(arr(0, 1200, 4800, 50), F), [0, 100, 200, 50])
    # room: 1.0 x 12 x 1000 - debt; nothing while barred
    np.testing.assert_allclose(credit.room(arr(0, 6000, 12000, 0), arr(1000, 1000, 1000, 1000),
                                           np.array([False, False, False, True]), F), [12000, 6000, 0, 0])


def test_default_rule_and_settlement_by_hand():
    # debt above 2 x the year's income, or any debt without income
    np.testing.assert_array_equal(credit.defaults(arr(0, 30000, 30000, 100), arr(0, 20000, 10000, -5), F),
                                  [False, False, True, True])
    # savings first, then up to half the assets: (1000 + 9000 of 15000) ; (0 + 5000 of 5000); the rest written off
    s, a = credit.default_settlement(arr(1000, 0), arr(30000, 10000), arr(10000, 30000), F)
    np.testing.assert_allclose(s, [0, 0])
    np.testing.assert_allclose(a, [21000, 5000])
    assert credit.barred_until(2025, F) == 2028


# -- productive assets: two techniques, depreciation, the investment decision ------------------------

ECON = NS(asset_elasticity=0.5, asset_scale=10000.0, land_elasticity=0.5, labour_elasticity=0.5)
TECH = NS(asset_threshold=30000.0, improved_productivity=2.0, asset_depreciation=0.05, discount_rate=0.10,
          reserve_months=1.0, invest_share=0.25)


def test_asset_factor_jumps_at_the_threshold():
    # sqrt(1 + A/10000), x2 from 30000: 29999 -> sqrt(3.9999); 30000 -> 2 * 2 = 4
    f = production.asset_factor(arr(0, 29999, 30000), ECON, TECH)
    np.testing.assert_allclose(f, [1.0, math.sqrt(3.9999), 4.0], rtol=1e-12)
    assert investment.depreciate(arr(10000), TECH)[0] == pytest.approx(9500.0)


def test_near_the_threshold_invests_and_crosses_far_below_does_not():
    # value without the assets' factor 10,000 a year; required return .10 + .05 = .15; spare = savings - 1 x p
    # near (26000, savings 10000, p 2000): gap 4000 <= spare 8000; gain 10000 (4 - sqrt 3.6) = 21026 > 600
    #   -> invests the gap: savings 6000, assets 30000 (the improved technique)
    # far (5000, the same savings): gap 25000 > spare 8000: cannot cross; marginal .5 * 10000 sqrt 1.5 / 15000
    #   = .408 > .15 -> invests .25 * 8000 = 2000: savings 8000, assets 7000, still far below
    # near but short of savings (26000, savings 5000): spare 3000 < gap; marginal .5 * 18974 / 36000 = .26
    #   -> .25 * 3000 = 750: assets 26750
    # above it (35000): marginal .5 * 10000 * 2 sqrt 4.5 / 45000 = .47 -> .25 * 8000 = 2000
    s, a = investment.invest(arr(26000, 5000, 26000, 35000), arr(10000, 10000, 5000, 10000), arr(10000) * np.ones(4),
                             arr(2000, 2000, 2000, 2000), ECON, TECH)
    np.testing.assert_allclose(a, [30000, 7000, 26750, 37000], rtol=1e-12)
    np.testing.assert_allclose(s, [6000, 8000, 4250, 8000], rtol=1e-12)
    # without an improved technique there is nothing to cross: only the marginal rule (.25 * 8000)
    _, a = investment.invest(arr(26000), arr(10000), arr(10000), arr(2000), ECON,
                             NS(**{**vars(TECH), "improved_productivity": 1.0}))
    assert a[0] == pytest.approx(28000.0)


def test_a_higher_crop_price_raises_investment():
    # value 200 a year at the old price: crossing gains 200 (4 - sqrt 3.6) = 420.5 < .15 x 4000 = 600 and the
    # marginal return .5 * 200 * 1.897 / 36000 = .005 < .15: nothing; at twice the price (400): 841 > 600, crosses
    low = investment.invest(arr(26000), arr(10000), arr(200), arr(2000), ECON, TECH)[1]
    high = investment.invest(arr(26000), arr(10000), arr(400), arr(2000), ECON, TECH)[1]
    assert low[0] == 26000.0 and high[0] == 30000.0


# -- decisions in a county (no shocks: the households differ only by what a test sets) ---------------

def _county(overrides=None, n=20, engine="vectorised"):
    sc = Scenario(name="finance", parameters_overrides=overrides or {}) if overrides else None
    return RuralEconomy(sc, n_households=n, rng=3, household_agents=engine == "agents", shocks=False, engine=engine)


def _farmer(m, row, **state):
    """A farm household with two workers who stay home, and no programme that targets it."""
    h = m.hh
    base = dict(workers=2.0, children=0.0, elderly=0.0, members=2.0, land=6.0, chronic=False, sick_months=0.0,
                migrants=0.0, local_job=0.0, employer=-1, is_ex_poor=False, monitored=False, pending=False,
                taste=50.0, cooperative=-1, debt=0.0, loan=0.0, loan_payment=0.0)
    for key, value in {**base, **state}.items():
        getattr(h, key)[row] = value


def _run_year(m):
    c = []
    for _ in range(12):
        m.step()
        c.append(m.households.consumption_this_month.copy())
    return np.array(c)


def test_debt_service_lowers_consumption():
    # the same household with and without 20,000 of informal debt at the start of 2021
    runs = []
    for debt in (0.0, 20000.0):
        m = _county()
        _farmer(m, 0, savings=2000.0, assets=10000.0, debt=debt)
        runs.append(_run_year(m)[:, 0])
    without, with_debt = runs
    assert (with_debt < without).all()


def _believes_it_earns(m, row, monthly):
    """Give a household a history of ``monthly`` income a month over the last twelve months (its permanent
    income), so that it spends beyond what it earns now and runs short."""
    m.hh.assessed_income[row] = 12.0 * monthly
    m.households.ring_income = [r.copy() for r in m.households.ring_income]
    for r in m.households.ring_income:
        r[row] = monthly


def _pensioner(m, row):
    _farmer(m, row, workers=0.0, elderly=1.0, members=1.0, land=0.0, savings=0.0, assets=0.0, private_transfer=0.0)
    _believes_it_earns(m, row, 5000.0)


def test_a_household_at_its_credit_limit_cannot_borrow():
    # an elderly household living on its pension believes it earns 5,000 a month: it overspends; with a credit
    # limit of 0 (at its limit from the start) its debt never grows and its consumption is cut (hardship), with
    # the default limit it borrows
    debts, hardship = [], []
    for limit in (0.0, 1.0):
        m = _county({"finance.credit_limit": limit})
        _pensioner(m, 0)
        m.step()
        m.step()
        debts.append(m.hh.debt[0])
        hardship.append(m.hh.hardship_months[0])
    assert debts[0] == 0.0 and debts[1] > 0.0
    assert hardship[0] > 0 and hardship[1] == 0


def test_default_bars_credit():
    # debt of 200,000 against a farm income: the household defaults in December 2021, loses half its assets
    # (its savings go first), the rest is written off, and it is barred until 2024; in 2022 it runs short and
    # cannot borrow (it consumes what cash allows), while a paired household that did not default borrows
    m = _county()
    _farmer(m, 0, savings=0.0, assets=20000.0, debt=200000.0)
    _run_year(m)
    h = m.hh
    assert h.debt[0] == 0.0 and h.credit_barred_until[0] == 2024
    assert h.assets[0] < 0.5 * 20000.0  # half seized, then depreciated
    for row in (0, 1):
        _pensioner(m, row)
    h.credit_barred_until[1] = 0
    m.step()
    m.step()
    c = m.households.consumption_this_month
    assert h.debt[0] == 0.0 and h.debt[1] > 0.0
    assert c[0] < c[1]


def test_county_household_near_the_threshold_crosses_one_far_below_does_not():
    m = _county()
    _farmer(m, 0, savings=30000.0, assets=38000.0)
    _farmer(m, 1, savings=30000.0, assets=8000.0)
    _run_year(m)
    threshold = m.params.finance.asset_threshold
    assert m.hh.assets[0] == threshold  # crossed in December, by exactly the gap
    assert m.hh.assets[1] < 0.5 * threshold


def test_consumption_is_smoothed_over_the_harvests():
    # two years without shocks: monthly consumption varies far less than monthly income, and in the harvest
    # months (June, October) it is close to other months' (5%: consumption moves only with the savings term)
    m = _county(n=400)
    m.run_years(1)
    inc, con = [], []
    for _ in range(24):
        slot = m.t % 12
        m.step()
        inc.append(m.households.ring_income[slot].copy())
        con.append(m.households.consumption_this_month.copy())
    inc, con = np.array(inc), np.array(con)
    farm = (m.hh.land > 0) & (inc.var(axis=0) > 0)
    assert np.mean(con.var(axis=0)[farm] < inc.var(axis=0)[farm]) > 0.9
    total = con[:, farm].sum(axis=1)
    harvest = total[[5, 9, 17, 21]]
    other = np.delete(total, [5, 9, 17, 21])
    assert abs(harvest.mean() / other.mean() - 1.0) < 0.05
    income = inc[:, farm].sum(axis=1)
    assert income[[5, 9, 17, 21]].mean() > 2.0 * np.delete(income, [5, 9, 17, 21]).mean()  # the harvests


def test_engines_dock_with_credit_default_and_the_threshold_at_work():
    # tight credit and defaults (a low default multiple), a lower threshold, frequent illness: all rules act
    over = {"finance.default_multiple": 0.3, "finance.credit_limit": 0.5, "finance.asset_threshold": 25000.0,
            "illness.acute_prob": 0.05}
    runs = []
    for engine in ("vectorised", "agents"):
        m = RuralEconomy(Scenario(name="finance_docking", parameters_overrides=over), n_households=200, rng=9,
                         engine=engine)
        m.run_years(2)
        runs.append(m)
    assert_docked(*runs, years=2)
    h = runs[0].hh
    assert (h.credit_barred_until > 0).any() and (h.debt > 0).any() and (h.hardship_months > 0).any()
