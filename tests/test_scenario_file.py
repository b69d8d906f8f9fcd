"""Scenario files: loading, extends, and clear errors (the full validation suite is issue 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from model import RuralEconomy
from model.scenario_file import ScenarioError, load_scenario

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


@pytest.mark.parametrize("text, fragments", [
    ("parameters: {illness.acute_probb: 0.1}", ["parameters.illness.acute_probb", "known parameter"]),
    ("parameters: {illness: {acute_prob: 1.5}}", ["parameters.illness.acute_prob", "in [0, 1]", "1.5"]),
    ("parameters: {illness.acute_prob: 'high'}", ["parameters.illness.acute_prob", "a number"]),
    ("programmes: {cash: {generosity: 1}}", ["programmes.cash", "one of"]),
    ("programmes: {dibao: {generosity: -1}}", ["programmes.dibao.generosity", "non-negative"]),
    ("programmes: {dibao: {schedule: {shape: sudden}}}", ["programmes.dibao.schedule.shape", "cliff"]),
    ("programmes: {dibao: {targeting: [rich]}}", ["programmes.dibao.targeting", "ex_poor"]),
    ("colour: red", ["'colour'", "one of name"]),
    ("- a\n- b", ["'(file)'", "mapping"]),
    ("parameters: {a: [1, 2", ["YAML syntax error"]),
    ("extends: missing.yaml", ["missing.yaml", "file not found"]),
])
def test_errors_name_the_file_and_key(tmp_path, text, fragments):
    f = tmp_path / "bad.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(f)
    msg = str(err.value)
    assert "bad.yaml" in msg
    for frag in fragments:
        assert frag in msg


def test_extends_cycle_is_reported(tmp_path):
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="cycle"):
        load_scenario(tmp_path / "a.yaml")


def test_non_utf8_is_reported(tmp_path):
    f = tmp_path / "latin.yaml"
    f.write_bytes("name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(ScenarioError, match="UTF-8"):
        load_scenario(f)
