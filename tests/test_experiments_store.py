"""Sweeps in this process: the store round trip, identical files from identical inputs, resume, refusals, failures."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from ruralsim import experiments
from ruralsim.experiments import load_design, load_failures, load_lorenz, load_manifest, load_results, run_sweep
from ruralsim.experiments import runner
from ruralsim.experiments.runner import SweepError
from ruralsim.model.annual import METRIC_COLUMNS
from ruralsim.app.cli import main
from ruralsim.experiments.run import replicate_seeds, run_county as run_one

TINY = {
    "name": "tiny",
    "description": "two levers x two values, for tests",
    "scenario": "baseline",
    "design": {"method": "full_factorial"},
    "factors": {
        "detection": {"kind": "lever", "targets": ["parameters.monitoring.detection"], "values": [0.1, 0.6]},
        "acute_prob": {"kind": "uncertainty", "targets": ["parameters.illness.acute_prob"], "values": [0.008, 0.016]},
    },
    "replicates": 2, "years": 2, "households": 200, "seed": 5, "batch_size": 3,
    "outcomes": ["relapse_rate", "gini", "fiscal_cost", "coop_active"],
}


def write_spec(folder: Path, **changes) -> Path:
    data = {**TINY, **changes}
    path = folder / f"{data['name']}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def part_bytes(out: Path, folder: str) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / folder).glob("part-*.parquet"))}


def test_store_round_trip(tmp_path):
    spec = write_spec(tmp_path)
    out = tmp_path / "out"
    result = run_sweep(spec, out, executor=1, progress=False)
    assert (result.runs, result.points, result.completed, result.failed, result.complete) == (8, 4, 8, 0, True)
    df = load_results(out)
    assert list(df.columns) == ["run_id", "detection", "acute_prob", "replicate", "seed", "year",
                                *TINY["outcomes"]]
    assert len(df) == 8 * 3 and df["run_id"].is_monotonic_increasing
    assert df.groupby("run_id")["year"].apply(list).map(lambda y: y == [2020, 2021, 2022]).all()
    assert str(df["coop_active"].dtype) == "int64" and str(df["year"].dtype) == "int64"
    design = load_design(out)
    assert list(design.columns) == ["run_id", "detection", "acute_prob", "replicate", "seed"]
    assert design["run_id"].tolist() == list(range(8))
    # run_id = point * replicates + replicate; every point's replicate r uses seed r, spawned from the root
    seeds = replicate_seeds(TINY["seed"], TINY["replicates"])
    assert (design["replicate"] == design["run_id"] % 2).all()
    assert (design["seed"] == design["replicate"].map(dict(enumerate(seeds)))).all()
    merged = df.drop_duplicates("run_id")[["run_id", "detection", "acute_prob", "replicate", "seed"]]
    assert merged.reset_index(drop=True).equals(design)
    # the numbers are those of a direct run of the same scenario and seed
    run = design.iloc[5]
    from ruralsim.model.scenario import Scenario
    sc = Scenario(parameters_overrides={"monitoring.detection": run["detection"],
                                        "illness.acute_prob": run["acute_prob"]})
    direct, snap = run_one(sc, 200, 2, int(run["seed"]))
    mine = df[df["run_id"] == 5].reset_index(drop=True)
    assert np.array_equal(mine["gini"].to_numpy(), direct["gini"].to_numpy())
    assert np.array_equal(mine["relapse_rate"].to_numpy(), direct["relapse_rate"].to_numpy())
    lorenz = load_lorenz(out)
    assert list(lorenz.columns) == ["run_id", "population_share", "income_share"] and len(lorenz) == 8 * 21
    from ruralsim.model.metrics import lorenz_curve
    assert np.allclose(lorenz[lorenz["run_id"] == 5]["income_share"], lorenz_curve(snap["y"], snap["members"], points=21)[1],
                       rtol=0, atol=0)
    assert load_failures(out).empty and list(load_failures(out).columns) == ["run_id", "error"]
    m = load_manifest(out)
    assert m["spec_hash"] and m["runs"] == 8 and m["points"] == 4 and m["replicates"] == 2
    assert m["seeds"]["root"] == 5 and m["seeds"]["replicate_seeds"] == seeds
    assert m["design"]["method"] == "full_factorial"
    assert [(f["name"], f["kind"], f["values"]) for f in m["factors"]] == [
        ("detection", "lever", [0.1, 0.6]), ("acute_prob", "uncertainty", [0.008, 0.016])]
    assert m["versions"]["ruralsim"] and m["versions"]["numpy"] and "git_commit" in m
    assert experiments.status(out) == {"runs": 8, "done": 8, "failed": 0, "parts": 3, "batches": 3, "complete": True}
    parts = sorted(p.name for p in (out / "parts").iterdir())
    assert all(n.startswith("part-") and n.endswith(".parquet") for n in parts)  # no temporary files left


def test_identical_inputs_give_identical_files(tmp_path):
    spec = write_spec(tmp_path)
    run_sweep(spec, tmp_path / "a", executor=1, progress=False)
    run_sweep(spec, tmp_path / "b", executor=1, progress=False)
    assert part_bytes(tmp_path / "a", "parts") == part_bytes(tmp_path / "b", "parts")
    assert part_bytes(tmp_path / "a", "lorenz") == part_bytes(tmp_path / "b", "lorenz")
    assert (tmp_path / "a" / "design.parquet").read_bytes() == (tmp_path / "b" / "design.parquet").read_bytes()
    assert load_results(tmp_path / "a").equals(load_results(tmp_path / "b"))
    table = load_results(tmp_path / "a")
    assert not any(c in table.columns for c in ("time", "elapsed", "host", "hostname", "worker"))


def test_all_metrics_by_default(tmp_path):
    data = {k: v for k, v in TINY.items() if k != "outcomes"}
    path = tmp_path / "all.yaml"
    path.write_text(yaml.safe_dump({**data, "name": "all", "replicates": 1, "years": 1}, sort_keys=False), encoding="utf-8")
    run_sweep(path, tmp_path / "out", executor=1, progress=False)
    df = load_results(tmp_path / "out")
    assert list(df.columns) == ["run_id", "detection", "acute_prob", "replicate", "seed", *METRIC_COLUMNS]


def test_refuses_a_non_empty_directory_and_a_changed_spec(tmp_path, capsys):
    spec = write_spec(tmp_path)
    out = tmp_path / "out"
    (out).mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(SweepError, match="not empty"):
        run_sweep(spec, out, executor=1, progress=False)
    with pytest.raises(SweepError, match="not a sweep results directory"):
        run_sweep(spec, out, executor=1, progress=False, resume=True)
    (out / "notes.txt").unlink()
    run_sweep(spec, out, executor=1, progress=False)
    before = part_bytes(out, "parts")
    with pytest.raises(SweepError, match=r"different definition.*households 200 -> 300"):
        run_sweep(spec, out, executor=1, progress=False, resume=True, households=300)
    changed = write_spec(tmp_path, factors={**TINY["factors"], "detection": {
        "kind": "lever", "targets": ["parameters.monitoring.detection"], "values": [0.1, 0.7]}})
    with pytest.raises(SweepError, match="factor detection"):
        run_sweep(changed, out, executor=1, progress=False, resume=True)
    assert main(["sweep", str(changed), "--out", str(out), "--resume", "-q", "--workers", "1"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot resume" in err and "factor detection" in err
    assert part_bytes(out, "parts") == before  # nothing touched
    # resuming a finished sweep with the same definition does nothing
    result = run_sweep(write_spec(tmp_path), out, executor=1, progress=False, resume=True)
    assert (result.skipped, result.completed) == (8, 0) and part_bytes(out, "parts") == before


def test_resume_after_an_interruption_equals_an_uninterrupted_sweep(tmp_path, monkeypatch):
    spec = write_spec(tmp_path, replicates=3)
    run_sweep(spec, tmp_path / "whole", executor=1, progress=False)
    calls = {"n": 0}
    real = runner.simulate

    def interrupted(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 8:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "simulate", interrupted)
    out = tmp_path / "resumed"
    with pytest.raises(KeyboardInterrupt):
        run_sweep(spec, out, executor=1, progress=False)
    status = experiments.status(out)
    assert 0 < status["done"] < 12 and not status["complete"]
    monkeypatch.setattr(runner, "simulate", real)
    result = run_sweep(spec, out, executor=1, progress=False, resume=True)
    assert result.skipped == status["done"] and result.skipped + result.completed == 12 and result.complete
    assert load_results(out).equals(load_results(tmp_path / "whole"))
    assert load_results(out)["run_id"].drop_duplicates().tolist() == list(range(12))
    assert part_bytes(out, "parts") == part_bytes(tmp_path / "whole", "parts")
    assert load_lorenz(out).equals(load_lorenz(tmp_path / "whole"))


def test_a_failing_run_is_recorded_and_the_sweep_goes_on(tmp_path, monkeypatch):
    spec = write_spec(tmp_path)
    real = runner.simulate

    def fragile(scenario, households, years, seed, outcomes):
        if scenario.parameters_overrides["illness.acute_prob"] == 0.016 and seed == replicate_seeds(5, 2)[1]:
            raise FloatingPointError("county 7 ran out of money")
        return real(scenario, households, years, seed, outcomes)

    monkeypatch.setattr(runner, "simulate", fragile)
    result = run_sweep(spec, tmp_path / "out", executor=1, progress=False)
    assert result.failed == 2 and result.complete
    design = load_design(tmp_path / "out")
    bad = design[(design["acute_prob"] == 0.016) & (design["replicate"] == 1)]["run_id"].tolist()
    failures = load_failures(tmp_path / "out")
    assert failures["run_id"].tolist() == bad
    assert (failures["error"] == "FloatingPointError: county 7 ran out of money").all()
    df = load_results(tmp_path / "out")
    assert sorted(df["run_id"].unique()) == sorted(set(range(8)) - set(bad))
    assert set(load_lorenz(tmp_path / "out")["run_id"]) == set(df["run_id"])
    assert experiments.status(tmp_path / "out")["failed"] == 2


def test_failures_of_an_uncommitted_batch_are_not_kept_twice(tmp_path, monkeypatch):
    """A batch interrupted after a failure runs again on resume; its failure is recorded once."""
    spec = write_spec(tmp_path, batch_size=4)
    real = runner.simulate
    state = {"n": 0}

    def fail_then_stop(scenario, households, years, seed, outcomes):
        state["n"] += 1
        if state["n"] == 2:
            raise ValueError("bad draw")
        if state["n"] == 3:
            raise KeyboardInterrupt
        return real(scenario, households, years, seed, outcomes)

    monkeypatch.setattr(runner, "simulate", fail_then_stop)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(spec, tmp_path / "out", executor=1, progress=False)
    monkeypatch.setattr(runner, "simulate", real)
    result = run_sweep(spec, tmp_path / "out", executor=1, progress=False, resume=True)
    assert result.failed == 0 and load_failures(tmp_path / "out").empty  # it ran again, and this time it worked
    assert load_results(tmp_path / "out")["run_id"].nunique() == 8


def test_cli_sweep_runs_and_reports(tmp_path, capsys):
    spec = write_spec(tmp_path)
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out"), "--workers", "1", "--replicates", "1"]) == 0
    captured = capsys.readouterr()
    assert "4 design points x 1 replicates = 4 runs" in captured.err
    assert "tiny: 4 runs, 4 run now, 0 failed" in captured.out
    assert load_manifest(tmp_path / "out")["replicates"] == 1
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out"), "--workers", "1", "-q"]) == 1
    assert "not empty" in capsys.readouterr().err


def test_runs_leave_the_design_point_scenarios_untouched(tmp_path):
    """Mesa >= 3.5 writes ``scenario.model`` into a model's scenario; the cached design-point scenarios must stay
    clean, or a later sweep on processes could not pickle them."""
    import pickle

    from ruralsim.experiments.spec import load_spec_and_points

    spec = write_spec(tmp_path)
    run_sweep(spec, tmp_path / "out", executor=1, progress=False)
    _, _, scenarios = load_spec_and_points(spec)  # the same (cached) objects the sweep ran
    for sc in scenarios:
        assert not hasattr(sc, "model")
        pickle.dumps(sc)


def _damage(out: Path, how: str) -> str:
    """Damage one file of a finished sweep; return what was damaged."""
    first = sorted((out / "parts").glob("part-*.parquet"))[1]
    n = pd.read_parquet(first)["run_id"].nunique()  # runs of that batch (none failed)
    if how == "truncated":
        data = first.read_bytes()
        first.write_bytes(data[: len(data) // 2])
    elif how == "zero-filled lorenz":
        lz = out / "lorenz" / first.name
        lz.write_bytes(bytes(lz.stat().st_size))
    elif how == "missing":
        first.unlink()
    elif how == "bad record":
        (out / "commits" / first.name.replace(".parquet", ".json")).write_text("{trunc", encoding="utf-8")
    return first.name, n


@pytest.mark.parametrize("how", ["truncated", "zero-filled lorenz", "missing", "bad record"])
def test_resume_verifies_every_part_and_reruns_exactly_the_bad_batch(tmp_path, capsys, how):
    """A truncated part was accepted by --resume ("0 run now", complete) and then broke `ruralsim plot`."""
    spec = write_spec(tmp_path)
    whole = tmp_path / "whole"
    run_sweep(spec, whole, executor=1, progress=False)
    out = tmp_path / "out"
    run_sweep(spec, out, executor=1, progress=False)
    name, n = _damage(out, how)
    (out / "parts" / "part-999999.parquet").write_bytes(bytes(4096))  # a stray, zero-filled
    st = experiments.status(out)
    assert (st["done"], st["parts"], st["complete"]) == (8 - n, 2, False), st  # only verified parts count
    assert load_results(out)["run_id"].nunique() == 8 - n  # the readers skip what is not verified
    assert main(["sweep", str(spec), "--out", str(out), "--workers", "1", "--resume"]) == 0
    captured = capsys.readouterr()
    assert f"tiny: 8 runs ({8 - n} done before), {n} run now, 0 failed" in captured.out
    if how != "missing":
        assert f"warning: {out / ('commits' if how == 'bad record' else 'lorenz' if 'lorenz' in how else 'parts')}" in captured.err
        assert name.replace(".parquet", "") in captured.err
    assert "ignoring 1 files that belong to no batch" in captured.err and "part-999999.parquet" in captured.err
    assert experiments.status(out) == experiments.status(whole)
    assert load_results(out).equals(load_results(whole)) and load_lorenz(out).equals(load_lorenz(whole))
    assert part_bytes(out, "lorenz") == part_bytes(whole, "lorenz")
    assert {k: v for k, v in part_bytes(out, "parts").items() if "999999" not in k} == part_bytes(whole, "parts")
    assert main(["plot", str(out), "--format", "png"]) == 0


def test_readers_name_the_file_they_cannot_read(tmp_path, capsys):
    spec = write_spec(tmp_path)
    out = tmp_path / "out"
    run_sweep(spec, out, executor=1, progress=False)
    (out / "failures.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(experiments.StoreError, match=r"cannot read .*failures\.parquet"):
        load_failures(out)
    result = run_sweep(spec, out, executor=1, progress=False, resume=True)  # rebuilt from the commit records
    assert (result.skipped, result.completed) == (8, 0) and load_failures(out).empty
    (out / "design.parquet").write_bytes(b"")
    assert main(["plot", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "design.parquet" in err and "Traceback" not in err, err


def test_copied_records_and_old_stores(tmp_path):
    """A part with its commit record copied under another name is not counted twice; a store written before
    parts had checksums is read but not resumed."""
    import shutil

    spec = write_spec(tmp_path)
    out = tmp_path / "out"
    run_sweep(spec, out, executor=1, progress=False)
    before = experiments.status(out)
    src = sorted((out / "commits").glob("part-*.json"))[0]
    text = src.read_text().replace(src.stem, "part-999990")
    (out / "commits" / "part-999990.json").write_text(text)
    for folder in ("parts", "lorenz"):
        shutil.copy(out / folder / (src.stem + ".parquet"), out / folder / "part-999990.parquet")
    assert experiments.status(out) == before and load_results(out)["run_id"].nunique() == 8
    manifest = load_manifest(out)
    (out / "manifest.json").write_text(json.dumps({**manifest, "format": 1}))
    assert load_results(out)["run_id"].nunique() == 8  # every part counts in an old store
    with pytest.raises(SweepError, match="earlier ruralsim whose parts have no checksums"):
        run_sweep(spec, out, executor=1, progress=False, resume=True)
