"""Figures of a sweep: trajectories with bands, heatmaps, Lorenz curves, fan charts, Sobol, Morris, boxes.

Every function returns a :class:`matplotlib.figure.Figure` drawn on the Agg canvas without pyplot
(like :mod:`ruralsim.experiments.plots`), so importing this module never changes a notebook's backend.  Pass the
store's ``manifest`` to get the caption line (experiment, design, runs, replicates) at the bottom;
:func:`save` writes PNG and SVG::

    from ruralsim.experiments.analysis import read_store
    from ruralsim.experiments import sweep_plots as plots
    results, design, lorenz, manifest = read_store("results/withdrawal")
    fig = plots.trajectories(results, "pace", manifest=manifest)
    plots.save(fig, "figures/trajectories", ("png", "svg"))
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from .plots import DPI, new_figure

from . import analysis as A

#: outcome -> (readable name, unit on the axis, scale applied to the stored value)
OUTCOMES = {
    "poverty_rate": ("poverty rate", "% of persons", 100.0),
    "relapse_rate": ("relapse rate", "% of ex-poor persons", 100.0),
    "cumulative_relapse_rate": ("cumulative relapse rate", "% of ex-poor persons", 100.0),
    "new_poverty_rate": ("new poverty rate", "% of never-registered persons", 100.0),
    "near_poor_rate": ("near-poor rate", "% of persons", 100.0),
    "monitored_share": ("monitored share", "% of persons", 100.0),
    "relative_poverty_rate": ("relative poverty rate", "% of persons", 100.0),
    "gini": ("Gini coefficient", "0 = equal, 1 = maximal", 1.0),
    "theil": ("Theil index", "0 = equal", 1.0),
    "quintile_ratio": ("quintile ratio", "richest 20% / poorest 20%, ×", 1.0),
    "mean_income": ("mean income", "yuan per person per year, 2020 prices", 1.0),
    "median_income": ("median income", "yuan per person per year, 2020 prices", 1.0),
    "mean_income_ex_poor": ("mean income of ex-poor", "yuan per person per year, 2020 prices", 1.0),
    "fiscal_cost": ("fiscal cost", "million yuan per year, 2020 prices", 1e-6),
}


def outcome_label(name: str) -> tuple[str, str, float]:
    """(readable name, unit, scale) of an outcome column; shares not listed are shown in %."""
    if name in OUTCOMES:
        return OUTCOMES[name]
    if name.startswith("cost_"):
        return (f"cost of {name[5:].replace('_', ' ')}", "million yuan per year, 2020 prices", 1e-6)
    if name.endswith(("_rate", "_share")):
        return (name.replace("_", " "), "%", 100.0)
    return (name.replace("_", " "), "model units", 1.0)


def _diff_unit(name: str) -> str:
    """Unit of a difference of the outcome: percentage points for shares shown in %."""
    unit = outcome_label(name)[1]
    return "percentage points" if unit.startswith("%") else unit


def _fmt(name: str, value: float) -> str:
    _, unit, scale = outcome_label(name)
    if not np.isfinite(value):
        return "n/a"
    v = value * scale
    return f"{v:.1f}%" if unit.startswith("%") else f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"


def _factor_label(manifest: dict | None, name: str) -> str:
    spec = next((f for f in (manifest or {}).get("factors", []) if f.get("name") == name), {})
    unit = spec.get("unit")
    return f"{name} ({unit})" if unit else name


def _legend_title(df: pd.DataFrame, manifest, by: str) -> str:
    binned = isinstance(A.as_levels(df[by]).dtype, pd.CategoricalDtype) and df[by].nunique() > 6
    return _factor_label(manifest, by) + (" (quartile bins)" if binned else "")


def caption(manifest: dict | None, extra: str = "") -> str:
    """The caption line: experiment name, design, runs, design points and replicates, size, horizon."""
    if not manifest:
        return extra
    d = manifest.get("design", {})
    method = str(d.get("method", "?")).replace("_", " ")
    opts = ", ".join(f"{k} {v}" for k, v in d.items() if k in ("samples", "trajectories", "levels"))
    parts = [f"experiment: {manifest.get('name', '?')}", f"design: {method}" + (f" ({opts})" if opts else "")]
    if manifest.get("runs") is not None:
        parts.append(f"{int(manifest['runs']):,} runs")
    if manifest.get("replicates") is not None:
        parts.append(f"{manifest['replicates']} replicate{'' if manifest['replicates'] == 1 else 's'}")
    if manifest.get("households") is not None:
        parts.append(f"{int(manifest['households']):,} households")
    if manifest.get("years") is not None:
        parts.append(f"{manifest['years']} year{'' if manifest['years'] == 1 else 's'}")
    if manifest.get("seed") is not None:
        parts.append(f"root seed {manifest['seed']}")
    text = "  ·  ".join(parts)
    return f"{text}\n{extra}" if extra else text


def _finish(fig, manifest, extra=""):
    text = caption(manifest, extra)
    if text:  # wrapped to the figure's width (about 14 characters per inch at 8.5 pt)
        width = max(40, int(fig.get_figwidth() * 14))
        lines = [w for line in text.split("\n") for w in textwrap.wrap(line, width, break_on_hyphens=False)]
        fig.supxlabel("\n".join(lines), fontsize=8.5, color="0.35")
    return fig


def _year_axis(ax, years) -> None:
    ax.set_xlabel("year")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if len(years) > 10:
        ax.tick_params(axis="x", labelsize=8)
    ax.grid(True, alpha=0.3)
    ax.set_axisbelow(True)


def save(fig: Figure, path_stem, formats=("png", "svg")) -> list[Path]:
    """Write ``fig`` as ``path_stem.<format>`` for each format; return the paths."""
    stem = Path(path_stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        path = stem.with_name(f"{stem.name}.{fmt}")
        fig.savefig(path, dpi=DPI, format=fmt)
        paths.append(path)
    return paths


# -- over time ---------------------------------------------------------------------------------------
def trajectories(results: pd.DataFrame, by: str | None = None,
                 outcomes=("relapse_rate", "poverty_rate", "gini"), *, manifest: dict | None = None) -> Figure:
    """Mean trajectory of each outcome per value of ``by`` (a lever), with 95% t intervals over runs."""
    outcomes = [o for o in outcomes if o in results]
    if not outcomes:
        raise ValueError("none of the outcomes to draw is a column of the results")
    fig, axes = new_figure("Relapse, poverty and inequality" + (f" by {by}" if by else ""), 1, len(outcomes),
                        size=(4.6 * len(outcomes) + 1.0, 5.0))
    for ax, outcome in zip(axes.flat, outcomes):
        label, unit, scale = outcome_label(outcome)
        b = A.bands(results, by, outcome)
        key = by or "group"
        for i, (value, g) in enumerate(b.groupby(key, sort=True, observed=True)):
            color = f"C{i % 10}"
            ax.plot(g["year"], scale * g["mean"], "-o", ms=3, color=color, label=str(value))
            ax.fill_between(g["year"], scale * g["lo"], scale * g["hi"], color=color, alpha=0.2, lw=0)
        ax.set_title(label, fontsize=11)
        ax.set_ylabel(f"{label} ({unit})")
        _year_axis(ax, b["year"].unique())
    if by:
        axes.flat[-1].legend(title=_legend_title(results, manifest, by), fontsize=8.5, title_fontsize=9, loc="best")
    return _finish(fig, manifest, "lines: mean over runs; bands: 95% t interval of the mean over replicates "
                                  "and the other factors")


def fan_chart(results: pd.DataFrame, outcome: str = "relapse_rate", *, manifest: dict | None = None) -> Figure:
    """Median of ``outcome`` over all runs per year, with central 50%, 80% and 95% bands."""
    label, unit, scale = outcome_label(outcome)
    q = A.quantile_bands(results, outcome)
    fig, axes = new_figure(f"Spread of the {label} across all runs", size=(9.0, 5.2))
    ax = axes[0, 0]
    for lev, alpha in ((95, 0.18), (80, 0.3), (50, 0.45)):
        ax.fill_between(q["year"], scale * q[f"lo_{lev}"], scale * q[f"hi_{lev}"], color="C0", alpha=alpha,
                        lw=0, label=f"central {lev}% of runs")
    ax.plot(q["year"], scale * q["median"], "-o", ms=3.5, color="C0", label="median")
    ax.set_ylabel(f"{label} ({unit})")
    _year_axis(ax, q["year"])
    ax.legend(fontsize=8.5, loc="best")
    ax.set_title(f"{int(q['n'].max()):,} runs per year over the whole design", fontsize=9, color="0.3")
    return _finish(fig, manifest)


# -- one year ----------------------------------------------------------------------------------------
def heatmap(results: pd.DataFrame, x: str, y: str, outcome: str = "relapse_rate", year=None, *,
            year_after: str | None = None, manifest: dict | None = None) -> Figure:
    """Mean ``outcome`` over two levers (cells annotated); in ``year`` or in the year after ``year_after``."""
    label, unit, scale = outcome_label(outcome)
    table = A.outcome_table(results, outcome, year, year_after=year_after)
    tx, ty = A.as_levels(table[x]), A.as_levels(table[y])
    grid = table.assign(**{x: tx, y: ty}).pivot_table(index=y, columns=x, values=outcome, aggfunc="mean",
                                                      observed=False, dropna=False)
    full = {c: sorted(results[c].unique().tolist(), key=lambda v: (isinstance(v, str), v)) for c in (x, y)}
    if len(full[x]) == grid.shape[1] or not isinstance(tx.dtype, pd.CategoricalDtype):
        grid = grid.reindex(columns=full[x])  # levels whose year after lies beyond the horizon stay, as n/a
    if len(full[y]) == grid.shape[0] or not isinstance(ty.dtype, pd.CategoricalDtype):
        grid = grid.reindex(index=full[y])
    when = f"in the year after {year_after}" if year_after else f"in {int(results['year'].max()) if year is None else year}"
    fig, axes = new_figure(f"{label.capitalize()} {when}", size=(max(6.0, 1.1 * grid.shape[1] + 3.5),
                                                             max(4.0, 0.7 * grid.shape[0] + 2.5)))
    ax = axes[0, 0]
    values = scale * grid.to_numpy(dtype=float)
    im = ax.imshow(values, cmap="YlOrRd", aspect="auto", origin="lower")
    ax.set_xticks(range(grid.shape[1]), [str(c) for c in grid.columns])
    ax.set_yticks(range(grid.shape[0]), [str(r) for r in grid.index])
    ax.set_xlabel(_factor_label(manifest, x))
    ax.set_ylabel(_factor_label(manifest, y))
    finite = values[np.isfinite(values)]
    mid = (finite.min() + finite.max()) / 2 if finite.size else 0
    for (i, j), v in np.ndenumerate(values):
        text = _fmt(outcome, v / scale) if np.isfinite(v) else "n/a"
        ax.text(j, i, text, ha="center", va="center", fontsize=9, color="white" if v > mid else "black")
    fig.colorbar(im, ax=ax, label=f"{label} ({unit})")
    ax.set_title("mean over replicates and the other factors" + ("; n/a: beyond the horizon" if year_after else ""),
                 fontsize=9, color="0.3")
    return _finish(fig, manifest)


def lorenz_curves(lorenz: pd.DataFrame, design: pd.DataFrame, by: str | None = None, *,
                  manifest: dict | None = None) -> Figure:
    """Mean Lorenz curve of the final year per value of ``by``; right: difference from the first value."""
    table = A.mean_lorenz_curves(lorenz, design, by)
    key = by or "group"
    fig, axes = new_figure("Lorenz curves of per-capita income, final year", 1, 2, size=(11.0, 5.2))
    ax, dx = axes[0]
    ax.plot([0, 100], [0, 100], ":", color="0.4", label="equality")
    groups = list(table.groupby(key, sort=True, observed=True))
    ref = groups[0][1].set_index("population_share")["income_share"]
    for i, (value, g) in enumerate(groups):
        ax.plot(100 * g["population_share"], 100 * g["income_share"], "-", color=f"C{i % 10}", label=str(value))
        d = g.set_index("population_share")["income_share"] - ref
        dx.plot(100 * d.index, 100 * d.to_numpy(), "-o", ms=3, color=f"C{i % 10}", label=str(value))
    ax.set_xlabel("population share, poorest first (% of persons)")
    ax.set_ylabel("cumulative income share (% of income)")
    ax.set_xlim(0, 100), ax.set_ylim(0, 100)
    ax.set_aspect("equal")
    ax.legend(title=_legend_title(design, manifest, by) if by else None, fontsize=8.5, loc="upper left")
    dx.axhline(0, color="0.4", lw=0.8)
    dx.set_xlabel("population share, poorest first (% of persons)")
    dx.set_ylabel("difference in cumulative income share (percentage points)")
    dx.set_title(f"each curve minus that of {key} = {groups[0][0]}\nabove zero: the poorer part holds more income",
                 fontsize=9, color="0.3")
    for a in (ax, dx):
        a.grid(True, alpha=0.3)
    return _finish(fig, manifest, "mean curve over the runs with each value")


# -- sensitivity -------------------------------------------------------------------------------------
def sobol_bars(indices: pd.DataFrame, outcome: str = "relapse_rate", year=None, *,
               manifest: dict | None = None) -> Figure:
    """First-order (S1) and total (ST) Sobol indices per factor with 95% confidence bars, largest ST first."""
    idx = indices.sort_values("ST", ascending=False)
    label = outcome_label(outcome)[0]
    fig, axes = new_figure(f"What drives the {label}" + (f" in {year}" if year else "") + ": Sobol indices",
                        size=(max(6.5, 0.9 * len(idx) + 3.0), 5.0))
    ax = axes[0, 0]
    pos = np.arange(len(idx))
    ax.bar(pos - 0.2, idx["S1"], 0.4, yerr=idx["S1_conf"], capsize=3, color="C0", label="S1: alone (first order)")
    ax.bar(pos + 0.2, idx["ST"], 0.4, yerr=idx["ST_conf"], capsize=3, color="C1",
           label="ST: total, with interactions")
    ax.set_xticks(pos, idx["factor"], rotation=20 if len(idx) > 5 else 0, ha="right" if len(idx) > 5 else "center")
    ax.set_ylabel("share of the outcome's variance (0-1)")
    ax.axhline(0, color="0.3", lw=0.8)
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(fontsize=8.5)
    ax.set_title("error bars: 95% bootstrap confidence intervals (Saltelli et al. 2010, SALib)",
                 fontsize=9, color="0.3")
    return _finish(fig, manifest)


def morris_plot(indices: pd.DataFrame, outcome: str = "relapse_rate", year=None, *,
                manifest: dict | None = None) -> Figure:
    """Morris screening: mu* (importance) against sigma (non-linearity / interactions) per factor."""
    label, _, scale = outcome_label(outcome)
    fig, axes = new_figure(f"Screening of the {label}" + (f" in {year}" if year else "") + ": Morris μ* and σ",
                        size=(8.0, 6.0))
    ax = axes[0, 0]
    mu, conf, sigma = (scale * indices[c].to_numpy(dtype=float) for c in ("mu_star", "mu_star_conf", "sigma"))
    ax.errorbar(mu, sigma, xerr=conf, fmt="o", color="C0", ecolor="0.6", capsize=3)
    top = max(float(np.nanmax(mu + conf)) if len(mu) else 1.0, 1e-12) * 1.15
    tiny = (mu < 0.01 * top) & (sigma < 0.01 * max(float(np.nanmax(sigma)) if len(sigma) else 0.0, 1e-12) + 1e-12)
    for name, m, s, small in zip(indices["factor"], mu, sigma, tiny):
        if not small:
            ax.annotate(name, (m, s), xytext=(5, 4), textcoords="offset points", fontsize=9)
    if tiny.any():  # listed once instead of piling their labels up at the origin
        names = textwrap.fill(", ".join(indices["factor"][tiny]), 60)
        ax.text(0.98, 0.02, f"no visible effect (at the origin):\n{names}", transform=ax.transAxes, ha="right",
                va="bottom", fontsize=8, color="0.3", bbox={"fc": "white", "ec": "0.8", "alpha": 0.9})
    for ratio in (0.1, 0.5, 1.0):
        ax.plot([0, top], [0, ratio * top], ":", color="0.6", lw=0.8)
        ax.annotate(f"σ/μ* = {ratio:g}", (top, ratio * top), fontsize=7.5, color="0.5", ha="right", va="bottom")
    ax.set_xlim(0, top), ax.set_ylim(bottom=0)
    ax.set_xlabel(f"μ*: mean |elementary effect| ({_diff_unit(outcome)} per full range of the factor)")
    ax.set_ylabel(f"σ: spread of the elementary effects ({_diff_unit(outcome)})")
    ax.grid(True, alpha=0.3)
    ax.set_title("right: important; up: non-linear or interacting; bars: 95% CI of μ* "
                 "(Morris 1991; Campolongo et al. 2007)", fontsize=9, color="0.3")
    return _finish(fig, manifest)


def _axis_values(series: pd.Series, rng):
    """Plot coordinates: numbers as they are; categories as codes with a little jitter."""
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        v = series.to_numpy(dtype=float)
        levels = np.unique(v)
        if 1 < len(levels) <= 12:  # a few levels (a factorial design): jitter by 15% of a step
            v = v + rng.uniform(-0.15, 0.15, len(v)) * np.diff(levels).min()
        return v, None
    levels = sorted(series.unique().tolist(), key=str)
    codes = series.map({v: i for i, v in enumerate(levels)}).to_numpy(dtype=float)
    return codes + rng.uniform(-0.25, 0.25, len(codes)), levels


def _restricts(row, name, table) -> bool:
    """Whether a box bounds the factor ``name``."""
    if name in row.index:  # categorical: a tuple of the allowed values
        return len(row[name]) < table[name].nunique()
    return bool(np.isfinite(row[f"{name}_lo"]) or np.isfinite(row[f"{name}_hi"]))


def discovery_boxes(results: pd.DataFrame, manifest: dict, outcome: str = "relapse_rate", threshold=None,
                    year=None, *, boxes: pd.DataFrame | None = None, year_after: str | None = None) -> Figure:
    """Design points on the two most important factors, coloured above/below the threshold, with the boxes."""
    if boxes is None:
        boxes = A.scenario_discovery(results, manifest, outcome, year, threshold, year_after=year_after)
    threshold = boxes.attrs["threshold"]
    names = [f for f in A.factor_names(manifest) if f in results]
    importance = boxes.attrs.get("importance") or {n: 0.0 for n in names}
    top = sorted(names, key=lambda n: -importance.get(n, 0.0))[:2]
    table = A.outcome_table(results, outcome, year, factors=names, year_after=year_after)
    label, unit, scale = outcome_label(outcome)
    when = f"the year after {year_after}" if year_after else str(int(results["year"].max()) if year is None else year)
    fig, axes = new_figure(f"Where the {label} in {when} exceeds {_fmt(outcome, threshold)}", size=(8.5, 6.2))
    ax = axes[0, 0]
    rng = np.random.default_rng(0)
    xs, xlev = _axis_values(table[top[0]], rng)
    if len(top) > 1:
        ys, ylev = _axis_values(table[top[1]], rng)
    else:
        ys, ylev = scale * table[outcome].to_numpy(dtype=float), None
    up = table[outcome].to_numpy(dtype=float) > threshold
    ax.scatter(xs[~up], ys[~up], s=14, color="0.65", label=f"at or below {_fmt(outcome, threshold)}")
    ax.scatter(xs[up], ys[up], s=16, color="C3", label=f"above {_fmt(outcome, threshold)}")
    if len(boxes):
        inside = np.logical_or.reduce([A.box_mask(table, row) for _, row in boxes.iterrows()])
        ax.scatter(xs[inside], ys[inside], s=60, facecolors="none", edgecolors="k", lw=0.8,
                   label="inside a box (all its conditions)")
    xlim, ylim = ax.get_xlim(), ax.get_ylim()

    def span(col, levels, lim, row):
        if levels is not None:
            allowed = [levels.index(v) for v in row[col]]
            return min(allowed) - 0.4, max(allowed) + 0.4
        return max(row[f"{col}_lo"], lim[0]), min(row[f"{col}_hi"], lim[1])

    for i, (_, row) in enumerate(boxes.iterrows()):
        color = ("C3", "C1", "C4", "C5", "C6", "C9")[i % 6]
        x0, x1 = span(top[0], xlev, xlim, row)
        y0, y1 = span(top[1], ylev, ylim, row) if len(top) > 1 else ylim
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, ec=color, lw=1.8, ls=("--", ":", "-.")[i % 3]))
        ax.annotate(f"box {row['box']}: density {row['density']:.2f}, coverage {row['coverage']:.2f}",
                    (x0, y1), xytext=(3, -12 - 11 * i), textcoords="offset points", fontsize=8, color=color)
    ax.set_xlim(xlim), ax.set_ylim(ylim)
    for axis, col in ((ax.xaxis, top[0]), (ax.yaxis, top[1] if len(top) > 1 else None)):
        if col is not None and pd.api.types.is_integer_dtype(table[col]):
            axis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(_factor_label(manifest, top[0]))
    ax.set_ylabel(_factor_label(manifest, top[1]) if len(top) > 1 else f"{label} ({unit})")
    if xlev is not None:
        ax.set_xticks(range(len(xlev)), [str(v) for v in xlev])
    if ylev is not None:
        ax.set_yticks(range(len(ylev)), [str(v) for v in ylev])
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8.5, loc="best")
    shown = set(top)
    other = [n for n in names if n not in shown and any(_restricts(row, n, table) for _, row in boxes.iterrows())]
    note = "; boxes also restrict " + ", ".join(other) + " (not shown)" if other else ""
    ax.set_title(f"each point: one design point (mean over replicates){note}", fontsize=9, color="0.3")
    return _finish(fig, manifest, "boxes: leaves of a depth-3 decision tree (scenario discovery, "
                                  "Bryant & Lempert 2010)")
