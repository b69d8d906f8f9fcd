"""The one validator: declarations, kinds, the schedule rule, and every way in giving the same words.

The same bad value must be refused with the same ``expected WHAT; found VALUE`` whether it comes from
a scenario file, a ``Scenario`` built in Python, ``Parameters.set``, an experiment's factor or design
point, or the dashboard's controls (only FILE and KEY name where it came from).
"""

from __future__ import annotations

import math

import pytest
from pydantic import ValidationError

from ruralsim.app.dashboard import scenario_from_controls
from ruralsim.experiments.points import point_scenario, set_key
from ruralsim.experiments.spec import SpecError, load_spec_and_points, parse_spec
from ruralsim.model.declared import Declared
from ruralsim.model.parameters import SPEC, Parameters
from ruralsim.model.policy import Programme, Schedule, baseline_programmes
from ruralsim.model.problems import InputError
from ruralsim.model.programmes import DECLARED, KINDS, PROGRAMME_NAMES
from ruralsim.model.scenario import Scenario
from ruralsim.model.scenario_file import ScenarioError, load_scenario


def _tail(message: str) -> str:
    """'expected WHAT; found VALUE' of a one-line message."""
    (line,) = message.splitlines()
    return line[line.index("expected "):]


# -- declarations -----------------------------------------------------------------------------------
def test_every_parameter_and_programme_field_declares_type_unit_bounds_and_source():
    for section, params in SPEC.items():
        for name, p in params.items():
            assert isinstance(p, Declared) and p.source and p.description, f"{section}.{name}"
            assert p.problem(p.value) is None and p.dated
    for name, prog in DECLARED.items():
        assert prog.kind in KINDS and prog.amount.source, name
        for key, extra in prog.other.items():
            assert extra.source and extra.unit and extra.problem(extra.value) is None, f"{name}.{key}"
    assert set(DECLARED) == {*PROGRAMME_NAMES, "monitoring", "priority_hiring"}


def test_a_declaration_that_contradicts_itself_fails_when_made():
    with pytest.raises(ValidationError, match="default 2.0 is not a number in"):
        Declared(value=2.0, low=0, high=1, description="a share", source="assumption")
    with pytest.raises(ValidationError, match="must not exceed"):
        Declared(value=0.5, low=1, high=0, description="a share", source="assumption")
    with pytest.raises(ValidationError, match="source"):
        Declared(value=0.5, description="a share", source=" ")
    with pytest.raises(ValidationError):
        Declared(value=0.5, description="a share", source="assumption", type="fraction")


def test_every_programme_says_what_it_is():
    progs = baseline_programmes()
    kinds = {name: p.kind for name, p in progs.items()}
    assert kinds == {
        "direct_support": "income_transfer", "pension": "old_age_pension",
        "dibao": "means_tested_transfer", "monitoring_support": "conditional_transfer",
        "health_protection": "insurance", "medical_insurance": "insurance",
        "education_support": "conditional_transfer", "vocational_training": "in_kind_service",
        "industry_support": "producer_subsidy", "ecommerce": "producer_subsidy",
        "welfare_posts": "job_programme", "microcredit": "credit",
        "guaranteed_purchase": "price_support", "consumption_support": "price_support",
        "monitoring": "switch", "priority_hiring": "switch", "leader_training": "in_kind_service"}
    assert Programme(name="dibao", description="x").kind == "means_tested_transfer"  # the declared kind by default
    with pytest.raises(InputError, match="'kind': expected 'means_tested_transfer'"):
        Programme(name="dibao", description="x", kind="insurance")
    with pytest.raises(InputError, match="'kind': expected one of income_transfer"):
        Programme(name="sketch", description="x", kind="cash")
    assert Programme(name="sketch", description="x").kind is None  # an undeclared programme may say nothing


def test_the_baseline_keeps_every_default():
    progs = baseline_programmes()
    assert progs["dibao"].amount == 5842.0 and progs["dibao"].other == {"indexation": 0.028}
    assert progs["microcredit"].other == {"take_up": 0.15, "interest": 0.0435, "months": 36.0}
    assert progs["industry_support"].other == {"coop_per_member": 200.0, "enterprise_per_job": 3000.0,
                                               "enterprise_per_contract": 0.03}
    assert progs["dibao"].unit.startswith("yuan/person/year (standard, indexed +2.8%")
    assert progs["guaranteed_purchase"].generosity == 0.0 and progs["ecommerce"].generosity == 0.0
    assert progs["monitoring"].source == "transition-period policy 2021-2025" and progs["monitoring"].unit == ""


# -- objects built in Python -------------------------------------------------------------------------
def test_schedule_rule_is_end_on_or_after_start_for_files_and_python(tmp_path):
    with pytest.raises(InputError, match=r"^Schedule: 'end': expected a year on or after the start \(2026\); "
                                         r"found 2025$"):
        Schedule(start=2026, end=2025, shape="cliff")
    assert Schedule(start=2026, end=2026, shape="cliff").intensity(2026, 11) == 1.0
    f = tmp_path / "s.yaml"
    f.write_text("programmes:\n  dibao:\n    schedule: {start: 2026, end: 2025, shape: cliff}\n", encoding="utf-8")
    for refuse in (lambda: load_scenario(f),
                   lambda: Scenario(programme_changes={"dibao": {"schedule": {"start": 2026, "end": 2025,
                                                                             "shape": "cliff"}}})):
        with pytest.raises(ScenarioError) as err:
            refuse()
        assert _tail(str(err.value)) == "expected a year on or after the start (2026); found 2025"


def test_programme_refuses_bad_values_when_built():
    with pytest.raises(InputError) as err:
        Programme(name="dibao", description="x", amount=float("nan"), generosity=-1.0, budget=float("inf"),
                  targeting=("rich",), other={"indexation": 0.5, "bonus": 1.0}, dated={"amount": {2021: -1.0}})
    lines = str(err.value).splitlines()
    assert "Programme 'dibao': 'amount': expected a number in [0, 5.842e+06] (yuan/person/year); found nan" in lines
    assert "Programme 'dibao': 'generosity': expected a number in [0, 100] (x the programme's level); found -1.0" in lines
    assert ("Programme 'dibao': 'budget': expected null or a number in [0, 10000000] (yuan per household of the county "
            "per year); found inf") in lines
    assert ("Programme 'dibao': 'targeting': expected a list of groups among ex_poor, monitored, near_poor, all; "
            "found ('rich',)") in lines
    assert "Programme 'dibao': 'other.indexation': expected a number in [-0.2, 0.3] (per year (real)); found 0.5" in lines
    assert "Programme 'dibao': 'other.bonus': expected one of indexation; found 'bonus'" in lines
    assert "Programme 'dibao': 'amount.2021': expected a number in [0, 5.842e+06] (yuan/person/year); found -1.0" in lines
    assert len(lines) == 7


def test_parameters_refuse_before_applying_anything():
    with pytest.raises(InputError) as err:
        Parameters({"illness.acute_prob": 0.02, "monitoring.lag": 0.5, "economy.wage_growth": {2021: math.inf}})
    assert str(err.value).splitlines() == [
        "parameters: 'monitoring.lag': expected an integer in [0, 12] (months); found 0.5",
        "parameters: 'economy.wage_growth.2021': expected a number in [-0.2, 0.3] (per year); found inf"]
    p = Parameters()
    with pytest.raises(InputError, match=r"^parameters: 'illness.acute_prob': expected a number in \[0, 1\]"):
        p.set("illness.acute_prob", -0.1)
    with pytest.raises(InputError, match="expected a parameter of 'illness'"):
        p.set("illness.acute_probability", 0.1)
    assert p.illness.acute_prob == 0.012  # nothing was applied
    p.set("monitoring.interval", 1)
    assert p.monitoring.interval == 1 and isinstance(p.monitoring.interval, int)


def test_a_scenario_built_in_python_is_checked_completely_before_anything_is_applied():
    with pytest.raises(ScenarioError) as err:
        Scenario(name="reform", parameters_overrides={"illness.acute_prob": 1.5, "labour.no_such": 1},
                 programme_changes={"dibao": {"amount": -1, "colour": "red"}, "cash": {}})
    assert str(err.value).splitlines() == [
        "Scenario 'reform': 'parameters.illness.acute_prob': expected a number in [0, 1] (per household-month); "
        "found 1.5",
        "Scenario 'reform': 'parameters.labour.no_such': expected a parameter of 'labour' (migration_cost, "
        "migrant_separation, macro_shock_prob, macro_shock_separation, local_jobs_per_household, "
        "workshop_jobs_per_relocated, retirement_prob, living_cost_away, quit_prob); found 'labour.no_such'",
        "Scenario 'reform': 'programmes.dibao.amount': expected a number in [0, 5.842e+06] (yuan/person/year); found -1",
        "Scenario 'reform': 'programmes.dibao.colour': expected one of schedule, targeting, generosity, budget, "
        "amount, conditional, other, description, kind; found 'colour'",
        "Scenario 'reform': 'programmes.cash': expected a known programme (direct_support, industry_support, dibao, "
        "health_protection, education_support, vocational_training, welfare_posts, microcredit, "
        "guaranteed_purchase, ecommerce, consumption_support, leader_training, monitoring_support, pension, "
        "medical_insurance, monitoring, priority_hiring); found 'cash'"]


def test_values_are_kept_as_given():
    sc = Scenario(parameters_overrides={"monitoring.lag": 0, "lines.poverty_line": 4500},
                  programme_changes={"dibao": {"amount": 6000}})
    p = sc.parameters()
    assert isinstance(p.monitoring.lag, int)
    # an integer given for a number parameter is held as the equal float (the engine's arrays must be float:
    # illness.chronic_cost: 0 used to crash the run; found by tests/test_loader_properties.py)
    assert p.lines.poverty_line == 4500 and isinstance(p.lines.poverty_line, float)
    assert isinstance(sc.programmes()["dibao"].amount, int)


# -- every way in, the same words -------------------------------------------------------------------
BAD = [  # (scenario key path, dashboard control or None, bad value)
    ("parameters.monitoring.detection", "detection", 1.5),
    ("parameters.monitoring.interval", "monitoring_interval", 13),
    ("parameters.monitoring.detection_sudden", "detection_sudden", math.nan),
    ("parameters.enterprise.coops_per_enterprise_share", "chain_strength", "strong"),
    ("programmes.dibao.amount", "dibao_standard", -1.0),
    ("programmes.dibao.amount", "dibao_standard", math.inf),
    ("parameters.illness.acute_prob", None, -0.5),
    ("programmes.microcredit.other.take_up", None, 1.5),
]


@pytest.mark.parametrize("path, control, value", BAD, ids=[f"{p}={v!r}" for p, _, v in BAD])
def test_the_same_bad_value_gets_the_same_words_every_way_in(tmp_path, path, control, value):
    import yaml

    overlay = set_key({}, path, value)
    tails = {}
    # a scenario file
    f = tmp_path / "bad.yaml"
    f.write_text(yaml.safe_dump(overlay), encoding="utf-8")
    msg = str(pytest.raises(ScenarioError, load_scenario, f).value)
    assert msg.startswith(f"{f}: '{path}': ")
    tails["file"] = _tail(msg)
    # a Scenario built in Python
    msg = str(pytest.raises(ScenarioError, Scenario, name="x", parameters_overrides=overlay.get("parameters", {}),
                            programme_changes=overlay.get("programmes", {})).value)
    assert msg.startswith(f"Scenario 'x': '{path}': ")
    tails["python"] = _tail(msg)
    # Parameters.set
    if path.startswith("parameters."):
        dotted = path.removeprefix("parameters.")
        msg = str(pytest.raises(InputError, Parameters().set, dotted, value).value)
        assert msg.startswith(f"parameters: '{dotted}': ")
        tails["set"] = _tail(msg)
    # an experiment design point (the value computed, so that only the point shows it) ...
    definition = {"name": "probe", "design": {"method": "full_factorial"}, "replicates": 1,
                  "factors": {"v": {"kind": "lever", "targets": [{path: "v"}], "values": [0]}}}
    spec = parse_spec(definition)
    msg = str(pytest.raises(ScenarioError, point_scenario, spec, 0, {"v": value}).value)
    assert msg.startswith(f"probe (design point 0: v={value!r}): '{path}': ")
    tails["design point"] = _tail(msg)
    # ... and a factor's values, checked before any point
    if not (isinstance(value, float) and not math.isfinite(value)):
        definition["factors"]["v"] = {"kind": "lever", "targets": [path], "values": [value]}
        msg = str(pytest.raises(SpecError, parse_spec, definition).value)
        assert f"'factors.v.values': expected values that '{path}' accepts: " in msg
        tails["factor"] = "expected " + msg.split(" accepts: ", 1)[1]
    # a dashboard control
    if control is not None:
        msg = str(pytest.raises(InputError, scenario_from_controls, pace="none", **{control: value}).value)
        assert msg.startswith(f"dashboard controls: '{control}': ")
        tails["dashboard"] = _tail(msg)
    assert len(set(tails.values())) == 1, tails
    assert tails["file"].endswith(f"; found {value!r}")


def test_a_design_point_that_breaks_the_base_scenarios_schedule_names_the_key(tmp_path):
    f = tmp_path / "late.yaml"
    f.write_text("name: late\nscenario: scenarios/withdrawal_gradual.yaml\ndesign: {method: full_factorial}\n"
                 "factors:\n  start: {kind: lever, values: [2026, 2030],\n"
                 "          targets: [programmes.direct_support.schedule.phase_out_start]}\n", encoding="utf-8")
    msg = str(pytest.raises(SpecError, load_spec_and_points, f).value)
    assert msg == (f"{f} (design point 1: start=2030): 'programmes.direct_support.schedule.phase_out_start': "
                   "expected a year in [start, end] = [2016, 2028]; found 2030")


def test_command_line_numbers_are_checked_by_declaration(capsys):
    from ruralsim.app.cli import main

    assert main(["validate", "-r", "1"]) == 2
    assert main(["calibrate", "-n", "ten"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("ruralsim: error: argument --replicates/-r: expected an integer in [2, 10000] (runs); found 1")
    assert err[1].startswith("ruralsim: error: argument --households/-n: expected an integer in [100, 100000000] (households); "
                             "found 'ten'")
