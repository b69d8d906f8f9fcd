"""What the comparison report says, as a list of blocks (headings, paragraphs, lists, tables, figures)
that :mod:`ruralsim.experiments.report_render` turns into Markdown and HTML."""

from __future__ import annotations

import numpy as np

from . import compare as cmp
from . import plots
from .report_figures import FIGURES, LEVEL


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
