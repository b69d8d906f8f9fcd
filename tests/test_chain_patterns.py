"""Pattern 10 and the price-risk pattern of the chain (docs/ODD.md section 1.2): directions only, paired runs.

Each comparison runs the baseline and the reform from the same seed, so both arms have the same county and
the same shocks (common random numbers); the effects are read from :mod:`ruralsim.experiments.chain_effects`.
No size is fixed in advance.  The pattern tests of the cooperatives and enterprises alone are in
tests/test_cooperatives.py and tests/test_enterprise.py (among them: a price crash makes enterprises short of
cash default on the floor and cut jobs).
"""

from __future__ import annotations

import pytest

from ruralsim.experiments.chain_effects import chain_effects
from ruralsim.model import RuralEconomy
from ruralsim.model.scenario import Scenario

# 20,000 households (80 cooperatives, 8 enterprises) and four seeds: with these, the seed-to-seed spread of
# the chain's changes is a third or less of their mean (measured: docs/validation.md), so the signs below
# are not sampling noise.
N, SEEDS = 20_000, (1, 2, 3, 4)


@pytest.fixture(scope="module")
def industry_support_end():
    return chain_effects("industry_support_end", n=N, seeds=SEEDS)


def test_10_ending_industry_support_shrinks_the_chain(industry_support_end):
    mean = industry_support_end.loc["mean"]
    # fewer jobs (enterprise and workshop), smaller contracts, less bought from members, fewer members
    for col in ("local_jobs", "workshop_jobs", "contract_volume", "coop_purchases", "coop_member_share"):
        assert mean[f"change_{col}"] < 0, col
    # in every seed the jobs and the contract volume fall
    seeds = industry_support_end.drop(index="mean")
    assert (seeds["change_local_jobs"] < 0).all() and (seeds["change_contract_volume"] < 0).all()


def test_10_contract_farmers_and_workers_lose_more_than_households_outside_the_chain(industry_support_end):
    seeds = industry_support_end.drop(index="mean")
    assert (seeds["income_loss_enterprise_workers"] > seeds["income_loss_outside_chain"]).all()
    assert (seeds["income_loss_contract_farmers"] > seeds["income_loss_outside_chain"]).all()


def test_10_organisations_that_depended_on_support_shrink_more(industry_support_end):
    # dependent: would have made a loss in 2025 without the support they received; cooperatives keep fewer
    # members, enterprises fewer jobs (pooled over the seeds; docs/validation.md gives the sizes)
    mean = industry_support_end.loc["mean"]
    assert mean["kept_coop_dependent"] < mean["kept_coop_other"]
    assert mean["kept_enterprise_dependent"] < mean["kept_enterprise_other"] < 0


CRASH = {"shocks.price_shock_year": 2026, "shocks.price_shock_size": -0.6}


def _farm_income_2026(scenario, seed):
    m = RuralEconomy(scenario, n_households=10_000, rng=seed, household_agents=False)
    m.run_years(6)
    h = m.hh
    return h.business.copy(), h.is_ex_poor.copy(), m


def test_guaranteed_purchase_cushions_registered_farmers_in_a_price_crash():
    # paired: the same crash with and without the government's guaranteed purchase (保底收购, off in the
    # baseline; it targets registered households)
    losses = []
    for seed in (1, 2):
        base, ex, _ = _farm_income_2026(None, seed)
        crash, _, _ = _farm_income_2026(Scenario(parameters_overrides=CRASH), seed)
        guaranteed, _, m = _farm_income_2026(
            Scenario(parameters_overrides=CRASH, programme_changes={"guaranteed_purchase": {"generosity": 1.0}}), seed)
        assert m.gov.cost["guaranteed_purchase"] > 0
        losses.append(((base - crash)[ex].sum(), (base - guaranteed)[ex].sum()))
    for without, with_floor in losses:
        assert without > 0 and with_floor < without  # farm income falls in the crash, and less with the floor
