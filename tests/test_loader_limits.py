"""The loader's bounds: small bad files get a quick one-line error each, never a hang or a traceback.

Files too large to keep in tests/scenarios_broken/ (or symlinks) are made here; the small ones are there.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest

from ruralsim.app.cli import main
from ruralsim.model.declared import FIRST_YEAR, LAST_YEAR
from ruralsim.model.parameters import SPEC
from ruralsim.model.problems import MAX_PROBLEMS, MAX_SHOWN
from ruralsim.model.programmes import DECLARED, FIELDS, SCHEDULE_FIELDS
from ruralsim.model.scenario_file import MAX_BYTES, MAX_DEPTH, MAX_EXTENDS, ScenarioError, load_scenario

BROKEN = Path(__file__).resolve().parent / "scenarios_broken"


def _numeric_declarations():
    for section, params in SPEC.items():
        for name, d in params.items():
            yield f"parameters.{section}.{name}", d
    for name, prog in DECLARED.items():
        yield f"programmes.{name}.amount", prog.amount
        for key, d in prog.other.items():
            yield f"programmes.{name}.other.{key}", d
    for key, d in {**FIELDS, **SCHEDULE_FIELDS}.items():
        yield f"programmes.*.{key}", d


@pytest.mark.parametrize("key,declared", list(_numeric_declarations()), ids=lambda x: x if isinstance(x, str) else "")
def test_every_number_a_scenario_sets_has_finite_bounds_with_a_reason(key, declared):
    if declared.type in ("number", "integer"):
        assert declared.low is not None and declared.high is not None, key
        assert math.isfinite(declared.low) and math.isfinite(declared.high), key
        assert declared.why.strip(), f"{key}: bounds without a reason"
        assert declared.problem(declared.high) is None and declared.problem(declared.high * 10 + 1) is not None
    elif declared.type == "year":
        assert FIRST_YEAR <= (declared.low or FIRST_YEAR) <= (declared.high or LAST_YEAR) <= LAST_YEAR


def _refused(path: Path, seconds: float = 5.0) -> list[str]:
    t0 = time.perf_counter()
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert time.perf_counter() - t0 < seconds, "the loader took too long to refuse"
    lines = str(err.value).splitlines()
    for text in lines:
        assert text.startswith(str(path.resolve()) if path.exists() else str(path)), text
        assert ("; found " in text and ": expected " in text) or "more problems" in text, text
    return lines


def test_an_alias_bomb_is_refused_at_once():
    lines = _refused(BROKEN / "alias_bomb.yaml", seconds=1.0)
    assert len(lines) == 1 and "no YAML aliases" in lines[0]


def test_a_file_above_the_size_limit_is_refused_unread(tmp_path):
    f = tmp_path / "huge.yaml"
    f.write_text("name: x\n" + "#" * MAX_BYTES + "\n")
    assert _refused(f) == [f"{f}: '(file)': expected a file of at most {MAX_BYTES:,} bytes; found <a larger file>"]


def test_deep_nesting_is_refused_without_recursion(tmp_path):
    f = tmp_path / "deep.yaml"
    f.write_text("a: " + "[" * 200_000 + "]" * 200_000 + "\n")
    (line,) = _refused(f)
    assert f"at most {MAX_DEPTH} levels of nesting" in line


def test_a_huge_integer_is_refused_cleanly(tmp_path):
    f = tmp_path / "bigint.yaml"
    f.write_text("parameters:\n  lines.poverty_line: " + "9" * 6000 + "\n")
    (line,) = _refused(f)
    assert "'(file)': expected valid YAML values" in line and len(line) < len(str(f)) + 300


def test_the_number_of_problems_and_the_length_of_values_are_bounded(tmp_path):
    f = tmp_path / "many.yaml"
    f.write_text("parameters:\n" + "".join(f"  illness.x{i}: {'y' * 100}\n" for i in range(5000)))
    lines = _refused(f)
    assert len(lines) == MAX_PROBLEMS + 1
    assert lines[-1] == f"{f}: ... and {5000 - MAX_PROBLEMS} more problems"
    # KEY and VALUE are cut; only the declaration's own words (WHAT) may be long
    assert all(len(text.partition("; found ")[2]) <= MAX_SHOWN for text in lines[:-1])


def test_a_long_value_is_quoted_short(tmp_path):
    f = tmp_path / "long.yaml"
    f.write_text("description: [" + "'x' , " * 2000 + "]\n")
    (line,) = _refused(f)
    assert line.endswith("...") and len(line.partition("; found ")[2]) == MAX_SHOWN


def test_a_symlink_to_itself_is_refused(tmp_path):
    f = tmp_path / "self.yaml"
    f.symlink_to(f)
    (line,) = _refused(f)
    assert "'(file)': expected a readable file" in line
    g = tmp_path / "child.yaml"
    g.write_text("extends: self.yaml\n")
    (line,) = _refused(g)
    assert "'extends': expected 'baseline' or the path of a readable scenario file" in line


def test_a_long_chain_of_extends_is_refused(tmp_path):
    for i in range(MAX_EXTENDS + 3):
        (tmp_path / f"s{i}.yaml").write_text(f"extends: s{i + 1}.yaml\n" if i < MAX_EXTENDS + 2 else "name: end\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(tmp_path / "s0.yaml")
    lines = str(err.value).splitlines()  # named by the file where the chain grows too long
    assert lines == [f"{tmp_path / f's{MAX_EXTENDS}.yaml'}: 'extends': expected a chain of at most {MAX_EXTENDS} "
                     f"files; found <{MAX_EXTENDS + 1} files>"]
    assert load_scenario(tmp_path / f"s{3}.yaml").name == "s3"  # a chain within the limit is fine


def test_extends_outside_the_folder_is_allowed_but_only_scenario_files(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "base.yaml").write_text("parameters: {illness.acute_prob: 0.02}\n")
    (tmp_path / "mine").mkdir()
    f = tmp_path / "mine" / "s.yaml"
    f.write_text("extends: ../lib/base.yaml\n")
    assert load_scenario(f).parameters_overrides == {"illness.acute_prob": 0.02}
    (lib / "notes.txt").write_text("secret: " + "s" * 1000 + "\n")
    f.write_text("extends: ../lib/notes.txt\n")
    (line,) = _refused(f)
    assert "secret" not in line and "(.yaml, .yml)" in line


def test_check_reports_every_file_even_after_a_crash_inducing_one(tmp_path, capsys):
    files = [BROKEN / "alias_bomb.yaml", BROKEN / "duplicate_year.yaml", BROKEN / "list_as_key.yaml",
             BROKEN / "bad_date.yaml", Path(__file__).resolve().parents[1] / "scenarios" / "baseline.yaml"]
    assert main(["check", *map(str, files)]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "4 of 5 scenario files are invalid" in captured.err
    for f in files[:4]:
        assert f"{f}: '" in captured.err
    assert captured.out.count("ok  ") == 1


@pytest.mark.parametrize("text,refused", [
    ("parameters: {economy.asset_scale: 0}", "'parameters.economy.asset_scale': expected a number in [1, 1e+07]"),
    ("parameters: {cooperative.leader_capacity_mean: 0}",
     "'parameters.cooperative.leader_capacity_mean': expected a number in [0.01, 0.99]"),
    ("parameters: {illness.chronic_cost: 0}", None),  # an int for a number: used to crash the run (int arrays)
])
def test_what_the_property_test_found(tmp_path, text, refused):
    """Values once accepted that then crashed a run or gave NaN incomes (tests/test_loader_properties.py)."""
    import numpy as np
    from ruralsim.model import RuralEconomy

    f = tmp_path / "found.yaml"
    f.write_text(text + "\n")
    if refused:
        (line,) = _refused(f)
        assert refused in line
    else:
        df = RuralEconomy(load_scenario(f), n_households=50, rng=1, household_agents=False).run_years(1)
        assert np.isfinite(df["mean_income"]).all()
