"""Analysis of a sweep's results store: outcome tables, Sobol and Morris indices, scenario discovery, bands.

A small functional API in the manner of SALib (one function per method, each citing its paper);
every function returns a tidy :class:`pandas.DataFrame`.  The store is the one ``ruralsim sweep``
writes (issue 4)::

    DIR/manifest.json        name, spec_hash, design {method, ...}, factors [{name, kind, range|values}], ...
    DIR/design.parquet       run_id, one column per factor, replicate, seed
    DIR/parts/*.parquet      run_id, factors, replicate, seed, year, metric columns (model.annual.METRIC_COLUMNS)
    DIR/lorenz/*.parquet     run_id, population_share, income_share (final year's Lorenz curve)

Vocabulary (EMA Workbench): *uncertainties* are factors the planner does not control, *levers* are
policy choices, *outcomes* are metric columns.  A *design point* is one combination of factor values;
each is run once per replicate seed.  Outcomes are compared at the level of design points, averaged
over replicates (common random numbers make replicate r of every point meet the same shocks).

    from ruralsim.experiments.analysis import read_store, sobol_indices
    results, design, lorenz, manifest = read_store("results/gsa")
    sobol_indices(results, manifest, "relapse_rate", 2026)
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

#: Columns of the store that are never factors.
ID_COLUMNS = ("run_id", "replicate", "seed", "year", "point")


class StoreError(Exception):
    """The directory is not a readable results store (the message is one line, for the CLI)."""


# -- loading -----------------------------------------------------------------------------------------
def _read_parts(folder: Path, columns=None) -> pd.DataFrame | None:
    files = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
    if not files:
        return None
    frames = []
    for f in files:
        if columns is None:
            frames.append(pd.read_parquet(f))
        else:
            import pyarrow.parquet as pq

            names = set(pq.read_schema(f).names)
            frames.append(pd.read_parquet(f, columns=[c for c in columns if c in names]))
    return pd.concat(frames, ignore_index=True)


def factor_names(manifest: dict) -> list[str]:
    """The names of the varied factors, in the manifest's order."""
    return [f["name"] for f in manifest.get("factors", [])]


def lever_names(manifest: dict) -> list[str]:
    """The factors of kind ``lever`` (policy choices), in the manifest's order."""
    return [f["name"] for f in manifest.get("factors", []) if f.get("kind") == "lever"]


def read_store(directory, metrics=None):
    """Load a results store; return ``(results, design, lorenz, manifest)``.

    ``results`` is the tidy annual table of every finished run (sorted by ``run_id`` and ``year``)
    with a ``point`` column added (the design point's index, see :func:`design_points`);
    ``design`` is ``design.parquet`` with ``point``; ``lorenz`` is ``None`` when the store has no
    Lorenz parts.  ``metrics`` limits the metric columns read (the identifiers and factors are
    always read).  Raises :class:`StoreError` with a one-line message when the directory is missing,
    has no manifest or no results yet.
    """
    d = Path(directory)
    if not d.is_dir():
        raise StoreError(f"results directory not found: {d}")
    mpath = d / "manifest.json"
    if not mpath.is_file():
        raise StoreError(f"not a results store (no manifest.json): {d}")
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"cannot read {mpath}: {exc}") from None
    factors = factor_names(manifest)
    columns = None if metrics is None else [*ID_COLUMNS, *factors, *metrics]
    results = _read_parts(d / "parts", columns)
    if results is None or results.empty:
        raise StoreError(f"no results yet in {d} (parts/ holds no Parquet files); run 'ruralsim sweep' first")
    dpath = d / "design.parquet"
    design = pd.read_parquet(dpath) if dpath.is_file() else results.drop_duplicates("run_id")[
        ["run_id", *[f for f in factors if f in results], "replicate", "seed"]]
    design = design_points(design, factors)
    results = results.drop(columns=["point"], errors="ignore").merge(
        design[["run_id", "point"]], on="run_id", how="left")
    results = results.sort_values(["run_id", "year"], kind="stable").reset_index(drop=True)
    results.attrs["factors"] = factors
    lorenz = _read_parts(d / "lorenz")
    return results, design, lorenz, manifest


def design_points(design: pd.DataFrame, factors) -> pd.DataFrame:
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


def _factors(results: pd.DataFrame, factors=None) -> list[str]:
    if factors is not None:
        return [f for f in factors if f in results]
    if results.attrs.get("factors") is not None:
        return [f for f in results.attrs["factors"] if f in results]
    from ruralsim.model.annual import METRIC_COLUMNS

    skip = set(ID_COLUMNS) | set(METRIC_COLUMNS)
    return [c for c in results.columns if c not in skip and not c.startswith("cost_")]


# -- outcome per design point ------------------------------------------------------------------------
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
    factors = _factors(results, factors)
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


# -- global sensitivity ------------------------------------------------------------------------------
def _problem(names) -> dict:
    # SALib's analysers use only the names (and their number); the bounds are not read.
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def _design_matrix(results, manifest, outcome, year, method):
    got = manifest.get("design", {}).get("method")
    if got != method:
        raise ValueError(f"{method} analysis needs a {method} design; this experiment's design is {got!r}")
    names = [f for f in factor_names(manifest) if f in results]
    table = outcome_table(results, outcome, year, factors=names).sort_values("point")
    points = table["point"].to_numpy()
    expected = int(points.max()) + 1 if points.size else 0
    if manifest.get("runs") and manifest.get("replicates"):  # the whole design, finished or not
        expected = max(expected, int(manifest["runs"]) // int(manifest["replicates"]))
    if points.size < expected or not np.array_equal(points, np.arange(points.size)):
        missing = sorted(set(range(expected)) - set(points.tolist()))
        raise ValueError(f"{len(missing)} design points have no results (first: {missing[:5]}); "
                         "finish the sweep (ruralsim sweep --resume) before the sensitivity analysis")
    return names, table


def _is_second_order(X: np.ndarray, D: int, declared) -> bool:
    """Whether a Saltelli matrix holds the second-order rows (A, AB_1..AB_D, BA_1..BA_D, B per base row)."""
    if declared is not None:
        return bool(declared)
    n = len(X)
    candidates = [s for s, flag in ((2 * D + 2, True), (D + 2, False)) if n % s == 0]
    for size in candidates:
        blocks = X.reshape(n // size, size, D)
        b = blocks[:, -1, :]  # row B closes each block; AB_i takes column i from B
        if all((blocks[:, 1 + i, i] == b[:, i]).all() for i in range(D)):
            return size == 2 * D + 2
    raise ValueError(f"{n} design points do not form a Saltelli sample of {D} factors")


def sobol_indices(results: pd.DataFrame, manifest: dict, outcome: str, year=None, *,
                  num_resamples: int = 1000, conf_level: float = 0.95, seed: int = 20020101) -> pd.DataFrame:
    """Sobol' first-order and total-order indices of ``outcome`` in ``year``, with confidence intervals.

    Variance-based global sensitivity analysis: ``S1`` is the share of the outcome's variance over
    the factor ranges explained by a factor alone, ``ST`` the share it takes part in, interactions
    included.  Estimators of Saltelli (2002) for the design and Saltelli et al. (2010) for ``S1`` and
    ``ST`` as implemented by :func:`SALib.analyze.sobol.analyze`; ``*_conf`` is the half-width of the
    bootstrap confidence interval at ``conf_level`` (``num_resamples`` resamples, fixed ``seed``).

    The design must be ``saltelli``: its design points, in order, are SALib's sample matrix.  The
    outcome of each point is its mean over replicates, which removes most of the seed noise that
    would otherwise count as unexplained variance.  Returns columns ``factor, S1, S1_conf, ST, ST_conf``.

    Saltelli, A. (2002). Making best use of model evaluations to compute sensitivity indices.
    Computer Physics Communications 145(2):280-297, doi:10.1016/S0010-4655(02)00280-1.
    Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M., Tarantola, S. (2010). Variance
    based sensitivity analysis of model output. Computer Physics Communications 181(2):259-270,
    doi:10.1016/j.cpc.2009.09.018.
    """
    from SALib.analyze import sobol

    names, table = _design_matrix(results, manifest, outcome, year, "saltelli")
    X = table[names].to_numpy()
    second = _is_second_order(X, len(names), manifest.get("design", {}).get("calc_second_order"))
    Y = table[outcome].to_numpy(dtype=float)
    if not np.isfinite(Y).all():
        raise ValueError(f"{outcome} is not finite at every design point")
    if Y.std() == 0:
        return pd.DataFrame({"factor": names, "S1": 0.0, "S1_conf": 0.0, "ST": 0.0, "ST_conf": 0.0})
    si = sobol.analyze(_problem(names), Y, calc_second_order=second, num_resamples=num_resamples,
                       conf_level=conf_level, seed=seed or 1)  # SALib ignores seed 0
    return pd.DataFrame({"factor": names, **{k: np.asarray(si[k], dtype=float)
                                              for k in ("S1", "S1_conf", "ST", "ST_conf")}})


def morris_indices(results: pd.DataFrame, manifest: dict, outcome: str, year=None, *,
                   num_resamples: int = 1000, conf_level: float = 0.95, seed: int = 19910501) -> pd.DataFrame:
    """Morris elementary-effects screening of ``outcome`` in ``year``.

    ``mu_star`` is the mean absolute elementary effect (overall importance), ``sigma`` their standard
    deviation (non-linearity or interactions), ``mu_star_conf`` the bootstrap half-width of ``mu_star``
    at ``conf_level``.  Morris (1991) with the mu* measure of Campolongo et al. (2007), as implemented
    by :func:`SALib.analyze.morris.analyze`.  An elementary effect is the change in the outcome per
    step, divided by the step as a share of the factor's range, so effects are in outcome units per
    full range of the factor.  The design must be ``morris`` (points in order = SALib's trajectories;
    ``levels`` from the manifest, default 4); outcomes are means over replicates.  Columns:
    ``factor, mu, mu_star, mu_star_conf, sigma``.

    Morris, M. D. (1991). Factorial sampling plans for preliminary computational experiments.
    Technometrics 33(2):161-174, doi:10.1080/00401706.1991.10484804.
    Campolongo, F., Cariboni, J., Saltelli, A. (2007). An effective screening design for sensitivity
    analysis of large models. Environmental Modelling & Software 22(10):1509-1518,
    doi:10.1016/j.envsoft.2006.10.004.
    """
    from SALib.analyze import morris

    names, table = _design_matrix(results, manifest, outcome, year, "morris")
    specs = {f["name"]: f for f in manifest.get("factors", [])}
    cols = []
    for name in names:  # only the direction of each step is read from X; levels become their index
        col = table[name]
        if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
            order = list(specs.get(name, {}).get("values") or sorted(col.unique().tolist(), key=str))
            col = col.map({v: i for i, v in enumerate(order)})
        cols.append(col.to_numpy(dtype=float))
    X = np.column_stack(cols)
    Y = table[outcome].to_numpy(dtype=float)
    if len(Y) % (len(names) + 1):
        raise ValueError(f"{len(Y)} design points do not form Morris trajectories of {len(names)} factors")
    si = morris.analyze(_problem(names), X, Y, num_resamples=num_resamples, conf_level=conf_level,
                        num_levels=int(manifest.get("design", {}).get("levels", 4)), seed=seed)
    return pd.DataFrame({"factor": names, **{k: np.asarray(si[k], dtype=float)
                                              for k in ("mu", "mu_star", "mu_star_conf", "sigma")}})


# -- scenario discovery ------------------------------------------------------------------------------
def scenario_discovery(results: pd.DataFrame, manifest: dict, outcome: str, year=None, threshold=None, *,
                       max_depth: int = 3, min_leaf_share: float = 0.05, by_run: bool = False,
                       year_after: str | None = None) -> pd.DataFrame:
    """Which factor ranges lead to ``outcome`` above ``threshold``: boxes from a shallow decision tree.

    Scenario discovery (Bryant & Lempert 2010) looks for a few readable *boxes* of the factor space
    where an outcome of interest is concentrated.  Each box is judged by its *density* (share of the
    points in the box that are above the threshold) and *coverage* (share of all points above the
    threshold that lie in the box).  PRIM, the classic algorithm, lives in ema_workbench, a heavy
    dependency; a scikit-learn :class:`~sklearn.tree.DecisionTreeClassifier` of depth ``max_depth``
    (3) with leaves of at least ``min_leaf_share`` (5%) of the points gives the same kind of
    answer: every leaf is a box, and a shallow tree's boxes read as rules of at most three
    conditions (as in CART-based scenario discovery, Lempert et al. 2008).

    The unit is the design point (outcome averaged over replicates), or the run with
    ``by_run=True``.  Categorical factors are one-hot encoded and their conditions read
    ``pace = cliff`` or ``pace in {linear, none}``.  Returns one row per leaf predicting "above",
    best first: ``box, n, n_above, density, coverage``, for each numeric factor ``<f>_lo`` and
    ``<f>_hi`` (``-inf``/``inf`` where the box does not bound it), for each categorical factor
    ``<f>`` (the tuple of values allowed), and ``rule`` (the conditions as text).  ``attrs`` holds
    the outcome, year, threshold, unit, number of points and number above (see :func:`rules_text`).

    Bryant, B. P., Lempert, R. J. (2010). Thinking inside the box: a participatory, computer-assisted
    approach to scenario discovery. Technological Forecasting and Social Change 77(1):34-49,
    doi:10.1016/j.techfore.2009.08.002.
    Lempert, R. J., Bryant, B. P., Bankes, S. C. (2008). Comparing algorithms for scenario discovery.
    RAND WR-557-NSF.
    """
    from sklearn.tree import DecisionTreeClassifier

    names = [f for f in factor_names(manifest) if f in results] or _factors(results)
    table = outcome_table(results, outcome, year, factors=names, year_after=year_after, by_run=by_run)
    table = table[np.isfinite(table[outcome].to_numpy(dtype=float))]
    values = table[outcome].to_numpy(dtype=float)
    if threshold is None:
        threshold = float(np.quantile(values, 0.75))
    above = values > threshold
    unit = "runs" if by_run else "design points"
    categorical = {n: sorted(table[n].unique().tolist(), key=str) for n in names
                   if not pd.api.types.is_numeric_dtype(table[n]) or pd.api.types.is_bool_dtype(table[n])}
    columns, features = [], []  # (factor, level or None) per feature column
    for n in names:
        if n in categorical:
            for v in categorical[n]:
                columns.append((table[n] == v).to_numpy(dtype=float))
                features.append((n, v))
        else:
            columns.append(table[n].to_numpy(dtype=float))
            features.append((n, None))
    attrs = {"outcome": outcome, "year": year, "threshold": float(threshold), "unit": unit,
             "n_points": int(len(values)), "n_above": int(above.sum()), "year_after": year_after}
    out_cols = ["box", "n", "n_above", "density", "coverage"]
    for n in names:
        out_cols += [n] if n in categorical else [f"{n}_lo", f"{n}_hi"]
    out_cols.append("rule")
    if above.all() or not above.any() or not features:
        empty = pd.DataFrame(columns=out_cols)
        empty.attrs.update(attrs)
        return empty
    X = np.column_stack(columns)
    tree = DecisionTreeClassifier(max_depth=max_depth, min_samples_leaf=max(1, round(min_leaf_share * len(X))),
                                  random_state=0).fit(X, above)
    t = tree.tree_
    leaf_of = tree.apply(X)
    rows = []

    def walk(node, lo, hi, allowed):
        if t.children_left[node] == -1:
            members = leaf_of == node
            n_in, n_up = int(members.sum()), int(above[members].sum())
            if n_in and n_up / n_in > 0.5:
                rows.append((node, n_in, n_up, dict(lo), dict(hi), {k: tuple(v) for k, v in allowed.items()}))
            return
        name, level = features[t.feature[node]]
        cut = float(t.threshold[node])
        if level is None:
            walk(t.children_left[node], lo, {**hi, name: min(hi.get(name, math.inf), cut)}, allowed)
            walk(t.children_right[node], {**lo, name: max(lo.get(name, -math.inf), cut)}, hi, allowed)
        else:  # one-hot column: left is "not this level", right is "this level"
            walk(t.children_left[node], lo, hi, {**allowed, name: [v for v in allowed[name] if v != level]})
            walk(t.children_right[node], lo, hi, {**allowed, name: [v for v in allowed[name] if v == level]})

    walk(0, {}, {}, {n: list(v) for n, v in categorical.items()})
    records = []
    for _, n_in, n_up, lo, hi, allowed in rows:
        rec = {"n": n_in, "n_above": n_up, "density": n_up / n_in, "coverage": n_up / int(above.sum())}
        conditions = []
        for n in names:
            if n in categorical:
                rec[n] = allowed[n]
                if len(allowed[n]) < len(categorical[n]):
                    vals = allowed[n]
                    conditions.append(f"{n} = {vals[0]}" if len(vals) == 1
                                      else f"{n} in {{{', '.join(map(str, vals))}}}")
            else:
                a, b = lo.get(n, -math.inf), hi.get(n, math.inf)
                rec[f"{n}_lo"], rec[f"{n}_hi"] = a, b
                if math.isfinite(a) and math.isfinite(b):
                    conditions.append(f"{_num(a)} < {n} <= {_num(b)}")
                elif math.isfinite(a):
                    conditions.append(f"{n} > {_num(a)}")
                elif math.isfinite(b):
                    conditions.append(f"{n} <= {_num(b)}")
        rec["rule"] = " and ".join(conditions) or "always"
        records.append(rec)
    boxes = pd.DataFrame(records).sort_values(["n_above", "density"], ascending=False, kind="stable")
    boxes.insert(0, "box", np.arange(1, len(boxes) + 1))
    boxes = boxes.reindex(columns=out_cols).reset_index(drop=True)
    boxes.attrs.update(attrs)
    boxes.attrs["importance"] = {n: float(sum(imp for (f, _), imp in zip(features, tree.feature_importances_)
                                              if f == n)) for n in names}
    return boxes


def box_mask(points: pd.DataFrame, box: pd.Series) -> np.ndarray:
    """Which rows of ``points`` (factor columns) lie inside ``box`` (a row of :func:`scenario_discovery`)."""
    inside = np.ones(len(points), dtype=bool)
    for col, value in box.items():
        if col.endswith("_lo") and col[:-3] in points:
            inside &= points[col[:-3]].to_numpy(dtype=float) > value
        elif col.endswith("_hi") and col[:-3] in points:
            inside &= points[col[:-3]].to_numpy(dtype=float) <= value
        elif col in points and isinstance(value, tuple):
            inside &= points[col].isin(value).to_numpy()
    return inside


def _num(v: float) -> str:
    """Four significant digits, but every digit before the point and one after (2024.5, not 2024)."""
    digits = 4 if abs(v) < 1 else max(4, int(math.log10(abs(v))) + 2)
    return f"{v:.{digits}g}"


def rules_text(boxes: pd.DataFrame, outcome: str | None = None, threshold: float | None = None) -> list[str]:
    """The boxes of :func:`scenario_discovery` as sentences, one per box, e.g.

    ``relapse_rate > 0.05 when withdrawal_year <= 2024.5 and pace = cliff: density 0.92, coverage 0.81 (46 runs)``
    """
    outcome = outcome or boxes.attrs.get("outcome", "outcome")
    threshold = boxes.attrs.get("threshold") if threshold is None else threshold
    unit = boxes.attrs.get("unit", "design points")
    head = f"{outcome} > {_num(threshold)}"
    if boxes.empty:
        n, up = boxes.attrs.get("n_points", 0), boxes.attrs.get("n_above", 0)
        if n and up == n:
            return [f"{head} in every one of the {n} {unit}: no box separates them"]
        return [f"{head} in {up} of {n} {unit}: no box found"]
    return [f"{head} when {r.rule}: density {r.density:.2f}, coverage {r.coverage:.2f} ({r.n} {unit})"
            for r in boxes.itertuples()]


# -- bands over replicates and points ----------------------------------------------------------------
def _discrete(series: pd.Series, max_levels: int = 6, bins: int = 4) -> pd.Series:
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
    df[key] = _discrete(df[by], max_levels) if by is not None else "all runs"
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


def lorenz_table(lorenz: pd.DataFrame, design: pd.DataFrame, by: str | None = None,
                 max_levels: int = 6) -> pd.DataFrame:
    """Mean Lorenz curve (final year) per value of ``by``: ``<by>, population_share, income_share, n``."""
    df = lorenz.merge(design[["run_id", *([by] if by else [])]], on="run_id", how="inner")
    key = by or "group"
    df[key] = _discrete(df[by], max_levels) if by else "all runs"
    out = df.groupby([key, "population_share"], sort=True, observed=True)["income_share"].agg(
        income_share="mean", n="count").reset_index()
    return out
