"""Designs: number of points and ranges per method, the balanced run order, seeds spawned from the root."""

from __future__ import annotations

import numpy as np
import pytest

from ruralsim.experiments.designs import _levels, design_points, execution_order, expected_points, point_order, experiment_seeds as replicate_seeds
from ruralsim.experiments.spec import load_spec, parse_spec

FACTORS = {
    "acute_prob": {"kind": "uncertainty", "targets": ["parameters.illness.acute_prob"], "range": [0.008, 0.016]},
    "interval": {"kind": "lever", "targets": ["parameters.monitoring.interval"], "range": [1, 12], "integer": True},
    "targeting": {"kind": "lever", "targets": ["programmes.direct_support.targeting"],
                  "values": ["ex_poor", "all", "near_poor"]},
}
CONTINUOUS = {k: v for k, v in FACTORS.items() if k != "targeting"}


def spec_of(design, factors=FACTORS, replicates=3, seed=11):
    return parse_spec({"name": "t", "design": design, "factors": factors, "replicates": replicates, "seed": seed,
                       "households": 100, "years": 1})


def check_ranges(points, factors):
    for name, f in factors.items():
        col = [p[name] for p in points]
        if "values" in f:
            assert set(col) <= set(f["values"])
        else:
            lo, hi = f["range"]
            assert all(lo <= v <= hi for v in col), name
            if f.get("integer"):
                assert all(isinstance(v, int) for v in col)
            else:
                assert all(isinstance(v, float) for v in col)


@pytest.mark.parametrize("design, factors, n", [
    ({"method": "full_factorial"}, {"a": {"kind": "lever", "targets": ["parameters.monitoring.lag"], "values": [0, 1, 2]},
                                    "b": {"kind": "lever", "targets": ["parameters.monitoring.interval"],
                                          "range": [1, 4], "integer": True}}, 12),
    ({"method": "lhs", "samples": 20}, FACTORS, 20),
    ({"method": "sobol", "samples": 16}, FACTORS, 16),
    ({"method": "saltelli", "samples": 8}, CONTINUOUS, 8 * (2 * 2 + 2)),
    ({"method": "saltelli", "samples": 8, "calc_second_order": False}, CONTINUOUS, 8 * (2 + 2)),
    ({"method": "morris", "trajectories": 5, "levels": 4},
     {"a": CONTINUOUS["acute_prob"], "b": {"kind": "uncertainty", "targets": ["parameters.economy.wage_growth"],
                                           "range": [0.02, 0.07]}}, 5 * 3),
])
def test_each_method_gives_the_expected_points_within_ranges(design, factors, n):
    spec = spec_of(design, factors)
    points = design_points(spec)
    assert len(points) == n == expected_points(spec)
    check_ranges(points, factors)
    assert design_points(spec) == points  # the same seed gives the same design
    order = execution_order(spec, points)
    assert sorted(order.tolist()) == list(range(n * spec.replicates))


def test_full_factorial_is_every_combination():
    spec = spec_of({"method": "full_factorial"}, {
        "lag": {"kind": "lever", "targets": ["parameters.monitoring.lag"], "values": [0, 1]},
        "targeting": FACTORS["targeting"]})
    points = design_points(spec)
    assert [(p["lag"], p["targeting"]) for p in points] == [(a, b) for a in (0, 1) for b in ("ex_poor", "all", "near_poor")]


def test_sampling_designs_depend_on_the_seed_and_stratify():
    a = design_points(spec_of({"method": "lhs", "samples": 30}, seed=1))
    b = design_points(spec_of({"method": "lhs", "samples": 30}, seed=2))
    assert a != b
    # Latin hypercube: one point in each of the 30 strata of a continuous factor
    u = (np.array([p["acute_prob"] for p in a]) - 0.008) / 0.008
    assert sorted(np.floor(u * 30).astype(int)) == list(range(30))
    # values are equally likely: 30 points over 3 values, 10 each
    assert sorted(np.unique([p["targeting"] for p in a], return_counts=True)[1]) == [10, 10, 10]
    # scrambled Sobol': balanced on halves of each range
    s = design_points(spec_of({"method": "sobol", "samples": 32}))
    assert sum(p["acute_prob"] < 0.012 for p in s) == 16


def test_morris_points_move_one_factor_at_a_time():
    spec = spec_of({"method": "morris", "trajectories": 4, "levels": 4}, {
        "acute_prob": CONTINUOUS["acute_prob"],
        "wage": {"kind": "uncertainty", "targets": ["parameters.economy.wage_growth"], "range": [0.02, 0.07]}})
    X = np.array([[p["acute_prob"], p["wage"]] for p in design_points(spec)]).reshape(4, 3, 2)
    steps = np.abs(np.diff(X, axis=1)) > 0
    assert (steps.sum(axis=2) == 1).all()


def test_seeds_are_spawned_from_the_root_and_shared_by_points():
    spec = load_spec("withdrawal_timing_pace_monitoring", replicates=4)
    seeds = replicate_seeds(spec)
    expected = [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(spec.seed).spawn(4)]
    assert seeds == expected and len(set(seeds)) == 4


def test_runs_go_replicate_major_over_a_balanced_order():
    spec = load_spec("withdrawal_timing_pace_monitoring", replicates=3)
    points = design_points(spec)
    order = execution_order(spec, points)
    n = len(points)
    assert (order[:n] % 3 == 0).all() and (order[n:2 * n] % 3 == 1).all()  # every point's replicate 0 first
    assert sorted(order[:n] // 3) == list(range(n))
    levels, sizes = _levels(spec, points)
    perm = point_order(spec, points)
    for k in range(1, n + 1):  # every prefix holds each level of each factor k / levels times, give or take one
        for j, size in enumerate(sizes):
            counts = np.bincount(levels[perm[:k], j], minlength=size)
            assert np.abs(counts - k / size).max() <= 1.0, (k, j, counts)


def test_sensitivity_designs_keep_their_own_order():
    spec = spec_of({"method": "saltelli", "samples": 4}, CONTINUOUS, replicates=2)
    order = execution_order(spec, design_points(spec))
    assert order.tolist() == [p * 2 for p in range(24)] + [p * 2 + 1 for p in range(24)]
