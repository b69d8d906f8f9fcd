"""Validation of the baseline against official and published figures (data/calibration_targets.csv).

Which targets the calibration fits and which are held out, their observed values and their bands are
declared in ``data/validation_targets.csv`` (before fitting: the calibration reads the roles from it and
never fits a held-out target).  Each :class:`Target` turns the annual tables of several replicate runs of the
default county into one statistic per replicate, compares its mean and 95%
interval with the observed value, and passes when the model mean lies within the
stated tolerance.  The tolerances and why they are what they are are in
``data/README.md``.  The replicate seeds are those of every experiment
(:func:`ruralsim.experiments.run.replicate_seeds`), so ``ruralsim validate --seed 0``
and ``ruralsim compare --seed 0`` simulate the same counties.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
from scipy import stats

from ruralsim.model.scenario import Scenario
from ruralsim.model.scenario_file import load_scenario

from .run import run_replicates


DATA = Path(__file__).resolve().parents[1] / "data"
#: which targets the calibration fits and which are held out, with their bands and the reasons for them,
#: declared before fitting (data/README.md)
ROLES_FILE = DATA / "validation_targets.csv"
ROLES = ("fitted", "held_out")


def declared_targets(path: Path = ROLES_FILE) -> dict[str, dict]:
    """The declared role, observed value and band of every target (``data/validation_targets.csv``)."""
    table = pd.read_csv(path)
    missing = {"target", "role", "observed", "low", "high", "band_reason"} - set(table.columns)
    if missing:
        raise ValueError(f"{path}: expected the columns target, role, observed, low, high, band_reason; "
                         f"missing {sorted(missing)}")
    out = {}
    for _, r in table.iterrows():
        if r["role"] not in ROLES or not (r["low"] <= r["observed"] <= r["high"]):
            raise ValueError(f"{path}: '{r['target']}': expected a role in {ROLES} and low <= observed <= high; "
                             f"found role {r['role']!r}, band {r['low']} to {r['high']} around {r['observed']}")
        out[str(r["target"])] = {k: r[k] for k in ("role", "observed", "low", "high", "band_reason")}
    return out


@dataclass(frozen=True)
class Target:
    """One validation target: what is compared, with what, and how close it must be."""

    key: str
    year: int
    observed: float
    low: float  # pass when low <= model mean <= high
    high: float
    statistic: Callable[[pd.DataFrame], float]  # annual table of one replicate -> number
    source: str
    note: str = ""
    regime: str = "baseline"  # the scenario the figure describes: 'baseline' or a file in scenarios/
    role: str = "fitted"  # 'fitted' (in the calibration objective) or 'held_out' (checked only)


def target(key: str, year: int, statistic, source: str, note: str = "", regime: str = "baseline") -> Target:
    """A target whose observed value, band and role are those declared in ``data/validation_targets.csv``."""
    declared = DECLARED.get(key)
    if declared is None:
        raise ValueError(f"{ROLES_FILE}: '{key}': expected a row declaring its role and band; found none")
    return Target(key, year, float(declared["observed"]), float(declared["low"]), float(declared["high"]), statistic,
                  source, note, regime, str(declared["role"]))


DECLARED = declared_targets()


def _at(col, year):
    return lambda df: float(df.loc[df.year == year, col].iloc[0])


def _growth(first, last):
    def f(df):
        a = float(df.loc[df.year == first, "mean_income"].iloc[0])
        b = float(df.loc[df.year == last, "mean_income"].iloc[0])
        return (b / a) ** (1.0 / (last - first)) - 1.0
    return f


def _pooled(num, den, years):
    def f(df):
        d = df[df.year.isin(years)]
        total = d[den].sum()
        return float(d[num].sum() / total) if total > 0 else float("nan")
    return f


def _mean_over(col, years):
    return lambda df: float(df.loc[df.year.isin(years), col].mean())


def _ratio(a, b, year):
    return lambda df: _at(a, year)(df) / max(_at(b, year)(df), 1e-12)


SIM = range(2021, 2026)  # the transition period
# Spells counted from 2021: in 2022 a "one-year" spell may have begun before 2021 (left-censored), so exits
# after one year are pooled from 2023, when every such spell is known to be new (as in a duration analysis).
NEW_SPELLS = range(2023, 2031)
LATER = range(2022, 2031)  # years with a poverty spell behind them

TARGETS: list[Target] = [
    target("mean_income", 2020, _at("mean_income", 2020),
           "NBS 75-year report (Xinhua 2024-09-20)", "per capita disposable income of counties lifted out of poverty"),
    target("mean_income_ex_poor", 2020, _at("mean_income_ex_poor", 2020),
           "NRRA, SCIO 2021-04-06", "registered households lifted out of poverty"),
    target("wage_share", 2020, _at("wage_share", 2020), "NBS 2020-02-03 (2019 shares)"),
    target("business_share", 2020, _at("business_share", 2020), "NBS 2020-02-03 (2019 shares)"),
    target("property_share", 2020, _at("property_share", 2020), "NBS 2020-02-03 (2019 shares)"),
    target("transfer_share", 2020, _at("transfer_share", 2020), "NBS 2020-02-03 (2019 shares)"),
    target("transfer_share_bottom_over_top", 2020, _ratio("transfer_share_bottom_quintile", "transfer_share_top_quintile", 2020),
           "Sanming Statistical Yearbook 2023 table 5-11 (2022)", "shape: transfers matter most at the bottom"),
    target("real_income_growth", 2023, _growth(2020, 2023),
           "NBS poverty-area releases 2017-2019: +9.1%, +8.3%, +8.0% real", "mean annual growth 2020-2023"),
    target("falls_share_medical", 2025, _mean_over("falls_share_medical", SIM),
           "LGOP 2013 (42.4%), 2015 (44.1%)", "falls into poverty caused by medical spending, 2021-2025"),
    target("gini", 2020, _at("gini", 2020), "NBS 0.38 (2010); CCNU survey 0.395 (2011)"),
    target("ex_poor_migrants_per_person", 2021, _at("ex_poor_migrants_per_person", 2021),
           "SCIO 2023-02-14: 32.78 m of 98.99 m",
           "an upper bound: the figure counts every migrant worker of the families lifted out, most of them not "
           "resident household members as the NBS survey defines them (their remittances are transfer income); "
           "the model's migrants are resident members, whose full earnings count as wage income"),
    target("coop_member_share", 2020, _at("coop_member_share", 2020),
           "MoA 2016 via DLG AgriFuture", "share of households in cooperatives (2016 figure, rising since)"),
    target("coop_member_premium", 2020, _at("coop_member_premium", 2020),
           "NPC 2012 (20%); Dong, Mu & Abler 2019 (18%)", "descriptive member income premium"),
    target("ever_monitored_per_registered", 2025, _ratio("ever_monitored_share", "registered_share", 2025),
           "MARA via ecns.cn 2026-02-25: >7 m identified 2021-2025", "persons ever flagged 2021-2025 per person in a registered household (7 m against 99 m lifted out)"),
    target("risk_eliminated_share", 2024, _at("risk_eliminated_share", 2024),
           "MARA (Zhang Xingwang, Jan 2025): 5.34 m of ~7 m", "flagged persons whose risk was eliminated"),
    target("exit_rate_spell_1", 2030, _pooled("spell_1_exits", "spell_1_persons", NEW_SPELLS),
           "Chen et al., CFPS duration analysis (2010-2014)",
           "exit from income poverty after a new one-year spell, pooled 2023-2030",
           regime="pre_targeting.yaml"),
    target("exit_rate_spell_5", 2030, _pooled("spell_5_exits", "spell_5_persons", LATER),
           "Chen et al., CFPS duration analysis (2010-2014)", "exit after five years poor",
           regime="pre_targeting.yaml"),
]


SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def run_regimes(replicates: int = 5, households: int = 20_000, seed: int = 0, years: int = 10,
                overrides: dict | None = None, progress=None, targets=TARGETS) -> dict[str, list[pd.DataFrame]]:
    """Annual tables of every regime the targets need: the baseline and, e.g., the pre-2014 regime.
    ``overrides`` (parameter values) apply to every regime, as in calibration."""
    out = {}
    for regime in sorted({t.regime for t in targets}):
        needed = max(t.year for t in targets if t.regime == regime) - 2020  # no longer than the targets need
        base = None if regime == "baseline" else load_scenario(SCENARIOS / regime)
        sc = Scenario(name=regime, parameters_overrides={**(base.parameters_overrides if base else {}),
                                                         **(overrides or {})},
                      programme_changes=base.programme_changes if base else {})
        out[regime] = run_replicates(sc, replicates, households, min(years, max(needed, 1)), seed, progress)
    return out


def validate(tables, targets=TARGETS) -> pd.DataFrame:
    """The validation table: target, year, observed, model mean and 95% interval, tolerance, pass.
    ``tables`` maps each regime to its replicate tables (a plain list is the baseline's)."""
    if isinstance(tables, list):
        tables = {"baseline": tables}
    rows = []
    for t in targets:
        if t.regime not in tables:
            continue
        values = np.array([t.statistic(df) for df in tables[t.regime]], dtype=float)
        values = values[np.isfinite(values)]
        mean = float(values.mean()) if values.size else float("nan")
        if values.size > 1:
            half = stats.t.ppf(0.975, values.size - 1) * values.std(ddof=1) / np.sqrt(values.size)
        else:
            half = float("nan")
        rows.append({"target": t.key, "year": t.year, "observed": t.observed, "model_mean": mean,
                     "model_ci_low": mean - half, "model_ci_high": mean + half, "tolerance_low": t.low,
                     "tolerance_high": t.high, "passed": bool(t.low <= mean <= t.high), "source": t.source,
                     "note": t.note, "regime": t.regime, "role": t.role})
    return pd.DataFrame(rows)
