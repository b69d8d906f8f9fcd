"""Sweeps on several processes and on a Dask cluster: the same files as in one process; resume after SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from ruralsim import experiments
from ruralsim.experiments import load_failures, load_lorenz, load_results, run_sweep

ROOT = Path(__file__).resolve().parents[1]


def write_spec(folder: Path, **changes) -> Path:
    data = {
        "name": "parallel", "description": "for tests", "scenario": "scenarios/withdrawal_gradual.yaml",
        "design": {"method": "lhs", "samples": 4},
        "factors": {
            "detection": {"kind": "lever", "targets": ["parameters.monitoring.detection"], "range": [0.1, 0.9]},
            "wage_growth": {"kind": "uncertainty", "targets": ["parameters.economy.wage_growth"],
                            "range": [0.02, 0.07]},
        },
        "replicates": 1, "years": 1, "households": 12_000, "seed": 3, "batch_size": 2,
        "outcomes": ["relapse_rate", "gini", "theil", "mean_income", "fiscal_cost"],
        **changes,
    }
    path = folder / f"{data['name']}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for folder in ("parts", "lorenz")
            for p in sorted((out / folder).glob("part-*.parquet"))} | {
        "design.parquet": (out / "design.parquet").read_bytes(), "failures.parquet": (out / "failures.parquet").read_bytes()}


@pytest.mark.slow
def test_one_worker_processes_and_dask_give_identical_files(tmp_path):
    """More than 10,000 households, so that OpenBLAS would split dot products among threads if allowed."""
    from distributed import Client, LocalCluster

    spec = write_spec(tmp_path)
    run_sweep(spec, tmp_path / "one", executor=1, progress=False)
    run_sweep(spec, tmp_path / "procs", executor=2, progress=False)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        run_sweep(spec, tmp_path / "dask", executor=client.get_executor(pure=False), progress=False)
    one = files(tmp_path / "one")
    assert len(one) == 2 * 2 + 2
    assert files(tmp_path / "procs") == one
    assert files(tmp_path / "dask") == one
    assert load_results(tmp_path / "dask").equals(load_results(tmp_path / "one"))


@pytest.mark.slow
def test_cli_dask_local(tmp_path):
    from ruralsim.app.cli import main

    spec = write_spec(tmp_path, households=300, years=2, replicates=2)
    assert main(["sweep", str(spec), "--out", str(tmp_path / "dask"), "--dask-local", "2", "-q"]) == 0
    run_sweep(spec, tmp_path / "one", executor=1, progress=False)
    assert files(tmp_path / "dask") == files(tmp_path / "one")


@pytest.mark.slow
def test_resume_after_sigkill_equals_an_uninterrupted_sweep(tmp_path):
    spec = write_spec(tmp_path, design={"method": "full_factorial"}, households=1_500, years=4, replicates=4,
                      factors={
                          "detection": {"kind": "lever", "targets": ["parameters.monitoring.detection"],
                                        "values": [0.1, 0.3, 0.6, 0.9]},
                          "phase_out_start": {"kind": "lever",
                                              "targets": ["programmes.{direct_support,welfare_posts}.schedule.phase_out_start"],
                                              "values": [2022, 2024]}})
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "ruralsim.app.cli", "sweep", str(spec), "--out", str(out), "--workers", "2", "-q"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, cwd=tmp_path, env=env, start_new_session=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    try:
        while len(list((out / "parts").glob("part-*.parquet"))) < 3:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the sweep wrote no parts"
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the coordinator and its workers, mid-sweep
        proc.wait()
    before = experiments.status(out)
    assert 0 < before["done"] < 32 and not before["complete"], before
    done = subprocess.run([*cmd, "--resume"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    after = experiments.status(out)
    assert after["complete"] and after["done"] == 32
    run_sweep(spec, tmp_path / "whole", executor=1, progress=False)
    resumed, whole = load_results(out), load_results(tmp_path / "whole")
    assert resumed["run_id"].drop_duplicates().tolist() == list(range(32))  # none lost, none twice
    assert len(resumed) == 32 * 5
    assert resumed.equals(whole)
    assert load_lorenz(out).equals(load_lorenz(tmp_path / "whole"))
    assert load_failures(out).empty
    assert files(out) == files(tmp_path / "whole")
    assert not list(out.rglob("*.tmp"))


@pytest.mark.slow
def test_cli_on_an_existing_dask_scheduler(tmp_path, capsys):
    """--scheduler: the path for a cluster of several machines (here, a local cluster's scheduler)."""
    from distributed import LocalCluster

    from ruralsim.app.cli import main

    spec = write_spec(tmp_path, households=300, years=2, replicates=2)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        assert main(["sweep", str(spec), "--out", str(tmp_path / "remote"), "--scheduler",
                     cluster.scheduler_address]) == 0
    assert "Dask: 2 worker threads at tcp://" in capsys.readouterr().err
    run_sweep(spec, tmp_path / "one", executor=1, progress=False)
    assert files(tmp_path / "remote") == files(tmp_path / "one")
    assert main(["sweep", str(spec), "--out", str(tmp_path / "x"), "--scheduler", "tcp://127.0.0.1:9", "-q"]) == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err


def test_a_sweep_started_while_a_worker_bootstraps_is_refused(tmp_path, monkeypatch):
    """What happens in a script without the __main__ guard: the worker re-imports it and calls run_sweep."""
    import multiprocessing

    from ruralsim.experiments.runner import SweepError

    monkeypatch.setattr(multiprocessing.current_process(), "_inheriting", True, raising=False)
    with pytest.raises(SweepError, match='if __name__ == "__main__":'):
        run_sweep(write_spec(tmp_path), tmp_path / "out", executor=1, progress=False)
    assert not (tmp_path / "out").exists()
