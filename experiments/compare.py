"""Reform-versus-baseline comparisons with common random numbers (paired differences, distribution, cost).

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

or run all of them with :func:`run_comparison`.  Each step is a module of its own, and every name
is importable from here: :mod:`~ruralsim.experiments.arms` (arms and their runs),
:mod:`~ruralsim.experiments.paired` (paired differences), :mod:`~ruralsim.experiments.impacts`
(deciles, winners and losers), :mod:`~ruralsim.experiments.fiscal` (costs, cost per relapse averted)
and :mod:`~ruralsim.experiments.plain_language` (the summary paragraph).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .arms import (BASELINE, FIRST_SIMULATED_YEAR, ARM_COLUMNS, Arm, ArmRuns, baseline_label, make_arms,
                   positive_int, reform_labels, run_arms)
from .fiscal import COST_PER_RELAPSE_COLUMNS, FISCAL_COLUMNS, cost_per_relapse_averted, fiscal_costs, money
from .impacts import DECILE_COLUMNS, decile_impacts, winners_columns, winners_losers
from .paired import (COMPARISON_COLUMNS, arm_bands, metric_columns, paired_summary, t_halfwidth,
                     unpaired_halfwidth)
from .plain_language import focus_year, policy_levels, summary_text
from .run import replicate_seeds

__all__ = [
    "BASELINE", "FIRST_SIMULATED_YEAR", "ARM_COLUMNS", "COMPARISON_COLUMNS", "DECILE_COLUMNS", "FISCAL_COLUMNS",
    "COST_PER_RELAPSE_COLUMNS", "Arm", "ArmRuns", "Comparison", "make_arms", "run_arms", "run_comparison",
    "replicate_seeds", "baseline_label", "reform_labels", "metric_columns", "paired_summary", "t_halfwidth",
    "unpaired_halfwidth", "arm_bands", "decile_impacts", "winners_columns", "winners_losers", "fiscal_costs",
    "cost_per_relapse_averted", "money", "policy_levels", "focus_year", "summary_text",
]


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
    seeds = replicate_seeds(positive_int("seed", seed, 0), positive_int("replicates", replicates))
    runs = run_arms(arms, households=households, years=years, seeds=seeds, progress=progress, executor=executor)
    comparison = paired_summary(runs.annual, level)
    deciles = decile_impacts(runs.households)
    winners = winners_losers(runs.households)
    fiscal = fiscal_costs(runs.annual)
    cpra = cost_per_relapse_averted(runs.annual, runs.households)
    summary = summary_text(comparison, fiscal, winners, cpra, arms, deciles)
    return Comparison(arms, seeds, int(households), int(years), runs.annual, runs.households, comparison, deciles,
                      winners, fiscal, cpra, summary)
