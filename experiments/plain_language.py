"""The comparison in plain words: one paragraph per reform, generated from the tables.

The paragraph talks about the year after the largest policy change (:func:`focus_year`), when a
full year has passed under the new policy, and about the final year; every number is one of
``comparison.csv``, ``fiscal.csv``, ``deciles.csv``, ``winners_losers.csv`` and
``cost_per_relapse_averted.csv``, with its paired 95% interval.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ruralsim.model.scenario import Scenario

from .arms import BASELINE, FIRST_SIMULATED_YEAR, Arm
from .fiscal import money


def policy_levels(scenario: Scenario, years) -> pd.DataFrame:
    """Mean monthly level (intensity x generosity) of every programme in each year."""
    rows = {}
    for year in years:
        progs = scenario.programmes()
        for p in progs.values():
            p.apply_year(int(year))
        rows[int(year)] = {name: float(np.mean([p.level(int(year), m) for m in range(12)]))
                           for name, p in progs.items()}
    return pd.DataFrame.from_dict(rows, orient="index")


def focus_year(baseline: Scenario, reform: Scenario, years) -> int:
    """The year the summary talks about: the year after the largest policy change, else the final year.

    The gap between the arms is the summed |level difference| over programmes; the
    largest policy change is the year in which that gap moves most from the year
    before (e.g. 2026 for support ending in December 2025, so the summary reports
    2027, when a full year has passed without it).  Capped at the final year; a reform
    whose gap never moves (parameter changes, or changes in force all along) gives the
    final year.
    """
    years = sorted(int(y) for y in years)
    final = years[-1]
    lb, lr = policy_levels(baseline, years), policy_levels(reform, years)
    gap = (lr.reindex(columns=lb.columns, fill_value=0.0) - lb).abs().sum(axis=1)
    jumps = gap.diff().abs().iloc[1:]
    if jumps.empty or not jumps.max() > 1e-12:
        return final
    return min(int(jumps.idxmax()) + 1, final)


def _pct(v: float) -> str:
    return "n/a" if not np.isfinite(v) else f"{100 * v:.2f}%"


def _pts(v: float) -> str:
    return "n/a" if not np.isfinite(v) else f"{100 * v:+.2f}"


def _interval(row, fmt=_pts, unit=" points") -> str:
    lo, hi = row["diff_ci_low"], row["diff_ci_high"]
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return f"paired difference {fmt(row['diff_mean'])}{unit}; no interval with one replicate"
    text = f"paired difference {fmt(row['diff_mean'])}{unit}, 95% interval {fmt(lo)} to {fmt(hi)}"
    if lo < 0 < hi:
        text += ", which includes zero"
    return text


def _verb(diff: float, up="raises", down="lowers", same="leaves unchanged") -> str:
    return up if diff > 0 else down if diff < 0 else same


def _describe(arm: Arm | None, label: str) -> str:
    if arm is None:
        return f"'{label}'"
    name = arm.scenario.name or label
    desc = " ".join(str(arm.scenario.description or "").split()).rstrip(".")
    shown = f"'{name}'" + (f" [{label}]" if label != name else "")
    return f"{shown} ({desc})" if desc else shown


#: the chain's state in the summary: metric -> (words, format of a mean)
CHAIN = {"local_jobs": ("local enterprise jobs", "{:,.0f}"), "workshop_jobs": ("workshop jobs", "{:,.0f}"),
         "contract_volume": ("produce bought under contract", None), "coop_active": ("operating cooperatives", "{:,.1f}"),
         "enterprise_active": ("operating enterprises", "{:,.1f}")}


def _chain_text(c: pd.DataFrame, year: int) -> str:
    """One sentence on the enterprise + cooperative + farmer chain in ``year`` (reform against baseline means);
    empty when the comparison has no chain columns (results written before they existed)."""
    if any((metric, year) not in c.index for metric in CHAIN):
        return ""
    parts = []
    for metric, (words, fmt) in CHAIN.items():
        r = c.loc[(metric, year)]
        show = money if fmt is None else fmt.format
        parts.append(f"{words} {show(r['reform_mean'])} against {show(r['baseline_mean'])}")
    jobs = c.loc[("local_jobs", year)]
    return (f"The enterprise + cooperative + farmer chain in {year}: {'; '.join(parts)} "
            f"(local jobs: {_interval(jobs, lambda v: f'{v:+,.0f}', ' jobs')}).")


def summary_text(comparison: pd.DataFrame, fiscal: pd.DataFrame, winners: pd.DataFrame,
                 cost_per_relapse: pd.DataFrame, arms=None, deciles: pd.DataFrame | None = None) -> str:
    """A plain-language paragraph per reform, generated from the tables (numbers as in comparison.csv)."""
    arms = {a.label: a for a in (arms or [])}
    base_arm = next((a for a in arms.values() if a.role == BASELINE), None)
    years = sorted(comparison["year"].unique())
    sim_years = [y for y in years if y >= FIRST_SIMULATED_YEAR] or years
    final = int(years[-1])
    paragraphs = []
    for label in dict.fromkeys(comparison["scenario"]):
        c = comparison[comparison["scenario"] == label].set_index(["metric", "year"])
        arm = arms.get(label)
        year = focus_year(base_arm.scenario, arm.scenario, years) if arm and base_arm else final

        def row(metric, y):
            return c.loc[(metric, y)]

        rel = row("relapse_rate", year)
        s = [f"{_describe(arm, label)} "
             f"{_verb(rel['diff_mean'], same='leaves')} relapse among ex-poor households "
             f"{'at' if rel['diff_mean'] == 0 else 'from'} {_pct(rel['baseline_mean'])}"
             + ("" if rel["diff_mean"] == 0 else f" to {_pct(rel['reform_mean'])}")
             + f" in {year} ({_interval(rel)})."]
        pov = row("poverty_rate", year)
        s.append(f"The poverty rate in {year} is {_pct(pov['reform_mean'])} against {_pct(pov['baseline_mean'])} "
                 f"({_interval(pov)}).")
        cum = row("cumulative_relapse_rate", final)
        s.append(f"By {final}, {_pct(cum['reform_mean'])} of ex-poor persons have fallen back below the line at "
                 f"least once since 2021, against {_pct(cum['baseline_mean'])} ({_interval(cum)}).")
        f = fiscal[(fiscal["scenario"] == label) & (fiscal["programme"] == "total")].iloc[0]
        span = f"{int(sim_years[0])}-{int(sim_years[-1])}"
        if f["diff"] == 0:
            s.append(f"It costs the same as the baseline over {span} ({money(f['baseline_cost'])}).")
        else:
            s.append(f"It costs {money(abs(f['diff']))} {'more' if f['diff'] > 0 else 'less'} over {span} "
                     f"({money(f['reform_cost'])} against {money(f['baseline_cost'])}).")
        inc = row("mean_income", final)
        s.append(f"Mean per-capita income in {final} is {inc['reform_mean']:,.0f} yuan against "
                 f"{inc['baseline_mean']:,.0f} ({_interval(inc, lambda v: f'{v:+,.0f}', ' yuan')}).")
        gini = row("gini", final)
        s.append(f"The Gini coefficient in {final} is {gini['reform_mean']:.3f} against {gini['baseline_mean']:.3f} "
                 f"({_interval(gini, lambda v: f'{v:+.3f}', '')}).")
        chain = _chain_text(c, final)
        if chain:
            s.append(chain)
        if deciles is not None:
            d = deciles[(deciles["scenario"] == label) & (deciles["decile"] == 1)]
            if len(d) and np.isfinite(d["change_pct"].iloc[0]):
                s.append(f"The poorest tenth of persons (by baseline income) see their income change by "
                         f"{d['change_pct'].iloc[0]:+.1f}% in {final}.")
        w = winners[winners.iloc[:, 0] == label]
        if len(w):
            w = w.iloc[0]
            s.append(f"In {final}, {100 * w.iloc[1]:.1f}% of persons gain more than 5% of their income and "
                     f"{100 * w.iloc[2]:.1f}% lose more than 5%.")
        k = cost_per_relapse[cost_per_relapse["scenario"] == label]
        if len(k):
            k = k.iloc[0]
            if np.isfinite(k["cost_per_relapse_averted"]):
                s.append(f"It averts {k['relapses_averted']:,.1f} relapses (of {k['ex_poor_persons']:,.0f} ex-poor "
                         f"persons) at {money(k['cost_per_relapse_averted'])} each ({k['note']}).")
            else:
                s.append(f"Cost per relapse averted: not defined ({k['note']}).")
        paragraphs.append(" ".join(s))
    return "\n\n".join(paragraphs)
