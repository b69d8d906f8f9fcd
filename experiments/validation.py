"""Validation of the baseline against official and published figures (data/calibration_targets.csv).

Each :class:`Target` turns the annual tables of several replicate runs of the
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
    Target("mean_income", 2020, 12588, 12588 * 0.97, 12588 * 1.03, _at("mean_income", 2020),
           "NBS 75-year report (Xinhua 2024-09-20)", "per capita disposable income of counties lifted out of poverty"),
    Target("mean_income_ex_poor", 2020, 10740, 10740 * 0.95, 10740 * 1.05, _at("mean_income_ex_poor", 2020),
           "NRRA, SCIO 2021-04-06", "registered households lifted out of poverty"),
    Target("wage_share", 2020, 0.353, 0.303, 0.403, _at("wage_share", 2020), "NBS 2020-02-03 (2019 shares)"),
    Target("business_share", 2020, 0.360, 0.310, 0.410, _at("business_share", 2020), "NBS 2020-02-03 (2019 shares)"),
    Target("property_share", 2020, 0.014, 0.0, 0.04, _at("property_share", 2020), "NBS 2020-02-03 (2019 shares)"),
    Target("transfer_share", 2020, 0.273, 0.223, 0.323, _at("transfer_share", 2020), "NBS 2020-02-03 (2019 shares)"),
    Target("transfer_share_bottom_over_top", 2020, 0.27 / 0.09, 2.0, np.inf,
           _ratio("transfer_share_bottom_quintile", "transfer_share_top_quintile", 2020),
           "Sanming Statistical Yearbook 2023 table 5-11 (2022)", "shape: transfers matter most at the bottom"),
    Target("real_income_growth", 2023, 0.085, 0.05, 0.12, _growth(2020, 2023),
           "NBS poverty-area releases 2017-2019: +9.1%, +8.3%, +8.0% real", "mean annual growth 2020-2023"),
    Target("falls_share_medical", 2025, 0.43, 0.25, 0.60, _mean_over("falls_share_medical", SIM),
           "LGOP 2013 (42.4%), 2015 (44.1%)", "falls into poverty caused by medical spending, 2021-2025"),
    Target("gini", 2020, 0.375, 0.35, 0.40, _at("gini", 2020), "NBS 0.38 (2010); CCNU survey 0.395 (2011)"),
    Target("ex_poor_migrants_per_person", 2021, 32.78 / 98.99, 0.0, 0.40, _at("ex_poor_migrants_per_person", 2021),
           "SCIO 2023-02-14: 32.78 m of 98.99 m",
           "an upper bound: the figure counts every migrant worker of the families lifted out, most of them not "
           "resident household members as the NBS survey defines them (their remittances are transfer income); "
           "the model's migrants are resident members, whose full earnings count as wage income"),
    Target("coop_member_share", 2020, 0.445, 0.35, 0.60, _at("coop_member_share", 2020),
           "MoA 2016 via DLG AgriFuture", "share of households in cooperatives (2016 figure, rising since)"),
    Target("coop_member_premium", 2020, 0.19, 0.10, 0.30, _at("coop_member_premium", 2020),
           "NPC 2012 (20%); Dong, Mu & Abler 2019 (18%)", "descriptive member income premium"),
    Target("ever_monitored_share", 2025, 0.07, 0.03, 0.12, _at("ever_monitored_share", 2025),
           "MARA via ecns.cn 2026-02-25: >7 m identified 2021-2025", "persons ever flagged, relative to the 99 m lifted out"),
    Target("risk_eliminated_share", 2024, 5.34 / 7.0, 0.60, 0.90, _at("risk_eliminated_share", 2024),
           "MARA (Zhang Xingwang, Jan 2025): 5.34 m of ~7 m", "flagged persons whose risk was eliminated"),
    Target("exit_rate_spell_1", 2030, 0.372, 0.20, 0.60, _pooled("spell_1_exits", "spell_1_persons", NEW_SPELLS),
           "Chen et al., CFPS duration analysis (2010-2014)",
           "exit from income poverty after a new one-year spell, pooled 2023-2030",
           regime="pre_targeting.yaml"),
    Target("exit_rate_spell_5", 2030, 0.086, 0.0, 0.30, _pooled("spell_5_exits", "spell_5_persons", LATER),
           "Chen et al., CFPS duration analysis (2010-2014)", "exit after five years poor (few such spells: wide band)",
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
                     "note": t.note, "regime": t.regime})
    return pd.DataFrame(rows)
