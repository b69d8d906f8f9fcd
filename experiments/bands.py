"""Bands over a sweep's runs: t intervals of the mean by factor value, quantile fans, mean Lorenz curves.

A band over replicates and design points says where the mean lies (a t interval, Student 1908);
a fan says where the runs fall (quantiles over all runs).

Student (1908). The probable error of a mean. Biometrika 6(1):1-25, doi:10.2307/2331554.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def as_levels(series: pd.Series, max_levels: int = 6, bins: int = 4) -> pd.Series:
    """The series itself when it has few values; else ``bins`` quantile bins (ordered, labelled by range)."""
    if series.nunique() <= max_levels or not pd.api.types.is_numeric_dtype(series):
        return series
    cut = pd.qcut(series, bins, duplicates="drop")
    return cut.cat.rename_categories([f"{iv.left:.3g} to {iv.right:.3g}" for iv in cut.cat.categories])


def bands(results: pd.DataFrame, by: str | None, outcome: str, *, level: float = 0.95,
          max_levels: int = 6) -> pd.DataFrame:
    """Per year and value of ``by``: mean of ``outcome`` with a ``level`` (95%) t interval.

    The sample is every run with that value (all replicates and all design points), so the
    interval is for the mean over the replicate seeds and over the other factors as the design
    spreads them.  ``by`` is a factor or scenario column (``None`` pools all runs); a numeric
    column with more than ``max_levels`` values is cut into quartile bins.  Columns:
    ``year, <by>, mean, lo, hi, sd, n`` (``lo``/``hi`` are NaN when n < 2).
    """
    from scipy import stats

    df = results[[c for c in dict.fromkeys(["year", by, outcome]) if c is not None]].copy()
    key = by if by is not None else "_all"
    df[key] = as_levels(df[by], max_levels) if by is not None else "all runs"
    g = df.groupby(["year", key], sort=True, observed=True)[outcome]
    out = g.agg(mean="mean", sd="std", n="count").reset_index()
    half = stats.t.ppf(0.5 + level / 2, np.maximum(out["n"] - 1, 1)) * out["sd"] / np.sqrt(out["n"])
    half = half.where(out["n"] >= 2)
    out["lo"], out["hi"] = out["mean"] - half, out["mean"] + half
    out = out.rename(columns={"_all": "group"}) if by is None else out
    return out[["year", by or "group", "mean", "lo", "hi", "sd", "n"]]


def quantile_bands(results: pd.DataFrame, outcome: str, levels=(0.5, 0.8, 0.95)) -> pd.DataFrame:
    """Per year: median and the central ``levels`` intervals of ``outcome`` over all runs (a fan chart).

    Columns ``year, median, lo_50, hi_50, lo_80, hi_80, ...``: the spread of outcomes across the
    design and the seeds (where the runs fall), not an interval for a mean.
    """
    g = results.groupby("year", sort=True)[outcome]
    out = g.median().rename("median").to_frame()
    for lev in levels:
        pct = round(100 * lev)
        out[f"lo_{pct}"] = g.quantile(0.5 - lev / 2)
        out[f"hi_{pct}"] = g.quantile(0.5 + lev / 2)
    out["n"] = g.count()
    return out.reset_index()


def mean_lorenz_curves(lorenz: pd.DataFrame, design: pd.DataFrame, by: str | None = None,
                 max_levels: int = 6) -> pd.DataFrame:
    """Mean Lorenz curve (final year) per value of ``by``: ``<by>, population_share, income_share, n``."""
    df = lorenz.merge(design[["run_id", *([by] if by else [])]], on="run_id", how="inner")
    key = by or "group"
    df[key] = as_levels(df[by], max_levels) if by else "all runs"
    out = df.groupby([key, "population_share"], sort=True, observed=True)["income_share"].agg(
        income_share="mean", n="count").reset_index()
    return out
