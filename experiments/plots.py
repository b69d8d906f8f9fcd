"""Plots of the annual outcome table (:meth:`RuralEconomy.annual_metrics`).

Every function takes the annual DataFrame (one row per year, a ``year``
column, the columns of :data:`model.annual.METRIC_COLUMNS`) and an optional
``caption`` (a line naming the scenario, households and seed; see
:func:`run_caption`) and returns a :class:`matplotlib.figure.Figure`.

The figures are built on matplotlib's Agg canvas directly, without pyplot, so
importing this module never changes the backend of a notebook or script and
never opens a window.  In a notebook, display the returned figure (it is the
last expression of a cell) or call ``fig.savefig(...)``::

    from ruralsim.model import RuralEconomy
    from ruralsim.experiments import plots
    df = RuralEconomy(n_households=2_000, rng=1).run_years(10)
    plots.poverty_relapse(df, caption=plots.run_caption("baseline", 2_000, 1))
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ruralsim.model.model import CALIBRATION_YEAR
from ruralsim.model.policy import PROGRAMME_NAMES

#: PNG file name -> plotting function name, as written by ``ruralsim run``.
FILES = {
    "poverty_relapse.png": "poverty_relapse",
    "inequality.png": "inequality",
    "income_composition.png": "income_composition",
    "fiscal_cost.png": "fiscal_cost",
}

DPI = 120  # every figure of the project is drawn and saved at this resolution


def run_caption(scenario: str, households: int, seed: int | None, extra: str = "") -> str:
    """The subtitle line used on every figure: scenario, households, seed."""
    text = f"scenario: {scenario}  ·  {households:,} households  ·  seed {seed}"
    return f"{text}  ·  {extra}" if extra else text


def new_figure(title: str, nrows=1, ncols=1, size=(9.0, 5.2)):
    """A constrained-layout figure on the Agg canvas (no pyplot state) with a bold title and a grid of axes."""
    fig = Figure(figsize=size, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    fig.suptitle(title, fontsize=14, fontweight="bold")
    return fig, axes


def _years(df: pd.DataFrame) -> np.ndarray:
    return df["year"].to_numpy()


def _year_axis(ax, years, band: bool = True) -> None:
    """Integer year ticks; the 2020 calibration year labelled (and shaded on line charts)."""
    ax.set_xlabel("year")
    years = [int(y) for y in years]
    if len(years) <= 16:
        ax.set_xticks(years, [f"{y}\n(calibration)" if y == CALIBRATION_YEAR else str(y) for y in years])
    else:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if len(years) > 8:
        ax.tick_params(axis="x", labelsize=8)
    ax.grid(True, alpha=0.3)
    ax.set_axisbelow(True)
    if band and years and years[0] == CALIBRATION_YEAR:
        ax.axvspan(CALIBRATION_YEAR - 0.5, CALIBRATION_YEAR + 0.5, color="0.92", zorder=0)


def _caption(fig, df, caption_text: str | None) -> None:
    """The caption line at the bottom of the figure (scenario, households, seed; the 2020 band)."""
    parts = [caption_text] if caption_text else []
    if len(df) and df["year"].iloc[0] == CALIBRATION_YEAR:
        parts.append("2020 is the calibration year (initial state, no shocks)")
    if parts:
        fig.supxlabel("  ·  ".join(parts), fontsize=9, color="0.35")


def _pct(ax) -> None:
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}%"))


def poverty_relapse(df: pd.DataFrame, caption: str | None = None) -> Figure:
    """Poverty, relapse, cumulative relapse, new-poverty and near-poor rates by year, in %."""
    fig, axes = new_figure("Poverty and relapse")
    ax = axes[0, 0]
    years = _years(df)
    series = [
        ("poverty_rate", "poverty rate (all persons)", "-", "o"),
        ("relapse_rate", "relapse rate (ex-poor registered, this year)", "-", "s"),
        ("cumulative_relapse_rate", "cumulative relapse (ex-poor, any year since 2021)", "--", "s"),
        ("new_poverty_rate", "new poverty rate (never registered)", "-", "^"),
        ("near_poor_rate", "near-poor rate (between poverty and monitoring line)", ":", "d"),
    ]
    for col, label, ls, marker in series:
        if col in df:
            ax.plot(years, 100 * df[col].to_numpy(dtype=float), ls, marker=marker, ms=4, label=label)
    ax.set_ylabel("share of persons (%)")
    ax.set_ylim(bottom=0)
    _pct(ax)
    _year_axis(ax, years)
    ax.legend(fontsize=8.5, loc="best")
    ax.set_title("income net of out-of-pocket medical spending below the poverty line (4,000 yuan/person/year "
                 "by default)", fontsize=9, color="0.3")
    _caption(fig, df, caption)
    return fig


def inequality(df: pd.DataFrame, caption: str | None = None) -> Figure:
    """Gini, Theil, quintile ratio and relative poverty by year (four panels)."""
    fig, axes = new_figure("Inequality of per-capita income", 2, 2, size=(10.0, 7.0))
    years = _years(df)
    panels = [
        ("gini", "Gini coefficient", "Gini (0 = equal, 1 = maximal)", 1.0, False),
        ("theil", "Theil index (GE(1))", "Theil T (0 = equal)", 1.0, False),
        ("quintile_ratio", "Quintile ratio (richest 20% / poorest 20%)", "ratio of mean incomes (×)", 1.0, False),
        ("relative_poverty_rate", "Relative poverty (below 40% of median)", "share of persons (%)", 100.0, True),
    ]
    for ax, (col, title, ylabel, scale, pct) in zip(axes.flat, panels):
        if col in df:
            ax.plot(years, scale * df[col].to_numpy(dtype=float), "-o", ms=4, color="C0")
        ax.set_title(title, fontsize=10.5)
        ax.set_ylabel(ylabel)
        if pct:
            ax.set_ylim(bottom=0)
            _pct(ax)
        _year_axis(ax, years)
    _caption(fig, df, caption)
    return fig


_SHARES = [("wage_share", "wages"), ("business_share", "net business / farm"),
           ("property_share", "property (dividends, rent)"), ("transfer_share", "transfers")]
_MEANS = [("mean_income", "mean, all persons", "-"), ("median_income", "median, all persons", "--"),
          ("mean_income_ex_poor", "mean, ex-poor registered", "-"),
          ("mean_income_never_registered", "mean, never registered", "-")]


def income_composition(df: pd.DataFrame, caption: str | None = None) -> Figure:
    """Left: income shares by source (stacked, %). Right: mean and median incomes (yuan)."""
    fig, axes = new_figure("Income composition and level", 1, 2, size=(12.0, 5.8))
    years = _years(df)
    ax = axes[0, 0]
    bottom = np.zeros(len(df))
    for i, (col, label) in enumerate(_SHARES):
        if col in df:
            v = 100 * df[col].to_numpy(dtype=float)
            ax.bar(years, v, bottom=bottom, label=label, color=f"C{i}", width=0.75)
            bottom += v
    ax.set_title("share of disposable income by source", fontsize=10.5)
    ax.set_ylabel("share of total income (%)")
    ax.set_ylim(0, 100)
    _pct(ax)
    _year_axis(ax, years, band=False)
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], fontsize=8.5, loc="upper center", bbox_to_anchor=(0.5, -0.2),
              ncol=2, frameon=False)

    ax = axes[0, 1]
    for i, (col, label, ls) in enumerate(_MEANS):
        if col in df:
            ax.plot(years, df[col].to_numpy(dtype=float), ls, marker="o", ms=4, label=label, color=f"C{i + 4}")
    ax.set_title("per-capita disposable income", fontsize=10.5)
    ax.set_ylabel("yuan per person per year (2020 prices)")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    _year_axis(ax, years)
    ax.legend(fontsize=8.5, loc="best")
    _caption(fig, df, caption)
    return fig


def _money_scale(values: np.ndarray) -> tuple[float, str]:
    top = float(np.nanmax(values)) if values.size else 0.0
    for scale, unit in ((1e9, "billion yuan"), (1e6, "million yuan"), (1e3, "thousand yuan")):
        if top >= scale:
            return scale, unit
    return 1.0, "yuan"


def fiscal_cost(df: pd.DataFrame, caption: str | None = None) -> Figure:
    """Government spending by programme (stacked bars) by year."""
    fig, axes = new_figure("Fiscal cost by programme", size=(10.5, 5.6))
    ax = axes[0, 0]
    years = _years(df)
    cols = [f"cost_{p}" for p in PROGRAMME_NAMES if f"cost_{p}" in df]
    cols += [c for c in df.columns if c.startswith("cost_") and c not in cols]
    totals = df["fiscal_cost"].to_numpy(dtype=float) if "fiscal_cost" in df else df[cols].sum(axis=1).to_numpy()
    scale, unit = _money_scale(totals)
    cmap = [colormaps["tab20"](i) for i in [*range(0, 20, 2), *range(1, 20, 2)]]
    bottom = np.zeros(len(df))
    shown = 0
    for col in cols:
        v = df[col].to_numpy(dtype=float) / scale
        if not np.any(v > 0):
            continue  # programme switched off in this scenario
        ax.bar(years, v, bottom=bottom, width=0.75, label=col.removeprefix("cost_").replace("_", " "),
               color=cmap[shown % len(cmap)])
        bottom += v
        shown += 1
    if "fiscal_cost" in df:
        ax.plot(years, totals / scale, "k_", ms=18, mew=2, label="total (fiscal_cost)")
    ax.set_ylabel(f"{unit} per year (2020 prices)")
    ax.set_title("whole county; programmes with zero cost are omitted", fontsize=9, color="0.3")
    ax.set_ylim(bottom=0)
    _year_axis(ax, years, band=False)
    # the total first, then the programmes from the top of the stack down
    pairs = list(zip(*ax.get_legend_handles_labels()))
    total = [hl for hl in pairs if hl[1].startswith("total")]
    pairs = total + [hl for hl in pairs if not hl[1].startswith("total")][::-1]
    handles, labels = [h for h, _ in pairs], [lab for _, lab in pairs]
    ax.legend(handles, labels, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    _caption(fig, df, caption)
    return fig


def save_all(df: pd.DataFrame, out_dir, caption: str | None = None) -> list[Path]:
    """Write the four standard PNGs (:data:`FILES`) into ``out_dir``; return their paths."""
    out_dir = Path(out_dir)
    paths = []
    for name, func in FILES.items():
        fig = globals()[func](df, caption=caption)
        path = out_dir / name
        fig.savefig(path, dpi=DPI)
        paths.append(path)
    return paths
