"""Scenario files: loading, extends, and clear errors (the validator itself: tests/test_validator.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ruralsim.model import RuralEconomy
from ruralsim.model.scenario_file import ScenarioError, load_scenario

SCEN = Path(__file__).resolve().parents[1] / "scenarios"


def test_library_files_load_and_extend():
    gradual = load_scenario(SCEN / "withdrawal_gradual.yaml")
    sched = gradual.programmes()["direct_support"].schedule
    assert (sched.shape, sched.phase_out_start, sched.end) == ("linear", 2026, 2028)
    assert gradual.sha256 and gradual.path.endswith("withdrawal_gradual.yaml")
    cliff = load_scenario(SCEN / "withdrawal_cliff.yaml").programmes()["direct_support"]
    assert cliff.schedule.intensity(2025, 11) == 1.0 and cliff.schedule.intensity(2026, 0) == 0.0


def test_model_accepts_a_path_and_the_baseline_file_changes_nothing():
    a = RuralEconomy(SCEN / "baseline.yaml", n_households=200, rng=1, household_agents=False).run_years(1)
    b = RuralEconomy(None, n_households=200, rng=1, household_agents=False).run_years(1)
    assert a.equals(b)


BROKEN = Path(__file__).resolve().parent / "scenarios_broken"
EXPECTED = yaml.safe_load((BROKEN / "expected.yaml").read_text(encoding="utf-8"))


def test_every_broken_file_has_expectations():
    files = {p.name for p in BROKEN.glob("*.yaml")} - {"expected.yaml", "cycle_b.yaml"}
    assert files == set(EXPECTED) and len(files) >= 15


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_fails_with_a_clear_message(name):
    with pytest.raises(ScenarioError) as err:
        load_scenario(BROKEN / name)
    msg = str(err.value)
    assert name in msg  # names the file
    for fragment in EXPECTED[name]:
        assert fragment in msg, f"{fragment!r} not in {msg!r}"
    for line in msg.splitlines():  # one uniform wording
        assert ": expected " in line and "; found " in line, line


def test_several_errors_are_all_reported():
    msg = str(pytest.raises(ScenarioError, load_scenario, BROKEN / "several_errors.yaml").value)
    assert len(msg.splitlines()) == 4


def test_dated_values_take_effect_on_1_january(tmp_path):
    f = tmp_path / "dated.yaml"
    f.write_text("parameters:\n  lines.poverty_line: {2021: 4000, 2023: 5000}\n"
                 "programmes:\n  direct_support:\n    generosity: {2021: 1.0, 2022: 0.5}\n", encoding="utf-8")
    m = RuralEconomy(f, n_households=200, rng=1, household_agents=False)
    full = {}  # direct support at full generosity for the registered members of each year (births and deaths
    for year in (2021, 2022, 2023):  # change the members in January only)
        m.run_years(1)
        full[year] = m.gov.programmes["direct_support"].amount * m.hh.members[m.hh.is_ex_poor].sum()
    df = m.annual_metrics()
    assert m.poverty_line == 5000 and m.monitoring_line == 7500
    cost = dict(zip(df.year, df.cost_direct_support))
    assert cost[2021] == pytest.approx(full[2021]) and cost[2022] == pytest.approx(full[2022] / 2)
    # the higher line counts more people as poor in 2023 than the same county under the baseline
    base = RuralEconomy(None, n_households=200, rng=1, household_agents=False).run_years(3)
    assert df.poverty_rate.iloc[-1] > base.poverty_rate.iloc[-1]


