"""The arms of a comparison (a baseline and reforms) and their runs with common random numbers.

Every arm is run with the *same* replicate seeds, spawned from one root seed
(:func:`ruralsim.experiments.run.replicate_seeds`).  A seed fixes the county and every
household's shocks, so replicate ``r`` of a reform and replicate ``r`` of the baseline differ
only through the policy (common random numbers; Law 2015, *Simulation Modeling and Analysis*,
5th ed., sec. 11.2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, NamedTuple

import numpy as np
import pandas as pd
from ruralsim.model.declared import run_setting
from ruralsim.model.model import CALIBRATION_YEAR
from ruralsim.model.scenario import Scenario, as_scenario

from .run import replicate_seeds, run_county

BASELINE = "baseline"  # the word that names the built-in baseline on the command line
FIRST_SIMULATED_YEAR = CALIBRATION_YEAR + 1
ARM_COLUMNS = ["scenario", "role", "replicate", "seed"]  # which arm and which replicate a row belongs to


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


def positive_int(name: str, value, minimum: int = 1) -> int:
    """A run setting of :func:`run_arms` checked against its declaration (``minimum`` is implied by it)."""
    return run_setting("run_arms", name, value)

def reform_labels(table: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(table.loc[table["role"] != BASELINE, "scenario"]))


def baseline_label(table: pd.DataFrame) -> str:
    labels = table.loc[table["role"] == BASELINE, "scenario"].unique()
    if len(labels) != 1:
        raise ValueError(f"The table must hold exactly one baseline arm (role 'baseline'). Got {list(labels)}.")
    return str(labels[0])


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
    households = positive_int("households", households)
    years = positive_int("years", years)
    if seeds is None:
        seeds = replicate_seeds(positive_int("seed", seed, 0), positive_int("replicates", replicates))
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
