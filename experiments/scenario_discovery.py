"""Scenario discovery: the readable boxes of factor space where an outcome of interest is concentrated.

Boxes come from a shallow decision tree (CART-based scenario discovery, Lempert et al. 2008) and are
judged by density and coverage (Bryant & Lempert 2010); see :func:`scenario_discovery`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .sweep_results import factor_columns, factor_names, outcome_table


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

    names = [f for f in factor_names(manifest) if f in results] or factor_columns(results)
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
