"""Person-weighted inequality and poverty measures over households.

Every function takes ``y`` (per-capita income of each household, yuan per
person per year) and ``w`` (person weight = number of members, > 0). All ``w``
members of a household are treated as persons with income ``y``, so each
household is a group of identical persons and every measure below is *exact*
for the expanded person vector (not an approximation from grouped data).

Functions that need incomes in ascending order accept an optional
``order=sort_order(y)``, so a caller can sort 1,000,000 households once and
reuse the permutation across measures; without it each function does at most
one stable argsort. Everything is vectorised; there are no loops over
households.

References
----------
Cowell, F. A. (2011). *Measuring Inequality*, 3rd ed. Oxford Univ. Press.
Haughton, J. & Khandker, S. R. (2009). *Handbook on Poverty and Inequality*.
World Bank.
Hyndman, R. J. & Fan, Y. (1996). Sample quantiles in statistical packages.
*The American Statistician* 50(4), 361-365.
"""
from __future__ import annotations

import numpy as np

__all__ = [
    "sort_order", "headcount", "band_share", "weighted_mean",
    "weighted_quantile", "weighted_median", "gini", "theil",
    "quintile_ratio", "relative_poverty_rate", "lorenz_curve", "decile_of",
]


def _check(y, w) -> tuple[np.ndarray, np.ndarray]:
    """Validate inputs and return them as 1-D float64 arrays."""
    y = np.asarray(y, dtype=float)
    w = np.asarray(w, dtype=float)
    if y.ndim != 1 or w.ndim != 1:
        raise ValueError(f"y and w must be 1-D, got shapes {y.shape} and {w.shape}")
    if y.size != w.size:
        raise ValueError(f"y and w have different lengths ({y.size} != {w.size})")
    if y.size == 0:
        raise ValueError("y and w are empty; need at least one household")
    if not np.all(np.isfinite(y)):
        raise ValueError("y contains NaN or infinite values")
    if not np.all(np.isfinite(w) & (w > 0)):
        raise ValueError("w must be finite and strictly positive (persons per household)")
    return y, w


def stable_argsort(y: np.ndarray) -> np.ndarray:
    """``np.argsort(y, kind="stable")`` for finite ``y``, faster: numpy's unstable sort (vectorised), then equal
    values put back in the order of their positions (one sort of integer keys: the run of equal values, then
    the position).  The result is the stable order exactly."""
    order = np.argsort(y, kind="quicksort")
    ys = y[order]
    new_run = np.empty(y.size, dtype=bool)
    new_run[:1] = True
    np.not_equal(ys[1:], ys[:-1], out=new_run[1:])
    if new_run.all():
        return order
    tied = ~new_run  # a position in a run of equal values: not the run's first, or followed by another
    tied[:-1] |= ~new_run[1:]
    pos = np.flatnonzero(tied)
    bits = max(int(y.size).bit_length(), 1)
    key = ((np.cumsum(new_run, dtype=np.int64)[pos] - 1) << bits) | order[pos]
    key.sort()  # runs stay where they are (they are contiguous and in order); positions order each run
    order[pos] = key & ((1 << bits) - 1)
    return order


def sort_order(y) -> np.ndarray:
    """Stable ascending argsort of ``y``, to pass as ``order=`` to several measures."""
    return stable_argsort(np.asarray(y, dtype=float))


def _sorted(y, w, order):
    """Validate, then return (y, w) sorted ascending by y and the order used."""
    y, w = _check(y, w)
    if order is None:
        order = stable_argsort(y)
    else:
        order = np.asarray(order)
        if order.shape != y.shape or not np.issubdtype(order.dtype, np.integer):
            raise ValueError(f"order must be an integer array of shape {y.shape}")
        if order.min() < 0 or np.any(np.bincount(order, minlength=y.size) != 1):
            raise ValueError("order is not a permutation of range(len(y))")
    ys = y[order]
    if np.any(ys[1:] < ys[:-1]):  # O(n): guards against a stale/wrong order
        raise ValueError("order does not sort y ascending (was it computed for this y?)")
    return ys, w[order], order


def _cumulative(ys, ws):
    """Cumulative persons and income over sorted households, with their totals."""
    cw = np.cumsum(ws)
    ci = np.cumsum(ws * ys)
    return cw, ci, cw[-1], ci[-1]


def headcount(y, w, line) -> float:
    """Share of persons with ``y < line``: H = sum_i w_i 1[y_i < line] / sum_i w_i.

    Poverty headcount ratio (FGT alpha=0; Foster, Greer & Thorbecke 1984,
    *Econometrica* 52(3)). A household exactly at the line is not poor.
    """
    y, w = _check(y, w)
    return float(w[y < line].sum() / w.sum())


def band_share(y, w, low, high) -> float:
    """Share of persons with ``low <= y < high``: sum_i w_i 1[low <= y_i < high] / sum_i w_i.

    E.g. the monitoring band between the poverty line and 1.5x the line.
    """
    y, w = _check(y, w)
    return float(w[(y >= low) & (y < high)].sum() / w.sum())


def weighted_mean(y, w) -> float:
    """Person-weighted mean income: mu = sum_i w_i y_i / sum_i w_i."""
    y, w = _check(y, w)
    return float((w * y).sum() / w.sum())  # pairwise sum, not BLAS: the same on every machine


def weighted_quantile(y, w, q, order=None):
    """Person-weighted quantile: Q(q) = min{ y_(k) : F_k >= q }.

    Households are sorted ascending and F_k = sum_{j<=k} w_(j) / sum_j w_j is the
    cumulative person share. This is the inverse of the empirical person CDF
    (Hyndman & Fan 1996, definition 1; numpy ``method="inverted_cdf"``): no
    interpolation, the result is always an observed income, and with two equal
    persons the median is the *lower* one. ``q`` is a scalar or array in [0, 1];
    a scalar ``q`` gives a float, an array gives an array.
    """
    qa = np.asarray(q, dtype=float)
    if not np.all((qa >= 0) & (qa <= 1)):
        raise ValueError(f"q must lie in [0, 1], got {q!r}")
    ys, ws, _ = _sorted(y, w, order)
    return _quantile_sorted(ys, np.cumsum(ws), qa)


def _quantile_sorted(ys, cw, qa):
    share = cw / cw[-1]  # exact k/N when weights are integers, so q=k/N hits the boundary
    idx = np.minimum(np.searchsorted(share, qa, side="left"), ys.size - 1)
    res = ys[idx]
    return float(res) if res.ndim == 0 else res


def weighted_median(y, w, order=None) -> float:
    """Person-weighted median, ``weighted_quantile(y, w, 0.5)`` (lower median)."""
    return weighted_quantile(y, w, 0.5, order=order)


def gini(y, w, order=None) -> float:
    """Person-weighted Gini coefficient from the Lorenz curve (trapezoid rule).

    With households sorted by y, W_i the cumulative population share and L_i the
    cumulative income share (W_0 = L_0 = 0):

        G = 1 - sum_i (W_i - W_{i-1}) (L_i + L_{i-1}).

    The Lorenz curve is linear within a household (identical persons), so this
    is exact and equals the population Gini of the expanded person vector,
    G = sum_a sum_b |x_a - x_b| / (2 N^2 mu)  (Cowell 2011, sec. 2.2 and A.2).
    Negative incomes are used as given (G may then exceed 1); the mean must be > 0.
    """
    ys, ws, _ = _sorted(y, w, order)
    return _gini_sorted(ws, *_cumulative(ys, ws))


def _gini_sorted(ws, cw, ci, n_tot, i_tot) -> float:
    if i_tot <= 0:
        raise ValueError("Gini is undefined for a non-positive mean income")
    lor = ci / i_tot
    lor_prev = np.concatenate(([0.0], lor[:-1]))
    return float(1.0 - (ws / n_tot * (lor + lor_prev)).sum())


def theil(y, w, floor: float = 1.0) -> float:
    """Person-weighted Theil T index (GE(1)).

        T = sum_i (w_i / N) (y_i / mu) ln(y_i / mu),   mu = sum_i w_i y_i / N

    (Theil 1967; Cowell 2011, sec. 3.3). The log needs y > 0, so incomes are first
    clipped to ``floor`` (default 1 yuan per person per year): y_i <- max(y_i, floor),
    and mu is the mean of the clipped incomes, so T >= 0 still holds. The floor is
    negligible against rural incomes in yuan; pass a smaller one for other units.
    T = 0 under perfect equality; scale invariance holds while all y >= floor.
    """
    y, w = _check(y, w)
    if not floor > 0:
        raise ValueError(f"floor must be positive, got {floor!r}")
    yc = np.maximum(y, floor)
    r = yc / ((w * yc).sum() / w.sum())
    return float(max((w * r * np.log(r)).sum() / w.sum(), 0.0))  # clamp -1e-17 rounding


def quintile_ratio(y, w, order=None) -> float:
    """Mean income of the richest 20% of persons over that of the poorest 20%.

    Exact person-level definition: with C(p) the cumulative income of the
    poorest p persons (piecewise linear in p, slope y_i inside household i, so a
    household on the 20% or 80% boundary is split fractionally),

        S80/S20 = (C(N) - C(0.8 N)) / C(0.2 N)

    (both groups hold 0.2 N persons, so the ratio of means is the ratio of sums;
    Haughton & Khandker 2009, ch. 6). Returns ``inf`` if the bottom quintile's
    income is <= 0.
    """
    ys, ws, _ = _sorted(y, w, order)
    return _quintile_sorted(*_cumulative(ys, ws))


def _quintile_sorted(cw, ci, n_tot, i_tot) -> float:
    c20, c80 = np.interp([0.2 * n_tot, 0.8 * n_tot],
                         np.concatenate(([0.0], cw)), np.concatenate(([0.0], ci)))
    if c20 <= 0:
        return float("inf")
    return float((i_tot - c80) / c20)


def relative_poverty_rate(y, w, fraction: float = 0.4, order=None) -> float:
    """Share of persons with y < fraction * (person-weighted median of y).

    Relative poverty line as a fraction of the median (0.4 is a level discussed
    for post-2020 rural China; OECD and Eurostat use 0.5 and 0.6). Uses
    :func:`weighted_median` (lower median) and :func:`headcount`.
    """
    return headcount(y, w, fraction * weighted_median(y, w, order=order))


def lorenz_curve(y, w, points: int | None = None, order=None):
    """Person-weighted Lorenz curve as (population_share, income_share).

    Vertices are (W_i, L_i) for households sorted by y, prefixed with (0, 0) and
    ending exactly at (1, 1) (Cowell 2011, sec. 2.2). If ``points`` is an int
    (>= 2), the curve is linearly interpolated - exact, as it is linear within a
    household - at ``np.linspace(0, 1, points)``. Mean income must be > 0.
    """
    ys, ws, _ = _sorted(y, w, order)
    cw, ci, n_tot, i_tot = _cumulative(ys, ws)
    if i_tot <= 0:
        raise ValueError("Lorenz curve is undefined for a non-positive mean income")
    pop = np.concatenate(([0.0], cw / n_tot))
    inc = np.concatenate(([0.0], ci / i_tot))
    if points is None:
        return pop, inc
    if isinstance(points, bool) or not isinstance(points, (int, np.integer)) or points < 2:
        raise ValueError(f"points must be an int >= 2 or None, got {points!r}")
    grid = np.linspace(0.0, 1.0, int(points))
    return grid, np.interp(grid, pop, inc)


def decile_of(y, w, order=None) -> np.ndarray:
    """Person-weighted income decile (0 = poorest ... 9 = richest) of each household.

    With households sorted by y, household i's midpoint cumulative person share
    is m_i = (sum_{j<i} w_j + w_i / 2) / N and its decile is min(floor(10 m_i), 9).
    Each decile thus holds about 10% of persons (exactly, up to one household
    straddling each boundary). Tied incomes keep input order (stable sort), so
    ties straddling a boundary may fall in adjacent deciles. Result is in the
    original household order, dtype int64.
    """
    ys, ws, order = _sorted(y, w, order)
    cw = np.cumsum(ws)
    mid = (cw - 0.5 * ws) / cw[-1]
    dec_sorted = np.minimum(np.floor(10.0 * mid), 9).astype(np.int64)
    out = np.empty_like(dec_sorted)
    out[order] = dec_sorted
    return out


def distribution_summary(y, w, fraction: float = 0.4) -> dict:
    """Gini, quintile ratio, median and relative poverty rate from one sort.

    Same definitions as :func:`gini`, :func:`quintile_ratio`,
    :func:`weighted_median` and :func:`relative_poverty_rate`; used for the
    annual table, where sorting a million households once instead of four times matters.
    """
    ys, ws, _ = _sorted(y, w, None)
    cw, ci, n_tot, i_tot = _cumulative(ys, ws)
    median = _quantile_sorted(ys, cw, np.asarray(0.5))
    below = np.searchsorted(ys, fraction * median, side="left")  # persons with y < line
    p20, p80 = _quantile_sorted(ys, cw, np.array([0.2, 0.8]))
    return {"gini": _gini_sorted(ws, cw, ci, n_tot, i_tot),
            "quintile_ratio": _quintile_sorted(cw, ci, n_tot, i_tot),
            "median": median, "p20": float(p20), "p80": float(p80),
            "relative_poverty_rate": float(cw[below - 1] / n_tot) if below > 0 else 0.0}
