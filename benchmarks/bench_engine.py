"""Engine benchmark: household-steps per second, peak memory, and speed over the per-agent Mesa engine.

Usage::

    python benchmarks/bench_engine.py                  # N = 10k, 100k, 1M; agent-engine ratio at N = 2,000
    python benchmarks/bench_engine.py --sizes 10000 --years 2 --reference-n 500

A household-step is one household simulated for one month.  Each size runs in
a fresh child process on one core (OpenBLAS/OMP threads pinned to 1), so its
peak resident memory (ru_maxrss) is its own.  Construction (generating the
county and running the burn-in and calibration years 2019-2020) is timed
separately from the simulated years.  Every mechanism is on (the baseline
scenario).  Runs at 100k and 1M skip the per-household Mesa Agent objects
(``household_agents=False``), as statistical runs do; the 10k run creates them.
The ratio compares the two household engines of ``RuralEconomy`` on the same county:
``engine="vectorised"`` (the default) and ``engine="agents"`` (every Mesa ``Household``
acting through its own methods, the docking engine), both with the Mesa agents created.
Targets: >= 5 million household-steps/s at 1M households, >= 100x the per-agent engine,
peak memory < 2 GB at 1M.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

CHILD = r"""
import json, resource, sys, time
from ruralsim.model import RuralEconomy
n, years, agents, engine = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4]
t0 = time.perf_counter()
m = RuralEconomy(n_households=n, rng=1, household_agents=agents, engine=engine)
t1 = time.perf_counter()
m.run_years(years)
t2 = time.perf_counter()
print(json.dumps({"n": n, "years": years, "init_s": t1 - t0, "run_s": t2 - t1,
                  "steps_per_s": n * 12 * years / (t2 - t1),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(n: int, years: int, agents: bool, engine: str = "vectorised") -> dict:
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-c", CHILD, str(n), str(years), "1" if agents else "0", engine],
                         capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--years", type=int, default=2)
    ap.add_argument("--reference-n", type=int, default=2000, help="households for the agent-engine ratio (0: skip)")
    ap.add_argument("--reference-years", type=int, default=1)
    args = ap.parse_args(argv)

    print(f"{'households':>11} {'years':>5} {'init s':>8} {'run s':>8} {'hh-steps/s':>12} {'peak MB':>8}")
    for n in args.sizes:
        r = measure(n, args.years, agents=n <= 10_000)
        print(f"{n:>11,} {args.years:>5} {r['init_s']:>8.2f} {r['run_s']:>8.2f} {r['steps_per_s']:>12,.0f} "
              f"{r['peak_mb']:>8.0f}", flush=True)
    if args.reference_n:
        n, y = args.reference_n, args.reference_years
        fast = measure(n, y, agents=True)
        slow = measure(n, y, agents=True, engine="agents")
        print(f"\nper-agent Mesa engine at N = {n:,}, {y} year(s), measured back to back:")
        print(f"  engine='vectorised' {fast['steps_per_s']:>12,.0f} household-steps/s ({fast['run_s']:.3f} s)")
        print(f"  engine='agents'     {slow['steps_per_s']:>12,.0f} household-steps/s ({slow['run_s']:.3f} s)")
        print(f"  speed ratio {fast['steps_per_s'] / slow['steps_per_s']:.0f}x")
    print(f"\nmachine: {os.cpu_count()} cores, python {sys.version.split()[0]}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}")


if __name__ == "__main__":
    main()
