"""Tests of the counter-based random streams (model/streams.py) and of market.ration.

All statistical tests use fixed seeds, so they are deterministic; the
thresholds are chosen so that a correct generator would fail them only with
the small probability stated next to each one.
"""
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ruralsim.model import streams as st  # noqa: E402
from ruralsim.model.market import ration  # noqa: E402

SEEDS = [0, 1, 12345, 2**40 + 7]
MONTHS = [-24, -13, -1, 0, 1, 11, 179]
IDS = np.array([0, 1, 2, 3, 1000, 2**31 + 5, 10**12], dtype=np.int64)
N = 200_000


# ----------------------------------------------------------------- vector == scalar
def test_uniform_vector_equals_scalar_bit_for_bit():
    terms = st.id_terms(IDS)
    n = 0
    for seed in SEEDS:
        for purpose in st.PURPOSES:
            for month in MONTHS:
                vec = st.uniform(seed, purpose, month, terms)
                sca = np.array([st.uniform_scalar(seed, purpose, month, int(i)) for i in IDS])
                # exact equality of the float64 bit patterns
                assert np.array_equal(vec.view(np.uint64), sca.view(np.uint64)), (seed, purpose, month)
                n += vec.size
    assert n == len(SEEDS) * len(st.PURPOSES) * len(MONTHS) * IDS.size


def test_normal_vector_equals_scalar_bit_for_bit():
    terms = st.id_terms(IDS)
    for seed in SEEDS:
        for purpose in ("illness_cost", "weather", "price"):
            for month in MONTHS:
                vec = st.normal(seed, purpose, month, terms)
                sca = np.array([st.normal_scalar(seed, purpose, month, int(i)) for i in IDS])
                assert np.array_equal(vec.view(np.uint64), sca.view(np.uint64)), (seed, purpose, month)


def test_streams_object_matches_functions():
    s = st.Streams(seed=7, n=100)
    idx = np.array([3, 50, 99])
    np.testing.assert_array_equal(s.uniform("illness", -5, idx), st.uniform(7, "illness", -5, st.id_terms(idx)))
    assert s.uniform_one("illness", -5, 50) == s.uniform("illness", -5)[50]
    assert s.normal_one("weather", 4, 99) == s.normal("weather", 4)[99]


# ----------------------------------------------------------------- ranges
def test_uniform_in_unit_interval_and_normal_finite():
    terms = st.id_terms(np.arange(N))
    u = st.uniform(3, "illness", 5, terms)
    assert u.min() >= 0.0 and u.max() < 1.0
    z = st.normal(3, "illness_cost", 5, terms)
    assert np.isfinite(z).all()
    # the most extreme values the clipping allows are finite too: ndtri(2^-53) = -8.29...
    assert np.isfinite(st.normal_scalar(0, "price", 0, 0))
    from scipy.special import ndtri
    assert np.isfinite(ndtri(2.0**-53)) and np.isfinite(ndtri(1.0 - 2.0**-53))


# ----------------------------------------------------------------- distinct streams
def test_different_inputs_give_different_draws():
    terms = st.id_terms(np.arange(1000))
    base = st.uniform(42, "illness", 10, terms)
    # Two independent 53-bit draws coincide with probability 2^-53, so any equality is a bug.
    assert (base != st.uniform(42, "weather", 10, terms)).all()  # purpose
    assert (base != st.uniform(42, "illness", 11, terms)).all()  # month
    assert (base != st.uniform(42, "illness", -10, terms)).all()  # negative month
    assert (base != st.uniform(43, "illness", 10, terms)).all()  # seed
    # every id gets its own draw: 200,000 draws all distinct (collision chance ~ N^2 / 2^54 = 2e-6)
    u = st.uniform(42, "illness", 10, st.id_terms(np.arange(N)))
    assert np.unique(u).size == N


def test_every_purpose_gives_a_different_stream():
    terms = st.id_terms(np.arange(100))
    draws = {p: st.uniform(5, p, 0, terms) for p in st.PURPOSES}
    names = list(draws)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert (draws[a] != draws[b]).all(), (a, b)


# ----------------------------------------------------------------- uniformity
def test_uniform_passes_ks_test():
    # With a fixed seed the test is deterministic; for a correct generator the
    # KS p-value is itself uniform, so a threshold of 0.001 means a correct
    # generator would fail with probability 0.001 for a random seed.
    terms = st.id_terms(np.arange(N))
    for seed, purpose, month in [(1, "illness", 0), (2024, "weather", -7), (99, "job_queue", 120)]:
        u = st.uniform(seed, purpose, month, terms)
        assert stats.kstest(u, "uniform").pvalue > 0.001, (seed, purpose, month)


def test_normal_passes_ks_test():
    # Same threshold and argument as for the uniform draws.
    z = st.normal(1, "illness_cost", 3, st.id_terms(np.arange(N)))
    assert stats.kstest(z, "norm").pvalue > 0.001
    assert abs(z.mean()) < 0.01 and abs(z.std() - 1.0) < 0.01  # s.e. of mean .0022, of s.d. .0016


def test_uniform_over_months_for_one_household():
    # the same household over 2,000 months is uniform too (KS threshold as above)
    u = np.array([st.uniform_scalar(7, "illness", m, 12) for m in range(-24, 1976)])
    assert stats.kstest(u, "uniform").pvalue > 0.001


# ----------------------------------------------------------------- serial correlation
def test_no_serial_correlation_between_consecutive_months():
    # For independent draws the sample correlation over n = 200,000 households has
    # standard error 1/sqrt(n) = 0.0022, so |corr| < 0.01 is a 4.5 s.e. bound
    # (a correct generator fails with probability ~7e-6).
    terms = st.id_terms(np.arange(N))
    for seed, purpose, month in [(1, "illness", 0), (1, "illness", -1), (77, "migrant_job", 35)]:
        a = st.uniform(seed, purpose, month, terms)
        b = st.uniform(seed, purpose, month + 1, terms)
        assert abs(np.corrcoef(a, b)[0, 1]) < 0.01, (seed, purpose, month)


def test_no_correlation_between_neighbouring_ids():
    # same 4.5 s.e. bound as above: ids i and i + 1 in the same month
    u = st.uniform(1, "illness", 0, st.id_terms(np.arange(N + 1)))
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 0.01


# ----------------------------------------------------------------- market.ration
def test_ration_by_priority_within_groups_hand_case():
    #            0     1     2     3     4     5     6
    applicants = np.array([1, 1, 1, 1, 1, 0, 1], dtype=bool)
    group = np.array([0, 0, 1, 1, 0, 1, 1])
    u = np.array([0.5, 0.9, 0.3, 0.1, 0.2, 0.0, 0.8])
    prio = np.array([1, 0, 0, 1, 0, 0, 0])
    capacity = np.array([2, 1])
    # keys (u, prio): prio most significant, then u.
    # group 0 applicants 0 (1,.5), 1 (0,.9), 4 (0,.2) -> order 4, 1, 0 -> 2 places: 4, 1
    # group 1 applicants 2 (0,.3), 3 (1,.1), 6 (0,.8) -> order 2, 6, 3 -> 1 place: 2
    # (5 would be first in group 1 but did not apply)
    served = ration(applicants, group, capacity, u, prio)
    np.testing.assert_array_equal(served, [0, 1, 1, 0, 1, 0, 0])
    # u alone: group 0 order 4 (.2), 0 (.5), 1 (.9) -> 4, 0 ; group 1 order 3 (.1), 2, 6 -> 3
    served_u = ration(applicants, group, capacity, u)
    np.testing.assert_array_equal(served_u, [1, 0, 0, 1, 1, 0, 0])


def test_ration_capacity_edges():
    applicants = np.array([1, 1, 1, 0], dtype=bool)
    group = np.array([0, 0, 1, 1])
    key = np.array([0.3, 0.1, 0.2, 0.0])
    # capacity larger than demand: every applicant served, non-applicant not
    np.testing.assert_array_equal(ration(applicants, group, np.array([5, 5]), key), [1, 1, 1, 0])
    # zero capacity: nobody served
    np.testing.assert_array_equal(ration(applicants, group, np.array([0, 0]), key), [0, 0, 0, 0])
    # float capacity (as for welfare posts): 1.0 place in group 0 -> lowest key, id 1
    np.testing.assert_array_equal(ration(applicants, group, np.array([1.0, 0.0]), key), [0, 1, 0, 0])
    # no applicants at all
    assert not ration(np.zeros(4, bool), group, np.array([5, 5]), key).any()


def test_ration_random_case_respects_capacity_and_priority():
    rng = np.random.default_rng(0)
    n, k = 500, 7
    applicants = rng.random(n) < 0.6
    group = rng.integers(0, k, n)
    capacity = rng.integers(0, 60, k)
    key = rng.random(n)
    served = ration(applicants, group, capacity, key)
    assert not (served & ~applicants).any()
    for g in range(k):
        app = applicants & (group == g)
        srv = served & (group == g)
        assert srv.sum() == min(capacity[g], app.sum())
        if srv.any() and (app & ~srv).any():
            # everyone served has a smaller key than everyone left out
            assert key[srv].max() < key[app & ~srv].min()
