"""The verb API of the package root: a few functions, each returning a tidy table."""

import pandas as pd

import ruralsim


def test_run_is_one_county_with_its_seed():
    annual = ruralsim.run("baseline", households=300, years=2, seed=4)
    direct = ruralsim.RuralEconomy(n_households=300, rng=4, household_agents=False).run_years(2)
    pd.testing.assert_frame_equal(annual, direct, check_exact=True)
    assert list(annual["year"]) == [2020, 2021, 2022]


def test_compare_pairs_replicates_with_the_one_seed_rule():
    result = ruralsim.compare(["baseline", "scenarios/withdrawal_cliff.yaml"], replicates=2, households=200, years=2,
                              seed=3)
    assert result.seeds == ruralsim.replicate_seeds(3, 2)
    assert {"metric", "year", "diff_mean", "diff_ci_low", "diff_ci_high"} <= set(result.comparison.columns)
    # replicate r of the baseline arm is the county ruralsim.run simulates with the r-th seed
    base = result.annual[(result.annual["role"] == "baseline") & (result.annual["replicate"] == 1)]
    alone = ruralsim.run(None, households=200, years=2, seed=result.seeds[1])
    assert base["poverty_rate"].tolist() == alone["poverty_rate"].tolist()
