"""Demography: births, deaths by age group, household dissolution and formation (docs/ODD.md, 7.14).

Hand-computed unit tests of the rules (model/rules/demography.py) and of the county-level formation
(model/demography.py), the per-agent methods against the same hand computation, then runs: births respond
to workers, the age mix over ten years against the census trend, no events without shocks, no empty
household ever, and both engines docking through household formation.
"""

from __future__ import annotations

import numpy as np
import pytest

from ruralsim.model import RuralEconomy, demography as formation
from ruralsim.model.agents import Household
from ruralsim.model.month import Month
from ruralsim.model.rules import demography as dem
from ruralsim.model.scenario import Scenario
from ruralsim.model.state import HOUSEHOLD_COLUMNS
from ruralsim.model.streams import Streams

T, F = True, False

#: many events, so that small counties dissolve and form households within a few years
HIGH = {"demography.elderly_mortality": 0.4, "demography.worker_mortality": 0.1, "demography.child_mortality": 0.05,
        "demography.birth_rate": 0.1}


def arr(*x):
    return np.array(x, dtype=float)


# -- the rules, by hand ----------------------------------------------------------------------------------
def test_birth_probability_is_per_worker_capped_at_one_birth_and_three_children():
    # p = 0.0134 * workers: 2 workers 0.0268 (u 0.02 below, 0.03 above); 3 children: none; no worker: none;
    # 100 workers: p capped at 1, and a shock draw of 1.0 (neutral years) is never a birth
    born = dem.birth(arr(0, 1, 3, 0, 0), arr(2, 2, 2, 0, 100), arr(0.02, 0.03, 0.0, 0.0, 1.0), 0.0134, 3.0)
    assert born.tolist() == [T, F, F, F, F]


def test_a_first_child_starts_six_years_before_school_a_later_one_leaves_the_eldest_in_school():
    children, schooling = dem.add_birth(arr(0, 2, 1), arr(0, 7, 4), np.array([T, T, F]), 6.0)
    assert children.tolist() == [1, 3, 1] and schooling.tolist() == [-6, 7, 4]


def test_one_death_per_group_with_probability_mortality_times_members():
    # 0.035 * 2 = 0.07: u 0.06 dies, 0.08 does not; an empty group never; p capped at 1 (u 1.0 never)
    assert dem.dies(arr(2, 2, 0, 40), arr(0.06, 0.08, 0.0, 1.0), 0.035).tolist() == [T, F, F, F]


def test_a_child_death_leaves_the_eldest_in_school_unless_no_child_is_left():
    children, schooling = dem.child_death(arr(1, 2, 1), arr(5, 5, 5), np.array([T, T, F]))
    assert children.tolist() == [0, 1, 1] and schooling.tolist() == [0, 5, 5]


def test_which_worker_dies_follows_the_draw_job_holder_then_migrants_then_at_home():
    # q = 0.1, 4 workers (death if u < 0.4): one in a local job (u < 0.1), two migrants (0.1 <= u < 0.3), one at home
    q, u = 0.1, arr(0.05, 0.2, 0.35, 0.5)
    died = dem.dies(arr(4, 4, 4, 4), u, q)
    workers, migrants, job = dem.worker_death(arr(4, 4, 4, 4), arr(2, 2, 2, 2), arr(1, 1, 1, 1), u, q, died)
    assert died.tolist() == [T, T, T, F]
    assert workers.tolist() == [3, 3, 3, 4] and migrants.tolist() == [2, 1, 2, 2] and job.tolist() == [T, F, F, F]
    # migrants never exceed workers (a retirement may have left more migrants than workers before January's allocation)
    _, migrants, _ = dem.worker_death(arr(1), arr(2), arr(0), arr(0.9), q, np.array([F]))
    assert migrants.tolist() == [1]


# -- household formation, by hand ----------------------------------------------------------------------
def _county(n, **over):
    return RuralEconomy(Scenario(name="t", parameters_overrides=over) if over else None, n_households=n, rng=5,
                        household_agents=False)


def _set(h, row, **values):
    for name in HOUSEHOLD_COLUMNS:  # start from a neutral row, so that every column is known
        getattr(h, name)[row] = -1 if name in ("employer", "cooperative") else 0
    for name, value in values.items():
        getattr(h, name)[row] = value


def test_the_last_member_dies_and_a_worker_of_the_other_household_forms_a_new_one():
    m = _county(2)
    h = m.hh
    _set(h, 0, village=0, land=5.0, assets=1000.0, savings=300.0, debt=50.0, loan=200.0, chronic=True, cooperative=0,
         prev_pc_income=2000.0, assessed_income=2000.0, monitored=True, is_ex_poor=False, skill=0.7, taste=2.0)
    _set(h, 1, village=0, workers=3.0, children=1.0, members=4.0, schooling=4.0, savings=4000.0, debt=10.0,
         private_transfer=2000.0, assessed_income=40000.0, prev_pc_income=9000.0, is_ex_poor=True, relocated=True,
         edu=7.0, skill=1.2, ability=0.05, fortune=0.1, taste=0.5, effort=0.9, migrants=1.0, land=3.0, assets=500.0,
         employer=0, local_job=1.0, hired_year=2020, cooperative=0)
    seen = {}
    rows = formation.form_households(m, Month(m, 0, False), lambda r, s, k: seen.update(rows=r, sources=s, scales=k))
    assert rows.tolist() == [0] and seen["sources"].tolist() == [1] and seen["scales"].tolist() == [0.5]
    # the new household: 2 workers; the parent's registration, schooling, ability, fortune, taste and last-year income,
    # and the productivity they give a healthy, untrained household without a transitory shock:
    # exp(ability + fortune - V/2), V the stationary variance of the persistent component;
    # the dissolved household's land and assets; a quarter of the parent's savings (one of 4 members): 1,000;
    # remittances and 12-month income per member of the parent times 2: 2,000/4*2 = 1,000 and 40,000/4*2 = 20,000
    e = m.params.earnings
    v = e.permanent_sd ** 2 / (1.0 - e.permanent_persistence ** 2)
    expected = dict(village=0, workers=2.0, members=2.0, is_ex_poor=True, relocated=True, edu=7.0,
                    skill=np.exp(0.05 + 0.1 - 0.5 * v), ability=0.05, fortune=0.1, taste=0.5, prev_pc_income=9000.0, land=5.0, assets=1000.0, savings=1000.0,
                    private_transfer=1000.0, assessed_income=20000.0, effort=1.0, employer=-1, cooperative=-1,
                    formed_year=2021)
    for name in HOUSEHOLD_COLUMNS:
        want = expected.get(name, 0)
        assert getattr(h, name)[0] == pytest.approx(want, rel=1e-12), name
    # the parent: one worker fewer (one at home: 3 workers - 1 migrant - 1 local job), savings 4,000 - 1,000;
    # its job, migrant, remittances and income record stay; no other household: the spouse comes from outside
    assert (h.workers[1], h.members[1], h.migrants[1], h.savings[1]) == (2.0, 3.0, 1.0, 3000.0)
    assert (h.employer[1], h.private_transfer[1], h.assessed_income[1]) == (0, 2000.0, 40000.0)


def test_the_parent_comes_from_the_same_village_first_and_the_spouse_from_another_household():
    m = _county(4)
    h = m.hh
    _set(h, 0, village=0, land=1.0)  # dissolved
    _set(h, 1, village=1, workers=4.0, members=4.0)  # 4 workers, but another village
    _set(h, 2, village=0, workers=2.0, members=2.0)  # 2 workers, the same village: the parent
    _set(h, 3, village=1, workers=2.0, members=3.0, elderly=1.0)
    formation.form_households(m, Month(m, 0, False), lambda *a: None)
    assert h.workers.tolist() == [2.0, 3.0, 1.0, 2.0]  # the spouse from the household with 3+ workers
    assert h.members.tolist() == [2.0, 3.0, 1.0, 3.0]


def test_without_any_household_of_two_workers_a_couple_from_outside_takes_the_house():
    m = _county(2)
    h = m.hh
    _set(h, 0, village=0, land=2.0, prev_pc_income=3000.0, assessed_income=3000.0, edu=5.0, skill=0.8, is_ex_poor=True)
    _set(h, 1, village=0, workers=1.0, elderly=1.0, members=2.0)
    formation.form_households(m, Month(m, 0, False), lambda *a: None)
    assert (h.members[0], h.workers[0], h.land[0], h.prev_pc_income[0], h.edu[0], h.is_ex_poor[0]) == (
        2.0, 2.0, 2.0, 3000.0, 5.0, True)
    assert h.members[1] == 2.0


def test_the_engines_reset_the_income_window_of_a_re_used_row():
    m = _county(3)
    m.households.ring_income[4][1] = 1200.0
    m.households.ring_oop[4][0] = 99.0
    m.households.reset_rows(np.array([0]), np.array([1]), np.array([0.5]))
    assert m.households.ring_income[4][0] == 600.0 and m.households.ring_oop[4][0] == 0.0
    a = RuralEconomy(n_households=3, rng=5, engine="agents")
    agents = a.agents_by_type[Household]
    agents[1].income_by_month = [float(k) for k in range(12)]
    a.households.reset_rows(np.array([0]), np.array([1]), np.array([0.5]))
    assert agents[0].income_by_month == [k / 2 for k in range(12)] and agents[0].oop_by_month == [0.0] * 12


def test_the_agent_methods_follow_the_same_rules():
    m = RuralEconomy(Scenario(name="t", parameters_overrides={"demography.worker_mortality": 1.0,
                                                              "demography.birth_rate": 1.0}),
                     n_households=3, rng=5, engine="agents")
    a = m.agents_by_type[Household][0]
    for name, value in dict(workers=1.0, children=0.0, elderly=0.0, members=1.0, migrants=0.0, local_job=1.0,
                            employer=0, workshop_job=True).items():
        setattr(a, name, value)
    ctx = Month(m, 0, False)
    a.maybe_have_a_child(ctx)  # p = min(1 * 1, 1): a first child, six years before school
    assert (a.children, a.schooling, a.members) == (1.0, -6.0, 2.0)
    m.params.demography.child_mortality = 0.0
    a.face_deaths(ctx)  # the one worker, in the local job, dies: the match ends
    assert (a.workers, a.members, a.local_job, a.employer, a.workshop_job) == (0.0, 1.0, 0.0, -1, False)


# -- runs ------------------------------------------------------------------------------------------------
def test_births_respond_to_the_number_of_workers():
    """The same draws (a fixed seed) give about three times as many births with three workers as with one."""
    u = Streams(11, 20000).uniform("birth", 0)
    one = dem.birth(np.zeros(u.size), np.ones(u.size), u, 0.0134, 3.0).sum()
    three = dem.birth(np.zeros(u.size), np.full(u.size, 3.0), u, 0.0134, 3.0).sum()
    # expected 268 and 804; the births with one worker are a subset of those with three
    assert 200 < one < 340 and 2.5 < three / one < 3.5


def _shares(model):
    h = model.hh
    return h.children.sum() / h.members.sum(), h.elderly.sum() / h.members.sum()


def test_the_age_mix_follows_the_census_trend_over_ten_years():
    """7th census (2020): rural 0-14 about 19%, 60+ about 24%; births fell from 12.0 m (2020) to 9.0 m (2023), so
    the children's share falls and the elderly's rises, but neither as far as without births and deaths (children
    to 5%, elderly to 40%).  Band for 2030: children 8-20% (steady state about births/household x 17 years of
    childhood / 3.8 members = 12%), elderly 25-38%."""
    runs = {}
    for name, over in (("demography", {}), ("none", {"demography.birth_rate": 0.0, "demography.child_mortality": 0.0,
                                                      "demography.worker_mortality": 0.0,
                                                      "demography.elderly_mortality": 0.0})):
        m = _county(3000, **over)
        start = _shares(m)
        m.run_years(10)
        runs[name] = (start, _shares(m))
    (c20, e20), (c30, e30) = runs["demography"]
    print(f"children {c20:.3f} (2020) -> {c30:.3f} (2030); elderly {e20:.3f} -> {e30:.3f}; without demography "
          f"{runs['none'][1][0]:.3f}, {runs['none'][1][1]:.3f}")
    assert runs["none"][0] == runs["demography"][0]  # the same county at the end of 2020
    assert c30 < c20 and e30 > e20
    assert 0.08 < c30 < 0.20 and 0.25 < e30 < 0.38
    assert c30 > runs["none"][1][0] + 0.03 and e30 < runs["none"][1][1] - 0.03


def test_no_births_or_deaths_without_shocks_and_in_the_calibration_year():
    """Even at the highest rates the bounds allow, a run without shocks keeps every household's members, and the
    calibration year 2020 is the same with and without demography."""
    top = {"demography.birth_rate": 1.0, "demography.child_mortality": 1.0, "demography.worker_mortality": 1.0,
           "demography.elderly_mortality": 1.0}
    m = RuralEconomy(Scenario(name="t", parameters_overrides=top), n_households=300, rng=3, household_agents=False,
                     shocks=False)
    before = m.hh.members.copy()
    m.run_years(3)
    np.testing.assert_array_equal(m.hh.members, before)
    off = {k: 0.0 for k in top}
    a, b = _county(300, **top).annual_metrics(), _county(300, **off).annual_metrics()
    assert a.iloc[0].equals(b.iloc[0])


def test_no_household_is_ever_empty_and_the_counts_add_up():
    m = _county(500, **{"demography.elderly_mortality": 0.6, "demography.worker_mortality": 0.2,
                        "demography.child_mortality": 0.2})
    for _ in range(5):
        m.run_years(1)
        h = m.hh
        assert (h.members > 0).all()
        np.testing.assert_array_equal(h.members, h.workers + h.children + h.elderly)
        assert np.isfinite(m.annual_metrics().iloc[-1].drop("year").astype(float)).all()


def test_household_formation_docks_between_the_engines(monkeypatch):
    """The docking configuration ``demography`` of tests/test_docking.py forms households under both engines."""
    from test_docking import CONFIGS, _run, assert_docked

    assert CONFIGS["demography"].parameters_overrides == HIGH
    formed = []
    form = formation.form_households

    def spy(model, ctx, reset):
        rows = form(model, ctx, reset)
        formed.append(rows.size)
        return rows

    monkeypatch.setattr(formation, "form_households", spy)
    vec, agents = _run.__wrapped__("vectorised", "demography"), _run.__wrapped__("agents", "demography")
    assert sum(formed) > 10  # both engines formed households (the same ones: they dock)
    assert_docked(vec, agents)


def test_the_cumulative_relapse_rate_never_falls_when_households_split():
    """A new household inherits its parent's poverty and monitoring record (the record follows the people), so the
    share of registered persons who have ever been poor since 2021 cannot fall because a household dissolved and
    another was formed (high mortality: many households are re-formed)."""
    sc = Scenario(name="mortal", parameters_overrides={"demography.elderly_mortality": 0.5,
                                                        "demography.worker_mortality": 0.1,
                                                        "demography.child_mortality": 0.05})
    m = RuralEconomy(sc, n_households=2000, rng=1, household_agents=False)
    df = m.run_years(8)
    assert (m.hh.formed_year > 0).sum() > 300
    cumulative = df.loc[df.year >= 2021, "cumulative_relapse_rate"].to_numpy()
    # persons weight it and members move between households (a split moves a worker out of a registered household,
    # deaths remove persons), so the rate may dip a little: -0.0019 at worst here with the record inherited, -0.0073
    # when new households start with an empty record; -0.004 separates the two
    assert (np.diff(cumulative) > -0.004).all(), cumulative
