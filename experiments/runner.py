"""Running a sweep: every run of an experiment on any ``concurrent.futures.Executor``, streamed to disk.

One code path for every executor (as for the evaluators of the EMA Workbench, Kwakkel 2017): the runs are
submitted to an Executor, a bounded number at a time, and their results are written by this
(the coordinating) process in fixed batches as they finish (:mod:`experiments.store`).  The
executor can be

* none given: a local process pool with one worker per core (``spawn`` start method); one core
  or ``executor=1`` runs in this process;
* an int K: a local pool of K processes (1: in this process);
* any Executor, e.g. a Dask cluster's ``distributed.Client(address).get_executor()``
  (:func:`experiments.executors.dask_executor` makes one, starting a ``LocalCluster`` when asked).

Every run computes with one BLAS thread (``threadpoolctl``): OpenBLAS splits long dot products
among its threads and sums the pieces in an order that depends on their number, so otherwise
the last digits of a run's results would depend on the machine's cores and on the executor.

Worker processes import the code again.  Local pools use the ``spawn`` start method and Dask
starts its workers the same way, and both re-run the main script of the program: the
``ruralsim`` command is safe, but a script that calls :func:`run_sweep` must do so under
``if __name__ == "__main__":`` (a call made while a worker is starting is refused with that advice).

Kwakkel, J. H. (2017). The Exploratory Modeling Workbench. Environmental Modelling & Software
96:239-250, doi:10.1016/j.envsoft.2017.06.054.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import math
import multiprocessing
import sys
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import store
from .designs import execution_order, expected_points, experiment_seeds
from .executors import GUARD_ADVICE, SweepError, executor_workers, local_executor, refuse_while_bootstrapping
from .manifest import build_manifest, spec_changes
from .spec import load_spec_and_points


@dataclass(frozen=True)
class SweepResult:
    """What :func:`run_sweep` did."""

    out: Path
    name: str
    runs: int  # runs in the whole sweep
    points: int
    skipped: int  # runs already done before this call (resume)
    completed: int  # runs finished by this call (including failed ones)
    failed: int  # failed runs in the store
    elapsed: float  # seconds
    complete: bool


# -- one run (in a worker) --------------------------------------------------------------------------
_BLAS_PINNED = False


def simulate(scenario, households: int, years: int, seed: int, outcomes):
    """Run one county; return its annual columns (year + outcomes) and final-year Lorenz income shares."""
    from ruralsim.model.metrics import lorenz_curve

    from .run import run_county

    annual, snap = run_county(scenario, households, years, seed)
    columns = {c: annual[c].to_numpy() for c in ("year", *outcomes)}
    try:
        _, shares = lorenz_curve(snap["y"], snap["members"], points=store.LORENZ_POINTS)
    except ValueError:  # undefined at a non-positive mean income: keep the run, without its curve
        shares = np.full(store.LORENZ_POINTS, np.nan)
    return columns, shares


def _one_blas_thread():
    """Limit BLAS to one thread: for good in a worker process, for the duration of a run in this one."""
    global _BLAS_PINNED
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - a dependency of ruralsim
        return contextlib.nullcontext()
    if multiprocessing.parent_process() is not None or _in_dask_worker():
        if not _BLAS_PINNED:
            threadpool_limits(1)
            _BLAS_PINNED = True
        return contextlib.nullcontext()
    return threadpool_limits(1)


def _in_dask_worker() -> bool:
    if "distributed" not in sys.modules:
        return False
    try:
        from distributed import get_worker

        get_worker()
        return True
    except (ImportError, ValueError):
        return False


def run_task(run_id: int, scenario, households: int, years: int, seed: int, outcomes) -> dict:
    """What a worker runs: one run, its error caught and reported as text (the sweep goes on)."""
    try:
        with _one_blas_thread():
            columns, shares = simulate(scenario, households, years, seed, outcomes)
        return {"run_id": run_id, "columns": columns, "lorenz": shares, "error": None}
    except Exception as exc:  # noqa: BLE001 - recorded in failures.parquet
        return {"run_id": run_id, "columns": None, "lorenz": None, "error": _error_text(exc)}


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"


# -- the sweep ---------------------------------------------------------------------------------------
def run_sweep(spec_or_path, out, executor=None, resume: bool = False, progress: bool = True,
              **overrides) -> SweepResult:
    """Run every run of an experiment and stream the results to ``out`` (see :mod:`experiments.store`).

    ``spec_or_path``: an :class:`~experiments.spec.ExperimentSpec`, a definition file, or the name
    of a shipped definition.  ``executor``: None (a local process pool, one worker per core), an
    int (that many local processes; 1 runs in this process) or any ``concurrent.futures.Executor``
    (left running).  ``resume``: continue the sweep already in ``out`` (refused if its definition
    differs); otherwise ``out`` must not exist or be empty.  ``progress``: a progress bar on stderr
    with runs done, failures and time left.  ``overrides``: ``households``, ``years``,
    ``replicates`` (also ``seed``, ``batch_size``) replace the definition's values.

    The definition and every design point are validated before anything is written.  A run that
    raises is recorded in ``failures.parquet`` with its error and the sweep goes on.
    """
    refuse_while_bootstrapping()
    t0 = time.perf_counter()
    spec, points, scenarios = load_spec_and_points(spec_or_path, **overrides)
    if len(points) != expected_points(spec):  # pragma: no cover - a design library changed its output
        raise SweepError(f"the {spec.design['method']} design gave {len(points)} points, expected "
                         f"{expected_points(spec)}")
    seeds = experiment_seeds(spec)
    order = execution_order(spec, points)
    batches = [order[i:i + spec.batch_size] for i in range(0, len(order), spec.batch_size)]
    manifest = build_manifest(spec, points, seeds, batches)
    design = store.design_table(spec, points, seeds)
    out = Path(out)
    _prepare(out, manifest, design, resume)
    n_runs = len(order)

    owned = not isinstance(executor, cf.Executor)
    if owned:
        executor, workers = local_executor(executor)
    else:
        workers = executor_workers(executor) or 32
    try:
        with store.locked(out):
            store.remove_temporary(out)
            result = _execute(spec, out, points, scenarios, seeds, batches, executor, workers, progress, n_runs, t0)
    except BaseException:
        if owned:
            _stop(executor)
        raise
    if owned:
        executor.shutdown(wait=True)
    return result


def _stop(executor) -> None:
    """Stop a pool of our own at once: pending runs are cancelled and running ones killed (their batches
    were not committed, so a resumed sweep runs them again)."""
    executor.shutdown(wait=False, cancel_futures=True)
    terminate = getattr(executor, "terminate_workers", None)  # Python >= 3.14
    if terminate is not None:
        terminate()
        return
    for proc in list((getattr(executor, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            proc.terminate()


def _prepare(out: Path, manifest: dict, design, resume: bool) -> None:
    """Create the store, or check that the one in ``out`` holds this very sweep."""
    if out.exists() and not out.is_dir():
        raise SweepError(f"output path exists and is not a directory: {out}")
    existing = out.is_dir() and any(p.name != store.LOCK for p in out.iterdir())
    if existing and not resume:
        raise SweepError(f"output directory is not empty: {out} (continue the sweep in it with --resume, or "
                         "choose another directory)")
    if existing:
        if not (out / store.MANIFEST).is_file():
            raise SweepError(f"cannot resume: {out} is not a sweep results directory (no {store.MANIFEST})")
        old = store.load_manifest(out)
        if old.get("spec_hash") != manifest["spec_hash"]:
            changes = spec_changes(old.get("spec", {}), manifest["spec"])
            raise SweepError(
                f"cannot resume: {out} holds a sweep of a different definition (spec hash "
                f"{str(old.get('spec_hash'))[:12]}, now {manifest['spec_hash'][:12]}; changed: "
                f"{'; '.join(changes) or 'the base scenario file'}); resume with the definition and options it "
                "was started with, or choose another directory")
        if int(old.get("format", 1)) < store.FORMAT:
            raise SweepError(f"cannot resume: {out} was written by an earlier ruralsim whose parts have no "
                             "checksums to verify; start the sweep again in another directory")
        if (out / store.DESIGN).is_file() and not store.read_table(out / store.DESIGN).equals(design):
            raise SweepError(f"cannot resume: the design generated now differs from {out / store.DESIGN} "
                             "(were scipy or SALib upgraded?); start the sweep again in another directory")
        if old.get("code_fingerprint") != manifest["code_fingerprint"]:
            print(f"warning: {out} was started with other model code (fingerprint "
                  f"{str(old.get('code_fingerprint'))[:12]}, now {manifest['code_fingerprint'][:12]}); "
                  "runs from both will be mixed", file=sys.stderr)
    else:
        out.mkdir(parents=True, exist_ok=True)
        store.write_json(manifest, out / store.MANIFEST)
    (out / store.PARTS).mkdir(exist_ok=True)
    (out / store.LORENZ).mkdir(exist_ok=True)
    (out / store.COMMITS).mkdir(exist_ok=True)
    if not (out / store.DESIGN).is_file():
        store.write_parquet(design, out / store.DESIGN)
    if not (out / store.FAILURES).is_file():
        store.write_parquet(store.failures_table({}), out / store.FAILURES)


def _execute(spec, out, points, scenarios, seeds, batches, executor, workers, progress, n_runs, t0) -> SweepResult:
    from tqdm import tqdm

    r = spec.replicates
    names = [store.part_name(int(b[0]), n_runs) for b in batches]
    todo, failures = [], {}
    for k, name in enumerate(names):  # every part verified against its commit record; bad ones run again
        record, why = store.check_batch(out, name)
        if record is None:
            todo.append(k)
            if why:
                print(f"warning: {why}; its {len(batches[k])} runs run again", file=sys.stderr)
        else:
            failures.update({int(rid): err for rid, err in record["failures"].items()})
    stray = store.strays(out, set(names))
    if stray:
        print(f"warning: ignoring {len(stray)} files that belong to no batch of this sweep: "
              f"{', '.join(str(p) for p in stray[:3])}{' ...' if len(stray) > 3 else ''}", file=sys.stderr)
    try:
        recorded = store.load_failures(out)
        same = dict(zip(recorded["run_id"].tolist(), recorded["error"].tolist())) == failures
    except store.StoreError:
        same = False
    if not same:  # failures of uncommitted batches are dropped (they run again), lost ones restored
        store.write_parquet(store.failures_table(failures), out / store.FAILURES)
    pending_ids = {int(rid) for k in todo for rid in batches[k]}
    skipped = n_runs - len(pending_ids)

    batch_of = {int(rid): k for k in todo for rid in batches[k]}
    queue = deque(int(rid) for k in todo for rid in batches[k])
    open_batches = deque(todo)
    buffers: dict[int, list] = {k: [] for k in todo}
    window = max(2, 2 * workers)
    ahead = math.ceil(window / spec.batch_size) + 2
    inflight: dict[cf.Future, int] = {}
    completed = 0
    bar = tqdm(total=n_runs, initial=skipped, unit="run", desc=spec.name, disable=not progress, file=sys.stderr,
               dynamic_ncols=True, smoothing=0.05)
    bar.set_postfix_str(f"failed {len(failures)}", refresh=False)
    try:
        while queue or inflight:
            while (queue and len(inflight) < window
                   and batch_of[queue[0]] < (open_batches[0] if open_batches else 0) + ahead):
                rid = queue.popleft()
                p, rep = divmod(rid, r)
                fut = executor.submit(run_task, rid, scenarios[p], spec.households, spec.years, seeds[rep],
                                      list(spec.outcomes))
                inflight[fut] = rid
            done, _ = cf.wait(list(inflight), return_when=cf.FIRST_COMPLETED)
            for fut in sorted(done, key=lambda f: inflight[f]):
                rid = inflight.pop(fut)
                try:
                    res = fut.result()
                except cf.BrokenExecutor as exc:
                    raise SweepError(
                        f"a worker process died or could not start ({type(exc).__name__}); finished batches are "
                        f"kept in {out}: continue with --resume. If you run a sweep from a script, "
                        f"{GUARD_ADVICE}") from None
                except Exception as exc:  # noqa: BLE001 - e.g. a Dask worker lost while running it
                    res = {"run_id": rid, "columns": None, "lorenz": None, "error": _error_text(exc)}
                p, rep = divmod(rid, r)
                res.update(values=points[p], replicate=rep, seed=seeds[rep])
                k = batch_of[rid]
                buffers[k].append(res)
                completed += 1
                if res["error"] is not None:
                    failures[rid] = res["error"]
                    bar.set_postfix_str(f"failed {len(failures)}", refresh=False)
                bar.update(1)
                if len(buffers[k]) == len(batches[k]):
                    _commit(spec, out, names[k], batches[k], buffers.pop(k), failures)
                    open_batches.remove(k)
    finally:
        for fut in inflight:
            fut.cancel()
        bar.close()
    return SweepResult(out=out, name=spec.name, runs=n_runs, points=len(points), skipped=skipped,
                       completed=completed, failed=len(failures), elapsed=time.perf_counter() - t0,
                       complete=not open_batches)


def _commit(spec, out: Path, name: str, run_ids, runs: list[dict], failures: dict) -> None:
    """Write one finished batch: Lorenz part, results part, failures (if any), then the commit record (size
    and sha256 of both parts) that marks it done."""
    ok = [x for x in runs if x["error"] is None]
    store.write_parquet(store.lorenz_table(ok), out / store.LORENZ / name)
    store.write_parquet(store.results_table(spec, ok), out / store.PARTS / name)
    if len(ok) < len(runs):
        store.write_parquet(store.failures_table(failures), out / store.FAILURES)
    store.write_record(out, name, run_ids, failures)
