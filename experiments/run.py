"""One county run, and the replicate seeds every experiment shares.

Every command that runs the model more than once (``compare``, ``sweep``, ``validate``,
``calibrate``) spawns its replicate seeds with :func:`replicate_seeds` from one root seed
(``numpy.random.SeedSequence``, as Mesa and NumPy recommend for independent streams), so
``ruralsim validate --seed 0`` and ``ruralsim compare --seed 0`` simulate the same counties;
and every run goes through :func:`run_county`.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

SEED_RULE = "[int(s.generate_state(1)[0]) for s in numpy.random.SeedSequence(root).spawn(replicates)]"


def replicate_seeds(seed: int, replicates: int) -> list[int]:
    """``replicates`` run seeds spawned from ``SeedSequence(seed)`` (:data:`SEED_RULE`).

    Replicate ``r`` of every arm, design point or regime runs with the ``r``-th seed: the same
    county and the same shocks (common random numbers)."""
    return [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(int(seed)).spawn(int(replicates))]


def run_county(scenario, households: int, years: int, seed: int, on_year: Callable[[int], None] | None = None):
    """Run one county year by year; return (annual table, final-year household arrays).

    The household arrays (per-capita income ``y`` = income / members, ``members``,
    ``is_ex_poor``, ``recv_gov``) are read at the end of every year, but only the last
    year's are kept, so memory stays at one county per run.  ``on_year(1)`` is called after
    every simulated year (``tqdm.update`` fits).
    """
    from ruralsim.model import RuralEconomy

    model = RuralEconomy(scenario=scenario, n_households=households, rng=seed, household_agents=False)
    snap = {}
    for _ in range(years):
        model.run_years(1)
        h = model.hh
        snap = {"y": h.income / h.members, "members": h.members.copy(), "is_ex_poor": h.is_ex_poor.copy(),
                "recv_gov": h.recv_gov.copy()}
        if on_year is not None:
            on_year(1)
    annual = model.annual_metrics()
    model.close()  # frees the county now (Mesa < 3.4 would otherwise keep it: mesa/mesa#3179)
    return annual, snap


def run(scenario=None, households: int = 10_000, years: int = 10, seed: int = 0) -> pd.DataFrame:
    """The annual table of one county: ``scenario`` (None or "baseline", a file, or a Scenario) run
    for ``years`` years after the 2020 calibration year, with run seed ``seed``."""
    if isinstance(scenario, str) and scenario == "baseline":
        scenario = None
    annual, _ = run_county(scenario, households, years, seed)
    return annual


def run_replicates(scenario, replicates: int, households: int, years: int, seed: int,
                   progress: Callable[[], None] | None = None) -> list[pd.DataFrame]:
    """Annual tables of one scenario, one per replicate seed of :func:`replicate_seeds` (``seed``)."""
    tables = []
    for s in replicate_seeds(seed, replicates):
        tables.append(run_county(scenario, households, years, s)[0])
        if progress:
            progress()
    return tables
