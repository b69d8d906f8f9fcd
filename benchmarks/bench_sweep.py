"""Sweep benchmark: 960 runs of 10,000 households x 10 years, runs per minute, coordinator memory, speed-up.

Usage::

    python benchmarks/bench_sweep.py                 # all cores; the 960-run sweep
    python benchmarks/bench_sweep.py --workers 4 --replicates 2 --keep results/bench

The sweep is ``experiments/definitions/withdrawal_timing_pace_monitoring.yaml`` (a full factorial
of 4 x 3 x 4 levers = 48 design points) with 20 replicates, 10,000 households and 10 years:
960 runs.  Three timings, in this order:

1. the *subset*: replicate 0 of every design point (48 runs; the same runs, with the same seeds,
   as the first 48 of the full sweep) on a pool of 1 worker process;
2. the same subset on a pool of all workers (both pools started and warmed up before timing,
   so the speed-up compares running, not starting, processes);
3. the full 960-run sweep exactly as ``ruralsim sweep`` runs it (``run_sweep`` with its default
   executor: validation, a fresh process pool with one worker per core, streaming to Parquet).

Reported: runs per minute of each, the speed-up from 1 to all workers on the subset, the full
sweep's wall time against the target of 5 minutes, and the peak resident memory of
the coordinating process (``resource.getrusage(RUSAGE_SELF)``, which never runs a simulation
here) and of the largest worker (``RUSAGE_CHILDREN``).  The subset's results are checked to be
identical to replicate 0 of the full sweep.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import multiprocessing
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 300.0


def _warm(executor, workers: int) -> None:
    """Start every worker process and import the model in it (a tiny run each)."""
    from ruralsim.experiments.runner import run_task
    from ruralsim.model.scenario import Scenario

    futures = [executor.submit(run_task, -1, Scenario(), 50, 1, k, ["gini"]) for k in range(workers)]
    for f in futures:
        f.result()


def _pool(workers: int):
    return cf.ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)), help="workers (default: all cores)")
    parser.add_argument("--replicates", type=int, default=20, help="replicates of the full sweep (default 20)")
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--keep", default=None, metavar="DIR", help="keep the stores under DIR (default: a temporary "
                                                                   "directory, removed at the end)")
    args = parser.parse_args(argv)

    from ruralsim.experiments import load_results, load_spec, run_sweep

    t_start = time.perf_counter()
    name = "withdrawal_timing_pace_monitoring"
    sizes = {"households": args.households, "years": args.years}
    full = load_spec(name, replicates=args.replicates, **sizes)
    subset = full.with_overrides(replicates=1)
    n_points = len(full.factors[0].values) * len(full.factors[1].values) * len(full.factors[2].values)
    n_full, n_subset = n_points * args.replicates, n_points
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    if args.keep:
        root.mkdir(parents=True, exist_ok=True)
        for sub in ("subset-1", f"subset-{args.workers}", "full"):
            shutil.rmtree(root / sub, ignore_errors=True)
    print(f"{name}: {n_points} design points; subset {n_subset} runs, full sweep {n_full} runs of "
          f"{args.households:,} households x {args.years} years; {args.workers} workers "
          f"({os.cpu_count()} CPUs, Python {platform.python_version()}); stores in {root}", flush=True)
    try:
        timings = {}
        for workers in dict.fromkeys((1, args.workers)):
            with _pool(workers) as pool:
                _warm(pool, workers)
                t0 = time.perf_counter()
                run_sweep(subset, root / f"subset-{workers}", executor=pool, progress=False)
                timings[workers] = time.perf_counter() - t0
            print(f"  subset on {workers} worker(s): {timings[workers]:.1f} s = "
                  f"{n_subset / timings[workers] * 60:.1f} runs/min", flush=True)
        t0 = time.perf_counter()
        result = run_sweep(full, root / "full", progress=sys.stderr.isatty())
        t_full = time.perf_counter() - t0
        assert result.complete and result.failed == 0, result

        # the subset is replicate 0 of the full sweep: same runs, same numbers
        a = load_results(root / "subset-1").drop(columns=["run_id"])
        b = load_results(root / "full")
        b = b[b["replicate"] == 0].drop(columns=["run_id"])
        cols = [c for c in a.columns if c != "replicate"]
        a = a.sort_values(cols[:4]).reset_index(drop=True)[cols]
        b = b.sort_values(cols[:4]).reset_index(drop=True)[cols]
        same = a.equals(b)

        coordinator_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        store_mb = sum(p.stat().st_size for p in (root / "full").rglob("*") if p.is_file()) / 1e6
        figures = {
            "runs": n_full, "households": args.households, "years": args.years, "workers": args.workers,
            "full_sweep_seconds": round(t_full, 1), "full_sweep_runs_per_minute": round(n_full / t_full * 60, 1),
            "subset_runs": n_subset, "subset_seconds_1_worker": round(timings[1], 1),
            "subset_seconds_all_workers": round(timings[args.workers], 1),
            "runs_per_minute_1_worker": round(n_subset / timings[1] * 60, 1),
            "runs_per_minute_all_workers": round(n_subset / timings[args.workers] * 60, 1),
            "speed_up": round(timings[1] / timings[args.workers], 2),
            "coordinator_peak_mb": round(coordinator_mb, 1), "largest_worker_peak_mb": round(worker_mb, 1),
            "store_mb": round(store_mb, 2), "subset_equals_replicate_0": same,
            "benchmark_seconds": round(time.perf_counter() - t_start, 1),
            "target_seconds": TARGET_SECONDS,
        }
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    verdict = ("met" if t_full <= TARGET_SECONDS else
               f"missed by {t_full - TARGET_SECONDS:.0f} s ({t_full / TARGET_SECONDS - 1:.0%})")
    print(f"""
| measure | value |
|---|---|
| full sweep: {n_full} runs, {args.workers} workers | {t_full:.1f} s ({t_full / 60:.2f} min): {n_full / t_full * 60:.0f} runs/min; target 5 min {verdict} |
| subset of {n_subset} runs, 1 worker | {timings[1]:.1f} s: {figures['runs_per_minute_1_worker']:.0f} runs/min |
| same subset, {args.workers} workers | {timings[args.workers]:.1f} s: {figures['runs_per_minute_all_workers']:.0f} runs/min |
| speed-up 1 -> {args.workers} workers | {figures['speed_up']:.2f}x |
| coordinator peak memory (RSS) | {coordinator_mb:.0f} MB |
| largest worker peak memory (RSS) | {worker_mb:.0f} MB |
| results store | {store_mb:.1f} MB |
| subset identical to replicate 0 of the sweep | {'yes' if same else 'NO'} |
| whole benchmark | {figures['benchmark_seconds']:.0f} s |
""")
    print(json.dumps(figures))
    return 0 if same else 1


if __name__ == "__main__":  # required: worker processes import this script again (spawn)
    sys.exit(main())
