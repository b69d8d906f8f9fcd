"""Reform-versus-baseline comparisons with common random numbers (MODEL_BRIEF.md sections 3-4).

Every arm (the baseline and each reform) is run with the *same* replicate seeds,
spawned from one root seed (``numpy.random.SeedSequence``).  A seed fixes the county
and every household's shocks, so replicate ``r`` of a reform and replicate ``r`` of
the baseline differ only through the policy: differences are *paired* (common random
numbers), and their 95% intervals, t intervals over replicates, are far narrower than
those of independent runs (Law 2015, *Simulation Modeling and Analysis*, 5th ed.,
sec. 11.2).

The functions below are the steps of ``ruralsim compare``; each returns a tidy pandas
DataFrame (or a str), so a notebook can call them one by one::

    from ruralsim.experiments import compare as cmp
    runs = cmp.run_arms(["baseline", "scenarios/withdrawal_cliff.yaml"], replicates=5, households=2_000)
    cmp.paired_summary(runs.annual)          # comparison.csv
    cmp.decile_impacts(runs.households)      # deciles.csv
    cmp.winners_losers(runs.households)      # winners_losers.csv
    cmp.fiscal_costs(runs.annual)            # fiscal.csv
    cmp.cost_per_relapse_averted(runs.annual, runs.households)

or run all of them with :func:`run_comparison`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

from ruralsim.model import metrics as mx
from ruralsim.model.scenario import Scenario, as_scenario

from .run import replicate_seeds, run_county

BASELINE = "baseline"  # the word that names the built-in baseline on the command line
FIRST_SIMULATED_YEAR = 2021
ID_COLUMNS = ["scenario", "role", "replicate", "seed"]
COMPARISON_COLUMNS = ["metric", "year", "scenario", "baseline_mean", "reform_mean", "diff_mean",
                      "diff_ci_low", "diff_ci_high"]
DECILE_COLUMNS = ["scenario", "decile", "baseline_mean_income", "reform_mean_income", "change", "change_pct"]
FISCAL_COLUMNS = ["scenario", "programme", "baseline_cost", "reform_cost", "diff"]
COST_PER_RELAPSE_COLUMNS = ["scenario", "extra_fiscal_cost", "ex_poor_persons", "relapses_averted",
                            "cost_per_relapse_averted", "note"]


def winners_columns(threshold: float = 0.05) -> list[str]:
    pct = f"{100 * threshold:g}pct"
    return ["scenario", f"share_gain_over_{pct}", f"share_loss_over_{pct}", f"share_within_{pct}"]


# -- arms and seeds --------------------------------------------------------------------------
@dataclass(frozen=True)
class Arm:
    """One policy arm: a unique ``label`` (used in every output table), its role and scenario."""

    label: str
    role: str  # "baseline" or "reform"
    scenario: Scenario = field(compare=False)
    path: Path | None = None  # the scenario file; None for the built-in baseline or an in-memory Scenario


def make_arms(specs) -> list[Arm]:
    """Arms from scenario specs; the first is the baseline.

    ``specs`` is a list (or a dict label -> spec, to choose the labels) whose items are
    ``None`` or ``"baseline"`` (the built-in baseline), a scenario file path, a
    :class:`~model.scenario.Scenario` or an :class:`Arm`.  Every file is loaded and
    validated here, before anything runs.  Labels default to the scenario name and are
    made unique with a suffix (comparing the baseline with itself gives ``baseline-2``).
    """
    items = list(specs.items()) if isinstance(specs, dict) else [(None, s) for s in specs]
    if len(items) < 2:
        raise ValueError(f"A comparison needs a baseline and at least one reform. Got {len(items)} scenario(s).")
    arms, seen = [], set()
    for i, (label, spec) in enumerate(items):
        role = BASELINE if i == 0 else "reform"
        if isinstance(spec, Arm):
            label, scenario, path = label or spec.label, spec.scenario, spec.path
        elif spec is None or (isinstance(spec, str) and spec == BASELINE):
            scenario, path = Scenario(), None
        else:
            scenario = as_scenario(spec)
            path = Path(spec).resolve() if isinstance(spec, (str, Path)) else None
        base = label or scenario.name or (path.stem if path else BASELINE)
        label, k = base, 1
        while label in seen:
            k += 1
            label = f"{base}-{k}"
        seen.add(label)
        arms.append(Arm(label, role, scenario, path))
    return arms


def _check_positive(name: str, value, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        kind = "a positive int" if minimum == 1 else f"an int >= {minimum}"
        raise ValueError(f"The '{name}' parameter of run_arms must be {kind}. Got {value!r}.")
    return int(value)


# -- running ---------------------------------------------------------------------------------
class ArmRuns(NamedTuple):
    """What :func:`run_arms` returns: two long tables."""

    annual: pd.DataFrame  # scenario, role, replicate, seed + the annual table (runs.csv)
    households: pd.DataFrame  # scenario, role, replicate, seed, household, y, members, is_ex_poor, recv_gov (final year)


def run_arms(arms, replicates: int = 10, households: int = 10_000, years: int = 10, seed: int = 0, *,
             seeds=None, progress: Callable[[int], None] | None = None, executor=None) -> ArmRuns:
    """Run every arm for every replicate seed (the same seeds in every arm).

    ``arms`` is a list of :class:`Arm` or anything :func:`make_arms` accepts.  ``seeds``
    overrides :func:`replicate_seeds` (``seed``, ``replicates``).  ``progress(k)`` is
    called after every ``k`` simulated years (``tqdm.update`` fits).  ``executor``: any
    ``concurrent.futures.Executor`` (a process pool, ``dask.distributed`` ...) to run the
    arm x replicate runs in parallel; by default they run one after the other.
    """
    arms = arms if arms and all(isinstance(a, Arm) for a in arms) else make_arms(arms)
    households = _check_positive("households", households)
    years = _check_positive("years", years)
    if seeds is None:
        seeds = replicate_seeds(_check_positive("seed", seed, 0), _check_positive("replicates", replicates))
    seeds = [int(s) for s in seeds]
    jobs = [(arm, r, s) for arm in arms for r, s in enumerate(seeds)]
    results = []
    futures = None if executor is None else [executor.submit(run_county, arm.scenario, households, years, s)
                                             for arm, _, s in jobs]
    for k, (arm, _, s) in enumerate(jobs):
        if futures is None:
            results.append(run_county(arm.scenario, households, years, s, progress))
        else:
            results.append(futures[k].result())
            if progress is not None:
                progress(years)
    annual, hh = [], []
    for (arm, r, s), (df, snap) in zip(jobs, results):
        ids = {"scenario": arm.label, "role": arm.role, "replicate": r, "seed": s}
        annual.append(pd.DataFrame({**{k: [v] * len(df) for k, v in ids.items()}, **df}))
        n = snap["y"].size
        hh.append(pd.DataFrame({**{k: np.repeat(v, n) for k, v in ids.items()}, "household": np.arange(n), **snap}))
    return ArmRuns(pd.concat(annual, ignore_index=True), pd.concat(hh, ignore_index=True))


# -- paired differences ----------------------------------------------------------------------
def _reform_labels(table: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(table.loc[table["role"] != BASELINE, "scenario"]))


def _baseline_label(table: pd.DataFrame) -> str:
    labels = table.loc[table["role"] == BASELINE, "scenario"].unique()
    if len(labels) != 1:
        raise ValueError(f"The table must hold exactly one baseline arm (role 'baseline'). Got {list(labels)}.")
    return str(labels[0])


def metric_columns(annual: pd.DataFrame) -> list[str]:
    """Every numeric column of the annual table except ``year`` (and the run identifiers)."""
    return [c for c in annual.columns
            if c not in ID_COLUMNS and c != "year" and pd.api.types.is_numeric_dtype(annual[c])
            and not pd.api.types.is_bool_dtype(annual[c])]


def _cube(annual: pd.DataFrame, label: str, metrics: list[str]):
    """(replicates, years, metrics) array of one arm, with its replicate and year labels."""
    sub = annual[annual["scenario"] == label].sort_values(["replicate", "year"])
    reps, years = np.unique(sub["replicate"]), np.unique(sub["year"])
    if len(sub) != reps.size * years.size:
        raise ValueError(f"Arm '{label}' does not have every year for every replicate.")
    return sub[metrics].to_numpy(dtype=float).reshape(reps.size, years.size, len(metrics)), reps, years


def t_halfwidth(values: np.ndarray, level: float = 0.95, axis: int = 0) -> np.ndarray:
    """Half-width of the t interval of the mean along ``axis``; NaN with fewer than two values."""
    n = values.shape[axis]
    if n < 2:
        return np.full(np.delete(values.shape, axis), np.nan)
    with np.errstate(invalid="ignore"):
        sd = np.std(values, axis=axis, ddof=1)
    return stats.t.ppf(0.5 + level / 2, n - 1) * sd / np.sqrt(n)


def paired_summary(annual: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """comparison.csv: per reform x metric x year, the means and the paired difference with its interval.

    For replicate r, d_r = reform_r - baseline_r (same seed); the interval is
    mean(d) +- t_{R-1} sd(d) / sqrt(R).  With R = 1 it is NaN.
    """
    metrics = metric_columns(annual)
    base, reps, years = _cube(annual, _baseline_label(annual), metrics)
    out = []
    for label in _reform_labels(annual):
        ref, r_reps, r_years = _cube(annual, label, metrics)
        if not (np.array_equal(reps, r_reps) and np.array_equal(years, r_years)):
            raise ValueError(f"Arm '{label}' does not have the baseline's replicates and years; cannot pair them.")
        with np.errstate(invalid="ignore"):
            d = ref - base
            mean = d.mean(axis=0)
        half = t_halfwidth(d, level)
        m_idx, y_idx = np.meshgrid(np.arange(len(metrics)), np.arange(years.size), indexing="ij")
        m_idx, y_idx = m_idx.ravel(), y_idx.ravel()
        out.append(pd.DataFrame({
            "metric": np.asarray(metrics, dtype=object)[m_idx], "year": years[y_idx], "scenario": label,
            "baseline_mean": base.mean(axis=0)[y_idx, m_idx], "reform_mean": ref.mean(axis=0)[y_idx, m_idx],
            "diff_mean": mean[y_idx, m_idx], "diff_ci_low": (mean - half)[y_idx, m_idx],
            "diff_ci_high": (mean + half)[y_idx, m_idx]}))
    return pd.concat(out, ignore_index=True)[COMPARISON_COLUMNS]


def unpaired_halfwidth(annual: pd.DataFrame, metric: str, level: float = 0.95) -> pd.DataFrame:
    """For comparison only: the half-width the interval would have if the arms were independent runs.

    Welch's t interval (Welch 1947) of reform mean - baseline mean, beside the paired
    half-width, per reform and year.  Columns: scenario, year, paired, unpaired.
    """
    base, reps, years = _cube(annual, _baseline_label(annual), [metric])
    n = reps.size
    rows = []
    for label in _reform_labels(annual):
        ref = _cube(annual, label, [metric])[0]
        paired = t_halfwidth(ref - base, level)[:, 0]
        if n < 2:
            unpaired = np.full(years.size, np.nan)
        else:
            vb, vr = base.var(axis=0, ddof=1)[:, 0] / n, ref.var(axis=0, ddof=1)[:, 0] / n
            se2 = vb + vr
            with np.errstate(invalid="ignore", divide="ignore"):
                df = np.where(se2 > 0, se2 ** 2 / ((vb ** 2 + vr ** 2) / (n - 1)), n - 1)
            unpaired = stats.t.ppf(0.5 + level / 2, df) * np.sqrt(se2)
        rows.append(pd.DataFrame({"scenario": label, "year": years, "paired": paired, "unpaired": unpaired}))
    return pd.concat(rows, ignore_index=True)


def arm_bands(annual: pd.DataFrame, metric: str, level: float = 0.95) -> pd.DataFrame:
    """Each arm's mean of ``metric`` by year with a t interval over replicates (for the figures)."""
    rows = []
    for label in dict.fromkeys(annual["scenario"]):
        cube, _, years = _cube(annual, label, [metric])
        mean, half = cube.mean(axis=0)[:, 0], t_halfwidth(cube, level)[:, 0]
        rows.append(pd.DataFrame({"scenario": label, "year": years, "mean": mean, "low": mean - half,
                                  "high": mean + half}))
    return pd.concat(rows, ignore_index=True)


# -- households: deciles, winners and losers ---------------------------------------------------
def _paired_households(households: pd.DataFrame):
    """Yield (label, baseline rows, reform rows), both sorted by replicate and household."""
    keys = ["replicate", "household"]
    base = households[households["role"] == BASELINE].sort_values(keys)
    for label in _reform_labels(households):
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


# -- money -----------------------------------------------------------------------------------
def fiscal_costs(annual: pd.DataFrame) -> pd.DataFrame:
    """fiscal.csv: per reform and programme, the mean over replicates of the cost summed over
    the simulated years (2021 on); the last row per reform, ``total``, is ``fiscal_cost``."""
    costs = [c for c in annual.columns if c.startswith("cost_")] + ["fiscal_cost"]
    sim = annual[annual["year"] >= FIRST_SIMULATED_YEAR]
    sums = sim.groupby(["scenario", "replicate"], sort=False)[costs].sum()
    means = sums.groupby(level="scenario", sort=False).mean()
    base = means.loc[_baseline_label(annual)]
    names = [c.removeprefix("cost_") for c in costs[:-1]] + ["total"]
    rows = []
    for label in _reform_labels(annual):
        ref = means.loc[label]
        rows.append(pd.DataFrame({"scenario": label, "programme": names, "baseline_cost": base.to_numpy(),
                                  "reform_cost": ref.to_numpy(), "diff": (ref - base).to_numpy()}))
    return pd.concat(rows, ignore_index=True)[FISCAL_COLUMNS]


def cost_per_relapse_averted(annual: pd.DataFrame, households: pd.DataFrame) -> pd.DataFrame:
    """cost_per_relapse_averted.csv: extra fiscal cost of each reform over the run divided by the
    ex-poor persons it keeps from ever relapsing.

    relapses averted = (baseline - reform) mean cumulative relapse rate in the final
    year x mean number of ex-poor persons in the (baseline) county.  NaN, with a note,
    when the reform averts no relapse.
    """
    fiscal = fiscal_costs(annual)
    total = fiscal[fiscal["programme"] == "total"].set_index("scenario")["diff"]
    final = annual["year"].max()
    cum = annual[annual["year"] == final].groupby("scenario", sort=False)["cumulative_relapse_rate"].mean()
    base_hh = households[households["role"] == BASELINE]
    ex_poor = float(base_hh.loc[base_hh["is_ex_poor"], "members"].sum() / base_hh["replicate"].nunique())
    base_label = _baseline_label(annual)
    rows = []
    for label in _reform_labels(annual):
        extra = float(total[label])
        averted = float((cum[base_label] - cum[label]) * ex_poor)
        if averted > 0:
            cost = extra / averted
            note = ("the reform saves money and averts relapses" if extra < 0 else
                    "extra fiscal cost per ex-poor person kept from relapsing")
        else:
            cost = np.nan
            if averted == 0:
                note = "no relapse averted: the reform does not change cumulative relapse"
            else:
                note = f"no relapse averted: the reform adds {-averted:,.1f} relapses"
                if extra < 0:
                    note += f" and saves {money(-extra / -averted)} per added relapse"
        rows.append({"scenario": label, "extra_fiscal_cost": extra, "ex_poor_persons": ex_poor,
                     "relapses_averted": averted, "cost_per_relapse_averted": cost, "note": note})
    return pd.DataFrame(rows, columns=COST_PER_RELAPSE_COLUMNS)


# -- the year to talk about, and the words ----------------------------------------------------
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


def money(v: float) -> str:
    """Yuan in words a planner reads: '45.00 million yuan'."""
    if not np.isfinite(v):
        return "n/a"
    a = abs(v)
    for scale, unit in ((1e9, "billion"), (1e6, "million")):
        if a >= scale:
            return f"{v / scale:,.2f} {unit} yuan"
    return f"{v:,.0f} yuan"


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


# -- everything at once ----------------------------------------------------------------------
@dataclass
class Comparison:
    """All tables of one comparison (what ``ruralsim compare`` writes)."""

    arms: list[Arm]
    seeds: list[int]
    households_n: int
    years: int
    annual: pd.DataFrame
    households: pd.DataFrame
    comparison: pd.DataFrame
    deciles: pd.DataFrame
    winners: pd.DataFrame
    fiscal: pd.DataFrame
    cost_per_relapse: pd.DataFrame
    summary: str

    def tables(self) -> dict[str, pd.DataFrame]:
        """File name -> table, as written to the output directory."""
        return {"comparison.csv": self.comparison, "deciles.csv": self.deciles,
                "winners_losers.csv": self.winners, "fiscal.csv": self.fiscal,
                "cost_per_relapse_averted.csv": self.cost_per_relapse, "runs.csv": self.annual}


def run_comparison(arms, replicates: int = 10, households: int = 10_000, years: int = 10, seed: int = 0, *,
                   progress=None, executor=None, level: float = 0.95) -> Comparison:
    """Run every arm and compute every table of the comparison."""
    arms = arms if arms and all(isinstance(a, Arm) for a in arms) else make_arms(arms)
    seeds = replicate_seeds(_check_positive("seed", seed, 0), _check_positive("replicates", replicates))
    runs = run_arms(arms, households=households, years=years, seeds=seeds, progress=progress, executor=executor)
    comparison = paired_summary(runs.annual, level)
    deciles = decile_impacts(runs.households)
    winners = winners_losers(runs.households)
    fiscal = fiscal_costs(runs.annual)
    cpra = cost_per_relapse_averted(runs.annual, runs.households)
    summary = summary_text(comparison, fiscal, winners, cpra, arms, deciles)
    return Comparison(arms, seeds, int(households), int(years), runs.annual, runs.households, comparison, deciles,
                      winners, fiscal, cpra, summary)
