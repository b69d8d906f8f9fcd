"""The output folder of run/compare/validate/calibrate (app/cli_output.py): concurrent writers, --force,
early checks, leftovers of killed runs, memory. Each test reproduces a way an earlier version lost or
mangled a result, or failed late."""
import json
import os
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ruralsim.app import cli, cli_options, cli_output  # noqa: E402

TINY = ["--households", "50", "--years", "1", "--quiet"]


def _one_line_error(code, err, *words):
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ruralsim: error: "), err
    for w in words:
        assert w in lines[0], lines[0]


@pytest.fixture
def no_simulation(monkeypatch):
    """Fail loudly if a run gets as far as simulating."""
    from ruralsim.model import model

    def boom(*a, **k):
        raise AssertionError("simulated before refusing")

    monkeypatch.setattr(model, "RuralEconomy", boom)


# --- 1. two concurrent writers of one --out --------------------------------------------------------

# Both processes simulate, then wait for each other just before writing, so that both pass every check
# made before the write: the race of `ruralsim run ... --out conc & ruralsim run ... --out conc`.
RACER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from ruralsim.app import cli, cli_run
    barrier, me, other = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    real = cli_run.write_atomically
    def synchronised(*a, **k):
        (barrier / me).touch()
        t = time.monotonic()
        while not (barrier / other).exists() and time.monotonic() - t < 60:
            time.sleep(0.01)
        return real(*a, **k)
    cli_run.write_atomically = synchronised
    sys.exit(cli.main(sys.argv[4:]))
""")


@pytest.mark.parametrize("force", [False, True])
def test_concurrent_runs_never_destroy_a_result(tmp_path, force):
    out = tmp_path / "conc"
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    procs = []
    for seed, me, other in ((1, "a", "b"), (2, "b", "a")):
        argv = ["run", *TINY, "--seed", str(seed), "--out", str(out), *(["--force"] if force else [])]
        procs.append(subprocess.Popen([sys.executable, "-c", RACER, str(barrier), me, other, *argv],
                                      cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True))
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    ok = [i for i, (code, _) in enumerate(results) if code == 0]
    assert (out / "run.json").is_file()
    seed = json.loads((out / "run.json").read_text())["seed"]
    if force:
        # --force: both may succeed in turn (the later one replaces the earlier), never both "writing" one
        assert seed in {1 + i for i in ok} and ok
    else:
        assert len(ok) == 1, results  # the second writer is refused ...
        loser = 1 - ok[0]
        _one_line_error(results[loser][0], results[loser][1], "not empty")
        assert seed == 1 + ok[0]  # ... and the result on disk is the winner's
    assert sorted(p.name for p in tmp_path.iterdir()) == ["barrier", "conc"]  # no lock, partial or old folder


def test_writer_waits_for_the_lock_then_refuses(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    monkeypatch.setattr(cli_output, "LOCK_WAIT", 0.3)
    held = cli_output._lock(out, wait=0)
    try:
        code = cli.main(["run", *TINY, "--out", str(out)])
    finally:
        cli_output._unlock(held)
    _one_line_error(code, capsys.readouterr().err, "another process is writing")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_rename_never_replaces_a_folder_that_appeared(tmp_path):
    src, dst = tmp_path / "src", tmp_path / "dst"
    src.mkdir()
    dst.mkdir()  # an empty folder: os.rename would silently replace it
    with pytest.raises(cli.CliError, match="appeared"):
        cli_output._rename_noreplace(src, dst)
    assert src.is_dir() and dst.is_dir()


# --- 2. --force replaces only earlier outputs of the same command ----------------------------------

@pytest.mark.parametrize("content", [{"keep.txt": "precious"}, {"compare.json": "{}"}, {"annual.csv": "year\n"}])
def test_force_refuses_a_folder_that_is_not_an_earlier_run(tmp_path, capsys, no_simulation, content):
    out = tmp_path / "out"
    out.mkdir()
    for name, text in content.items():
        (out / name).write_text(text)
    code = cli.main(["run", *TINY, "--force", "--out", str(out)])
    _one_line_error(code, capsys.readouterr().err, "not an earlier output", "run.json")
    assert {p.name: p.read_text() for p in out.iterdir()} == content


def test_force_replaces_an_earlier_run_keeping_its_permissions(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "run.json").write_text("{}")
    (out / "stale.txt").write_text("from the earlier run")
    os.chmod(out, 0o750)
    assert cli.main(["run", *TINY, "--force", "--out", str(out)]) == 0
    assert json.loads((out / "run.json").read_text())["households"] == 50
    assert not (out / "stale.txt").exists()
    assert stat.S_IMODE(out.stat().st_mode) == 0o750
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_force_check_for_validate_and_calibrate_outputs(tmp_path):
    out = tmp_path / "v"
    out.mkdir()
    (out / "validation.csv").write_text("x\n")
    cli_output.check_out(out, True, "validate")
    cli_output.check_out(out, True)  # kind unknown: any earlier output
    for kind in ("run", "compare", "calibrate"):
        with pytest.raises(cli.CliError, match="not an earlier output"):
            cli_output.check_out(out, True, kind)
    # at write time the kind is taken from what the command writes: a fit does not replace a validation
    with pytest.raises(cli.CliError, match="fit.json"):
        cli_output.write_atomically(out, True, lambda tmp: (tmp / "fit.json").write_text("{}"))
    assert (out / "validation.csv").read_text() == "x\n"
    cli_output.write_atomically(out, True, lambda tmp: (tmp / "validation.csv").write_text("y\n"))
    assert (out / "validation.csv").read_text() == "y\n"
    assert [p.name for p in tmp_path.iterdir()] == ["v"]


# --- 3. checked before simulating; leftovers of killed runs ----------------------------------------

def test_out_under_a_file_fails_before_simulating(tmp_path, capsys, no_simulation):
    (tmp_path / "afile").write_text("x")
    code = cli.main(["run", *TINY, "--out", str(tmp_path / "afile" / "out")])
    _one_line_error(code, capsys.readouterr().err, "not a directory")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_unwritable_parent_fails_before_simulating(tmp_path, capsys, no_simulation):
    locked = tmp_path / "locked"
    locked.mkdir()
    os.chmod(locked, 0o555)
    try:
        code = cli.main(["run", *TINY, "--out", str(locked / "deeper" / "out")])
    finally:
        os.chmod(locked, 0o755)
    _one_line_error(code, capsys.readouterr().err, "no write permission")


def test_check_parent_refuses_unwritable(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "access", lambda *a, **k: False)
    with pytest.raises(cli.CliError, match="no write permission"):
        cli_output.check_parent(tmp_path / "new")


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_leftovers_of_killed_runs_are_cleaned(tmp_path):
    out = tmp_path / "out"
    dead = _dead_pid()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        stale = tmp_path / f".out.partial-{dead}-abc"
        stale.mkdir()
        (stale / "annual.csv").write_text("half")
        running = tmp_path / f".out.partial-{live.pid}-def"  # another run still writing: left alone
        running.mkdir()
        other = tmp_path / f".other.partial-{dead}-ghi"  # beside another output: left alone
        other.mkdir()
        assert cli.main(["run", *TINY, "--out", str(out)]) == 0
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out", running.name, other.name])
    finally:
        live.kill()
        live.wait()


HANGER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from ruralsim.app import cli
    from ruralsim.experiments import plots
    def hang(df, tmp, **k):
        Path(sys.argv[1]).touch()
        time.sleep(600)
    plots.save_all = hang
    sys.exit(cli.main(sys.argv[2:]))
""")


def test_run_killed_while_writing_is_cleaned_up_by_the_next(tmp_path):
    out = tmp_path / "out"
    writing = tmp_path.parent / f"{tmp_path.name}-writing"
    proc = subprocess.Popen([sys.executable, "-c", HANGER, str(writing), "run", *TINY, "--out", str(out)],
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    try:
        t0 = time.monotonic()
        while not writing.exists():
            assert proc.poll() is None and time.monotonic() - t0 < 120
            time.sleep(0.05)
        left = sorted(p.name for p in tmp_path.iterdir())
        assert any(".partial-" in n for n in left) and ".out.lock" in left
    finally:
        proc.kill()  # SIGKILL: no clean-up of its own
        proc.wait()
    assert cli.main(["run", *TINY, "--out", str(out)]) == 0
    assert (out / "run.json").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_earlier_output_moved_aside_by_a_killed_run_is_restored(tmp_path, capsys):
    out = tmp_path / "out"
    aside = tmp_path / f".out.old-{_dead_pid()}-xyz"
    (aside / "previous").mkdir(parents=True)
    (aside / "previous" / "run.json").write_text('{"seed": 99}')
    code = cli.main(["run", *TINY, "--out", str(out)])  # without --force: the restored result is kept
    _one_line_error(code, capsys.readouterr().err, "not empty")
    assert json.loads((out / "run.json").read_text()) == {"seed": 99}
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


# --- 4. memory ------------------------------------------------------------------------------------

def test_households_that_do_not_fit_are_refused_at_once(tmp_path, capsys, no_simulation):
    for argv in (["run", "-n", "90000000", "-y", "1", "--out", str(tmp_path / "x")],
                 ["compare", "baseline", "baseline", "-n", "90000000", "--out", str(tmp_path / "y")]):
        code = cli.main(argv)
        _one_line_error(code, capsys.readouterr().err, "households need about", "GiB", "available")
    assert list(tmp_path.iterdir()) == []


def test_memory_estimate_comes_from_the_state_columns():
    from ruralsim.model.state import HOUSEHOLD_COLUMNS

    columns = sum(__import__("numpy").dtype(d).itemsize for d, _ in HOUSEHOLD_COLUMNS.values())
    assert cli_options.household_bytes() == cli_options.MEMORY_SAFETY * columns
    gib = 2**30
    assert cli_options.memory_problem(10_000, available=8 * gib) is None
    problem = cli_options.memory_problem(10_000_000, available=1 * gib)
    assert problem and "10,000,000 households" in problem and "at most about" in problem
    assert cli_options.memory_problem(10**12, available=None) is None or cli_options.available_memory()


def test_a_sweep_that_does_not_fit_in_memory_is_refused_before_it_starts(tmp_path, capsys, monkeypatch):
    """The definition's county size times the workers running at once is checked against the memory
    available (here made 4 GiB); nothing is written."""
    monkeypatch.setattr(cli_options, "available_memory", lambda: 4 * 2**30)
    spec = str(Path(__file__).resolve().parents[1] / "experiments/definitions/withdrawal_timing_pace_monitoring.yaml")
    code = cli.main(["sweep", spec, "-n", "1000000", "--workers", "2", "--out", str(tmp_path / "s")])
    _one_line_error(code, capsys.readouterr().err, "in each of 2 workers", "per worker")
    assert not (tmp_path / "s").exists()
    gib = 2**30
    one = cli_options.memory_problem(1_000_000, available=4 * gib)  # one county of a million fits in 4 GiB
    assert one is None and cli_options.memory_problem(1_000_000, available=4 * gib, copies=2)
