"""Docking (Axtell et al. 1996): the vectorised engine and the per-agent Mesa engine must agree.

``RuralEconomy(engine="vectorised")`` (the household rules of :mod:`model.rules` over numpy
columns, :mod:`model.households`) and ``RuralEconomy(engine="agents")`` (each Mesa ``Household``
acting through its own methods, :mod:`model.agents.household`, run with AgentSet ``shuffle_do``)
are run with the same seed on several policy configurations; every column of
``annual_metrics()`` and every final household, cooperative and enterprise column must agree to
1e-9 relative.  Both start from the same state and draw the same random numbers (common random
numbers per household, purpose and month), so any difference is a difference in how the rules are
implemented.
"""

import functools
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ruralsim.model.agents import Household  # noqa: E402
from ruralsim.model.model import RuralEconomy  # noqa: E402
from ruralsim.model.household_agents import HouseholdAgents  # noqa: E402
from ruralsim.model.households import VectorHouseholds  # noqa: E402
from ruralsim.model.scenario import Scenario  # noqa: E402
from ruralsim.model.state import COOP_COLUMNS, ENTERPRISE_COLUMNS, HOUSEHOLD_COLUMNS  # noqa: E402

N_HOUSEHOLDS = 300
YEARS = 3
SEED = 20240601
RTOL = 1e-9
ATOL = 1e-9  # for quantities that are zero in one implementation and ~1e-13 in the other

WITHDRAWN = ("direct_support", "industry_support", "education_support", "health_protection",
             "vocational_training", "welfare_posts", "microcredit", "consumption_support", "monitoring_support")


def _cliff(end):
    return {"schedule": {"shape": "cliff", "end": end}}


def _linear(start, end):
    return {"schedule": {"shape": "linear", "phase_out_start": start, "end": end}}


CONFIGS = {
    "baseline": Scenario(),
    "support_withdrawn": Scenario(
        name="support_withdrawn", programme_changes={p: _cliff(2021) for p in WITHDRAWN}),
    "cooperatives_off": Scenario(
        name="cooperatives_off",
        parameters_overrides={"population.coop_member_share": 0.0, "cooperative.join_prob": 0.0}),
    "linear_phase_out": Scenario(
        name="linear_phase_out",
        programme_changes={**{p: _linear(2021, 2023) for p in ("direct_support", "industry_support", "dibao",
                                                               "education_support", "health_protection")},
                           "monitoring": _linear(2022, 2023)}),
    "monitoring_no_lag": Scenario(
        name="monitoring_no_lag",
        parameters_overrides={"monitoring.lag": 0, "monitoring.interval": 1, "monitoring.detection": 1.0,
                              "monitoring.min_months": 2}),
    "monitoring_long_lag": Scenario(
        name="monitoring_long_lag",
        # min_months 0: help that starts this month is not cleared at this month's screening
        parameters_overrides={"monitoring.lag": 4, "monitoring.interval": 2, "monitoring.min_months": 0}),
    # budgets that bind, programmes off in the baseline switched on, other targetings, conditional support
    "budgets_and_targeting": Scenario(
        name="budgets_and_targeting",
        programme_changes={
            "dibao": {"budget": 20.0},
            "health_protection": {"budget": 20.0, "targeting": ["ex_poor", "near_poor"]},
            "education_support": {"targeting": ["near_poor", "monitored"]},
            "direct_support": {"conditional": True, "targeting": ["ex_poor", "monitored"]},
            "guaranteed_purchase": {"generosity": 1.0, "amount": 1.1},
            "ecommerce": {"generosity": 1.0},
            "welfare_posts": {"other": {"posts_per_household": 0.2}},
            "vocational_training": {"amount": 0.5},
            "microcredit": {"other": {"take_up": 0.6}},
        }),
    # the labour market with much migration, frequent quits, priority hiring ended and a migrant-labour shock
    "labour_market": Scenario(
        name="labour_market",
        parameters_overrides={"labour.migration_cost": 0.3, "labour.quit_prob": 0.3, "labour.living_cost_away": 0.2,
                              "shocks.migrant_shock_year": 2022, "labour.local_jobs_per_household": 0.3},
        programme_changes={"priority_hiring": {"generosity": 0.0}}),
    # forced shocks: price crash (enterprise defaults on the floor), disaster, migrant shock, enterprise exit
    "stress_tests": Scenario(
        name="stress_tests",
        parameters_overrides={"shocks.price_shock_year": 2022, "shocks.price_shock_size": -0.6,
                              "shocks.disaster_year": 2021, "shocks.migrant_shock_year": 2021,
                              "shocks.enterprise_exit_year": 2023, "motivation.strength": 2.0,
                              "illness.acute_prob": 0.05, "cooperative.failure_base": 0.3},
        programme_changes={"dibao": _cliff(2022)}),
    # births and deaths at high rates: households die out and new ones form on their rows (model/demography.py)
    "demography": Scenario(
        name="demography",
        parameters_overrides={"demography.elderly_mortality": 0.4, "demography.worker_mortality": 0.1,
                              "demography.child_mortality": 0.05, "demography.birth_rate": 0.1}),
}


@functools.lru_cache(maxsize=None)
def _run(engine, config):
    model = RuralEconomy(CONFIGS[config], n_households=N_HOUSEHOLDS, rng=SEED, engine=engine,
                         household_agents=engine == "agents")
    model.run_years(YEARS)
    return model


def _max_rel(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    diff = np.abs(a - b)
    scale = np.maximum(np.abs(a), np.abs(b))
    return float(np.max(diff / np.where(diff > 0, scale, 1.0), initial=0.0))


def assert_docked(vec, ref, years=YEARS):
    """Every annual metric and every final state column of the two runs agree."""
    mv, mr = vec.annual_metrics(), ref.annual_metrics()
    assert list(mv.columns) == list(mr.columns)
    assert len(mv) == len(mr) == years + 1
    for col in mv.columns:
        np.testing.assert_allclose(mr[col].to_numpy(float), mv[col].to_numpy(float), rtol=RTOL, atol=ATOL,
                                   err_msg=f"annual metric '{col}'")
    for table, spec in (("hh", HOUSEHOLD_COLUMNS), ("coops", COOP_COLUMNS), ("enterprises", ENTERPRISE_COLUMNS)):
        for name, (dtype, _) in spec.items():
            v, r = getattr(getattr(vec, table), name), getattr(getattr(ref, table), name)
            if dtype is np.float64:
                np.testing.assert_allclose(r, v, rtol=RTOL, atol=ATOL, err_msg=f"{table}.{name}")
            else:
                np.testing.assert_array_equal(r, v, err_msg=f"{table}.{name}")
    assert vec.log_price == pytest.approx(ref.log_price, rel=RTOL, abs=ATOL)


@pytest.mark.parametrize("config_name", list(CONFIGS))
def test_vectorised_and_agent_engines_dock(config_name):
    vec, agents = _run("vectorised", config_name), _run("agents", config_name)
    assert vec.engine == "vectorised" and agents.engine == "agents"
    assert_docked(vec, agents)
    worst = max(_max_rel(vec.annual_metrics()[c], agents.annual_metrics()[c]) for c in vec.annual_metrics().columns)
    print(f"{config_name}: max relative difference of annual metrics {worst:.2e}")


def test_configurations_exercise_what_they_claim():
    base = _run("vectorised", "baseline").annual_metrics().set_index("year")
    withdrawn = _run("vectorised", "support_withdrawn").annual_metrics().set_index("year")
    assert base.loc[2022, "cost_direct_support"] > 0 and withdrawn.loc[2022, "cost_direct_support"] == 0
    assert withdrawn.loc[2021, "cost_direct_support"] > 0
    assert base.loc[2023, "monitored_share"] > 0
    coops_off = _run("vectorised", "cooperatives_off").annual_metrics()
    assert (coops_off["coop_member_share"] == 0).all() and (base["coop_member_share"] > 0.3).all()
    linear = _run("vectorised", "linear_phase_out").annual_metrics().set_index("year")
    assert 0 < linear.loc[2022, "cost_direct_support"] < base.loc[2022, "cost_direct_support"]
    assert _run("vectorised", "monitoring_no_lag").annual_metrics()["monitored_share"].iloc[1:].min() > 0
    budgets = _run("vectorised", "budgets_and_targeting").annual_metrics().set_index("year")
    assert budgets.loc[2022, "cost_dibao"] <= 20.0 * N_HOUSEHOLDS + 1e-6 < base.loc[2022, "cost_dibao"]
    assert budgets.loc[2022, "cost_guaranteed_purchase"] > 0 and budgets.loc[2022, "cost_ecommerce"] > 0
    stress = _run("vectorised", "stress_tests")
    assert stress.annual_metrics()["enterprise_active"].iloc[-1] == 0


def test_docking_detects_a_tiny_rule_difference(monkeypatch):
    """The comparison is sharp: the same short run docks, and fails once a household rule is changed by
    1e-7 relative."""
    def run(engine):
        model = RuralEconomy(CONFIGS["baseline"], n_households=100, rng=SEED, engine=engine)
        model.run_years(1)
        return model

    vec = run("vectorised")
    assert_docked(vec, run("agents"), years=1)
    wage_factor = Household.wage_factor
    monkeypatch.setattr(Household, "wage_factor", lambda self: wage_factor(self) * (1.0 + 1e-7))
    with pytest.raises(AssertionError, match="rtol=1e-09"):
        assert_docked(vec, run("agents"), years=1)


def test_the_agent_engine_runs_the_households_through_mesa(monkeypatch):
    """engine="agents" lets every Mesa Household act through its own methods, in an order Mesa shuffles,
    and they write the model's columns (the state every other part of the model reads)."""
    acted = []
    fall_ill = Household.fall_ill

    def spy(self, ctx):
        acted.append(self.row)
        fall_ill(self, ctx)

    monkeypatch.setattr(Household, "fall_ill", spy)
    model = RuralEconomy(n_households=50, rng=3, engine="agents")
    assert len(acted) == 24 * 50  # the burn-in and calibration years: every household, every month
    assert sorted(acted[:50]) == list(range(50)) and acted[:50] != list(range(50))  # shuffled
    model.run_years(1)
    h = model.agents_by_type[Household][7]
    assert h.income == model.hh.income[7] > 0
    assert isinstance(model.households, HouseholdAgents) and model.households.agents is model.agents_by_type[Household]


def test_engines_are_chosen_by_name():
    assert isinstance(RuralEconomy(n_households=20, rng=1, household_agents=False).households, VectorHouseholds)
    with pytest.raises(ValueError, match=r"The 'engine' parameter of RuralEconomy must be one of "
                                         r"\('vectorised', 'agents'\)\. Got 'x'\."):
        RuralEconomy(n_households=20, rng=1, engine="x")
    with pytest.raises(ValueError, match="household_agents=True"):
        RuralEconomy(n_households=20, rng=1, engine="agents", household_agents=False)


@pytest.mark.slow
@pytest.mark.parametrize("scenario_file", sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml")))
def test_every_scenario_file_docks(scenario_file):
    """The scenario library (withdrawal paths, universal support, chain policies, stress tests) over five
    years with more households, and a seed of its own."""
    runs = [RuralEconomy(ROOT / "scenarios" / scenario_file, n_households=400, rng=7, engine=engine)
            for engine in ("vectorised", "agents")]
    for model in runs:
        model.run_years(5)
    assert_docked(*runs, years=5)


@pytest.mark.slow
def test_runs_without_shocks_dock():
    """The teaching mode (``shocks=False``) used by the behaviour tests."""
    runs = [RuralEconomy(CONFIGS["budgets_and_targeting"], n_households=300, rng=SEED, engine=engine, shocks=False)
            for engine in ("vectorised", "agents")]
    for model in runs:
        model.run_years(YEARS)
    assert_docked(*runs)


@pytest.mark.slow
def test_a_larger_county_docks_over_five_years():
    """1,500 households for five years: enough deaths for households to be dissolved and formed while other
    rules run (a new household's illness risk is its own, not the dissolved household's, in both engines)."""
    runs = [RuralEconomy(None, n_households=1500, rng=1, engine=engine) for engine in ("vectorised", "agents")]
    for model in runs:
        model.run_years(5)
    assert (runs[0].hh.formed_year > 0).any()
    assert_docked(*runs, years=5)
