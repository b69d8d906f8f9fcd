"""The figures of a comparison report: rates, paired differences, inequality, deciles, fiscal cost.

One chart per question a planner asks of a reform, in the manner of PolicyEngine's reform
analyses (poverty, inequality, decile impacts, winners and losers, budget cost).  The figures are
built on matplotlib's Agg canvas via :mod:`ruralsim.experiments.plots` helpers (no pyplot, the
backend is never changed).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from . import compare as cmp
from . import plots

LEVEL = 0.95
FIGURES = {
    "rates.png": "Relapse and poverty by arm",
    "differences.png": "Paired differences, reform minus baseline",
    "inequality.png": "Inequality by arm",
    "deciles.png": "Change in income by baseline income decile",
    "fiscal.png": "Fiscal cost by programme",
}


def _colours(result) -> dict:
    """Black for the baseline; the default cycle for up to nine reforms, tab20 beyond."""
    reforms = [a.label for a in result.arms if a.role != cmp.BASELINE]
    palette = [f"C{i}" for i in range(10)] if len(reforms) <= 10 else [colormaps["tab20"](i) for i in range(20)]
    out = {a.label: "black" for a in result.arms if a.role == cmp.BASELINE}
    out.update({label: palette[k % len(palette)] for k, label in enumerate(reforms)})
    return out


def caption(result, bands: bool = True) -> str:
    r = len(result.seeds)
    text = f"{result.households_n:,} households  ·  {r} replicate{'s' if r != 1 else ''}"
    if not bands:
        return f"{text}  ·  means over replicates"
    return f"{text}  ·  " + ("bands: 95% t intervals over replicates" if r > 1 else "one replicate: no intervals")


def _years_df(result) -> pd.DataFrame:
    return pd.DataFrame({"year": sorted(result.annual["year"].unique())})


def _band_panel(ax, result, metric, scale=1.0, pct=False, title=""):
    bands = cmp.arm_bands(result.annual, metric, LEVEL)
    colours = _colours(result)
    for arm in result.arms:
        b = bands[bands["scenario"] == arm.label]
        ls = "--" if arm.role == cmp.BASELINE else "-"
        ax.plot(b["year"], scale * b["mean"], ls, marker="o", ms=3.5, color=colours[arm.label],
                label=f"{arm.label} (baseline)" if arm.role == cmp.BASELINE and arm.label != cmp.BASELINE
                else arm.label)
        if np.isfinite(b["low"]).any():
            ax.fill_between(b["year"], scale * b["low"], scale * b["high"], color=colours[arm.label], alpha=0.15,
                            lw=0)
    ax.set_title(title, fontsize=10.5)
    if pct:
        ax.set_ylim(bottom=0)
        plots._pct(ax)
    plots._year_axis(ax, sorted(bands["year"].unique()))


def rates_figure(result) -> Figure:
    """Relapse (this year and cumulative) and poverty rates of every arm, with 95% bands."""
    fig, axes = plots.new_figure("Relapse and poverty", 1, 3, size=(14.0, 5.0))
    panels = [("relapse_rate", "relapse rate (ex-poor persons, this year)"),
              ("cumulative_relapse_rate", "cumulative relapse (ex-poor, any year since 2021)"),
              ("poverty_rate", "poverty rate (all persons)")]
    for ax, (metric, title) in zip(axes.flat, panels):
        _band_panel(ax, result, metric, 100.0, True, title)
    axes[0, 0].set_ylabel("share of persons (%)")
    axes[0, 0].legend(fontsize=8.5, loc="best")
    plots._caption(fig, _years_df(result), caption(result))
    return fig


def differences_figure(result) -> Figure:
    """Paired differences (reform - baseline) by year with their 95% intervals."""
    fig, axes = plots.new_figure("Paired differences: reform minus baseline (same seeds)", 2, 2, size=(11.0, 7.5))
    c = result.comparison
    costs = c.loc[c["metric"] == "fiscal_cost", ["diff_ci_low", "diff_ci_high", "diff_mean"]].abs().to_numpy()
    scale, unit = plots._money_scale(costs[np.isfinite(costs)])
    panels = [("relapse_rate", "relapse rate (percentage points)", 100.0),
              ("poverty_rate", "poverty rate (percentage points)", 100.0),
              ("mean_income", "mean per-capita income (yuan)", 1.0),
              ("fiscal_cost", f"fiscal cost ({unit} per year)", 1.0 / scale)]
    colours = _colours(result)
    for ax, (metric, title, s) in zip(axes.flat, panels):
        for label in dict.fromkeys(c["scenario"]):
            d = c[(c["scenario"] == label) & (c["metric"] == metric)]
            ax.plot(d["year"], s * d["diff_mean"], "-o", ms=3.5, color=colours[label], label=label)
            if np.isfinite(d["diff_ci_low"]).any():
                ax.fill_between(d["year"], s * d["diff_ci_low"], s * d["diff_ci_high"], color=colours[label],
                                alpha=0.2, lw=0)
        ax.axhline(0, color="0.4", lw=0.8)
        ax.set_title(title, fontsize=10.5)
        plots._year_axis(ax, sorted(c["year"].unique()))
    axes[0, 0].legend(fontsize=8.5, loc="best")
    plots._caption(fig, _years_df(result), caption(result))
    return fig


def inequality_figure(result) -> Figure:
    """Gini and quintile ratio of every arm, with 95% bands."""
    fig, axes = plots.new_figure("Inequality of per-capita income", 1, 2, size=(11.0, 4.8))
    _band_panel(axes[0, 0], result, "gini", title="Gini coefficient")
    _band_panel(axes[0, 1], result, "quintile_ratio", title="quintile ratio (richest 20% / poorest 20%)")
    axes[0, 0].legend(fontsize=8.5, loc="best")
    plots._caption(fig, _years_df(result), caption(result))
    return fig


def deciles_figure(result) -> Figure:
    """Mean change in per-capita income by baseline decile (yuan and %), one bar per reform."""
    fig, axes = plots.new_figure(f"Change in per-capita income by baseline income decile, "
                              f"{int(result.annual['year'].max())}", 1, 2, size=(12.0, 4.8))
    d = result.deciles
    labels = list(dict.fromkeys(d["scenario"]))
    colours = _colours(result)
    width = 0.8 / max(len(labels), 1)
    for ax, col, title in ((axes[0, 0], "change", "yuan per person per year"),
                           (axes[0, 1], "change_pct", "% of baseline income")):
        for i, label in enumerate(labels):
            sub = d[d["scenario"] == label]
            ax.bar(sub["decile"] + (i - (len(labels) - 1) / 2) * width, sub[col], width=width,
                   color=colours[label], label=label)
        ax.axhline(0, color="0.4", lw=0.8)
        ax.set_xticks(range(1, 11), ["1\npoorest", *map(str, range(2, 10)), "10\nrichest"])
        ax.set_xlabel("decile of persons by baseline per-capita income")
        ax.set_title(title, fontsize=10.5)
        ax.grid(True, axis="y", alpha=0.3)
        ax.set_axisbelow(True)
    axes[0, 1].yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}%"))
    axes[0, 0].legend(fontsize=8.5, loc="best")
    fig.supxlabel(f"{caption(result, bands=False)}  ·  the same households in both arms, pooled", fontsize=9,
                  color="0.35")
    return fig


def fiscal_figure(result) -> Figure:
    """Left: cost over the run by programme for every arm (stacked). Right: difference by programme."""
    f = result.fiscal
    years = sorted(y for y in result.annual["year"].unique() if y >= cmp.FIRST_SIMULATED_YEAR)
    span = f"{years[0]}-{years[-1]}" if years else ""
    fig, axes = plots.new_figure(f"Fiscal cost by programme, summed over {span}", 1, 2, size=(13.0, 5.6))
    progs = f[f["programme"] != "total"]
    base_label = result.arms[0].label
    first = progs[progs["scenario"] == progs["scenario"].iloc[0]]
    per_arm = {base_label: first.set_index("programme")["baseline_cost"]}
    for label in dict.fromkeys(progs["scenario"]):
        per_arm[label] = progs[progs["scenario"] == label].set_index("programme")["reform_cost"]
    table = pd.DataFrame(per_arm)
    table = table[(table > 0).any(axis=1)]
    scale, unit = plots._money_scale(table.sum(axis=0).to_numpy())
    cmap = [colormaps["tab20"](i) for i in [*range(0, 20, 2), *range(1, 20, 2)]]
    ax = axes[0, 0]
    bottom = np.zeros(table.shape[1])
    for i, (prog, row) in enumerate(table.iterrows()):
        ax.bar(range(table.shape[1]), row.to_numpy() / scale, bottom=bottom, color=cmap[i % len(cmap)],
               label=prog.replace("_", " "))
        bottom += row.to_numpy() / scale
    ax.set_xticks(range(table.shape[1]), table.columns, rotation=15)
    ax.set_ylabel(f"{unit} (mean over replicates)")
    ax.set_title("cost by programme (programmes with zero cost omitted)", fontsize=10)
    ax.grid(True, axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], fontsize=7.5, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)

    ax = axes[0, 1]
    diffs = pd.DataFrame({label: progs[progs["scenario"] == label].set_index("programme")["diff"]
                          for label in dict.fromkeys(progs["scenario"])})
    diffs = diffs.loc[table.index]
    colours = _colours(result)
    height = 0.8 / max(diffs.shape[1], 1)
    pos = np.arange(len(diffs))
    for i, label in enumerate(diffs.columns):
        ax.barh(pos + (i - (diffs.shape[1] - 1) / 2) * height, diffs[label] / scale, height=height,
                color=colours[label], label=label)
    ax.set_yticks(pos, [p.replace("_", " ") for p in diffs.index], fontsize=8.5)
    ax.invert_yaxis()
    ax.axvline(0, color="0.4", lw=0.8)
    ax.set_xlabel(f"reform minus baseline ({unit})")
    ax.set_title("difference by programme", fontsize=10)
    ax.grid(True, axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    ax.legend(fontsize=8.5, loc="best")
    fig.supxlabel(caption(result, bands=False), fontsize=9, color="0.35")
    return fig


def figures(result) -> dict[str, Figure]:
    """File name -> figure, for every figure of the report (:data:`FIGURES`)."""
    return {"rates.png": rates_figure(result), "differences.png": differences_figure(result),
            "inequality.png": inequality_figure(result), "deciles.png": deciles_figure(result),
            "fiscal.png": fiscal_figure(result)}
