"""Designs: the design points of an experiment, the runs' seeds and the order the runs go in.

Methods (``design.method`` of a definition):

* ``full_factorial``: every combination of the factors' ``values`` (an integer range gives every
  integer in it); the first factor varies slowest.
* ``lhs``: Latin hypercube of ``samples`` points (McKay, Beckman & Conover 1979), from
  :class:`scipy.stats.qmc.LatinHypercube`.
* ``sobol``: the first ``samples`` (a power of 2) points of a Sobol' sequence (Sobol' 1967),
  scrambled with the experiment seed (Owen 1998), from :class:`scipy.stats.qmc.Sobol`.
* ``saltelli``: Saltelli's (2002) extension of a Sobol' sample for first-order, total and (with
  ``calc_second_order``) second-order Sobol' indices, ``samples * (2D + 2)`` points (``D + 2`` without
  second order), from :func:`SALib.sample.sobol.sample`, scrambled with the experiment seed.
* ``morris``: ``trajectories`` one-at-a-time trajectories on a grid of ``levels`` levels (Morris
  1991, Campolongo et al. 2007), ``trajectories * (D + 1)`` points, from :func:`SALib.sample.morris.sample`.

Sampling designs map a point u of the unit cube to factor values: a continuous range to
``low + u (high - low)``; an integer range to ``low + floor(u (high - low + 1))``; a list of
``values`` to ``values[floor(u n)]`` (every value equally likely).  Saltelli and Morris designs
sample the ranges in the factors' own units (SALib's ``problem`` with those bounds), so their
design matrix is the one SALib's analysers expect.

Seeds: replicate ``r`` of every design point runs with seed ``r`` of
``numpy.random.SeedSequence(seed).spawn(replicates)`` (:func:`ruralsim.experiments.run.replicate_seeds`), so
design points are compared under common random numbers, as ``ruralsim compare`` does.

Run identity and order: run ``point * replicates + replicate`` is replicate ``replicate`` of design
point ``point`` (points in the design's own order, e.g. SALib's sample matrix).  Runs *execute*
replicate-major, over a fixed permutation of the points: every point's replicate 0, then every
point's replicate 1, and so on; so a sweep stopped part way has covered the whole design with
fewer replicates rather than part of it with all of them.  The permutation of the points is a
low-discrepancy one: for full factorial and Latin hypercube designs (whose own order is
lexicographic or random), :func:`balanced_order` takes next the point whose factor levels have
appeared least so far, the farthest from those already taken among equals, so the first k points
hold every level of every factor about equally often and spread over the joint space; above
:data:`MAX_ORDERED_POINTS` points a seeded random permutation is used instead.  Sobol',
Saltelli and Morris designs keep their own order: a Sobol' sequence's prefixes are already
balanced, and Saltelli blocks and Morris trajectories are only useful whole.
"""

from __future__ import annotations

import inspect
import itertools
import math

import numpy as np

MAX_ORDERED_POINTS = 4096


def _rng_kwarg(cls, seed: int) -> dict:
    """scipy >= 1.15 takes ``rng``; older versions ``seed`` (both accept a Generator)."""
    gen = np.random.default_rng(seed)
    return {"rng": gen} if "rng" in inspect.signature(cls.__init__).parameters else {"seed": gen}


def _from_unit(spec, U: np.ndarray) -> list[dict]:
    """Factor values of unit-cube points (rows of U), as plain Python values."""
    cols = []
    for j, f in enumerate(spec.factors):
        u = U[:, j]
        if f.values is not None:
            idx = np.minimum((u * len(f.values)).astype(np.int64), len(f.values) - 1)
            cols.append([f.values[i] for i in idx])
        elif f.integer:
            lo, hi = int(f.range[0]), int(f.range[1])
            cols.append([int(v) for v in np.minimum(lo + np.floor(u * (hi - lo + 1)), hi)])
        else:
            lo, hi = float(f.range[0]), float(f.range[1])
            cols.append([float(v) for v in lo + u * (hi - lo)])
    return [dict(zip(spec.factor_names, row)) for row in zip(*cols)]


def salib_problem(spec) -> dict:
    """SALib's problem for the factors (integer ranges widened by one: values are floored)."""
    bounds = [[float(f.range[0]), float(f.range[1]) + (1.0 if f.integer else 0.0)] for f in spec.factors]
    return {"num_vars": len(spec.factors), "names": spec.factor_names, "bounds": bounds}


def _from_salib(spec, X: np.ndarray) -> list[dict]:
    cols = []
    for j, f in enumerate(spec.factors):
        if f.integer:
            cols.append([int(v) for v in np.minimum(np.floor(X[:, j]), f.range[1])])
        else:
            cols.append([float(v) for v in X[:, j]])
    return [dict(zip(spec.factor_names, row)) for row in zip(*cols)]


def _salib(name: str):
    try:
        if name == "sobol":
            from SALib.sample import sobol as mod
        else:
            from SALib.sample import morris as mod
    except ImportError:
        raise ImportError("Saltelli and Morris designs need SALib: pip install 'ruralsim[distributed]' "
                          "(or pip install SALib)") from None
    return mod


def design_points(spec) -> list[dict]:
    """The design points of ``spec``, each a dict factor name -> value, in the design's own order."""
    d = len(spec.factors)
    method = spec.design["method"]
    if method == "full_factorial":
        return [dict(zip(spec.factor_names, combo)) for combo in itertools.product(*[f.levels() for f in spec.factors])]
    if method == "lhs":
        from scipy.stats import qmc

        U = qmc.LatinHypercube(d, **_rng_kwarg(qmc.LatinHypercube, spec.seed)).random(spec.design["samples"])
        return _from_unit(spec, U)
    if method == "sobol":
        from scipy.stats import qmc

        m = int(math.log2(spec.design["samples"]))
        U = qmc.Sobol(d, scramble=True, **_rng_kwarg(qmc.Sobol, spec.seed)).random_base2(m)
        return _from_unit(spec, U)
    if method == "saltelli":
        X = _salib("sobol").sample(salib_problem(spec), spec.design["samples"],
                                   calc_second_order=spec.design["calc_second_order"], scramble=True,
                                   seed=spec.seed)
        return _from_salib(spec, X)
    if method == "morris":
        X = _salib("morris").sample(salib_problem(spec), spec.design["trajectories"],
                                    num_levels=spec.design["levels"], seed=spec.seed)
        return _from_salib(spec, X)
    raise ValueError(f"unknown design method {method!r}")


def expected_points(spec) -> int:
    """How many design points the design has (without generating them)."""
    method, d = spec.design["method"], len(spec.factors)
    if method == "full_factorial":
        return math.prod(len(f.levels()) for f in spec.factors)
    if method in ("lhs", "sobol"):
        return spec.design["samples"]
    if method == "saltelli":
        return spec.design["samples"] * ((2 * d + 2) if spec.design["calc_second_order"] else (d + 2))
    return spec.design["trajectories"] * (d + 1)


def _levels(spec, points: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """Each point's level index per factor (its rank among the factor's values in the design) and the
    number of levels of each factor."""
    cols, sizes = [], []
    for f in spec.factors:
        col = [p[f.name] for p in points]
        if f.values is not None:
            index = {(type(v).__name__, v): i for i, v in enumerate(f.values)}
            cols.append(np.array([index[(type(v).__name__, v)] for v in col], dtype=np.int64))
            sizes.append(len(f.values))
        else:
            levels, inverse = np.unique(np.asarray(col, dtype=float), return_inverse=True)
            cols.append(inverse.astype(np.int64).ravel())
            sizes.append(levels.size)
    n = len(points)
    return (np.column_stack(cols) if cols else np.zeros((n, 0), dtype=np.int64)), np.array(sizes, dtype=np.int64)


def balanced_order(levels: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """A greedy low-discrepancy ordering of a finite set of points.

    Each next point is one whose factor levels have appeared least so far relative to their
    expected share (the sum over factors of count x number of levels), and among those the one
    farthest from every point already taken (maximin distance, coordinates = level ranks scaled to
    [0, 1]); remaining ties go to the lowest index.  Every prefix then holds each level of each
    factor about equally often (within one of k / levels on the shipped factorials) and spreads
    over the joint space; for all-distinct values (a Latin hypercube) it is a farthest-point
    (maximin) ordering.  O(n^2 d).
    """
    n, d = levels.shape
    if n <= 1:
        return np.arange(n)
    coords = (levels + 0.5) / np.maximum(sizes, 1)
    counts = [np.zeros(int(s)) for s in sizes]
    nearest = np.full(n, np.inf)
    free = np.ones(n, dtype=bool)
    order = np.empty(n, dtype=np.int64)
    for k in range(n):
        score = np.zeros(n)
        for j in range(d):
            score += counts[j][levels[:, j]] * sizes[j]
        score[~free] = np.inf
        best = np.flatnonzero(score == score.min())
        pick = int(best[np.argmax(nearest[best])])
        order[k] = pick
        free[pick] = False
        for j in range(d):
            counts[j][levels[pick, j]] += 1
        nearest = np.minimum(nearest, ((coords - coords[pick]) ** 2).sum(axis=1))
    return order


def point_order(spec, points: list[dict]) -> np.ndarray:
    """The low-discrepancy permutation of design points that runs follow (see the module docstring)."""
    n = len(points)
    if spec.design["method"] in ("sobol", "saltelli", "morris"):
        return np.arange(n)
    if n > MAX_ORDERED_POINTS:
        return np.random.default_rng(spec.seed).permutation(n)
    return balanced_order(*_levels(spec, points))


def experiment_seeds(spec) -> list[int]:
    """Replicate seeds spawned from the experiment seed (the same function as ``ruralsim compare``)."""
    from .run import replicate_seeds as spawn

    return spawn(spec.seed, spec.replicates)


def execution_order(spec, points: list[dict]) -> np.ndarray:
    """run_ids in the order they run: replicate-major over :func:`point_order`."""
    perm = point_order(spec, points)
    r = spec.replicates
    return np.concatenate([perm * r + k for k in range(r)]) if len(perm) else np.zeros(0, dtype=np.int64)
