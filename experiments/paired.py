"""Paired differences between each reform and the baseline, replicate by replicate, with t intervals.

For replicate r, d_r = reform_r - baseline_r (the same seed); the interval of the mean difference
is mean(d) +- t_{R-1} sd(d) / sqrt(R).  Pairing removes the county-to-county noise both arms share,
so these intervals are far narrower than those of independent runs (Law 2015, *Simulation Modeling
and Analysis*, 5th ed., sec. 11.2); :func:`unpaired_halfwidth` shows by how much (Welch 1947).

Law, A. M. (2015). Simulation Modeling and Analysis, 5th ed. McGraw-Hill.
Welch, B. L. (1947). The generalization of "Student's" problem when several different population
variances are involved. Biometrika 34(1-2):28-35, doi:10.1093/biomet/34.1-2.28.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .arms import ARM_COLUMNS, baseline_label, reform_labels

COMPARISON_COLUMNS = ["metric", "year", "scenario", "baseline_mean", "reform_mean", "diff_mean",
                      "diff_ci_low", "diff_ci_high"]


def metric_columns(annual: pd.DataFrame) -> list[str]:
    """Every numeric column of the annual table except ``year`` (and the run identifiers)."""
    return [c for c in annual.columns
            if c not in ARM_COLUMNS and c != "year" and pd.api.types.is_numeric_dtype(annual[c])
            and not pd.api.types.is_bool_dtype(annual[c])]


def _cube(annual: pd.DataFrame, label: str, metrics: list[str]):
    """(replicates, years, metrics) array of one arm, with its replicate and year labels."""
    sub = annual[annual["scenario"] == label].sort_values(["replicate", "year"])
    reps, years = np.unique(sub["replicate"]), np.unique(sub["year"])
    if len(sub) != reps.size * years.size:
        raise ValueError(f"Arm '{label}' does not have every year for every replicate.")
    return sub[metrics].to_numpy(dtype=float).reshape(reps.size, years.size, len(metrics)), reps, years


def t_halfwidth(values: np.ndarray, level: float = 0.95, axis: int = 0) -> np.ndarray:
    """Half-width of the t interval of the mean along ``axis``; NaN with fewer than two values."""
    n = values.shape[axis]
    if n < 2:
        return np.full(np.delete(values.shape, axis), np.nan)
    with np.errstate(invalid="ignore"):
        sd = np.std(values, axis=axis, ddof=1)
    return stats.t.ppf(0.5 + level / 2, n - 1) * sd / np.sqrt(n)


def paired_summary(annual: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """comparison.csv: per reform x metric x year, the means and the paired difference with its interval.

    For replicate r, d_r = reform_r - baseline_r (same seed); the interval is
    mean(d) +- t_{R-1} sd(d) / sqrt(R).  With R = 1 it is NaN.
    """
    metrics = metric_columns(annual)
    base, reps, years = _cube(annual, baseline_label(annual), metrics)
    out = []
    for label in reform_labels(annual):
        ref, r_reps, r_years = _cube(annual, label, metrics)
        if not (np.array_equal(reps, r_reps) and np.array_equal(years, r_years)):
            raise ValueError(f"Arm '{label}' does not have the baseline's replicates and years; cannot pair them.")
        with np.errstate(invalid="ignore"):
            d = ref - base
            mean = d.mean(axis=0)
        half = t_halfwidth(d, level)
        m_idx, y_idx = np.meshgrid(np.arange(len(metrics)), np.arange(years.size), indexing="ij")
        m_idx, y_idx = m_idx.ravel(), y_idx.ravel()
        out.append(pd.DataFrame({
            "metric": np.asarray(metrics, dtype=object)[m_idx], "year": years[y_idx], "scenario": label,
            "baseline_mean": base.mean(axis=0)[y_idx, m_idx], "reform_mean": ref.mean(axis=0)[y_idx, m_idx],
            "diff_mean": mean[y_idx, m_idx], "diff_ci_low": (mean - half)[y_idx, m_idx],
            "diff_ci_high": (mean + half)[y_idx, m_idx]}))
    return pd.concat(out, ignore_index=True)[COMPARISON_COLUMNS]


def unpaired_halfwidth(annual: pd.DataFrame, metric: str, level: float = 0.95) -> pd.DataFrame:
    """For comparison only: the half-width the interval would have if the arms were independent runs.

    Welch's t interval (Welch 1947) of reform mean - baseline mean, beside the paired
    half-width, per reform and year.  Columns: scenario, year, paired, unpaired.
    """
    base, reps, years = _cube(annual, baseline_label(annual), [metric])
    n = reps.size
    rows = []
    for label in reform_labels(annual):
        ref = _cube(annual, label, [metric])[0]
        paired = t_halfwidth(ref - base, level)[:, 0]
        if n < 2:
            unpaired = np.full(years.size, np.nan)
        else:
            vb, vr = base.var(axis=0, ddof=1)[:, 0] / n, ref.var(axis=0, ddof=1)[:, 0] / n
            se2 = vb + vr
            with np.errstate(invalid="ignore", divide="ignore"):
                df = np.where(se2 > 0, se2 ** 2 / ((vb ** 2 + vr ** 2) / (n - 1)), n - 1)
            unpaired = stats.t.ppf(0.5 + level / 2, df) * np.sqrt(se2)
        rows.append(pd.DataFrame({"scenario": label, "year": years, "paired": paired, "unpaired": unpaired}))
    return pd.concat(rows, ignore_index=True)


def arm_bands(annual: pd.DataFrame, metric: str, level: float = 0.95) -> pd.DataFrame:
    """Each arm's mean of ``metric`` by year with a t interval over replicates (for the figures)."""
    rows = []
    for label in dict.fromkeys(annual["scenario"]):
        cube, _, years = _cube(annual, label, [metric])
        mean, half = cube.mean(axis=0)[:, 0], t_halfwidth(cube, level)[:, 0]
        rows.append(pd.DataFrame({"scenario": label, "year": years, "mean": mean, "low": mean - half,
                                  "high": mean + half}))
    return pd.concat(rows, ignore_index=True)
