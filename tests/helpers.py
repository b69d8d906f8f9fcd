"""Scenario builders shared by the tests (imported as ``helpers``)."""

from __future__ import annotations

from ruralsim.model.scenario import Scenario

DIRECT = ("direct_support", "industry_support", "education_support", "vocational_training",
          "welfare_posts", "microcredit", "consumption_support")


def withdrawal(end: int = 2021, shape: str = "cliff", programmes=DIRECT, **extra) -> Scenario:
    """All direct support ends (cliff) or phases out (linear) at the end of ``end``."""
    sched = {"shape": shape, "end": end, **extra}
    return Scenario(name=f"withdrawal_{shape}", programme_changes={p: {"schedule": sched} for p in programmes})


def coops_off() -> Scenario:
    return Scenario(name="coops_off", parameters_overrides={"population.coop_member_share": 0.0,
                                                             "cooperative.join_prob": 0.0})


CONFIGS = {
    "baseline": lambda: None,
    "withdrawal_cliff": lambda: withdrawal(2021),
    "withdrawal_linear": lambda: withdrawal(2022, "linear", phase_out_start=2021),
    "coops_off": coops_off,
    "guaranteed_purchase_ecommerce": lambda: Scenario(programme_changes={
        "guaranteed_purchase": {"generosity": 1.0}, "ecommerce": {"generosity": 1.0}}),
    "tight_budgets_fast_monitoring": lambda: Scenario(
        parameters_overrides={"monitoring.lag": 0, "monitoring.interval": 1, "monitoring.detection": 1.0},
        programme_changes={"dibao": {"budget": 50.0}, "health_protection": {"budget": 100.0},
                           "education_support": {"targeting": ["monitored"]}}),
    "stress": lambda: Scenario(parameters_overrides={
        "shocks.price_shock_year": 2022, "shocks.price_shock_size": -0.5, "shocks.disaster_year": 2021,
        "shocks.migrant_shock_year": 2022, "shocks.enterprise_exit_year": 2022}),
}
