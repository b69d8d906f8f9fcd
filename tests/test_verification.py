"""The verification at exit (December 2020): the county starts as the poverty-alleviation campaign left it."""

from __future__ import annotations

import numpy as np
import pytest

from ruralsim.model import RuralEconomy
from ruralsim.model.rules import verification
from ruralsim.model.scenario import Scenario


def test_shortfall_and_below_line_by_hand():
    income = np.array([10_000.0, 7_000.0, 9_000.0])
    oop = np.array([0.0, 0.0, 2_000.0])
    members = np.array([2.0, 2.0, 2.0])
    # per member net of medical spending: 5,000 / 3,500 / 3,500 against a line of 4,000
    assert verification.below_line(income, oop, members, 4000.0).tolist() == [False, True, True]
    gap = verification.shortfall(income, oop, members, 4000.0)
    assert gap[0] == 0.0
    assert gap[1] == pytest.approx(1_000.0, rel=1e-6) and gap[2] == pytest.approx(1_000.0, rel=1e-6)
    # after the top-up the household is no longer below the line (the margin absorbs rounding)
    assert not verification.below_line(income + gap, oop, members, 4000.0).any()


@pytest.mark.parametrize("engine", ["vectorised", "agents"])
@pytest.mark.parametrize("seed", [1, 2])
def test_nobody_registered_is_below_the_line_in_2020(engine, seed):
    m = RuralEconomy(n_households=1500, rng=seed, engine=engine)
    row = m.annual_metrics().iloc[0]
    assert row["year"] == 2020
    assert row["relapse_rate"] == 0.0 and row["poverty_rate"] == 0.0 and row["new_poverty_rate"] == 0.0


def test_earning_power_gain_by_hand():
    # shortfall 1,000 on earned income 4,000: earnings x 1.25; on 100 yuan the gain is capped at doubling
    gain = verification.earning_power_gain(np.array([1_000.0, 1_000.0, 0.0]), np.array([4_000.0, 100.0, 5_000.0]))
    np.testing.assert_allclose(gain, [np.log(1.25), np.log(2.0), 0.0])


def test_the_campaign_leaves_earning_power_or_dibao_behind_not_a_monitoring_list():
    """The households the verification tops up: those with labour leave 2020 with more earning power (their ability
    rises against the same county run without the verification's effect on them), those without are enrolled in
    dibao; nobody is flagged before monitoring's first screening."""
    from ruralsim.model.rules.programmes import weak_labour

    m = RuralEconomy(n_households=3000, rng=5, household_agents=False)
    h = m.hh
    row = m.annual_metrics().iloc[0]
    assert row["cost_direct_support"] > 0
    assert not h.monitored.any()
    enrolled = h.dibao_enrolled
    assert enrolled.any() and h.is_ex_poor[enrolled].all()
    assert weak_labour(h.workers, h.chronic, h.elderly, h.members)[enrolled].all()
    # ability: the county's initial draw (model.population, a pure function of seed, size and parameters) except
    # where the campaign raised it
    from ruralsim.model import population

    drawn = population.generate(3000, 5, m.params)[0].ability
    raised = h.ability > drawn + 1e-12
    assert raised.any() and (h.ability >= drawn - 1e-12).all()
    assert h.is_ex_poor[raised].all() and not (raised & enrolled).any()
    assert (h.ability - drawn).max() <= np.log(2.0) + 1e-12


def test_dynamic_adjustment_is_what_removes_poverty_among_the_never_registered():
    """Without registering the newly poor, never-registered households below the line stay there in 2020
    (the switch is what the NBS figure of no rural poor at the end of 2020 rests on); registered ones are
    still verified above it."""
    off = Scenario(parameters_overrides={"population.register_newly_poor": False})
    m = RuralEconomy(off, n_households=3000, rng=5, household_agents=False)
    row = m.annual_metrics().iloc[0]
    assert row["relapse_rate"] == 0.0
    assert row["new_poverty_rate"] > 0.0
    on = RuralEconomy(n_households=3000, rng=5, household_agents=False)
    assert on.hh.is_ex_poor.sum() > m.hh.is_ex_poor.sum()


def test_the_campaign_support_is_paid_as_direct_support_in_2020_only():
    m = RuralEconomy(n_households=3000, rng=5, household_agents=False)
    off = RuralEconomy(Scenario(parameters_overrides={"population.register_newly_poor": False}), n_households=3000,
                       rng=5, household_agents=False)
    cost = m.annual_metrics().iloc[0]["cost_direct_support"]
    # more households registered and topped up: the campaign's last support costs more (direct support's
    # ordinary payments per registered member also grow with the registry)
    assert cost > off.annual_metrics().iloc[0]["cost_direct_support"]
