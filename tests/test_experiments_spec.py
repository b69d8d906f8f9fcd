"""Experiment definitions: validation (a folder of broken files), targets, expressions, design points as scenarios."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ruralsim.experiments import list_definitions, load_spec
from ruralsim.experiments.expressions import evaluate, expand_braces
from ruralsim.experiments.points import point_overlay
from ruralsim.experiments.spec import SpecError, load_spec_and_points
from ruralsim.app.cli import main
from ruralsim.experiments.run import run_county as run_one
from ruralsim.model.scenario_file import scenario_from_dict

ROOT = Path(__file__).resolve().parents[1]
BROKEN = Path(__file__).resolve().parent / "experiments_broken"
EXPECTED = yaml.safe_load((BROKEN / "expected.yaml").read_text(encoding="utf-8"))
SHIPPED = sorted((ROOT / "experiments" / "definitions").glob("*.yaml"))


def test_every_broken_file_has_expectations():
    assert {p.name for p in BROKEN.glob("*.yaml")} - {"expected.yaml"} == set(EXPECTED)
    assert len(EXPECTED) >= 20


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_definition_fails_with_a_clear_message(name):
    with pytest.raises(SpecError) as err:
        load_spec(BROKEN / name)
    msg = str(err.value)
    for fragment in EXPECTED[name]:
        assert fragment in msg, f"{fragment!r} not in {msg!r}"
    for line in msg.splitlines():  # one wording: FILE: 'KEY': expected ...; found ...
        assert line.startswith(str(BROKEN / name)) and ": expected " in line and "; found " in line, line


def test_every_problem_is_reported_at_once():
    msg = str(pytest.raises(SpecError, load_spec, BROKEN / "several_errors.yaml").value)
    assert len(msg.splitlines()) == 3  # years, outcomes (one unknown metric), colour; and nothing else
    assert "'years'" in msg and "'colour'" in msg and "happiness" in msg


def test_cli_rejects_a_broken_definition_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "sweep"
    assert main(["sweep", str(BROKEN / "several_errors.yaml"), "--out", str(out), "-q"]) == 1
    err = capsys.readouterr().err
    assert err.count("ruralsim: error: ") == 3 and "3 problems" in err and "nothing was written" in err and "Traceback" not in err
    assert not out.exists()
    assert main(["sweep", str(BROKEN / "negative_generosity.yaml"), "--out", str(out), "-q"]) == 1
    assert "design point 1" in capsys.readouterr().err and not out.exists()


def test_shipped_definitions_load_and_cover_every_design_method():
    names = list_definitions()
    assert {"withdrawal_timing_pace_monitoring", "chain_strength_exit_volatility", "education_investment_horizon",
            "sensitivity_saltelli"} <= set(names)
    methods = set()
    for path in SHIPPED:
        spec = load_spec(path)  # every design point validated as a scenario
        methods.add(spec.design["method"])
        assert spec.description and all(f.description for f in spec.factors), path.name
        assert {f.kind for f in spec.factors} <= {"lever", "uncertainty"}
    assert {"full_factorial", "saltelli", "morris"} <= methods
    gsa = load_spec("sensitivity_saltelli")
    assert {"relapse_rate", "gini", "fiscal_cost"} <= set(gsa.outcomes)
    assert all(f.kind == "uncertainty" and f.range is not None for f in gsa.factors)


def test_definition_by_name_and_overrides():
    spec = load_spec("withdrawal_timing_pace_monitoring", households=500, years=3, replicates=2)
    assert (spec.households, spec.years, spec.replicates) == (500, 3, 2)
    assert spec.spec_hash() != load_spec("withdrawal_timing_pace_monitoring").spec_hash()
    with pytest.raises(ValueError, match=r"'households': expected an integer in \[1, 100000000\]"):
        load_spec("withdrawal_timing_pace_monitoring", households=0)


def test_spec_hash_of_shipped_definitions_is_stable():
    """The hash that marks a sweep's store (and refuses a resume under another definition) stays the same
    when the code that writes JSON changes: these values were computed before the manifest and the spec
    shared one JSON encoder (provenance.jsonable).  Neither definition names a scenario file, so no
    file's bytes enter these hashes.  (sensitivity_saltelli's value changed once since, with its definition:
    the asset threshold moved to parameters.finance with a new range.)"""
    assert load_spec("sensitivity_saltelli").spec_hash() == (
        "ba1ded3a26d1f00e02e6182ca20cb7055320a763cc2edbbfec90403bf7f9fe51")
    assert load_spec("chain_strength_exit_volatility").spec_hash() == (
        "cdb4f5004ffb1b46949a0c457ecde2ced0525afa11f993a3dc258d9225ce9f4b")


def test_brace_lists_and_expressions():
    assert expand_braces("programmes.{a,b}.schedule.{start,end}") == [
        "programmes.a.schedule.start", "programmes.a.schedule.end", "programmes.b.schedule.start",
        "programmes.b.schedule.end"]
    with pytest.raises(ValueError):
        expand_braces("programmes.{a,b.end")
    assert evaluate("start + years - 1", {"start": 2026, "years": 3}) == 2028
    assert evaluate("12 // max(s, 1)", {"s": 0}) == 12 and evaluate("min(s, 1)", {"s": 4}) == 1
    assert isinstance(evaluate("start + years - 1", {"start": 2026, "years": 3}), int)


def test_design_point_is_the_scenario_a_file_would_give(tmp_path):
    """A point's scenario equals the same overlay written as a file that extends the base scenario."""
    spec, points, scenarios = load_spec_and_points("withdrawal_timing_pace_monitoring")
    p = 17
    overlay = point_overlay(spec, points[p])
    assert overlay["parameters"]["monitoring.interval"] == 12 // max(points[p]["screenings_per_year"], 1)
    sched = scenarios[p].programmes()["microcredit"].schedule
    assert (sched.shape, sched.phase_out_start, sched.end) == (
        "linear", points[p]["phase_out_start"], points[p]["phase_out_start"] + points[p]["phase_out_years"] - 1)
    # the same point as a scenario file: the inline base written out, then the overlay on top
    base = tmp_path / "base.yaml"
    inline = dict(spec.scenario)
    inline["extends"] = str(ROOT / inline["extends"])
    base.write_text(yaml.safe_dump(inline), encoding="utf-8")
    as_file = scenario_from_dict({"extends": str(base), **overlay}, "point", base_dir=tmp_path)
    assert as_file.parameters_overrides == scenarios[p].parameters_overrides
    assert as_file.programmes() == scenarios[p].programmes()
    a, _ = run_one(scenarios[p], 200, 2, 3)
    b, _ = run_one(as_file, 200, 2, 3)
    assert a.equals(b)


def test_dry_run_prints_the_plan_and_writes_nothing(tmp_path, capsys):
    assert main(["sweep", "education_investment_horizon", "--dry-run", "--replicates", "3"]) == 0
    out = capsys.readouterr().out
    assert "30 design points x 3 replicates = 90 runs" in out and "education_generosity" in out
    assert main(["sweep", "education_investment_horizon", "-q"]) == 1  # --out is required to run
    assert "--out DIR" in capsys.readouterr().err
