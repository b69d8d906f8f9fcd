"""Patterns (docs/ODD.md section 1.2): directions only, with fixed seeds and paired runs.

Observed patterns 1-4 must appear in the default county; consequences 5-9 are
checked as the direction of a mechanism's effect between paired runs (same
seed, so the same county and the same shocks).  No size is fixed in advance:
sizes are what the model is for.  Counties of 6,000-10,000 households keep the
sampling noise of each comparison well below the effects compared (noted per test).
"""

from __future__ import annotations

import numpy as np
import pytest

from helpers import withdrawal
from ruralsim.model import RuralEconomy
from ruralsim.model.scenario import Scenario

N = 8000


def run(scenario=None, years=5, n=N, seed=3, **kw):
    m = RuralEconomy(scenario, n_households=n, rng=seed, household_agents=False, **kw)
    return m, m.run_years(years)


@pytest.fixture(scope="module")
def baseline():
    return run(years=5)


# -- observed patterns ---------------------------------------------------------------------------

def test_1_illness_is_the_most_common_cause_of_falls_into_poverty(baseline):
    # falls caused by medical spending (因病致贫) against falls with another shock and no medical cause
    _, df = baseline
    later = df[df.year >= 2021]
    assert (later["falls_share_medical"] > later["falls_share_job_loss"]).all()


@pytest.mark.xfail(strict=True, reason="a known miss (docs/validation.md): since the refit after the household "
                   "dynamics, the village weather s.d. is 0.32 a harvest, so a harvest 20% below normal (the model's "
                   "'bad harvest') hits about half of the villages in a year, and falls in such villages outnumber "
                   "falls caused by medical spending in most years")
def test_1b_illness_causes_more_falls_than_bad_harvests(baseline):
    _, df = baseline
    later = df[df.year >= 2021]
    assert (later["falls_share_medical"] > later["falls_share_bad_harvest"]).all()


def test_2_ex_poor_incomes_converge_while_support_lasts(baseline):
    _, df = baseline
    first, last = df.iloc[0], df.iloc[-1]
    growth_ex = last["mean_income_ex_poor"] / first["mean_income_ex_poor"]
    growth_all = last["mean_income"] / first["mean_income"]
    assert growth_ex > growth_all > 1.0


def test_3_cooperative_premium_positive_and_smaller_for_the_poorest(baseline):
    _, df = baseline
    assert (df["coop_member_premium"] > 0).all()
    assert (df["coop_member_premium_bottom_quintile"] < df["coop_member_premium"]).all()


def test_4_transfers_matter_most_at_the_bottom(baseline):
    _, df = baseline
    assert (df["transfer_share_bottom_quintile"] > 2 * df["transfer_share_top_quintile"]).all()


# -- consequences of the mechanisms --------------------------------------------------------------

def test_5_withdrawing_support_does_not_lower_relapse(baseline):
    mb, base = baseline
    mr, reform = run(withdrawal(2022), years=5)
    after = base.year >= 2023
    assert (reform.loc[after, "relapse_rate"].to_numpy() >= base.loc[after, "relapse_rate"].to_numpy()).all()
    assert reform.loc[after, "cumulative_relapse_rate"].iloc[-1] > base.loc[after, "cumulative_relapse_rate"].iloc[-1]
    # both weak and strong ex-poor households (paired, same households) lose income
    h0, h1 = mb.hh, mr.hh
    weak, strong = _weak_and_strong_ex_poor(h0)
    assert (h0.income - h1.income)[weak].mean() > 0 and (h0.income - h1.income)[strong].mean() > 0


def _weak_and_strong_ex_poor(h):
    """Ex-poor households with little labour, chronic illness or no off-farm job; the other ex-poor households."""
    weak = h.is_ex_poor & ((h.workers <= 1) | h.chronic | ((h.migrants + h.local_job) == 0))
    return weak, h.is_ex_poor & ~weak


DEVELOPMENT = ("industry_support", "education_support", "vocational_training", "welfare_posts", "microcredit",
               "consumption_support")


@pytest.mark.parametrize("programmes", [None, DEVELOPMENT], ids=["all_direct_and_development", "development_only"])
def test_5b_withdrawal_hits_households_with_little_labour_chronic_illness_or_no_off_farm_job_hardest(programmes):
    # 20,000 households, relative income loss and poverty rise pooled over the three years after the withdrawal;
    # also when only development support ends (direct income support stays): weak households lose 11% of their
    # income against 7% for the others, and their poverty rises by 9 points against 2 (root seeds 3-4)
    reform = withdrawal(2022) if programmes is None else withdrawal(2022, programmes=programmes)
    arms = [RuralEconomy(sc, n_households=20_000, rng=3, household_agents=False) for sc in (None, reform)]
    loss, rise = {"weak": [], "strong": []}, {"weak": [], "strong": []}
    for year in range(5):
        for m in arms:
            m.run_years(1)
        if year < 2:
            continue
        h0, h1 = arms[0].hh, arms[1].hh
        w = h0.members
        poor0 = (h0.income - h0.oop) / w < arms[0].poverty_line
        poor1 = (h1.income - h1.oop) / w < arms[1].poverty_line
        for name, group in zip(("weak", "strong"), _weak_and_strong_ex_poor(h0)):
            loss[name].append((h0.income - h1.income)[group].sum() / h0.income[group].sum())
            rise[name].append(((poor1.astype(float) - poor0) * w)[group].sum() / w[group].sum())
    assert np.mean(loss["weak"]) > np.mean(loss["strong"])
    assert np.mean(rise["weak"]) > np.mean(rise["strong"])


def test_6_enterprise_exit_hurts_its_chain_far_more_than_outsiders(baseline):
    mb, _ = baseline
    exit_ = Scenario(parameters_overrides={"shocks.enterprise_exit_year": 2022})
    mr, _ = run(exit_, years=2)
    mb2, _ = run(None, years=2)
    h, c = mb2.hh, mb2.coops
    contract_coop = np.flatnonzero(c.enterprise == 0)
    chain = np.isin(h.cooperative, contract_coop) | (mb.hh.employer == 0) | (h.employer == 0)
    change = (mr.hh.income - h.income) / h.income
    assert chain.sum() > 100
    assert change[chain].mean() < 0
    assert abs(change[~chain].mean()) < abs(change[chain].mean()) / 3


@pytest.mark.slow
def test_7_education_pays_only_once_children_start_work():
    more_education = Scenario(programme_changes={"education_support": {"generosity": 1.0, "targeting": ["all"]}},
                              parameters_overrides={"human_capital.continuation_support_gain": 0.3})
    mb, base = run(None, years=14, n=6000)
    mr, reform = run(more_education, years=14, n=6000)
    # earned income (wages and business), which excludes the education transfer itself
    earned = lambda df: df["mean_income"] * (df["wage_share"] + df["business_share"])  # noqa: E731
    gain = (earned(reform) - earned(base)).to_numpy()
    # early years: children stay in school instead of working, so no gain (a small loss is allowed)
    assert gain[1] <= 0.002 * earned(base).iloc[1]
    # late years: the cohorts kept in school are working and earn more
    assert gain[-1] > 0 and gain[-1] > gain[1]


def test_8_motivation_responds_to_unconditional_and_conditional_support():
    generous = Scenario(programme_changes={"direct_support": {"generosity": 4.0}})
    conditional = Scenario(programme_changes={"direct_support": {"conditional": True},
                                              "vocational_training": {"generosity": 3.0}})
    n = 3000
    effort = {}
    for name, sc in (("base", None), ("generous", generous), ("conditional", conditional)):
        m, _ = run(sc, years=4, n=n)
        effort[name] = m.hh.effort[m.hh.is_ex_poor].mean()
    assert effort["generous"] < effort["base"] < effort["conditional"]
    # with the mechanism off, effort does not respond at all
    off = {"motivation.strength": 0.0}
    flat = []
    for sc in (Scenario(parameters_overrides=off),
               Scenario(parameters_overrides=off, programme_changes=generous.programme_changes)):
        m, _ = run(sc, years=4, n=n)
        flat.append(m.hh.effort.copy())
    np.testing.assert_array_equal(flat[0], 1.0)
    np.testing.assert_array_equal(flat[1], 1.0)


def test_9_universal_support_reaches_the_never_registered_near_poor():
    universal = Scenario(programme_changes={p: {"targeting": ["all"]} for p in ("direct_support", "health_protection")})
    mb, base = run(None, years=3)
    mr, reform = run(universal, years=3)
    h = mb.hh
    near = ~h.is_ex_poor & (h.prev_pc_income < mb.monitoring_line)  # never registered, low income
    assert near.sum() > 100
    # targeted support paid them no direct support; universal support reaches (almost) all of them
    # (a few get less in total because the support lifts them above the dibao threshold)
    gain = mr.hh.recv_gov[near] - h.recv_gov[near]
    assert gain.mean() > 0 and (gain > 0).mean() > 0.9
    assert (reform["new_poverty_rate"].iloc[1:].to_numpy() <= base["new_poverty_rate"].iloc[1:].to_numpy()).all()
