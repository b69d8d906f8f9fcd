"""Tests for model.metrics (person-weighted inequality and poverty measures)."""
import math
import sys
from pathlib import Path

import numpy as np
import pytest

# Make the repo root importable when pytest is run as a bare `pytest` command.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ruralsim.model import metrics as m  # noqa: E402

# Running example: 3 households, 6 persons.
# y = [1, 2, 3], w = [2, 1, 3]  ->  persons [1, 1, 2, 3, 3, 3]
Y = np.array([1.0, 2.0, 3.0])
W = np.array([2, 1, 3])
PERSONS = np.repeat(Y, W)


def pop_gini(x):
    """Population Gini of a person vector: sum_a sum_b |x_a - x_b| / (2 N^2 mean)."""
    x = np.asarray(x, dtype=float)
    return np.abs(x[:, None] - x[None, :]).sum() / (2 * x.size**2 * x.mean())


# --------------------------------------------------------------- hand examples
def test_headcount_and_band_share_by_hand():
    # y < 2: only the 2 persons at y=1 -> 2/6
    assert m.headcount(Y, W, 2.0) == pytest.approx(2 / 6)
    # strict inequality: y < 1 -> nobody; y < 3.5 -> everybody
    assert m.headcount(Y, W, 1.0) == 0.0
    assert m.headcount(Y, W, 3.5) == 1.0
    # 2 <= y < 3: the single person at y=2 -> 1/6 ; 1 <= y < 3 -> 3/6
    assert m.band_share(Y, W, 2.0, 3.0) == pytest.approx(1 / 6)
    assert m.band_share(Y, W, 1.0, 3.0) == pytest.approx(3 / 6)
    # negative incomes count as poor
    assert m.headcount([-5.0, 0.0, 10.0], [1, 1, 2], 0.5) == pytest.approx(2 / 4)


def test_weighted_mean_by_hand():
    # (2*1 + 1*2 + 3*3) / 6 = 13/6
    assert m.weighted_mean(Y, W) == pytest.approx(13 / 6)


def test_weighted_quantile_by_hand():
    # cumulative person shares after each household: 2/6, 3/6, 6/6
    # smallest y with share >= q:
    #   q=0 -> 1 ; q=0.3 -> 1 ; q=1/3 -> 1 (boundary) ; q=0.34 -> 2 ;
    #   q=0.5 -> 2 (boundary, 3/6 >= 0.5) ; q=0.51 -> 3 ; q=1 -> 3
    q = np.array([0.0, 0.3, 1 / 3, 0.34, 0.5, 0.51, 1.0])
    np.testing.assert_array_equal(m.weighted_quantile(Y, W, q), [1, 1, 1, 2, 2, 3, 3])
    assert isinstance(m.weighted_quantile(Y, W, 0.5), float)
    assert m.weighted_median(Y, W) == 2.0
    # two equal persons: lower median by definition (share 1/2 >= 0.5 at y=10)
    assert m.weighted_median([20.0, 10.0], [1, 1]) == 10.0
    # q=0.7 with 10 persons: share after 7 persons is 7/10 == 0.7 -> 7th value
    assert m.weighted_quantile(np.arange(1.0, 11.0), np.ones(10), 0.7) == 7.0


def test_gini_by_hand():
    # Trapezoid: p = [2/6, 1/6, 3/6]; income shares [2/13, 2/13, 9/13]
    # L = [2/13, 4/13, 13/13];  L_i + L_{i-1} = [2/13, 6/13, 17/13]
    # sum p*(L_i+L_{i-1}) = (2*2 + 1*6 + 3*17) / 78 = 61/78  ->  G = 17/78
    # Cross-check, pair sums on [1,1,2,3,3,3]: ordered-pair |diff| total
    #   2*(2*1*|1-2| + 2*3*|1-3| + 1*3*|2-3|) = 2*(2+12+3) = 34
    #   G = 34 / (2 * 6^2 * 13/6) = 34/156 = 17/78
    assert m.gini(Y, W) == pytest.approx(17 / 78, abs=1e-14)
    # two persons [0, 1]: G = 1 - 1/2*(1 + 0) = 1/2
    assert m.gini([0.0, 1.0], [1, 1]) == pytest.approx(0.5)


def test_theil_two_point_by_formula():
    # persons: share p at income a, share 1-p at income b
    # T = p (a/mu) ln(a/mu) + (1-p) (b/mu) ln(b/mu),  mu = p a + (1-p) b
    a, b, wa, wb = 1000.0, 5000.0, 3, 1
    p = wa / (wa + wb)
    mu = p * a + (1 - p) * b                      # 0.75*1000 + 0.25*5000 = 2000
    expected = p * (a / mu) * math.log(a / mu) + (1 - p) * (b / mu) * math.log(b / mu)
    # = 0.75*0.5*ln(0.5) + 0.25*2.5*ln(2.5) = -0.259930 + 0.572682 = 0.312752
    assert expected == pytest.approx(0.312752, abs=1e-6)
    assert m.theil([a, b], [wa, wb]) == pytest.approx(expected, rel=1e-12)
    # y=[1,3], equal weights: mu=2, T = 0.5*(0.5 ln 0.5 + 1.5 ln 1.5) = 0.130812
    assert m.theil([1.0, 3.0], [1, 1]) == pytest.approx(0.130812, abs=1e-6)


def test_theil_floor_rule():
    # zero and negative incomes are clipped to 1 yuan before the log
    assert m.theil([0.0, -7.0, 3.0], [1, 1, 1]) == pytest.approx(m.theil([1.0, 1.0, 3.0], [1, 1, 1]))
    assert np.isfinite(m.theil([0.0, 0.0, 100.0], [1, 1, 1]))


def test_quintile_ratio_by_hand():
    # y = [1,2,3,4,5], w = [1,1,3,1,1]: N = 7, 20% = 1.4 persons
    # bottom 1.4 persons: 1*1 + 0.4*2 = 1.8
    # top    1.4 persons: 1*5 + 0.4*4 = 6.6      -> ratio 6.6/1.8 = 11/3
    assert m.quintile_ratio([1, 2, 3, 4, 5], [1, 1, 3, 1, 1]) == pytest.approx(11 / 3)
    # running example: N=6, 1.2 persons: bottom 1.2*1 = 1.2, top 1.2*3 = 3.6 -> 3
    assert m.quintile_ratio(Y, W) == pytest.approx(3.0)
    # bottom quintile has no income -> inf
    assert m.quintile_ratio([0.0, 0.0, 5.0], [1, 1, 1]) == math.inf


def test_relative_poverty_rate_by_hand():
    # weighted median = 2; 0.4*2 = 0.8 -> nobody below; 0.6*2 = 1.2 -> 2/6 below
    assert m.relative_poverty_rate(Y, W) == 0.0
    assert m.relative_poverty_rate(Y, W, fraction=0.6) == pytest.approx(2 / 6)


def test_lorenz_curve_by_hand():
    # vertices: W = [0, 2/6, 3/6, 1], L = [0, 2/13, 4/13, 1]
    pop, inc = m.lorenz_curve(Y, W)
    np.testing.assert_allclose(pop, [0, 2 / 6, 3 / 6, 1])
    np.testing.assert_allclose(inc, [0, 2 / 13, 4 / 13, 1])
    assert pop[0] == 0 and inc[0] == 0 and pop[-1] == 1 and inc[-1] == 1
    # interpolated at 0, 1/6, ..., 1 : at 1/6 half-way up the first segment -> 1/13
    pop7, inc7 = m.lorenz_curve(Y, W, points=7)
    np.testing.assert_allclose(pop7, np.linspace(0, 1, 7))
    np.testing.assert_allclose(inc7, [0, 1 / 13, 2 / 13, 4 / 13, 7 / 13, 10 / 13, 1])


def test_decile_of_by_hand():
    # cumulative persons [2, 3, 6]; midpoints [1, 2.5, 4.5] / 6 = [.167, .417, .75]
    # -> deciles floor(10*m) = [1, 4, 7]; input order is preserved
    np.testing.assert_array_equal(m.decile_of(Y, W), [1, 4, 7])
    np.testing.assert_array_equal(m.decile_of(Y[::-1], W[::-1]), [7, 4, 1])
    # ten equal households -> deciles 0..9, returned in input order
    y = np.array([5, 3, 9, 0, 1, 8, 2, 7, 4, 6], dtype=float)
    np.testing.assert_array_equal(m.decile_of(y, np.ones(10)), y.astype(int))
    # 1000 random households: each decile holds ~10% of persons
    rng = np.random.default_rng(7)
    yr, wr = rng.lognormal(9, 0.8, 1000), rng.integers(1, 7, 1000)
    dec = m.decile_of(yr, wr)
    assert dec.dtype.kind == "i" and dec.min() == 0 and dec.max() == 9
    shares = np.bincount(dec, weights=wr, minlength=10) / wr.sum()
    np.testing.assert_allclose(shares, 0.1, atol=6 / wr.sum())  # within one household
    # richer households never get a lower decile
    o = np.argsort(yr, kind="stable")
    assert np.all(np.diff(dec[o]) >= 0)


# ----------------------------------------------- weighted == expanded persons
def test_weighted_equals_expanded_persons():
    ones = np.ones(PERSONS.size)
    assert m.gini(Y, W) == pytest.approx(m.gini(PERSONS, ones), abs=1e-14)
    assert m.gini(Y, W) == pytest.approx(pop_gini(PERSONS), abs=1e-14)
    assert m.theil(Y, W) == pytest.approx(m.theil(PERSONS, ones), rel=1e-12)
    assert m.quintile_ratio(Y, W) == pytest.approx(m.quintile_ratio(PERSONS, ones))
    # persons [1,1,2,3,3,3]: lower median (3rd of 6 persons) is 2; note np.median
    # would give 2.5 (average of the two middle persons), a different definition
    assert m.weighted_median(Y, W) == m.weighted_median(PERSONS, ones) == 2.0
    assert m.weighted_median(Y, W) == np.quantile(PERSONS, 0.5, method="inverted_cdf")
    q = np.linspace(0, 1, 41)
    np.testing.assert_array_equal(m.weighted_quantile(Y, W, q),
                                  np.quantile(PERSONS, q, method="inverted_cdf"))
    _, inc_w = m.lorenz_curve(Y, W, points=61)
    _, inc_p = m.lorenz_curve(PERSONS, ones, points=61)
    np.testing.assert_allclose(inc_w, inc_p, atol=1e-14)


def test_weighted_equals_expanded_random():
    rng = np.random.default_rng(2024)
    y = np.round(rng.lognormal(9, 1.0, 300))
    y[:5] = y[5:10]  # some ties across households
    w = rng.integers(1, 8, 300)
    x = np.repeat(y, w)
    ones = np.ones(x.size)
    assert m.gini(y, w) == pytest.approx(pop_gini(x), rel=1e-10)
    assert m.theil(y, w) == pytest.approx(m.theil(x, ones), rel=1e-10)
    # person-level quintile ratio on the expanded vector, fractional persons at the cut
    xs = np.sort(x)
    k = 0.2 * xs.size
    kf = int(k)
    bottom = xs[:kf].sum() + (k - kf) * xs[kf]
    top = xs[::-1][:kf].sum() + (k - kf) * xs[::-1][kf]
    assert m.quintile_ratio(y, w) == pytest.approx(top / bottom, rel=1e-10)
    q = np.linspace(0, 1, 101)
    np.testing.assert_array_equal(m.weighted_quantile(y, w, q),
                                  np.quantile(x, q, method="inverted_cdf"))


# ----------------------------------------------------------- known results
def test_gini_of_exponential_is_one_half():
    # Population Gini of an exponential distribution is exactly 1/2. The sampling
    # standard error of the Gini at n = 200,000 is about 0.001 (0.00066 in 200
    # simulated replicates), so 0.005 is a ~5-7 SE band: a correct implementation
    # essentially never fails, while gross formula errors (a missing factor of 2,
    # a wrong Lorenz sum, unsorted data) would. It cannot see an n/(n-1)
    # population-vs-sample slip at this n; test_one_person_owns_everything does.
    x = np.random.default_rng(12345).exponential(scale=1.0, size=200_000)
    assert m.gini(x, np.ones(x.size)) == pytest.approx(0.5, abs=0.005)
    # grouping the same persons into households of 2 changes nothing
    assert m.gini(np.repeat(x[:1000], 2), np.ones(2000)) == pytest.approx(
        m.gini(x[:1000], np.full(1000, 2)), abs=1e-12)


def test_perfect_equality():
    y, w = np.full(50, 12588.0), np.arange(1, 51)
    assert m.gini(y, w) == pytest.approx(0.0, abs=1e-12)
    assert m.theil(y, w) == pytest.approx(0.0, abs=1e-12)
    assert m.quintile_ratio(y, w) == pytest.approx(1.0)
    pop, inc = m.lorenz_curve(y, w)
    np.testing.assert_allclose(pop, inc, atol=1e-12)


@pytest.mark.parametrize("n", [2, 5, 10, 1000])
def test_one_person_owns_everything(n):
    y = np.zeros(n)
    y[-1] = 100.0
    assert m.gini(y, np.ones(n)) == pytest.approx((n - 1) / n, abs=1e-12)
    # same population as two weighted households
    assert m.gini([0.0, 100.0], [n - 1, 1]) == pytest.approx((n - 1) / n, abs=1e-12)


def test_scale_invariance():
    rng = np.random.default_rng(3)
    y, w = rng.lognormal(9, 0.9, 500) + 10.0, rng.integers(1, 6, 500)
    for k in (0.5, 7.0, 1000.0):  # all incomes stay above the 1-yuan Theil floor
        assert m.gini(k * y, w) == pytest.approx(m.gini(y, w), rel=1e-12)
        assert m.theil(k * y, w) == pytest.approx(m.theil(y, w), rel=1e-10)
        assert m.quintile_ratio(k * y, w) == pytest.approx(m.quintile_ratio(y, w), rel=1e-12)


def test_shared_order_matches_and_large_input():
    rng = np.random.default_rng(0)
    n = 1_000_000
    y, w = rng.lognormal(9.3, 0.7, n), rng.integers(1, 7, n)
    o = m.sort_order(y)
    assert m.gini(y, w, order=o) == m.gini(y, w)
    assert m.quintile_ratio(y, w, order=o) == m.quintile_ratio(y, w)
    assert m.weighted_median(y, w, order=o) == m.weighted_median(y, w)
    assert m.relative_poverty_rate(y, w, order=o) == m.relative_poverty_rate(y, w)
    np.testing.assert_array_equal(m.decile_of(y, w, order=o), m.decile_of(y, w))
    np.testing.assert_array_equal(m.lorenz_curve(y, w, 11, order=o)[1],
                                  m.lorenz_curve(y, w, 11)[1])
    # lognormal(sigma) has Gini 2*Phi(sigma/sqrt 2) - 1 = 0.3794 for sigma = 0.7
    assert m.gini(y, w, order=o) == pytest.approx(0.3794, abs=0.005)


# ----------------------------------------------------------------- bad input
@pytest.mark.parametrize("func", [
    lambda y, w: m.headcount(y, w, 1.0), lambda y, w: m.band_share(y, w, 0, 1),
    m.weighted_mean, m.weighted_median, m.gini, m.theil, m.quintile_ratio,
    m.relative_poverty_rate, m.lorenz_curve, m.decile_of,
    lambda y, w: m.weighted_quantile(y, w, 0.3),
])
@pytest.mark.parametrize("y, w, msg", [
    ([1.0, 2.0], [1.0], "different lengths"),
    ([], [], "empty"),
    ([1.0, 2.0], [1.0, 0.0], "positive"),
    ([1.0, 2.0], [1.0, -2.0], "positive"),
    ([1.0, 2.0], [1.0, np.nan], "positive"),
    ([1.0, np.nan], [1.0, 1.0], "NaN"),
    ([[1.0, 2.0]], [[1.0, 1.0]], "1-D"),
])
def test_bad_input_raises(func, y, w, msg):
    with pytest.raises(ValueError, match=msg):
        func(y, w)


def test_other_errors():
    with pytest.raises(ValueError, match="q must lie"):
        m.weighted_quantile(Y, W, 1.5)
    with pytest.raises(ValueError, match="q must lie"):
        m.weighted_quantile(Y, W, [0.5, -0.1])
    with pytest.raises(ValueError, match="points"):
        m.lorenz_curve(Y, W, points=1)
    with pytest.raises(ValueError, match="points"):
        m.lorenz_curve(Y, W, points=2.5)
    with pytest.raises(ValueError, match="non-positive mean"):
        m.gini([-1.0, 0.0], [1, 1])
    with pytest.raises(ValueError, match="floor"):
        m.theil(Y, W, floor=0.0)
    with pytest.raises(ValueError, match="order"):
        m.gini(Y, W, order=np.array([0, 1]))            # wrong length
    with pytest.raises(ValueError, match="order"):
        m.gini(Y, W, order=np.array([2, 1, 0]))        # does not sort y
    with pytest.raises(ValueError, match="permutation"):
        m.gini(Y, W, order=np.array([0, 0, 0]))        # not a permutation


def test_distribution_summary_matches_the_separate_measures():
    # One sort shared by four measures must give exactly what each measure gives alone.
    from ruralsim.model.metrics import distribution_summary, gini, quintile_ratio, relative_poverty_rate, weighted_median
    rng = np.random.default_rng(7)
    y = rng.lognormal(9.0, 0.7, 5000)
    y[:50] = y[50]  # ties
    w = rng.integers(1, 7, 5000).astype(float)
    s = distribution_summary(y, w, 0.4)
    assert s["gini"] == pytest.approx(gini(y, w), rel=1e-12)
    assert s["quintile_ratio"] == pytest.approx(quintile_ratio(y, w), rel=1e-12)
    assert s["median"] == weighted_median(y, w)
    assert s["relative_poverty_rate"] == pytest.approx(relative_poverty_rate(y, w, 0.4), rel=1e-12)
    # a line falling exactly on an income: persons at the line are not below it
    y2, w2 = np.array([1.0, 2.0, 10.0, 10.0]), np.array([1.0, 1.0, 1.0, 1.0])
    assert distribution_summary(y2, w2, 0.5)["relative_poverty_rate"] == relative_poverty_rate(y2, w2, 0.5) == 0.0


def test_stable_argsort_is_numpys_stable_argsort():
    from ruralsim.model.metrics import stable_argsort
    rng = np.random.default_rng(11)
    for n in (1, 2, 3, 10, 1000, 50_000):
        for y in (rng.random(n), np.round(rng.random(n) * 5), np.zeros(n), -np.round(rng.random(n) * 3),
                  np.where(rng.random(n) < 0.3, 5842.0, rng.lognormal(9, 1, n)),  # many households at one standard
                  np.array([1.0, 1.0, 0.0, -0.0] * (n // 4 + 1))[:n]):
            np.testing.assert_array_equal(stable_argsort(y), np.argsort(y, kind="stable"))
