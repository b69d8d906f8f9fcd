"""Executors for sweeps: in this process, a local process pool, or a Dask cluster (one interface).

Any ``concurrent.futures.Executor`` runs a sweep (as any evaluator runs an experiment in the EMA
Workbench, Kwakkel 2017); these make the usual ones.  Local pools use the ``spawn`` start method, and Dask starts its
workers the same way: both import the main script of the program again, so a script that starts
a sweep must do so under ``if __name__ == "__main__":`` (the ``ruralsim`` command already does).

Kwakkel, J. H. (2017). The Exploratory Modeling Workbench: an open source toolkit for exploratory
modeling, scenario discovery, and (multi-objective) robust decision making. Environmental Modelling
& Software 96:239-250, doi:10.1016/j.envsoft.2017.06.054.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os

GUARD_ADVICE = ("call it under `if __name__ == \"__main__\":` in your script: worker processes import the "
                "main script again, and a call at its top level would start a sweep in every worker")


#: Where a local Dask cluster's status page listens: loopback only, on a free port (reach it from another
#: machine through an SSH tunnel; see the README).
DASHBOARD = "127.0.0.1:0"


class SweepError(RuntimeError):
    """A sweep could not start or go on (one-line message)."""


class InProcessExecutor(cf.Executor):
    """Runs each task when it is submitted, in this process (one worker, no pickling)."""

    def submit(self, fn, /, *args, **kwargs):
        future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - delivered through the future
            future.set_exception(exc)
        return future


def default_workers() -> int:
    """One worker per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def local_executor(workers: int | None = None) -> tuple[cf.Executor, int]:
    """A pool of ``workers`` local processes (default: one per available core); 1 runs in-process."""
    if workers is None:
        workers = default_workers()
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"local_executor: 'workers': expected an integer >= 1; found {workers!r}")
    if workers == 1:
        return InProcessExecutor(), 1
    return cf.ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                  initializer=_init_worker), workers


def _init_worker() -> None:
    """Workers leave Ctrl-C to the coordinator, which stops the sweep (and them) cleanly, and end when the
    coordinator ends, even by SIGKILL (which it cannot catch): a thread checks every half second that its
    parent is still the process that started it."""
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with_parent, args=(parent.pid,), name="ruralsim-orphan-watch",
                         daemon=True).start()


def _exit_with_parent(pid: int, interval: float = 0.5) -> None:
    import time

    while os.getppid() == pid:
        time.sleep(interval)
    os._exit(1)  # orphaned: the coordinator is gone and nobody will collect this worker's results


def executor_workers(executor) -> int | None:
    """How many tasks ``executor`` runs at once, if it can tell."""
    if isinstance(executor, InProcessExecutor):
        return 1
    n = getattr(executor, "_max_workers", None)
    if isinstance(n, int):
        return n
    client = getattr(executor, "_client", None)
    if client is not None:
        with contextlib.suppress(Exception):
            return int(sum(client.nthreads().values())) or None
    return None


@contextlib.contextmanager
def dask_executor(scheduler: str | None = None, local_workers: int | None = None):
    """Yield ``(executor, workers)`` on a Dask cluster: the scheduler at ``scheduler``
    (``tcp://HOST:PORT``), or a ``LocalCluster`` of ``local_workers`` processes with one thread each,
    started here and stopped at the end.  Refuses workers that run other code than this process."""
    refuse_while_bootstrapping()
    try:
        import logging

        from distributed import Client, LocalCluster
    except ImportError:
        raise SweepError("Dask is not installed: pip install 'ruralsim[distributed]'") from None
    with contextlib.ExitStack() as stack:
        if scheduler is None:
            cluster = stack.enter_context(LocalCluster(n_workers=local_workers, threads_per_worker=1, processes=True,
                                                       dashboard_address=DASHBOARD, silence_logs=logging.CRITICAL))
            client = stack.enter_context(Client(cluster))
        else:
            try:
                client = stack.enter_context(Client(scheduler, timeout="10s"))
            except (OSError, TimeoutError) as exc:
                raise SweepError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
            if local_workers:
                client.wait_for_workers(local_workers, timeout=300)
        workers = int(sum(client.nthreads().values()))
        if workers == 0:
            raise SweepError(f"the Dask cluster at {scheduler} has no workers")
        from .manifest import code_fingerprint

        mine = code_fingerprint()
        theirs = client.run(code_fingerprint)
        bad = sorted(w for w, fp in theirs.items() if fp != mine)
        if bad:
            raise SweepError(f"{len(bad)} Dask workers run other ruralsim code than this process (first: {bad[0]}); "
                             "install the same version on every machine")
        yield client.get_executor(pure=False), workers


def refuse_while_bootstrapping() -> None:
    """Refuse to start a sweep in a worker process that is still importing the main script."""
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        raise SweepError(f"a sweep was started while a worker process was starting: {GUARD_ADVICE}")
