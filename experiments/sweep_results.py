"""A sweep's results as tables for analysis: the store read back, runs matched to design points, and
one value of an outcome per design point.

Vocabulary (EMA Workbench; Kwakkel 2017): *uncertainties* are factors the planner does not control,
*levers* are policy choices, *outcomes* are metric columns.  A *design point* is one combination of
factor values; each is run once per replicate seed.  Outcomes are compared at the level of design
points, averaged over replicates (common random numbers make replicate r of every point meet the
same shocks).

Kwakkel, J. H. (2017). The Exploratory Modeling Workbench: an open source toolkit for exploratory
modeling, scenario discovery, and (multi-objective) robust decision making. Environmental Modelling
& Software 96:239-250, doi:10.1016/j.envsoft.2017.06.054.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import store
from .store import StoreError

#: Columns of the store that are never factors.
RUN_COLUMNS = ("run_id", "replicate", "seed", "year", "point")


def factor_names(manifest: dict) -> list[str]:
    """The names of the varied factors, in the manifest's order."""
    return [f["name"] for f in manifest.get("factors", [])]


def lever_names(manifest: dict) -> list[str]:
    """The factors of kind ``lever`` (policy choices), in the manifest's order."""
    return [f["name"] for f in manifest.get("factors", []) if f.get("kind") == "lever"]


def read_store(directory, metrics=None):
    """Load a results store; return ``(results, design, lorenz, manifest)``.

    ``results`` is the tidy annual table of every finished run (sorted by ``run_id`` and ``year``)
    with a ``point`` column added (the design point's index, see :func:`match_runs_to_points`);
    ``design`` is ``design.parquet`` with ``point``; ``lorenz`` is ``None`` when the store has no
    Lorenz curves yet.  ``metrics`` limits the metric columns read (the identifiers and factors are
    always read).  The files are read by :mod:`ruralsim.experiments.store`; raises
    :class:`~ruralsim.experiments.store.StoreError` with a one-line message when the directory is
    missing, has no manifest or no results yet.
    """
    manifest = store.load_manifest(directory)
    factors = factor_names(manifest)
    columns = None if metrics is None else [*RUN_COLUMNS, *factors, *metrics]
    results = store.load_results(directory, columns)
    if results.empty:
        raise StoreError(f"no results yet in {Path(directory)} (parts/ holds no Parquet files); "
                         "run 'ruralsim sweep' first")
    if (Path(directory) / store.DESIGN).is_file():
        design = store.load_design(directory)
    else:  # a store written by hand: the design is what the results hold
        design = results.drop_duplicates("run_id")[
            ["run_id", *[f for f in factors if f in results], "replicate", "seed"]]
    design = match_runs_to_points(design, factors)
    results = results.drop(columns=["point"], errors="ignore").merge(
        design[["run_id", "point"]], on="run_id", how="left")
    results = results.sort_values(["run_id", "year"], kind="stable").reset_index(drop=True)
    results.attrs["factors"] = factors
    lorenz = store.load_lorenz(directory)
    return results, design, (None if lorenz.empty else lorenz), manifest


def match_runs_to_points(design: pd.DataFrame, factors) -> pd.DataFrame:
    """Add a ``point`` column: the design point (0, 1, ...) each run evaluates.

    Design points are numbered in ``run_id`` order within replicate 0 (for Saltelli and Morris
    designs that is the order of SALib's sample matrix).  A run of another replicate is matched to
    the point with the same factor values; when a combination occurs several times in the matrix
    (a Saltelli design with integer factors can repeat one), the k-th occurrence within a replicate
    is matched to the k-th occurrence within replicate 0.
    """
    factors = [f for f in factors if f in design]
    d = design.sort_values("run_id", kind="stable").copy()
    if not factors:
        d["point"] = 0
        return d
    d["_occ"] = d.groupby(["replicate", *factors], sort=False, dropna=False).cumcount()
    first = d["replicate"].min()
    base = d[d["replicate"] == first][[*factors, "_occ"]].copy()
    base["point"] = np.arange(len(base))
    out = d.merge(base, on=[*factors, "_occ"], how="left", sort=False)
    if out["point"].isna().any():
        # factor combinations missing from the first replicate (not a repeated design): number them after
        extra = out["point"].isna()
        keys = out.loc[extra, factors].drop_duplicates()
        keys["_new"] = np.arange(len(base), len(base) + len(keys))
        out = out.merge(keys, on=factors, how="left")
        out["point"] = out["point"].fillna(out["_new"])
        out = out.drop(columns="_new")
    out["point"] = out["point"].astype(int)
    return out.drop(columns="_occ").reset_index(drop=True)


def factor_columns(results: pd.DataFrame, factors=None) -> list[str]:
    """The factor columns of ``results``: ``factors`` if given, else those :func:`read_store` recorded,
    else every column that is neither an identifier nor an outcome metric."""
    if factors is not None:
        return [f for f in factors if f in results]
    if results.attrs.get("factors") is not None:
        return [f for f in results.attrs["factors"] if f in results]
    from ruralsim.model.annual import METRIC_COLUMNS

    skip = set(RUN_COLUMNS) | set(METRIC_COLUMNS)
    return [c for c in results.columns if c not in skip and not c.startswith("cost_")]


def outcome_table(results: pd.DataFrame, outcome: str, year=None, agg="mean", *, factors=None,
                  year_after: str | None = None, by_run: bool = False) -> pd.DataFrame:
    """One value of ``outcome`` per design point: the ``agg`` (default mean) over its replicates.

    ``year`` defaults to the final year of the results.  ``year_after`` names a factor holding a
    year (e.g. ``withdrawal_year``): each run is then read in the year after that factor's value,
    and runs whose year after lies beyond the horizon are left out.  Columns: ``point``, the factor
    columns, ``outcome``, ``n`` (replicates).  With ``by_run=True`` one row per run instead
    (``run_id``, ``replicate`` and ``seed`` kept, no aggregation).
    """
    if outcome not in results:
        raise KeyError(f"outcome {outcome!r} is not a column of the results")
    factors = factor_columns(results, factors)
    if year_after is not None:
        target = np.floor(results[year_after].to_numpy(dtype=float) + 1e-9).astype(int) + 1
        rows = results[results["year"].to_numpy() == target]
    else:
        year = int(results["year"].max()) if year is None else int(year)
        rows = results[results["year"] == year]
        if rows.empty:
            raise ValueError(f"no results for year {year}; years are {int(results['year'].min())}-"
                             f"{int(results['year'].max())}")
    key = ["point"] if "point" in rows else factors
    if by_run:
        keep = [c for c in ("run_id", "point", *factors, "replicate", "seed") if c in rows]
        return rows[[*dict.fromkeys(keep), outcome]].reset_index(drop=True)
    grouped = rows.groupby(key, sort=True, dropna=False)
    table = grouped[outcome].agg(agg).rename(outcome).to_frame()
    table["n"] = grouped[outcome].count()
    if key == ["point"]:
        table = table.join(grouped[factors].first())
    table = table.reset_index()
    return table[[*dict.fromkeys([*key, *factors]), outcome, "n"]]
