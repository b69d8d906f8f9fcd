"""Patterns of household dynamics (docs/ODD.md section 1.2, pattern 11 and the demography of pattern 7): directions
only, with fixed seeds; no size fixed in advance."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ruralsim.experiments.fall_durations import persistence_by_kind, track_falls
from ruralsim.model import RuralEconomy
from ruralsim.model.scenario_file import load_scenario

PRE_TARGETING = load_scenario(Path(__file__).resolve().parents[1] / "scenarios" / "pre_targeting.yaml")


@pytest.mark.slow
def test_11_falls_after_lasting_shocks_last_longer_than_falls_after_transitory_ones():
    """In the regime before targeted poverty alleviation (no monitoring, the old safety net): what the household's
    own state carries.  (In the transition-period baseline, monitoring finds households in sudden difficulty, such
    as a new chronic illness, far more readily than persistent low income, and dibao reaches weak labour, so there
    falls after lasting shocks are the shorter ones: docs/validation.md.)"""
    # two counties of 20,000 households over ten years give about 1,900 falls after lasting shocks and 13,000
    # after transitory ones: the standard error of each share still poor a year later is about 0.01-0.02,
    # well below the gap the mechanisms (chronic illness, lost assets, debt) should open
    falls = []
    for seed in (1, 2):
        m = RuralEconomy(PRE_TARGETING, n_households=20_000, rng=seed, household_agents=False)
        falls.append(track_falls(m, 10))
    import pandas as pd

    table = persistence_by_kind(pd.concat(falls, ignore_index=True))
    print(table)
    assert table.loc["lasting", "falls"] > 200 and table.loc["transitory", "falls"] > 200
    # how long the falls last (years poor from the fall; spells still running at the end count to the end)
    assert table.loc["lasting", "mean_years_poor"] > table.loc["transitory", "mean_years_poor"]
    # (the share still poor one year later is about the same for both, 0.34-0.35: dibao, which ran before 2014,
    # tops up the households a chronic illness leaves with weak labour from the next year; docs/validation.md)


@pytest.mark.slow
def test_7b_there_are_children_to_reach_in_every_year_of_a_long_run():
    """With births, the county does not run out of children: in every year to 2035 the children's share of persons
    stays above half its 2020 level (without demography it fell from 24% to 5% by 2030)."""
    m = RuralEconomy(n_households=10_000, rng=4, household_agents=False)
    h = m.hh
    shares = [h.children.sum() / h.members.sum()]
    for _ in range(15):
        m.run_years(1)
        shares.append(h.children.sum() / h.members.sum())
    print(np.round(shares, 3))
    assert min(shares) > 0.5 * shares[0]
