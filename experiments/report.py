"""The comparison report: figures, ``report.md``, ``report.html`` and the files of ``ruralsim compare``.

PolicyEngine-style output for planners (STYLE.md item 9): change in poverty and
relapse, inequality, decile impacts, winners and losers, budget cost, in plain
words and one chart each.  The figures are built on matplotlib's Agg canvas via
:mod:`ruralsim.experiments.plots` helpers (no pyplot, the backend is never changed), saved as PNG
under ``figures/`` and embedded as base64 in the self-contained HTML page.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from . import compare as cmp
from .provenance import PROG, environment, jsonable
from .run import SEED_RULE
from . import plots

LEVEL = 0.95
FIGURES = {
    "rates.png": "Relapse and poverty by arm",
    "differences.png": "Paired differences, reform minus baseline",
    "inequality.png": "Inequality by arm",
    "deciles.png": "Change in income by baseline income decile",
    "fiscal.png": "Fiscal cost by programme",
}


# -- figures ---------------------------------------------------------------------------------
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


# -- the report as blocks, rendered to Markdown and HTML ----------------------------------------
_KEY = [
    ("relapse_rate", "relapse rate, ex-poor (this year)", "pct"),
    ("cumulative_relapse_rate", "cumulative relapse, ex-poor", "pct"),
    ("poverty_rate", "poverty rate", "pct"),
    ("new_poverty_rate", "new poverty, never registered", "pct"),
    ("near_poor_rate", "near-poor rate", "pct"),
    ("monitored_share", "monitored share", "pct"),
    ("gini", "Gini", "idx"),
    ("quintile_ratio", "quintile ratio", "idx"),
    ("mean_income", "mean income (yuan)", "yuan"),
    ("mean_income_ex_poor", "mean income, ex-poor (yuan)", "yuan"),
    ("transfer_share", "transfer share of income", "pct"),
    ("fiscal_cost", "fiscal cost this year (yuan)", "yuan"),
]
_LEVEL_FMT = {"pct": lambda v: f"{100 * v:.2f}%", "idx": lambda v: f"{v:.3f}", "yuan": lambda v: f"{v:,.0f}"}
_DIFF_FMT = {"pct": lambda v: f"{100 * v:+.2f} pts", "idx": lambda v: f"{v:+.3f}", "yuan": lambda v: f"{v:+,.0f}"}


def _fmt(fmt, v) -> str:
    return "n/a" if v is None or not np.isfinite(v) else fmt(v)


def _key_rows(result, label: str, years: list[int]) -> list[list[str]]:
    c = result.comparison
    c = c[c["scenario"] == label].set_index(["metric", "year"])
    rows = []
    for metric, name, kind in _KEY:
        for y in years:
            if (metric, y) not in c.index:
                continue
            r = c.loc[(metric, y)]
            lo, hi = r["diff_ci_low"], r["diff_ci_high"]
            ci = (f"{_fmt(_DIFF_FMT[kind], lo)} to {_fmt(_DIFF_FMT[kind], hi)}"
                  if np.isfinite(lo) and np.isfinite(hi) else "n/a (one replicate)")
            rows.append([name, str(y), _fmt(_LEVEL_FMT[kind], r["baseline_mean"]),
                         _fmt(_LEVEL_FMT[kind], r["reform_mean"]), _fmt(_DIFF_FMT[kind], r["diff_mean"]), ci])
    return rows


def _notes(result) -> list[str]:
    r = len(result.seeds)
    notes = [f"Each arm was run with the same {r} seed{'s' if r != 1 else ''}, so replicate k of a reform meets the "
             "same county and the same shocks as replicate k of the baseline (common random numbers). Differences "
             "are paired: the 95% interval is mean(d) ± t(R-1) · sd(d) / √R over the per-replicate differences d."]
    if r == 1:
        notes.append("With one replicate no interval can be computed: diff_ci_low and diff_ci_high are NaN in "
                     "comparison.csv and the figures show no bands. Use --replicates 2 or more (10 by default).")
    else:
        gain = cmp.unpaired_halfwidth(result.annual, "mean_income", LEVEL)
        final = gain[gain["year"] == gain["year"].max()]
        parts = []
        for _, g in final.iterrows():
            if g["paired"] > 0 and np.isfinite(g["unpaired"]):
                parts.append(f"{g['scenario']}: ±{g['paired']:,.0f} yuan paired against ±{g['unpaired']:,.0f} "
                             f"unpaired ({g['unpaired'] / g['paired']:,.1f} times narrower)")
        if parts:
            notes.append(f"Pairing pays: for mean income in {int(final['year'].iloc[0])} the 95% interval is "
                         + "; ".join(parts) + " (unpaired = Welch interval from the same runs treated as "
                         "independent).")
    for arm in result.arms[1:]:
        if any(k.startswith("population.") for k in arm.scenario.parameters_overrides):
            notes.append(f"{arm.label} changes population parameters, so its county differs from the baseline's "
                         "for the same seed: deciles and winners/losers pair households by index only; read them "
                         "with care.")
    notes.append("Deciles, winners and losers use the final year's per-capita income of the same households in "
                 "both arms, person-weighted by the baseline's members and pooled over replicates; deciles are "
                 "formed from baseline income within each replicate's county.")
    return notes


def _money_table(result):
    f = result.fiscal
    f = f[(f["baseline_cost"] != 0) | (f["reform_cost"] != 0) | (f["programme"] == "total")]
    scale, unit = plots._money_scale(np.abs(f[["baseline_cost", "reform_cost"]].to_numpy()).ravel())
    rows = [[r["scenario"], r["programme"], f"{r['baseline_cost'] / scale:,.3f}", f"{r['reform_cost'] / scale:,.3f}",
             f"{r['diff'] / scale:+,.3f}"] for _, r in f.iterrows()]
    return unit, rows


def blocks(result, meta: dict) -> list[tuple]:
    """The report as a list of blocks: ('h1'|'h2'|'p'|'pre', text), ('list', items),
    ('table', header, rows), ('figure', file name, caption)."""
    arms = result.arms
    years = sorted(int(y) for y in result.annual["year"].unique())
    final = years[-1]
    out = [("h1", f"Scenario comparison: {', '.join(a.label for a in arms[1:])} against {arms[0].label}"),
           ("p", f"{result.households_n:,} households, {result.years} simulated years ({years[1] if len(years) > 1 else final}"
                 f"-{final}; 2020 is the calibration year), {len(result.seeds)} replicate{'s' if len(result.seeds) != 1 else ''} with seeds spawned from "
                 f"SeedSequence({meta['arguments']['seed']}): {', '.join(map(str, result.seeds))}. "
                 f"Created {meta['created']} with ruralsim {meta['versions'].get('ruralsim')}."),
           ("table", ["role", "label", "name", "description", "file", "sha256"],
            [[a.role, a.label, a.scenario.name, " ".join(str(a.scenario.description or "").split()),
              str(a.path) if a.path else "(built-in baseline)", (a.scenario.sha256 or "")[:12]] for a in arms]),
           ("h2", "Summary")]
    out += [("p", para) for para in result.summary.split("\n\n")]
    out += [("h2", "How to read the numbers"), ("list", _notes(result)),
            ("h2", "Key outcomes")]
    for arm in arms[1:]:
        fy = cmp.focus_year(arms[0].scenario, arm.scenario, years)
        out += [("p", f"**{arm.label}** against {arms[0].label}"
                      + (f" in {fy} (the year after the largest policy change) and {final}" if fy != final
                         else f" in {final}") + ":"),
                ("table", ["outcome", "year", "baseline", "reform", "difference", "95% interval"],
                 _key_rows(result, arm.label, sorted({fy, final})))]
    out += [("h2", "Relapse and poverty over time"), ("figure", "rates.png", FIGURES["rates.png"]),
            ("figure", "differences.png", FIGURES["differences.png"]),
            ("h2", "Inequality"), ("figure", "inequality.png", FIGURES["inequality.png"]),
            ("h2", "Who gains and who loses"), ("figure", "deciles.png", FIGURES["deciles.png"]),
            ("table", ["scenario", "decile", "baseline (yuan)", "reform (yuan)", "change (yuan)", "change (%)"],
             [[r["scenario"], str(int(r["decile"])), f"{r['baseline_mean_income']:,.0f}",
               f"{r['reform_mean_income']:,.0f}", f"{r['change']:+,.0f}", _fmt(lambda v: f"{v:+.2f}%", r["change_pct"])]
              for _, r in result.deciles.iterrows()])]
    w = result.winners
    out += [("p", f"Persons whose per-capita income in {final} differs from the baseline by more than 5%:"),
            ("table", ["scenario", "gain > 5%", "lose > 5%", "within 5%"],
             [[r.iloc[0], *[f"{100 * v:.1f}%" for v in r.iloc[1:4]]] for _, r in w.iterrows()])]
    unit, rows = _money_table(result)
    out += [("h2", "Fiscal cost"), ("figure", "fiscal.png", FIGURES["fiscal.png"]),
            ("p", f"Summed over {years[1] if len(years) > 1 else final}-{final}, mean over replicates, {unit} "
                  "(programmes with zero cost in both arms omitted):"),
            ("table", ["scenario", "programme", "baseline", "reform", "difference"], rows)]
    k = result.cost_per_relapse
    out += [("h2", "Cost per relapse averted"),
            ("p", f"Relapses averted = (baseline - reform) cumulative relapse rate in {final} × ex-poor persons in "
                  "the county; cost per relapse averted = extra fiscal cost over the run / relapses averted."),
            ("table", ["scenario", "extra fiscal cost", "ex-poor persons", "relapses averted",
                       "cost per relapse averted", "note"],
             [[r["scenario"], cmp.money(r["extra_fiscal_cost"]), f"{r['ex_poor_persons']:,.0f}",
               f"{r['relapses_averted']:,.1f}", cmp.money(r["cost_per_relapse_averted"]), r["note"]]
              for _, r in k.iterrows()])]
    out += [("h2", "Files"), ("list", [
        "comparison.csv: metric, year, scenario, baseline_mean, reform_mean, diff_mean, diff_ci_low, diff_ci_high",
        "deciles.csv, winners_losers.csv, fiscal.csv, cost_per_relapse_averted.csv: the tables above",
        "runs.csv: every annual table (scenario, role, replicate, seed, then the annual columns)",
        "compare.json: arguments, seeds, scenario files with sha256, package versions",
        "figures/*.png: the figures of this report"])]
    return out


def _md_cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(report: list[tuple]) -> str:
    lines = []
    for block in report:
        kind = block[0]
        if kind == "h1":
            lines += [f"# {block[1]}", ""]
        elif kind == "h2":
            lines += [f"## {block[1]}", ""]
        elif kind == "p":
            lines += [block[1], ""]
        elif kind == "list":
            lines += [f"- {item}" for item in block[1]] + [""]
        elif kind == "table":
            header, rows = block[1], block[2]
            lines.append("| " + " | ".join(map(_md_cell, header)) + " |")
            lines.append("|" + "|".join("---" for _ in header) + "|")
            lines += ["| " + " | ".join(map(_md_cell, row)) + " |" for row in rows]
            lines.append("")
        elif kind == "figure":
            lines += [f"![{block[2]}](figures/{block[1]})", ""]
    return "\n".join(lines)


_CSS = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
table{border-collapse:collapse;margin:0.5em 0 1.5em;font-size:0.9em}th,td{border:1px solid #ccc;padding:3px 8px}
th{background:#f2f2f2}td{text-align:right}td:first-child,td:nth-child(2){text-align:left}
img{max-width:100%}figure{margin:1em 0}figcaption{color:#555;font-size:0.9em}"""


def _inline(text: str) -> str:
    """Escape, then turn **bold** into <strong>."""
    parts = html.escape(text).split("**")
    return "".join(f"<strong>{p}</strong>" if i % 2 else p for i, p in enumerate(parts))


def to_html(report: list[tuple], images: dict[str, bytes], title: str) -> str:
    body = []
    for block in report:
        kind = block[0]
        if kind in ("h1", "h2"):
            body.append(f"<{kind}>{html.escape(block[1])}</{kind}>")
        elif kind == "p":
            body.append(f"<p>{_inline(block[1])}</p>")
        elif kind == "list":
            body.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in block[1]) + "</ul>")
        elif kind == "table":
            head = "".join(f"<th>{html.escape(str(h))}</th>" for h in block[1])
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>"
                           for row in block[2])
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif kind == "figure":
            data = base64.b64encode(images[block[1]]).decode("ascii")
            body.append(f'<figure><img alt="{html.escape(block[2])}" src="data:image/png;base64,{data}">'
                        f"<figcaption>{html.escape(block[2])}</figcaption></figure>")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{_CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


# -- metadata and files ------------------------------------------------------------------------
def metadata(result, *, argv=None, seed: int, replicates: int, elapsed: float | None = None) -> dict:
    """The contents of compare.json."""
    return jsonable({
        "ruralsim_compare_format": 1,
        "created": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": [PROG, *argv] if argv is not None else None,
        "arguments": {"replicates": replicates, "households": result.households_n, "years": result.years,
                      "seed": seed, "level": LEVEL},
        "seeds": result.seeds,
        "seed_rule": SEED_RULE,  # root = arguments.seed, replicates = arguments.replicates
        "scenarios": [{"label": a.label, "role": a.role, "name": a.scenario.name,
                       "description": a.scenario.description, "path": str(a.path) if a.path else None,
                       "sha256": a.scenario.sha256, "parameters_overrides": a.scenario.parameters_overrides,
                       "programme_changes": a.scenario.programme_changes} for a in result.arms],
        **environment(),
        "elapsed_seconds": None if elapsed is None else round(elapsed, 3),
    })


def write_outputs(directory, result, meta: dict) -> list[str]:
    """Write every table, compare.json, figures/*.png, report.md and report.html into ``directory``."""
    directory = Path(directory)
    for name, table in result.tables().items():
        table.to_csv(directory / name, index=False)
    with open(directory / "compare.json", "w", encoding="utf-8") as fh:
        json.dump(meta, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    (directory / "figures").mkdir()
    images = {}
    for name, fig in figures(result).items():
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=plots.DPI)
        images[name] = buf.getvalue()
        (directory / "figures" / name).write_bytes(images[name])
    report = blocks(result, meta)
    (directory / "report.md").write_text(to_markdown(report), encoding="utf-8")
    (directory / "report.html").write_text(to_html(report, images, report[0][1]), encoding="utf-8")
    return sorted(p.name for p in directory.iterdir())
