"""Tests for the ``ruralsim`` command line (app/cli.py)."""
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ruralsim.app import cli, cli_run  # noqa: E402
from ruralsim.model.annual import METRIC_COLUMNS  # noqa: E402
from ruralsim.experiments.plots import FILES as PNGS  # noqa: E402

SMALL = ["--households", "300", "--years", "2", "--seed", "7"]
OUTPUTS = {"annual.csv", "annual.parquet", "run.json", *PNGS}


def _script() -> str | None:
    """The installed console script of the interpreter running the tests."""
    here = Path(sys.executable).parent / "ruralsim"
    return str(here) if here.exists() else shutil.which("ruralsim")


def _check_outputs(out: Path, households=300, years=2, seed=7) -> pd.DataFrame:
    assert out.is_dir()
    assert {p.name for p in out.iterdir()} == OUTPUTS  # and no temporary leftovers inside
    csv = pd.read_csv(out / "annual.csv")
    parquet = pd.read_parquet(out / "annual.parquet")
    pd.testing.assert_frame_equal(csv, parquet, check_dtype=False, check_exact=False, rtol=1e-14, atol=0)
    assert list(csv.columns) == METRIC_COLUMNS
    assert list(csv["year"]) == list(range(2020, 2020 + years + 1))  # 2020 is included
    meta = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert meta["seed"] == seed and meta["households"] == households and meta["years"] == years
    assert meta["scenario"]["name"] == "baseline" and meta["scenario"]["path"] is None
    assert meta["parameters"]["lines.poverty_line"] == 4000.0
    assert len(meta["parameters"]) > 20
    prog = meta["programmes"]["direct_support"]
    assert {"schedule", "targeting", "generosity", "budget", "amount", "other"} <= set(prog)
    assert {"ruralsim", "mesa", "numpy", "pandas", "python"} <= set(meta["versions"])
    assert "git_commit" in meta
    for png in PNGS:
        data = (out / png).read_bytes()
        assert len(data) > 5_000 and data[:8] == b"\x89PNG\r\n\x1a\n"
    # no temporary directory left beside the output
    assert not [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]
    return csv


def test_run_in_process(tmp_path, capsys):
    out = tmp_path / "res" / "base"
    assert cli.main(["run", *SMALL, "--out", str(out)]) == 0
    df = _check_outputs(out)
    printed = capsys.readouterr().out
    for label in ("poverty rate", "relapse rate", "Gini", "fiscal cost", "2020", "2022"):
        assert label in printed
    # the summary shows what the CSV holds
    assert f"{100 * df['poverty_rate'].iloc[-1]:.2f}%" in printed


def test_same_seed_same_numbers_and_quiet(tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    assert cli.main(["run", "baseline", *SMALL, "--out", str(a), "--quiet"]) == 0
    assert cli.main(["run", *SMALL, "--out", str(b), "-q"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    pd.testing.assert_frame_equal(pd.read_parquet(a / "annual.parquet"), pd.read_parquet(b / "annual.parquet"))


def test_installed_script_subprocess(tmp_path):
    script = _script()
    if script is None:
        pytest.skip("the ruralsim console script is not installed (pip install -e .)")
    out = tmp_path / "sub"
    env = {**os.environ, "MPLBACKEND": "Agg"}
    r = subprocess.run([script, "run", *SMALL, "--out", str(out)], capture_output=True, text=True, timeout=300,
                       env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert "poverty rate" in r.stdout
    _check_outputs(out)
    v = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=120)
    assert v.returncode == 0 and v.stdout.startswith("ruralsim ")


def test_default_output_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["run", "--households", "50", "--years", "1", "--quiet"]) == 0
    (out,) = (tmp_path / "results").iterdir()
    assert out.name.startswith("baseline-") and len(out.name) == len("baseline-20250101-120000")
    _check_outputs(out, households=50, years=1, seed=0)


BAD = [
    (["--households", "0"], "households"),
    (["--households", "-5"], "households"),
    (["--households", "2.5"], "households"),
    (["--households", "many"], "households"),
    (["--years", "0"], "years"),
    (["--years", "1.5"], "years"),
    (["--seed", "-1"], "seed"),
    (["no-such-scenario.yaml"], "not found"),
    (["--bogus"], "unrecognized"),
]


def _assert_one_line_error(code, err, fragment=None):
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("ruralsim: error: ")
    assert "Traceback" not in err
    if fragment:
        assert fragment in lines[0]


@pytest.mark.parametrize("extra,fragment", BAD, ids=[" ".join(b[0]) for b in BAD])
def test_bad_arguments(tmp_path, capsys, extra, fragment):
    out = tmp_path / "parent" / "out"
    code = cli.main(["run", *extra, "--out", str(out)])
    captured = capsys.readouterr()
    _assert_one_line_error(code, captured.err, fragment)
    assert captured.out == ""
    assert not (tmp_path / "parent").exists()


def test_scenario_that_is_a_directory_or_unparseable(tmp_path, capsys):
    out = tmp_path / "parent" / "out"
    _assert_one_line_error(cli.main(["run", str(tmp_path), "--out", str(out)]), capsys.readouterr().err,
                           "not a file")
    bad = tmp_path / "broken.yaml"
    bad.write_text("name: [unclosed\n  - {{{\n")
    code = cli.main(["run", str(bad), "--out", str(out)])
    err = capsys.readouterr().err
    _assert_one_line_error(code, err)
    assert "invalid scenario file" in err or "not supported yet" in err
    assert not (tmp_path / "parent").exists()


def test_scenario_file_is_recorded(tmp_path):
    pytest.importorskip("model.scenario_file")
    path = ROOT / "scenarios" / "withdrawal_cliff.yaml"
    if not path.exists():
        pytest.skip("scenarios/withdrawal_cliff.yaml is missing")
    out = tmp_path / "cliff"
    assert cli.main(["run", str(path), "--households", "100", "--years", "1", "--quiet", "--out", str(out)]) == 0
    meta = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert meta["scenario"]["name"] == "withdrawal_cliff"
    assert meta["scenario"]["path"] == str(path.resolve())
    assert meta["scenario"]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert meta["programmes"]["direct_support"]["schedule"]["shape"] == "cliff"


def test_no_command_and_version(capsys):
    _assert_one_line_error(cli.main([]), capsys.readouterr().err, "required")
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("ruralsim ")


def test_bad_argument_subprocess(tmp_path):
    script = _script()
    if script is None:
        pytest.skip("the ruralsim console script is not installed (pip install -e .)")
    r = subprocess.run([script, "run", "--households", "-3", "--out", str(tmp_path / "x")], capture_output=True,
                       text=True, timeout=120)
    _assert_one_line_error(r.returncode, r.stderr, "households")
    assert not (tmp_path / "x").exists()


def test_refuses_non_empty_output_unless_forced(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("precious")
    args = ["run", "--households", "50", "--years", "1", "--quiet", "--out", str(out)]
    _assert_one_line_error(cli.main(args), capsys.readouterr().err, "not empty")
    assert (out / "keep.txt").read_text() == "precious"
    # --force replaces only an earlier output of `run` (it holds run.json), never any other folder
    _assert_one_line_error(cli.main([*args, "--force"]), capsys.readouterr().err, "not an earlier output")
    assert (out / "keep.txt").read_text() == "precious"
    (out / "run.json").write_text("{}")
    assert cli.main([*args, "--force"]) == 0
    _check_outputs(out, households=50, years=1, seed=0)
    # an existing empty directory is fine without --force
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli.main(["run", "--households", "50", "--years", "1", "--quiet", "--out", str(empty)]) == 0
    _check_outputs(empty, households=50, years=1, seed=0)


def test_failed_run_leaves_nothing(tmp_path, capsys, monkeypatch):
    from ruralsim.experiments import plots

    def boom(*a, **k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(plots, "save_all", boom)  # fails after the CSV/parquet/json are written
    out = tmp_path / "new" / "deeper" / "out"
    code = cli.main(["run", "--households", "50", "--years", "1", "--quiet", "--out", str(out)])
    _assert_one_line_error(code, capsys.readouterr().err, "disk on fire")
    assert not (tmp_path / "new").exists()
    # with --force over an existing result, the old result survives a failed run
    old = tmp_path / "old"
    old.mkdir()
    (old / "annual.csv").write_text("year\n2020\n")
    (old / "run.json").write_text("{}")
    code = cli.main(["run", "--households", "50", "--years", "1", "--quiet", "--force", "--out", str(old)])
    _assert_one_line_error(code, capsys.readouterr().err, "disk on fire")
    assert [p.name for p in tmp_path.iterdir()] == ["old"]
    assert (old / "annual.csv").read_text() == "year\n2020\n"


def test_summary_table_formats():
    df = pd.DataFrame({"year": [2020, 2021], "poverty_rate": [0.0123, 0.5], "gini": [0.31234, 0.3],
                       "mean_income": [12345.6, 13000.0], "fiscal_cost": [4.5e7, 5e7]})
    text = cli_run.summary_table(df)
    assert "1.23%" in text and "50.00%" in text and "0.312" in text and "12,346" in text and "45.00" in text
    assert text.splitlines()[0].split() == ["2020", "2021"]
