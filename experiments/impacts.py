"""Who gains and who loses: income change by baseline income decile, and shares of winners and losers.

The same households are followed into every arm (the same seed draws the same county), so a
household's change is its reform income minus its own baseline income, in the final year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ruralsim.model import metrics as mx

from .arms import BASELINE, reform_labels

DECILE_COLUMNS = ["scenario", "decile", "baseline_mean_income", "reform_mean_income", "change", "change_pct"]


def winners_columns(threshold: float = 0.05) -> list[str]:
    """The columns of winners_losers.csv for ``threshold`` (0.05: ``share_gain_over_5pct`` ...)."""
    pct = f"{100 * threshold:g}pct"
    return ["scenario", f"share_gain_over_{pct}", f"share_loss_over_{pct}", f"share_within_{pct}"]


def _paired_households(households: pd.DataFrame):
    """Yield (label, baseline rows, reform rows), both sorted by replicate and household."""
    keys = ["replicate", "household"]
    base = households[households["role"] == BASELINE].sort_values(keys)
    for label in reform_labels(households):
        ref = households[households["scenario"] == label].sort_values(keys)
        if not np.array_equal(base[keys].to_numpy(), ref[keys].to_numpy()):
            raise ValueError(f"Arm '{label}' does not hold the baseline's replicates and households; cannot pair them.")
        yield label, base, ref


def _baseline_deciles(base: pd.DataFrame) -> np.ndarray:
    """Person-weighted decile (0-9) of baseline y, computed within each replicate's county."""
    dec = np.empty(len(base), dtype=np.int64)
    y, w, rep = base["y"].to_numpy(), base["members"].to_numpy(), base["replicate"].to_numpy()
    for r in np.unique(rep):
        idx = np.flatnonzero(rep == r)
        dec[idx] = mx.decile_of(y[idx], w[idx])
    return dec


def decile_impacts(households: pd.DataFrame, value: str = "y") -> pd.DataFrame:
    """deciles.csv: mean change in per-capita income by *baseline* income decile of persons (final year).

    Deciles are formed within each replicate from the baseline's y with person weights
    (:func:`model.metrics.decile_of`); the same households are then followed into the
    reform (same seed, same county) and the person-weighted means are pooled over
    replicates.  Both means use the baseline's members as weights.  ``value`` may name
    another household column (e.g. ``recv_gov``, divided by members) for the same table.
    """
    rows = []
    dec = None
    for label, base, ref in _paired_households(households):
        if dec is None:
            dec = _baseline_deciles(base)
        w = base["members"].to_numpy()
        vb, vr = base[value].to_numpy(), ref[value].to_numpy()
        if value != "y":
            vb, vr = vb / w, vr / ref["members"].to_numpy()
        persons = np.bincount(dec, weights=w, minlength=10)
        bm = np.bincount(dec, weights=w * vb, minlength=10) / persons
        rm = np.bincount(dec, weights=w * vr, minlength=10) / persons
        with np.errstate(invalid="ignore", divide="ignore"):
            pct = np.where(bm > 0, 100.0 * (rm - bm) / bm, np.nan)
        rows.append(pd.DataFrame({"scenario": label, "decile": np.arange(1, 11), "baseline_mean_income": bm,
                                  "reform_mean_income": rm, "change": rm - bm, "change_pct": pct}))
    return pd.concat(rows, ignore_index=True)[DECILE_COLUMNS]


def winners_losers(households: pd.DataFrame, threshold: float = 0.05) -> pd.DataFrame:
    """winners_losers.csv: shares of persons whose final-year per-capita income rises by more
    than ``threshold`` (5%), falls by more than it, or stays within it, pooled over replicates.

    The change is judged against the household's own baseline income, |y_base|; a
    household with zero baseline income gains or loses with any change.
    """
    cols = winners_columns(threshold)
    rows = []
    for label, base, ref in _paired_households(households):
        yb, yr, w = base["y"].to_numpy(), ref["y"].to_numpy(), base["members"].to_numpy()
        change, scale = yr - yb, threshold * np.abs(yb)
        gain = (change > 0) & (change > scale)
        loss = (change < 0) & (-change > scale)
        total = w.sum()
        rows.append({cols[0]: label, cols[1]: w[gain].sum() / total, cols[2]: w[loss].sum() / total,
                     cols[3]: w[~gain & ~loss].sum() / total})
    return pd.DataFrame(rows, columns=cols)
