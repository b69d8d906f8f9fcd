"""A ratio over an empty group is undefined: NaN, not 0 (model/annual.py; README, Output columns)."""

import math

from ruralsim.model import RuralEconomy
from ruralsim.model.scenario import Scenario


def test_ratios_over_no_ex_poor_household_are_nan():
    # nobody registered, and nobody registered by the verification at exit either
    sc = Scenario(name="no_ex_poor", parameters_overrides={"population.ex_poor_share": 0.0,
                                                           "population.register_newly_poor": False})
    df = RuralEconomy(sc, n_households=60, rng=3, household_agents=False).run_years(1)
    for column in ("relapse_rate", "cumulative_relapse_rate", "mean_income_ex_poor", "ex_poor_migrants_per_person"):
        assert df[column].isna().all(), column
    assert df["new_poverty_rate"].notna().all() and math.isfinite(df["mean_income"].iloc[-1])


def test_ratios_over_no_never_registered_household_are_nan():
    sc = Scenario(name="all_ex_poor", parameters_overrides={"population.ex_poor_share": 1.0})
    df = RuralEconomy(sc, n_households=60, rng=3, household_agents=False).run_years(1)
    assert df["new_poverty_rate"].isna().all() and df["mean_income_never_registered"].isna().all()
    assert df["relapse_rate"].notna().all()
