"""Hand-computed unit tests of the household rules in model/rules (one section per mechanism).

Sections follow the numbering of the mechanisms in docs/ODD.md section 7:
 1 production, 2 labour, 3 human capital, 4 illness, 5 savings and assets,
 6 motivation, 7 cooperatives, 8 leading enterprises, 9 policy programmes,
 10 monitoring.
Every expected value is worked out by hand in the comment next to it, with
parameter values chosen so that the arithmetic is easy to check.
"""
import math
import sys
from pathlib import Path
from types import SimpleNamespace as NS

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ruralsim.model.parameters import Parameters  # noqa: E402
from ruralsim.model.rules import cooperative as coop  # noqa: E402
from ruralsim.model.rules import enterprise as ent  # noqa: E402
from ruralsim.model.rules import human_capital as hc  # noqa: E402
from ruralsim.model.rules import fortune, illness, labour, monitoring, motivation, production  # noqa: E402
from ruralsim.model.rules import programmes as prog  # noqa: E402

T, F = True, False


def arr(*x, dtype=float):
    return np.array(x, dtype=dtype)


def barr(*x):
    return np.array(x, dtype=bool)


# =============================================================================
# Mechanism 1: farm production and sale (model/rules/production.py)
# =============================================================================
ECON1 = NS(land_elasticity=0.5, asset_elasticity=0.5, labour_elasticity=0.5, asset_scale=100.0,
           weather_sd=0.2, disaster_loss=0.5, spot_price_factor=0.8)
FIN1 = NS(asset_threshold=1e9, improved_productivity=2.0)  # the improved technique out of reach


def test_farm_output_cobb_douglas_by_hand():
    # tfp * land^a * (1 + assets/K)^b * L^c * skill * effort with a = b = c = 0.5, K = 100, tfp = 10
    # hh0: 10 * 4^.5 * (1 + 0/100)^.5 * 1^.5 * 1 * 1   = 10 * 2 * 1 * 1         = 20
    # hh1: 10 * 9^.5 * (1 + 300/100)^.5 * 4^.5 * 2 * .5 = 10 * 3 * 2 * 2 * 1    = 120
    # hh2: negative farm labour is treated as zero        -> 0
    q = production.farm_output(arr(4, 9, 4), arr(0, 300, 0), arr(1, 4, -1), arr(1, 2, 1), arr(1, 0.5, 1),
                               10.0, ECON1, FIN1)
    np.testing.assert_allclose(q, [20.0, 120.0, 0.0], rtol=1e-12)
    # with the improved technique from 300 yuan of assets (x2): hh1 reaches it, 240; hh0 does not
    q = production.farm_output(arr(4, 9, 4), arr(0, 300, 0), arr(1, 4, -1), arr(1, 2, 1), arr(1, 0.5, 1),
                               10.0, ECON1, NS(asset_threshold=300.0, improved_productivity=2.0))
    np.testing.assert_allclose(q, [20.0, 240.0, 0.0], rtol=1e-12)


def test_farm_output_with_default_parameters():
    econ, fin = Parameters().economy, Parameters().finance  # a=0.40, b=0.25, c=0.35, K=10,000; threshold 40,000
    # land 10 mu, assets 10,000 (1 + 1 = 2), 1 worker, tfp 7,000:
    # 7000 * 10^0.4 * 2^0.25 * 1 = 7000 * 2.511886432 * 1.189207115 = 7000 * 2.987153 = 20910.07
    q = production.farm_output(arr(10), arr(10000), arr(1), arr(1), arr(1), 7000.0, econ, fin)
    assert q[0] == pytest.approx(7000 * 2.5118864315095806 * 1.189207115002721, rel=1e-12)
    assert q[0] == pytest.approx(20910.07, abs=0.01)
    # doubling labour multiplies output by 2^0.35 = 1.27456 (constant labour elasticity)
    q2 = production.farm_output(arr(10), arr(10000), arr(2), arr(1), arr(1), 7000.0, econ, fin)
    assert q2[0] / q[0] == pytest.approx(2 ** 0.35, rel=1e-12)


def test_weather_factor_by_hand_and_disaster_cut():
    # s = 0.2: factor = exp(0.2 z - 0.02)
    # z = 0 -> exp(-0.02) = 0.98019867; z = 1 -> exp(0.18) = 1.19721736
    # a disaster (loss 0.5) halves it: z = 0 with disaster -> 0.5 * 0.98019867 = 0.49009934
    w = production.weather_factor(arr(0, 1, 0), barr(F, F, T), ECON1)
    np.testing.assert_allclose(w, [math.exp(-0.02), math.exp(0.18), 0.5 * math.exp(-0.02)], rtol=1e-12)
    np.testing.assert_allclose(w[:2], [0.98019867, 1.19721736], atol=1e-8)


def test_weather_factor_is_mean_one():
    # E[exp(s Z - s^2/2)] = 1 for Z ~ N(0,1).  Probabilists' Gauss-Hermite quadrature with 80 nodes
    # integrates this smooth function to ~1e-15: E f(Z) = sum w_i f(x_i) / sqrt(2 pi).
    x, wts = np.polynomial.hermite_e.hermegauss(80)
    for sd in (0.05, 0.12, 0.3):
        econ = NS(weather_sd=sd, disaster_loss=0.5)
        mean = (wts * production.weather_factor(x, np.zeros(x.size, bool), econ)).sum() / math.sqrt(2 * math.pi)
        assert mean == pytest.approx(1.0, abs=1e-12)
        # under a disaster the mean is 1 - loss = 0.5
        mean_d = (wts * production.weather_factor(x, np.ones(x.size, bool), econ)).sum() / math.sqrt(2 * math.pi)
        assert mean_d == pytest.approx(0.5, abs=1e-12)


def test_contract_price_floor_binding_and_not_and_ecommerce():
    # floor 0.95, premium 0.05:
    # market 1.0 -> max(0.95, 1.05) = 1.05 (floor not binding)
    # market 0.8 -> max(0.95, 0.84) = 0.95 (floor binds)
    # market 0.9 -> max(0.95, 0.945) = 0.95 (binds, just)
    p = production.contract_price(arr(1.0, 0.8, 0.9), 0.95, 0.05, 0.0)
    np.testing.assert_allclose(p, [1.05, 0.95, 0.95], rtol=1e-12)
    # e-commerce 0.10 raises both: 1.05 * 1.1 = 1.155 ; 0.95 * 1.1 = 1.045
    pe = production.contract_price(arr(1.0, 0.8), 0.95, 0.05, 0.10)
    np.testing.assert_allclose(pe, [1.155, 1.045], rtol=1e-12)
    # a zero floor (enterprise in default) gives market * (1 + premium): 0.8 * 1.05 = 0.84
    assert production.contract_price(0.8, 0.0, 0.05, 0.0) == pytest.approx(0.84)


# =============================================================================
# Mechanism 2: labour allocation (model/rules/labour.py)
# =============================================================================
ECON2 = NS(return_to_schooling=0.1, reference_schooling=8.0, elderly_farm_labour=0.3)


def test_wage_factor_mincer():
    # exp(0.1 * (s - 8)) * skill * effort
    # s=8, skill 1, effort 1   -> 1
    # s=10, skill 1, effort .5 -> exp(0.2) * 0.5 = 0.61070138
    # s=6, skill 2, effort 1   -> exp(-0.2) * 2 = 1.63746151
    w = labour.wage_factor(arr(8, 10, 6), arr(1, 1, 2), arr(1, 0.5, 1), ECON2)
    np.testing.assert_allclose(w, [1.0, 0.61070138, 1.63746151], atol=1e-8)
    # default return 0.07: one more year of schooling raises the wage by exp(0.07) = 7.25%
    e = Parameters().economy
    w1 = labour.wage_factor(arr(9, 10), arr(1, 1), arr(1, 1), e)
    assert w1[1] / w1[0] == pytest.approx(math.exp(0.07), rel=1e-12)


def test_max_migrants_carer_rule():
    # workers, children, elderly, chronic -> leavers
    # 2, 0, 0, F -> 2 (no one to care for)
    # 2, 1, 0, F -> 1 (a child and no grandparent: one carer stays)
    # 2, 1, 1, F -> 2 (the grandparent looks after the child: 留守儿童)
    # 2, 0, 2, F -> 2 (elderly parents stay on their own: 空巢老人)
    # 2, 0, 0, T -> 1 (chronic illness needs a carer)
    # 0, 3, 0, F -> 0 (never negative)
    # 1, 2, 1, T -> 0 (the only worker is the carer)
    m = labour.max_migrants(arr(2, 2, 2, 2, 2, 0, 1), arr(0, 1, 1, 0, 0, 3, 2), arr(0, 0, 1, 2, 0, 0, 1),
                            barr(F, F, F, F, T, F, T))
    np.testing.assert_array_equal(m, [2, 1, 2, 2, 1, 0, 0])


# the allocation of workers among the farm, local jobs and migration (replacing the all-or-nothing migration
# threshold and the local-job application test), separations and migrants' living costs: tests/test_labour.py


def test_farm_labour_by_hand():
    # own = workers - migrants - local - 0.5 post - sick - 0.5 chronic, floored at 0, + 0.3 * elderly
    # hh0: 3 - 1 - 1 - 0 - 0 - 0      = 1,   elderly 0 -> 1
    # hh1: 1 - 0 - 0 - 0.5 - 0 - 0.5  = 0,   elderly 2 -> 0.6
    # hh2: 2 - 2 - 0 - 0 - 1 - 0      = -1 -> 0, elderly 1 -> 0.3
    L = labour.farm_labour(arr(3, 1, 2), arr(1, 0, 2), arr(1, 0, 0), arr(0, 1, 0), arr(0, 2, 1),
                           barr(F, T, F), arr(0, 0, 1), ECON2, 0.5)
    np.testing.assert_allclose(L, [1.0, 0.6, 0.3], rtol=1e-12)


def test_job_loss():
    # separation 0.01: no migrants -> F ; u .005 < .01 -> T ; u .02 -> F ; u = .01 exactly -> F (strict)
    lost = labour.job_loss(arr(0, 1, 2, 2), arr(0.0, 0.005, 0.02, 0.01), 0.01)
    np.testing.assert_array_equal(lost, [F, T, F, F])


# =============================================================================
# Mechanism 3: human capital (model/rules/human_capital.py)
# =============================================================================
HC = NS(continuation_base=0.6, continuation_ex_poor_gap=0.15, continuation_support_gain=0.2)


def test_continuation_prob_by_hand():
    # base .6 - .15 ex_poor + .2 * supported * level(1)
    # (F,F) .6 ; (T,F) .45 ; (T,T) .65 ; (F,T) .8
    p = hc.continuation_prob(barr(F, T, T, F), barr(F, F, T, T), HC, 1.0)
    np.testing.assert_allclose(p, [0.6, 0.45, 0.65, 0.8], rtol=1e-12)
    # support at half level: .6 + .2 * .5 = .7
    assert hc.continuation_prob(barr(F), barr(T), HC, 0.5)[0] == pytest.approx(0.7)


def test_continuation_prob_clipped_to_unit_interval():
    high = NS(continuation_base=0.95, continuation_ex_poor_gap=0.15, continuation_support_gain=0.2)
    low = NS(continuation_base=0.1, continuation_ex_poor_gap=0.15, continuation_support_gain=0.2)
    # .95 + .2 = 1.15 -> 1 ; .1 - .15 = -.05 -> 0
    assert hc.continuation_prob(barr(F), barr(T), high, 1.0)[0] == 1.0
    assert hc.continuation_prob(barr(T), barr(F), low, 1.0)[0] == 0.0


def test_school_year_cases():
    # p_continue 0.6, max 16
    # hh0: 5 years (< 9 compulsory) continues even with u .99        -> 6, stays
    # hh1: 9 years, u .7 >= .6                                      -> leaves at 9
    # hh2: 9 years, u .3 < .6                                       -> 10
    # hh3: no child in school                                        -> unchanged, no leaver
    # hh4: at max schooling 16 leaves even with u 0                  -> leaves at 16
    # hh5: 12 years, u .59 < .6                                     -> 13
    # hh6: 10 years, u = p exactly (.6 < .6 false)                   -> leaves at 10
    # hh7: 8 years, u .5 but p 0 for this child: still compulsory     -> 9
    children = arr(1, 1, 1, 0, 1, 1, 1, 2)
    school = arr(5, 9, 9, 9, 16, 12, 10, 8)
    u = arr(0.99, 0.7, 0.3, 0.0, 0.0, 0.59, 0.6, 0.5)
    p = arr(0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.0)
    new, leaves = hc.school_year(children, school, u, p, 16.0)
    np.testing.assert_array_equal(new, [6, 9, 10, 9, 16, 13, 10, 9])
    np.testing.assert_array_equal(leaves, [F, T, F, F, T, F, T, F])


def test_school_year_compulsory_years_always_continue():
    # every child below 9 years goes on, whatever the draw and even with p = 0
    s = np.arange(0.0, 9.0)
    new, leaves = hc.school_year(np.ones(9), s, np.full(9, 0.999), np.zeros(9), 16.0)
    np.testing.assert_array_equal(new, s + 1)
    assert not leaves.any()


def test_enter_work_mean_schooling_update():
    # hh0: 2 workers with mean 6 years + a leaver with 9 -> 3 workers, (6*2 + 9)/3 = 7,
    #      children 2 -> 1, next child 9 - 3 = 6 years
    # hh1: no workers, leaver with 12 -> 1 worker, edu 12/1 = 12, children 0, schooling 9
    # hh2: nobody leaves -> unchanged
    w, c, e, s = hc.enter_work(arr(2, 0, 3), arr(2, 1, 1), arr(6, 0, 8), arr(9, 12, 4), barr(T, T, F))
    np.testing.assert_allclose(w, [3, 1, 3])
    np.testing.assert_allclose(c, [1, 0, 1])
    np.testing.assert_allclose(e, [7, 12, 8])
    np.testing.assert_allclose(s, [6, 9, 4])


def test_retire():
    # prob .028 per worker: threshold .028 * workers
    # hh0: 2 workers, u .05 < .056 -> one retires: (1, 1)
    # hh1: 1 worker,  u .05 < .028 false -> (1, 1)
    # hh2: no worker -> (0, 2)
    # hh3: 3 workers, u .08 < .084 -> (2, 1)
    w, e = hc.retire(arr(2, 1, 0, 3), arr(0, 1, 2, 0), arr(0.05, 0.05, 0.0, 0.08), 0.028)
    np.testing.assert_allclose(w, [1, 1, 0, 2])
    np.testing.assert_allclose(e, [1, 1, 2, 1])


def test_training_gain():
    # the training stock, ceiling .25: stock 0, gain .08 -> .08 ; stock .1, gain .08 -> .1 + .08 * (1 - .4) = .148 ;
    # not trained (gain 0): unchanged .2 ; at the ceiling: stays .25
    s = hc.training_gain(arr(0, 0.1, 0.2, 0.25), arr(0.08, 0.08, 0.0, 0.08), 0.25)
    np.testing.assert_allclose(s, [0.08, 0.148, 0.2, 0.25], atol=1e-12)
    # productivity factor exp(stock): .08 -> 1.08328707 (a first course returns about 8%)
    np.testing.assert_allclose(hc.training_factor(arr(0.08)), [1.08328707], atol=1e-8)


# =============================================================================
# Mechanism 4: illness (model/rules/illness.py)
# =============================================================================
def test_falls_ill_below_the_households_risk():
    # risk .012 (healthy) or .03 (chronic): u .011 < .012 -> T ; u .013 -> F ; u .029 < .03 -> T ; u .031 -> F ;
    # u .012 -> F (strict)  (the risk itself: model.rules.health.acute_risk, tests/test_earnings_health.py)
    ill = illness.falls_ill(arr(0.011, 0.013, 0.029, 0.031, 0.012), arr(0.012, 0.012, 0.03, 0.03, 0.012))
    np.testing.assert_array_equal(ill, [T, F, T, F, F])


def test_episode_cost_lognormal():
    # median * exp(sigma z): z 0 -> 9000 (the median) ; z 1 -> 9000 * 2.459603 = 22136.43 ; z -1 -> 9000 * 0.406570 = 3659.13
    c = illness.episode_cost(arr(0, 1, -1), 9000.0, 0.9)
    np.testing.assert_allclose(c, [9000.0, 22136.43, 3659.13], atol=0.01)


def test_coverage():
    # basic .5, targeted .8: targeted -> .8 ; not -> .5 ; a targeted level below basic never lowers it
    np.testing.assert_allclose(illness.coverage(0.5, 0.8, barr(T, F)), [0.8, 0.5])
    np.testing.assert_allclose(illness.coverage(0.5, 0.3, barr(T, F)), [0.5, 0.5])


def test_sick_workers():
    # one worker off while sick_months > 0, if there is a worker
    # (0, 2) -> 0 ; (2, 2) -> 1 ; (1, 0) -> 0 ; (1, 3) -> 1
    np.testing.assert_array_equal(illness.sick_workers(arr(0, 2, 1, 1), arr(2, 2, 0, 3)), [0, 1, 0, 1])


# =============================================================================
# Mechanism 5: savings, credit, debt and assets: tests/test_finance.py
# =============================================================================


# =============================================================================
# Mechanism 6: motivation (model/rules/motivation.py)
# =============================================================================
def _m(strength):
    return NS(strength=strength, unconditional_erosion=0.5, conditional_gain=0.1, reversion=0.2,
              min_effort=0.6, max_effort=1.2)


def test_update_effort_strength_zero_leaves_effort_exactly():
    effort = arr(0.7, 1.0, 1.13, 0.6123456789)
    out = motivation.update_effort(effort, arr(0.9, 0.9, 0, 0.5), barr(T, F, T, F), _m(0.0))
    # no reversion, no erosion, no gain: bit-for-bit the same values
    np.testing.assert_array_equal(out, [0.7, 1.0, 1.13, 0.6123456789])


def test_update_effort_unconditional_lowers_conditional_raises():
    # change = .2 (1 - e) + s (.1 cond - .5 share), s = .3
    # hh0: e 1, share .4, no cond: 0 + .3 * (-.2) = -.06   -> .94
    # hh1: e 1, share 0, cond:     0 + .3 * .1 = .03       -> 1.03
    # hh2: e .8, share 0, no cond: .2 * .2 = .04           -> .84 (reversion towards 1)
    # hh3: e 1, share 0, no cond:                          -> 1
    out = motivation.update_effort(arr(1, 1, 0.8, 1), arr(0.4, 0, 0, 0), barr(F, T, F, F), _m(0.3))
    np.testing.assert_allclose(out, [0.94, 1.03, 0.84, 1.0], rtol=1e-12)


def test_update_effort_clipping():
    # lower: e .6, share 1, strength 1: .2 * .4 - .5 = -.42 -> .18 -> clipped to .6
    # upper: e 1.2, cond, strength 5: .2 * (-.2) + 5 * .1 = .46 -> 1.66 -> clipped to 1.2
    lo = motivation.update_effort(arr(0.6), arr(1.0), barr(F), _m(1.0))
    hi = motivation.update_effort(arr(1.2), arr(0.0), barr(T), _m(5.0))
    assert lo[0] == 0.6
    assert hi[0] == 1.2


# =============================================================================
# Mechanism 7: cooperatives (model/rules/cooperative.py)
# =============================================================================
COOP = NS(price_premium=0.15, margin=0.05, failure_base=0.02, failure_weak=0.10, advance_step=0.02,
          market_reach=1.0, cash_turnover=4.0, training_gain=0.25, capacity_depreciation=0.1, dividend_share=0.6,
          reinvest_share=0.5)


def test_coop_price_and_first_advance():
    # market 2: capacity 0 -> 2 ; .5 -> 2 * 1.075 = 2.15 ; 1 -> 2 * 1.15 = 2.3
    np.testing.assert_allclose(coop.coop_price(2.0, arr(0, 0.5, 1), COOP), [2.0, 2.15, 2.3], rtol=1e-12)
    # a new cooperative pays its own price less its 5% margin: capacity 1 -> 1.15 * .95 = 1.0925
    assert coop.first_advance(1.0, COOP) == pytest.approx(1.0925)


def test_next_advance_follows_last_years_result_within_bounds():
    # step .02, spot .88; highest = 1 + .15 * capacity (no e-commerce); last year's purchases worth 100 at
    # this year's price, so a surplus of at least 2 would have paid a step more
    # 0: loss -> 1.00 - .02 = .98 ; 1: surplus 5, cash free -> 1.02 ; 2: surplus 5, cash binds -> 1.00
    # 3: loss but bought nothing -> unchanged 1.00 ; 4: loss at .89 -> .87 -> raised to the spot price .88
    # 5: surplus at 1.07, capacity .5 -> 1.09 -> capped at 1.075 ; 6: as 5 with e-commerce .1 -> 1.075*1.1 > 1.09
    # 7: surplus 1 < 2 -> unchanged
    a = coop.next_advance(arr(1.0, 1.0, 1.0, 1.0, 0.89, 1.07, 1.07, 1.0), arr(-1, 5, 5, -1, -1, 5, 5, 1),
                          arr(100, 100, 100, 0, 100, 100, 100, 100), barr(F, F, T, F, F, F, F, F),
                          arr(1, 1, 1, 1, 1, 0.5, 0.5, 1), arr(0, 0, 0, 0, 0, 0, 0.1, 0), 0.88, COOP)
    np.testing.assert_allclose(a, [0.98, 1.02, 1.0, 1.0, 0.88, 1.075, 1.09, 1.0], rtol=1e-12)


def test_buy_share_is_limited_by_marketing_and_cash():
    # members' output 1000 units, advance price 1 yuan/unit; reach = 1 * capacity; financeable = 2 * 4 * cash
    # 0: capacity .5, no contract, cash 1000 -> marketable 500, financeable 8000 -> .5, cash free
    # 1: capacity .5, contract 300 -> 800 -> .8 ; 2: capacity .5, cash 50 -> financeable 400 -> .4, cash binds
    # 3: capacity 1, contract 500 -> 1500 -> 1 (clipped) ; 4: negative cash -> 0, binds
    # 5: no output last year -> reach * capacity = .3, not limited by cash ; 6: the same with a contract -> 1
    share, binds = coop.buy_share(arr(1000, 1000, 1000, 1000, 1000, 0, 0), arr(0, 300, 0, 500, 0, 0, 10),
                                  arr(1000, 1000, 50, 1e6, -10, 0, 0), 1.0, arr(0.5, 0.5, 0.5, 1, 0.5, 0.3, 0.3), COOP)
    np.testing.assert_allclose(share, [0.5, 0.8, 0.4, 1.0, 0.0, 0.3, 1.0], rtol=1e-12)
    np.testing.assert_array_equal(binds, [F, F, T, F, T, F, F])


def test_expected_gain_of_a_non_member():
    # output worth 10,000, the coop buys .4 at advance 1.0 vs spot .88, dividend .05 per yuan sold to it:
    # 10,000 * .4 * (.12 + .05) = 680 ; a registered household adds the asset dividend 90 -> 770
    g = coop.expected_gain(arr(10_000, 10_000), 0.4, 1.0, 0.05, 0.88, arr(0, 90))
    np.testing.assert_allclose(g, [680.0, 770.0], rtol=1e-12)


def test_membership_joins_and_leaves_with_inertia():
    # cost 120, act prob .15, patience 2
    # 0: non-member, coop alive, gain 200, u .1 -> joins ; 1: gain 100 < 120 -> stays out ; 2: coop dead -> out
    # 3: non-member, u .2 (does not act) -> out ; 4: member, 2 bad years, u .1 -> leaves
    # 5: member, 1 bad year -> stays ; 6: member, 3 bad years, u .5 -> stays (inertia)
    join, leave = coop.membership(barr(F, F, F, F, T, T, T), barr(T, T, F, T, T, T, T),
                                  arr(200, 100, 200, 200, 0, 0, 0), arr(0, 0, 0, 0, 2, 1, 3), 120.0,
                                  arr(0.1, 0.1, 0.1, 0.2, 0.1, 0.1, 0.5), 0.15, 2.0)
    np.testing.assert_array_equal(join, [T, F, F, F, F, F, F])
    np.testing.assert_array_equal(leave, [F, F, F, F, T, F, F])


def test_bad_years_count_consecutive_years_membership_did_not_pay():
    # cost 120: member gaining 100 -> 1 + 1 = 2 ; member gaining 500 -> reset 0 ; non-member -> 0
    b = coop.count_bad_years(barr(T, T, F), arr(100, 500, 0), 120.0, arr(1, 3, 4))
    np.testing.assert_array_equal(b, [2.0, 0.0, 0.0])


def test_leader_quit_hazard_rises_with_weakness_and_loss_years():
    # (.02 + .10 (1 - capacity)) * (1 + loss years)
    # cap 1, 0 losses -> .02 ; cap 0 -> .12 ; cap .5, 1 loss year -> .07 * 2 = .14 ; cap 0, 2 -> .36
    h = coop.leader_quit_hazard(arr(1, 0, 0.5, 0), arr(0, 0, 1, 2), COOP)
    np.testing.assert_allclose(h, [0.02, 0.12, 0.14, 0.36], rtol=1e-12)
    # clipped at 1: (.6 + .1) * 2 = 1.4 -> 1
    big = NS(failure_base=0.6, failure_weak=0.1)
    assert coop.leader_quit_hazard(arr(0), arr(1), big)[0] == 1.0


def test_leader_capacity_grows_with_training_and_depreciates_without():
    # gain .25 of the gap: .6 -> .6 + .25 * .4 = .7 ; untrained, 10% depreciation: .6 -> .54
    np.testing.assert_allclose(coop.leader_capacity(arr(0.6, 0.6), barr(T, F), COOP), [0.7, 0.54], rtol=1e-12)


def test_patronage_pool_and_reinvestment():
    # 60% of a positive surplus; nothing from a loss ; half of a positive retained surplus is reinvested
    np.testing.assert_allclose(coop.patronage_pool(arr(1000, -50), COOP), [600.0, 0.0])
    np.testing.assert_allclose(coop.reinvestment(arr(400, -50), COOP), [200.0, 0.0])


def test_patronage_dividend_proportional_to_sales():
    # surplus 1000, share .6 -> pool 600, split by member sales 300:700 of 1000 -> 180, 420
    d = coop.patronage_dividend(arr(1000, 1000), 0.6, arr(300, 700), arr(1000, 1000))
    np.testing.assert_allclose(d, [180.0, 420.0], rtol=1e-12)
    assert d.sum() == pytest.approx(600.0)


def test_patronage_dividend_zero_without_surplus_or_sales():
    # negative or zero surplus -> no dividend; no coop sales -> no dividend (no division by zero)
    d = coop.patronage_dividend(arr(-50, 0, 1000), 0.6, arr(500, 500, 0), arr(500, 500, 0))
    np.testing.assert_array_equal(d, [0.0, 0.0, 0.0])


# =============================================================================
# Mechanism 8: leading enterprises (model/rules/enterprise.py)
# =============================================================================
def test_defaults_on_floor():
    # floor 1, gap .2 -> trigger below .8; bill 200
    # m .7, cash 100 -> T ; m .8 (not < .8) -> F ; m .7, cash 300 covers -> F ; m .9 -> F
    d = ent.defaults_on_floor(arr(0.7, 0.8, 0.7, 0.9), 1.0, arr(100, 100, 300, 100), 200.0, 0.2)
    np.testing.assert_array_equal(d, [T, F, F, F])


def test_profit():
    # 1000 - 500 - 300 - 250 + 100 = 50 ; 0 - 100 - 0 - 50 + 0 = -150
    p = ent.profit(arr(1000, 0), arr(500, 100), arr(300, 0), arr(250, 50), arr(100, 0))
    np.testing.assert_allclose(p, [50.0, -150.0])


def test_exits():
    # exit_loss_years 2, exit_prob .5; cash 100 unless stated
    # (2 loss years, u .4) -> T ; (1, .1) -> F ; (3, .6) -> F ; (2, .5) -> F (strict)
    # cash -1 (exhausted), 0 loss years, u .99 -> T ; cash -1 but u 1 (a year without shocks) -> F
    e = NS(exit_loss_years=2.0, exit_prob=0.5)
    x = ent.exits(arr(2, 1, 3, 2, 0, 0), arr(100, 100, 100, 100, -1, -1), arr(0.4, 0.1, 0.6, 0.5, 0.99, 1.0), e)
    np.testing.assert_array_equal(x, [T, F, F, F, T, F])


# =============================================================================
# Mechanism 9: policy programmes, household side (model/rules/programmes.py)
# =============================================================================
def test_direct_support():
    # 600 yuan/person/year monthly: 1 person -> 50 ; 4 -> 200
    np.testing.assert_allclose(prog.per_member(arr(1, 4), 600.0), [50.0, 200.0])


def test_dibao_topup_only_weak_labour_and_only_the_gap():
    # standard 5800: gap per person, times members, monthly
    # hh0: pc 1000, 2 members, weak: (5800 - 1000) * 2 / 12 = 800
    # hh1: same but not weak -> 0
    # hh2: pc 7000 above standard -> gap 0 -> 0
    # hh3: pc 1000, 3 members, weak: 4800 * 3 / 12 = 1200
    # hh4: pc -200 (negative income), 1 member, weak: 6000 / 12 = 500
    d = prog.top_up_to_standard(arr(1000, 1000, 7000, 1000, -200), arr(2, 2, 1, 3, 1), 5800.0, barr(T, F, T, T, T))
    np.testing.assert_allclose(d, [800.0, 0.0, 0.0, 1200.0, 500.0], rtol=1e-12)


def test_weak_labour():
    # able = workers - .5 chronic < 1
    # (0, F) 0 -> T ; (1, F) 1 -> F ; (1, T) .5 -> T ; (2, F) 2 -> F ; (2, T) 1.5 -> F
    w = prog.weak_labour(arr(0, 1, 1, 2, 2), barr(F, F, T, F, T), arr(2, 0, 1, 0, 0), arr(2, 1, 3, 2, 4))
    np.testing.assert_array_equal(w, [T, F, T, F, F])


def test_education_support():
    # 3000/year -> 250/month for a child in school past 9 years
    # (1 child, 9 yrs) -> 250 ; (1, 8) -> 0 ; (0 children, 12) -> 0 ; (2, 10) -> 250
    e = prog.per_student(arr(1, 1, 0, 2), arr(9, 8, 12, 10), 3000.0)
    np.testing.assert_allclose(e, [250.0, 0.0, 0.0, 250.0])


def test_pension():
    # 2040/year -> 170 per elderly per month
    np.testing.assert_allclose(prog.per_elderly(arr(0, 1, 2), 2040.0), [0.0, 170.0, 340.0])


def test_monitoring_support():
    # line 6000, share .5: (6000 - 5000) * 3 / 12 * .5 = 125 ; above the line -> 0
    s = prog.share_of_gap_to_monitoring_line(arr(5000, 7000), arr(3, 2), 6000.0, 0.5)
    np.testing.assert_allclose(s, [125.0, 0.0])


def test_guaranteed_purchase_topup():
    # quantity sold outside a contract 100, floor .95 (x 2020 price): market price .8 -> 100 * .15 = 15 ;
    # market 1.0 above the floor -> 0 (what a trader pays below the market is not topped up)
    t = prog.guaranteed_purchase_topup(arr(100, 100), arr(0.8, 1.0), 0.95)
    np.testing.assert_allclose(t, [15.0, 0.0], atol=1e-12)


def test_industry_subsidy():
    # 10% of output value: 1000 -> 100 ; 0 -> 0
    np.testing.assert_allclose(prog.industry_subsidy(arr(1000, 0), 0.1), [100.0, 0.0])


# =============================================================================
# Mechanism 10: monitoring (model/rules/monitoring.py)
# =============================================================================
def test_rolling():
    # 12-month total 1200; newest 100 replaces oldest 150 -> 1150
    assert monitoring.rolling(1200.0, 100.0, 150.0) == 1150.0
    np.testing.assert_allclose(monitoring.rolling(arr(1200, 0), arr(100, 5), arr(150, 0)), [1150.0, 5.0])


def test_at_risk_income_and_rigid_expense_tests():
    # line 6000 per person, rigid share .5
    # hh0: (12000 - 0)/3 = 4000 < 6000                          -> T (income test)
    # hh1: 30000/3 = 10000, oop 0                               -> F
    # hh2: (60000 - 31000)/3 = 9666.7 >= 6000 but 31000 > .5 * 60000 = 30000 -> T (rigid expense)
    # hh3: 18000/3 = 6000 exactly (not < line), oop 0           -> F
    # hh4: income -3000, 1 member: -3000 < 6000                 -> T
    # hh5: (60000 - 29000)/3 = 10333 ; 29000 <= 30000           -> F
    # Default line 1.5 * 4000 = 6000 from Parameters
    p = Parameters()
    line = p.lines.poverty_line * p.lines.monitoring_multiple
    assert line == 6000.0
    r = monitoring.at_risk(arr(12000, 30000, 60000, 18000, -3000, 60000), arr(0, 0, 31000, 0, 0, 29000),
                           arr(3, 3, 3, 3, 1, 3), line, p.monitoring.rigid_expense_share)
    np.testing.assert_array_equal(r, [T, F, T, F, T, F])


def test_detected():
    # detection .7: at risk & not flagged & not pending & u < .7
    # hh0 u .5 -> T ; hh1 already flagged -> F ; hh2 pending -> F ; hh3 u .7 (strict) -> F ; hh4 not at risk -> F
    d = monitoring.detected(barr(T, T, T, T, F), barr(F, T, F, F, F), barr(F, F, T, F, F),
                            arr(0.5, 0.0, 0.0, 0.7, 0.0), 0.7)
    np.testing.assert_array_equal(d, [T, F, F, F, F])


def test_risk_eliminated():
    # min 6 months: (flagged, no risk, 6 months) -> T ; still at risk -> F ; 5 months -> F ; not flagged -> F ;
    # flagged, no risk, 12 months but no labour capacity -> F (暂不标注风险消除)
    e = monitoring.risk_eliminated(barr(T, T, T, F, T), barr(F, T, F, F, F), arr(6, 12, 5, 12, 12), 6,
                                   barr(F, F, F, F, T))
    np.testing.assert_array_equal(e, [T, F, F, F, F])


def test_verified_income():
    # error s.d. 0.5: income x exp(0.5 z - 0.125); z = 0 -> x exp(-0.125); z = 1 -> x exp(0.375); no error -> x
    np.testing.assert_allclose(monitoring.verified_income(arr(1000.0, 1000.0), arr(0.0, 1.0), 0.5),
                               [1000.0 * math.exp(-0.125), 1000.0 * math.exp(0.375)])
    np.testing.assert_allclose(monitoring.verified_income(arr(1000.0), arr(2.0), 0.0), [1000.0])
    # mean one: over many draws the recorded income is unbiased (1e6 draws: s.e. of the mean ~0.05%)
    z = np.random.default_rng(3).standard_normal(1_000_000)
    assert monitoring.verified_income(np.full(z.size, 1.0), z, 0.5).mean() == pytest.approx(1.0, rel=0.005)


def test_dibao_recognised():
    # coverage 0.8: draw 0.5 -> T ; draw 0.9 -> F unless monitoring found the household -> T
    r = monitoring.dibao_recognised(arr(0.5, 0.9, 0.9), 0.8, barr(F, F, T))
    np.testing.assert_array_equal(r, [T, F, T])


def test_sudden_difficulty_and_detection_prob():
    # rigid share 0.5, drop 0.7
    # hh0: oop 600 > 0.5 * 1000 -> sudden ; hh1: income 600 < 0.7 * 1000 last year -> sudden
    # hh2: income 800 >= 700, oop 100 <= 400 -> not sudden
    s = monitoring.sudden_difficulty(arr(1000, 600, 800), arr(600, 0, 100), arr(2000, 1000, 1000), 0.5, 0.7)
    np.testing.assert_array_equal(s, [T, T, F])
    np.testing.assert_array_equal(monitoring.detection_prob(s, 0.05, 0.9), [0.9, 0.9, 0.05])
    # detected() takes a probability per household: hh1 drawn .5 < .9 found; hh2 .04 < .05 found; hh0 .95 not
    found = monitoring.detected(barr(T, T, T), barr(F, F, F), barr(F, F, F), arr(0.95, 0.5, 0.04),
                                monitoring.detection_prob(s, 0.05, 0.9))
    np.testing.assert_array_equal(found, [F, T, T])


# =============================================================================
# Mechanism 11: the income process (model/rules/fortune.py)
# =============================================================================
def test_fortune_ar1_by_hand():
    # persistence 0.8, innovation s.d. 0.3: stationary variance .09 / .36 = .25 (s.d. .5); p' = .8 p + .3 z
    assert fortune.stationary_variance(0.8, 0.3) == pytest.approx(0.25)
    np.testing.assert_allclose(fortune.stationary(arr(1.0, -2.0), 0.8, 0.3), [0.5, -1.0])
    np.testing.assert_allclose(fortune.next_year(arr(0.5, -1.0, 0.0), arr(0.0, 1.0, -2.0), 0.8, 0.3),
                               [0.4, -0.5, -0.6])
    # persistence 0: a fresh draw every year
    np.testing.assert_allclose(fortune.next_year(arr(0.7), arr(3.0), 0.0, 0.5), [1.5])


def test_fortune_keeps_its_stationary_spread_and_persistence():
    # 200,000 draws, 20 years: the s.d. of a sample this size is within ~0.2% of the true one and the
    # lag-1 correlation within ~0.005, so 2% and 0.02 are wide margins that still catch a wrong formula
    rng = np.random.default_rng(7)
    sd = 0.4 * math.sqrt(1 - 0.81)  # stationary s.d. 0.4 at persistence 0.9
    x = fortune.stationary(rng.standard_normal(200_000), 0.9, sd)
    for _ in range(20):
        prev, x = x, fortune.next_year(x, rng.standard_normal(x.size), 0.9, sd)
    assert x.std() == pytest.approx(0.4, rel=0.02)
    assert np.corrcoef(prev, x)[0, 1] == pytest.approx(0.9, abs=0.02)


def test_the_next_eldest_is_never_younger_than_the_youngest_child():
    # hh0: eldest leaves at 9 with two children left, the youngest a newborn (-6): the next is 9 - 3 = 6
    # hh1: eldest leaves at 9, one child left, a baby born last year (-5): the next eldest IS that baby (-5), not 6
    # hh2: eldest leaves at 10 with two left, the youngest at 8 (twins of the next): max(10 - 3, 8) = 8
    # hh3: the only child leaves: no child, schooling 0
    w, c, e, s = hc.enter_work(arr(1, 1, 1, 1), arr(3, 2, 3, 1), arr(8, 8, 8, 8), arr(9, 9, 10, 9),
                               barr(T, T, T, T), youngest=arr(-6, -5, 8, 9))
    np.testing.assert_allclose(c, [2, 1, 2, 0])
    np.testing.assert_allclose(s, [6, -5, 8, 0])
    # a year passes: the youngest of two or more is a year older; an only child's youngest is the eldest
    np.testing.assert_allclose(hc.age_youngest(arr(2, 1, 0), arr(7, 3, 0), arr(-5, 1, 4)), [-4, 3, 0])
