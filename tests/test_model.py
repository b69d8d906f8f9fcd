"""The model's public API: construction, steps, agents, annual table, DataCollector, reproducibility."""

from __future__ import annotations

import mesa
import numpy as np
import pytest

from ruralsim.model import Cooperative, Government, Household, LeadingEnterprise, RuralEconomy
from ruralsim.model.annual import METRIC_COLUMNS
from ruralsim.model.policy import PROGRAMME_NAMES


@pytest.fixture(scope="module")
def run():
    m = RuralEconomy(n_households=500, rng=7)
    df = m.run_years(3)
    return m, df


def test_annual_table_has_every_column_and_year(run):
    m, df = run
    brief = ["year", "poverty_rate", "relapse_rate", "cumulative_relapse_rate", "new_poverty_rate",
             "near_poor_rate", "monitored_share", "gini", "theil", "quintile_ratio", "relative_poverty_rate",
             "mean_income", "median_income", "mean_income_ex_poor", "wage_share", "business_share",
             "property_share", "transfer_share", "fiscal_cost", "coop_active", "enterprise_active"]
    for col in brief + [f"cost_{p}" for p in PROGRAMME_NAMES]:
        assert col in df.columns, col
    assert list(df.columns) == METRIC_COLUMNS
    assert df["year"].tolist() == [2020, 2021, 2022, 2023]
    shares = df[["wage_share", "business_share", "property_share", "transfer_share"]].sum(axis=1)
    np.testing.assert_allclose(shares, 1.0, rtol=1e-9)


def test_one_step_is_one_month():
    m = RuralEconomy(n_households=100, rng=1, household_agents=False)
    assert m.year == 2021 and m.t == 0
    for _ in range(13):
        m.step()
    assert m.year == 2022 and m.t == 13
    assert len(m.annual_metrics()) == 2  # 2020 and 2021
    m.run_years(1)  # a year under way counts: this completes 2022
    assert m.t == 24 and len(m.annual_metrics()) == 3


def test_cumulative_relapse_never_falls(run):
    _, df = run
    assert (np.diff(df["cumulative_relapse_rate"]) >= 0).all()
    assert (df["cumulative_relapse_rate"].iloc[1:] >= df["relapse_rate"].iloc[1:] - 1e-12).all()


def test_agents_are_mesa_agents_and_views_of_rows(run):
    m, _ = run
    hh = m.agents_by_type[Household]
    # Mesa 3.3 returns an AgentSet; Mesa 3.5 a subclass of its AbstractAgentSet
    agentset_types = tuple(t for t in (getattr(mesa.agent, "AgentSet", None),
                                       getattr(getattr(mesa, "agentset", None), "AbstractAgentSet", None)) if t)
    assert isinstance(hh, agentset_types) and len(hh) == m.n_households
    assert len(m.agents_by_type[Cooperative]) == m.coops.n
    assert len(m.agents_by_type[LeadingEnterprise]) == m.enterprises.n
    assert len(m.agents_by_type[Government]) == 1
    h = hh.select(lambda a: a.row == 10)[0]
    assert h.income == m.hh.income[10] and h.members == m.hh.members[10]
    assert h.is_ex_poor == bool(m.hh.is_ex_poor[10]) and h.cooperative == m.hh.cooperative[10]
    h.savings = 1234.5  # writes go to the column
    assert m.hh.savings[10] == 1234.5
    ex_poor = hh.select(lambda a: a.is_ex_poor)
    assert len(ex_poor) == int(m.hh.is_ex_poor.sum())
    assert hh.agg("members", sum) == pytest.approx(m.hh.members.sum())
    c = m.agents_by_type[Cooperative][0]
    assert set(c.state()) >= {"capacity", "alive", "asset_fund"}


def test_datacollector_records_the_annual_series(run):
    m, df = run
    dc = m.datacollector.get_model_vars_dataframe()
    assert len(dc) == len(df)
    np.testing.assert_allclose(dc["relapse_rate"].to_numpy(), df["relapse_rate"].to_numpy())
    ints = {"year", "coop_active", "enterprise_active", "local_jobs", "workshop_jobs", "coop_failures",
            "enterprise_exits", "income_change_n", "income_change_autocov1_n", "income_change_autocov2_n"}
    assert {c: str(t) for c, t in df.dtypes.items()} == {c: "int64" if c in ints else "float64" for c in METRIC_COLUMNS}
    assert m.rows[-1] == df.iloc[-1].to_dict() and len(m.rows) == len(df)


def test_the_datacollector_is_the_record_not_a_copy():
    m = RuralEconomy(n_households=100, rng=2, household_agents=False)
    m.run_years(1)
    m.datacollector.model_vars["gini"][-1] = -1.0  # annual_metrics() and rows read the DataCollector itself
    assert m.annual_metrics()["gini"].iloc[-1] == -1.0 and m.rows[-1]["gini"] == -1.0


def test_the_government_is_stepped_by_mesa_first_each_month(monkeypatch):
    months = []
    step = Government.step

    def spy(self):
        months.append(self.model.t)
        step(self)

    monkeypatch.setattr(Government, "step", spy)
    m = RuralEconomy(n_households=50, rng=1, household_agents=False)
    assert months == list(range(-24, 0))  # every month of the burn-in and calibration years
    m.step()
    assert months[-1] == 0 and m.gov.levels["monitoring"] == 1.0
    assert m.gov.programmes is m.agents_by_type[Government][0].programmes


def test_same_seed_same_numbers_and_agents_optional():
    a = RuralEconomy(n_households=300, rng=5).run_years(2)
    b = RuralEconomy(n_households=300, rng=5, household_agents=False).run_years(2)
    c = RuralEconomy(n_households=300, rng=6, household_agents=False).run_years(2)
    np.testing.assert_array_equal(a.to_numpy(), b.to_numpy())
    assert not np.array_equal(a.to_numpy(), c.to_numpy())


def test_county_scales_with_households():
    small = RuralEconomy(n_households=500, rng=1, household_agents=False)
    large = RuralEconomy(n_households=20_000, rng=1, household_agents=False)
    assert small.coops.n == 2 and large.coops.n == 80
    assert small.enterprises.n == 1 and large.enterprises.n == 8


@pytest.mark.parametrize("kwargs, fragment", [
    ({"n_households": 0}, "n_households"),
    ({"n_households": 2.5}, "n_households"),
    ({"rng": "x"}, "rng"),
    ({"scenario": 3}, "scenario"),
])
def test_bad_arguments_say_what_is_wrong(kwargs, fragment):
    with pytest.raises((ValueError, TypeError), match=fragment):
        RuralEconomy(**{"n_households": 50, **kwargs})


def test_2020_matches_the_calibration_targets_roughly():
    # "Close": within 5% of the level targets and 5 points of the shares, on a county of 20,000 households
    # (sampling error of the mean about 0.5%); docs/calibration.md checks the calibration itself.
    df = RuralEconomy(n_households=20_000, rng=0, household_agents=False).annual_metrics()
    r = df.iloc[0]
    assert r["mean_income"] == pytest.approx(12588, rel=0.05)
    assert r["mean_income_ex_poor"] == pytest.approx(10740, rel=0.05)
    for col, target in (("wage_share", 0.353), ("business_share", 0.360), ("property_share", 0.014),
                        ("transfer_share", 0.273)):
        assert abs(r[col] - target) < 0.06, (col, r[col])


def test_the_policy_scenario_is_kept_apart_from_mesas_scenario():
    # Mesa >= 3.5 has its own Model.scenario, whose setter writes ``scenario.model = <the model>``; the
    # model's policy scenario must not be handed to it (it would then hold the whole county)
    from ruralsim.model.scenario import Scenario

    sc = Scenario(name="kept apart")
    m = RuralEconomy(sc, n_households=50, rng=1, household_agents=False)
    assert m.policy_scenario is sc
    assert not hasattr(sc, "model")
    assert not isinstance(getattr(m, "scenario", None), Scenario)
    m.close()


def test_monitoring_brings_the_households_it_finds_into_the_dibao():
    # with no claim recognised otherwise (coverage 0), only households monitoring has found receive dibao,
    # from the January after they were first flagged, besides those the verification at exit enrolled in 2020;
    # with monitoring off only the latter do
    from ruralsim.model.scenario import Scenario

    def run_with(**programmes):
        # monitoring finds households readily here (the calibrated rates find few in a small county in 3 years)
        sc = Scenario(parameters_overrides={"dibao.coverage": 0.0, "monitoring.detection": 0.1,
                                            "monitoring.detection_sudden": 0.5}, programme_changes=programmes)
        m = RuralEconomy(sc, n_households=3000, rng=2, household_agents=False)
        m.run_years(3)
        return m

    m = run_with()
    h = m.hh
    paid = h.dibao_received > 0
    assert paid.sum() > 0
    assert (paid & h.ever_flagged & ~h.dibao_enrolled).any()
    assert not (paid & ~(h.ever_flagged | h.dibao_enrolled)).any()
    off = run_with(monitoring={"generosity": 0})
    assert (off.hh.dibao_received[~off.hh.dibao_enrolled] == 0).all()


def test_fortune_moves_each_year_and_carries_productivity_with_it():
    from ruralsim.model.rules import fortune, health, human_capital

    m = RuralEconomy(n_households=4000, rng=5, household_agents=False)
    x0 = m.hh.fortune.copy()
    m.step()  # January 2021: one AR(1) step and a transitory draw, then productivity from its components
    h, e = m.hh, m.params.earnings
    formed = h.formed_year == 2021  # a household formed this January draws its first transitory shock next year
    assert (h.fortune != x0).all() and (h.transitory[~formed] != 0).all() and (h.transitory[formed] == 0).all()
    # households not trained this January and not ill this month: skill is exactly the product of its components
    untouched = ~h.trained & (h.illness_episodes == 0)
    expected = fortune.productivity(h.ability, h.fortune, h.transitory,
                                    health.health_factor(h.ill_health, e.health_productivity_loss),
                                    human_capital.training_factor(h.training), e)
    assert untouched.sum() > 3000
    np.testing.assert_allclose(h.skill[untouched], expected[untouched], rtol=1e-12)
    # the correlation of successive components is the persistence (4,000 draws: s.e. of r about
    # (1 - rho^2) / sqrt(4000) < 0.002, so 0.01 is a wide margin that still catches a wrong update)
    r = np.corrcoef(x0, h.fortune)[0, 1]
    assert abs(r - e.permanent_persistence) < 0.01
    # shocks off (teaching runs): fortune never moves
    calm = RuralEconomy(n_households=500, rng=5, household_agents=False, shocks=False)
    before = calm.hh.fortune.copy()
    calm.run_years(2)
    assert (calm.hh.fortune == before).all()
