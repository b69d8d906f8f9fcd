"""Bad input to sweeps and plots is refused early and cheaply; sweep processes do not outlive their coordinator."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from ruralsim.app.cli import main
from ruralsim.experiments.expressions import evaluate, expression_names

ROOT = Path(__file__).resolve().parents[1]


def spec_with_expression(folder: Path, expression: str) -> Path:
    data = {
        "name": "expr", "description": "for tests", "scenario": "baseline", "design": {"method": "full_factorial"},
        "factors": {
            "start": {"kind": "lever", "targets": ["programmes.direct_support.schedule.phase_out_start"],
                      "values": [2022, 2023]},
            "years": {"kind": "lever", "values": [2, 3],
                      "targets": [{"programmes.direct_support.schedule.end": expression}]},
        },
        "replicates": 1, "years": 2, "households": 100, "seed": 1,
    }
    path = folder / "expr.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


BOMBS = ["start ** start ** start ** start ** start ** 9", "start ** years", "((start ** 8) ** 8) ** 8",
         "start " + "* start " * 12, "9" * 5000, "start + " + "(" * 300 + "1" + ")" * 300, "start ** 1e9",
         "start ** (2 ** 3)"]


@pytest.mark.parametrize("expression", BOMBS)
def test_expression_bombs_are_refused_in_one_line_naming_file_and_key(tmp_path, capsys, expression):
    """Used to exhaust memory or time in --dry-run (``**`` was unbounded)."""
    path = spec_with_expression(tmp_path, expression)
    t0 = time.perf_counter()
    assert main(["sweep", str(path), "--dry-run"]) == 1
    assert time.perf_counter() - t0 < 30
    err = capsys.readouterr().err.strip().splitlines()
    assert err and err[0].startswith("ruralsim: error: ") and all(x.startswith("ruralsim: ") for x in err), err
    assert str(path) in err[0] and ("factors.years.targets" in err[0] or "'targets'" in err[0]), err[0]
    assert "Traceback" not in "".join(err)


def test_bounded_expressions_still_work(tmp_path, capsys):
    path = spec_with_expression(tmp_path, "start + years - 1")
    assert main(["sweep", str(path), "--dry-run"]) == 0
    assert evaluate("x ** 2 + x ** -1 + 2 ** 0.5", {"x": 4}) == pytest.approx(16.25 + 2 ** 0.5)
    assert expression_names("min(a, b) ** 3") == {"a", "b"}
    with pytest.raises(ValueError, match="exponent"):
        evaluate("a ** b", {"a": 2, "b": 3})  # the bounds hold for direct callers too
    with pytest.raises(ValueError, match="larger than"):
        evaluate("a * a * a", {"a": 10 ** 6})


@pytest.mark.parametrize("text", ["nan", "inf", "-inf", "NaN", "1e999", "abc"])
def test_plot_refuses_a_non_finite_threshold(tmp_path, capsys, text):
    (tmp_path / "store").mkdir()
    code = main(["plot", str(tmp_path / "store"), f"--threshold={text}"])
    err = capsys.readouterr().err
    assert code != 0 and err.count("\n") == 1 and "Traceback" not in err, err
    shown = repr(float(text)) if text != "abc" else "'abc'"
    assert f"'threshold': expected a finite number; found {shown}" in err, err


def _listening(pids) -> list[tuple[int, str, int]]:
    import psutil

    found = []
    for pid in pids:
        try:
            conns = psutil.Process(pid).net_connections(kind="inet")
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        found += [(pid, c.laddr.ip, c.laddr.port) for c in conns if c.status == psutil.CONN_LISTEN]
    return found


def test_local_dask_cluster_listens_on_loopback_only():
    """The status page listened on every interface (dashboard_address=":0")."""
    pytest.importorskip("distributed")
    import psutil

    from ruralsim.experiments.executors import dask_executor

    with dask_executor(local_workers=1) as (executor, workers):
        assert workers == 1
        client = executor._client
        assert client.dashboard_link and "127.0.0.1" in client.dashboard_link
        me = psutil.Process()
        sockets = _listening([me.pid, *(c.pid for c in me.children(recursive=True))])
    dashboard = int(client.dashboard_link.split(":")[2].split("/")[0])
    assert any(port == dashboard for _, _, port in sockets), sockets
    assert sockets and all(ip in ("127.0.0.1", "::1") for _, ip, _ in sockets), sockets


SLOW_SPEC = {"name": "orphans", "description": "for tests", "scenario": "baseline", "design": {"method": "full_factorial"},
             "factors": {"detection": {"kind": "lever", "targets": ["parameters.monitoring.detection"],
                                       "values": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]}},
             "replicates": 4, "years": 10, "households": 20_000, "seed": 1, "batch_size": 2}


def test_workers_exit_when_the_coordinator_is_killed(tmp_path):
    """SIGKILL of the coordinator left its worker processes running for ever."""
    import psutil

    spec = tmp_path / "orphans.yaml"
    spec.write_text(yaml.safe_dump(SLOW_SPEC, sort_keys=False), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", str(ROOT.parent))}
    proc = subprocess.Popen([sys.executable, "-m", "ruralsim.app.cli", "sweep", str(spec), "--out", str(tmp_path / "out"),
                             "--workers", "2", "-q"], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    coordinator = psutil.Process(proc.pid)
    deadline = time.monotonic() + 120
    workers: list = []
    try:
        while len(workers) < 2:  # both workers started and busy with a run
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.2)
            workers = [c for c in coordinator.children() if "spawn_main" in " ".join(c.cmdline())
                       and c.cpu_times().user > 1.5]
    finally:
        proc.send_signal(signal.SIGKILL)  # the coordinator only
        proc.wait()
    gone, alive = psutil.wait_procs(workers, timeout=10)
    for p in alive:  # do not leave them behind when the test fails
        p.kill()
    assert not alive, f"{len(alive)} workers outlived their coordinator"


@pytest.mark.slow
def test_dask_workers_exit_when_the_coordinator_is_killed(tmp_path):
    """The same for a local Dask cluster (``--dask-local``): its worker processes lose their scheduler,
    which ran in the coordinator, and close (distributed's reconnection gives up); 60 s is the bound."""
    import psutil

    spec = tmp_path / "orphans.yaml"
    spec.write_text(yaml.safe_dump(SLOW_SPEC, sort_keys=False), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "ruralsim.app.cli", "sweep", str(spec), "--out", str(tmp_path / "out"),
                             "--dask-local", "2", "-q"], cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    coordinator = psutil.Process(proc.pid)
    deadline = time.monotonic() + 120
    workers: list = []
    try:
        while len(workers) < 2:  # both workers busy with a run
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.2)
            workers = [c for c in coordinator.children(recursive=True) if c.cpu_times().user > 1.5]
        everyone = coordinator.children(recursive=True)
    finally:
        proc.send_signal(signal.SIGKILL)  # the coordinator only
        proc.wait()
    gone, alive = psutil.wait_procs(everyone, timeout=60)
    for p in alive:
        p.kill()
    assert not alive, f"{len(alive)} Dask processes outlived their coordinator"
