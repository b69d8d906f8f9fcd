"""Docking (Axtell et al. 1996): the vectorised model and the per-agent reference must agree.

``RuralEconomy`` (households as numpy columns, :mod:`model.households`) and
``ReferenceEconomy`` (one plain Python object per household, :mod:`model.reference`)
are run with the same seed on several policy configurations; every column of
``annual_metrics()`` and every final household, cooperative and enterprise column
must agree to 1e-9 relative.  Both draw the same random numbers (common random
numbers per household, purpose and month), so any difference is a difference in
how the rules are implemented.
"""

import functools
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ruralsim.model.model import RuralEconomy  # noqa: E402
from ruralsim.model.reference import ReferenceEconomy, ReferenceHousehold, ReferenceHouseholds  # noqa: E402
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
    # forced shocks: price crash (enterprise defaults on the floor), disaster, migrant shock, enterprise exit
    "stress_tests": Scenario(
        name="stress_tests",
        parameters_overrides={"shocks.price_shock_year": 2022, "shocks.price_shock_size": -0.6,
                              "shocks.disaster_year": 2021, "shocks.migrant_shock_year": 2021,
                              "shocks.enterprise_exit_year": 2023, "motivation.strength": 2.0,
                              "illness.acute_prob": 0.05, "cooperative.failure_base": 0.3},
        programme_changes={"dibao": _cliff(2022)}),
}


@functools.lru_cache(maxsize=None)
def _run(cls, config):
    model = cls(CONFIGS[config], n_households=N_HOUSEHOLDS, rng=SEED, household_agents=False)
    model.run_years(YEARS)
    return model


def _max_rel(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    diff = np.abs(a - b)
    scale = np.maximum(np.abs(a), np.abs(b))
    return float(np.max(diff / np.where(diff > 0, scale, 1.0), initial=0.0))


def assert_docked(vec, ref):
    """Every annual metric and every final state column of the two runs agree."""
    mv, mr = vec.annual_metrics(), ref.annual_metrics()
    assert list(mv.columns) == list(mr.columns)
    assert len(mv) == len(mr) == YEARS + 1
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
def test_vectorised_and_reference_dock(config_name):
    vec, ref = _run(RuralEconomy, config_name), _run(ReferenceEconomy, config_name)
    assert_docked(vec, ref)
    worst = max(_max_rel(vec.annual_metrics()[c], ref.annual_metrics()[c]) for c in vec.annual_metrics().columns)
    print(f"{config_name}: max relative difference of annual metrics {worst:.2e}")


def test_configurations_exercise_what_they_claim():
    base = _run(RuralEconomy, "baseline").annual_metrics().set_index("year")
    withdrawn = _run(RuralEconomy, "support_withdrawn").annual_metrics().set_index("year")
    assert base.loc[2022, "cost_direct_support"] > 0 and withdrawn.loc[2022, "cost_direct_support"] == 0
    assert withdrawn.loc[2021, "cost_direct_support"] > 0
    assert base.loc[2023, "monitored_share"] > 0
    coops_off = _run(RuralEconomy, "cooperatives_off").annual_metrics()
    assert (coops_off["coop_member_share"] == 0).all() and (base["coop_member_share"] > 0.3).all()
    linear = _run(RuralEconomy, "linear_phase_out").annual_metrics().set_index("year")
    assert 0 < linear.loc[2022, "cost_direct_support"] < base.loc[2022, "cost_direct_support"]
    assert _run(RuralEconomy, "monitoring_no_lag").annual_metrics()["monitored_share"].iloc[1:].min() > 0
    budgets = _run(RuralEconomy, "budgets_and_targeting").annual_metrics().set_index("year")
    assert budgets.loc[2022, "cost_dibao"] <= 20.0 * N_HOUSEHOLDS + 1e-6 < base.loc[2022, "cost_dibao"]
    assert budgets.loc[2022, "cost_guaranteed_purchase"] > 0 and budgets.loc[2022, "cost_ecommerce"] > 0
    stress = _run(RuralEconomy, "stress_tests")
    assert stress.annual_metrics()["enterprise_active"].iloc[-1] == 0


class _PerturbedHousehold(ReferenceHousehold):
    def wage_factor(self):  # one rule off by one part in ten million
        return super().wage_factor() * (1.0 + 1e-7)


class _PerturbedHouseholds(ReferenceHouseholds):
    def __init__(self, model):
        super().__init__(model)
        self.agents = [_PerturbedHousehold(model, i) for i in range(model.n_households)]


class _PerturbedEconomy(ReferenceEconomy):
    households_class = _PerturbedHouseholds


def test_docking_detects_a_tiny_rule_difference():
    """The comparison is sharp: a rule changed by 1e-7 relative fails it."""
    vec = RuralEconomy(CONFIGS["baseline"], n_households=100, rng=SEED, household_agents=False)
    bad = _PerturbedEconomy(CONFIGS["baseline"], n_households=100, rng=SEED, household_agents=False)
    vec.run_years(1)
    bad.run_years(1)
    with pytest.raises(AssertionError):
        assert_docked(vec, bad)


def test_reference_runs_with_mesa_household_agents():
    """The reference works with the per-household Mesa agents, which see its state."""
    from ruralsim.model.agents import Household

    ref = ReferenceEconomy(n_households=50, rng=3)
    ref.run_years(1)
    agents = list(ref.agents_by_type[Household])
    assert len(agents) == 50
    assert agents[7].income == pytest.approx(ref.hh.income[agents[7].row])
