"""`ruralsim check`, `describe`, `validate` and `calibrate` from the command line."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ruralsim.app.cli import main

ROOT = Path(__file__).resolve().parents[1]
BROKEN = ROOT / "tests" / "scenarios_broken"


def test_check_accepts_the_library(capsys):
    files = sorted(str(p) for p in (ROOT / "scenarios").glob("*.yaml"))
    assert main(["check", *files]) == 0
    out = capsys.readouterr().out
    assert out.count("ok  ") == len(files)


def test_check_reports_every_problem_and_exits_non_zero(capsys):
    code = main(["check", str(ROOT / "scenarios" / "baseline.yaml"), str(BROKEN / "several_errors.yaml"),
                 str(BROKEN / "empty.yaml")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("several_errors.yaml: '") == 4 and "empty.yaml: '(file)'" in err
    assert "2 of 3 scenario files are invalid" in err and "Traceback" not in err


def test_describe_lists_every_parameter_with_its_source(capsys):
    from ruralsim.model.parameters import SPEC
    assert main(["describe", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    for section, params in SPEC.items():
        for name in params:
            assert f"parameters.{section}.{name}" in out
    assert "programmes.dibao" in out and "MCA" in out


def test_run_and_compare_reject_a_bad_scenario_before_writing(tmp_path, capsys):
    out = tmp_path / "res"
    assert main(["run", str(BROKEN / "several_errors.yaml"), "-n", "50", "-y", "1", "--out", str(out)]) == 1
    assert main(["compare", "baseline", str(BROKEN / "unknown_programme.yaml"), "-n", "50", "-y", "1",
                 "-r", "2", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "several_errors.yaml" in err and "unknown_programme.yaml" in err and "Traceback" not in err
    assert not out.exists()


@pytest.mark.slow
def test_validate_writes_its_table_and_exit_status_follows_the_result(tmp_path, capsys):
    out = tmp_path / "val"
    code = main(["validate", "-r", "2", "-n", "2000", "--out", str(out)])
    table = pd.read_csv(out / "validation.csv")
    assert {"target", "observed", "model_mean", "model_ci_low", "model_ci_high", "tolerance_low",
            "tolerance_high", "passed"} <= set(table.columns)
    assert len(table) >= 17 and (out / "validation.md").read_text().count("|") > 50
    assert (out / "validation.png").stat().st_size > 10_000
    assert code == (0 if table["passed"].all() else 1)


#: Targets the default baseline is known to miss, with the reason (docs/validation.md, "Where the fit is loose").
#: The test fails as soon as one of them is met (remove it here) or another target is missed.
KNOWN_MISSES = {
    "real_income_growth": "held out: growth 2020-2023 follows the wage (5%) and farm productivity (3%) growth "
                          "inputs and the chain's contraction; about 3% a year against 8.5% (band 5-12%)",
    "exit_rate_spell_1": "fitted but out of reach: 0.66 on survey income against 0.37; even with every shock and the "
                         "survey error off, 0.46 of the poor exit after one year (growth and the yearly turnover of "
                         "household labour and dibao); docs/validation.md",
    "exit_rate_spell_5": "held out: 0.22 against 0.09 (band 0.04-0.15), for the same reason",
    "coop_member_premium": "fitted: 0.11 against 0.19 (band from 0.13) with the cooperative price premium at the "
                           "top of its search range",
    "coop_member_share": "held out: 0.59 in 2020 against the 2016 national 0.445 (band to 0.55): joining runs in the "
                         "burn-in and calibration years",
}


@pytest.mark.slow
def test_the_default_baseline_passes_every_validation_target_but_the_known_misses(tmp_path, capsys):
    """`ruralsim validate` with its defaults (5 x 20,000 households, root seed 0) meets every target but the
    known misses, and exits non-zero while any target is missed."""
    out = tmp_path / "val"
    code = main(["validate", "--out", str(out)])
    table = pd.read_csv(out / "validation.csv")
    assert sorted(table.loc[~table["passed"], "target"].tolist()) == sorted(KNOWN_MISSES)
    assert code == (1 if KNOWN_MISSES else 0)


@pytest.mark.slow
def test_calibrate_runs_and_records_its_fit(tmp_path, capsys):
    import json
    out = tmp_path / "cal"
    assert main(["calibrate", "-r", "1", "-n", "500", "-e", "3", "--out", str(out)]) == 0
    fit = json.loads((out / "fit.json").read_text())
    from ruralsim.experiments.calibration import FITTED
    assert set(fit["fitted"]) == {u.key for u in FITTED}
    assert fit["evaluations"] >= 3 and fit["distance"] <= fit["start_distance"]
    assert len(pd.read_csv(out / "history.csv")) == fit["evaluations"]
