"""``ruralsim sweep``: run an experiment definition on local cores or a Dask cluster (see :mod:`experiments`).

Registered on the main parser by :func:`add_parsers` (see :mod:`ruralsim.app.cli`).
"""

from __future__ import annotations

import sys
from pathlib import Path

from ruralsim.experiments.provenance import PROG

from ruralsim.model.declared import RUN_SETTINGS

from .cli_options import WORKERS, CliError, memory_problem, setting_arg


def add_parsers(sub) -> None:
    swp = sub.add_parser(
        "sweep", help="run an experiment (parameter sweep or sensitivity design) into a resumable Parquet store",
        description="Run every design point x replicate of an experiment definition (experiments/definitions/*.yaml "
                    "or a name such as withdrawal_timing_pace_monitoring) and stream the results to DIR: "
                    "parts/*.parquet (tidy annual table), lorenz/*.parquet, design.parquet, failures.parquet, "
                    "manifest.json. Local processes by default (one per core).")
    swp.add_argument("spec", metavar="SPEC", help="experiment definition: a YAML file or the name of a shipped one")
    swp.add_argument("--out", "-o", default=None, metavar="DIR",
                     help="results directory, required (must be new or empty, unless --resume)")
    where = swp.add_mutually_exclusive_group()
    where.add_argument("--workers", "-w", type=setting_arg(WORKERS), default=None, metavar="K",
                       help="local worker processes (default: one per core; 1 runs in this process)")
    where.add_argument("--dask-local", type=setting_arg(WORKERS), default=None, metavar="K",
                       help="start a local Dask cluster of K worker processes (one thread each), stop it at the end")
    where.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                       help="run on an existing Dask cluster through its scheduler")
    swp.add_argument("--resume", action="store_true",
                     help="continue the sweep in DIR: finished runs are kept, the rest run (refused if the "
                          "definition or options differ)")
    swp.add_argument("--households", "-n", type=setting_arg(RUN_SETTINGS["households"]), default=None, metavar="N",
                     help="households per county (default: the definition's)")
    swp.add_argument("--years", "-y", type=setting_arg(RUN_SETTINGS["years"]), default=None, metavar="Y",
                     help="years simulated after 2020 (default: the definition's)")
    swp.add_argument("--replicates", "-r", type=setting_arg(RUN_SETTINGS["replicates"]), default=None, metavar="R",
                     help="replicate seeds per design point (default: the definition's)")
    swp.add_argument("--dry-run", action="store_true",
                     help="validate the definition and every design point, print the plan, write nothing")
    swp.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no summary")
    swp.set_defaults(func=cmd_sweep)


def _minutes(seconds: float) -> str:
    m, s = divmod(int(round(seconds)), 60)
    return f"{m} min {s:02d} s" if m else f"{seconds:.1f} s"


def cmd_sweep(args) -> int:
    from ruralsim.experiments import executors, runner
    from ruralsim.experiments.spec import SpecError, load_spec_and_points
    from ruralsim.experiments.store import StoreError

    overrides = {"households": args.households, "years": args.years, "replicates": args.replicates}
    try:
        spec, points, _ = load_spec_and_points(args.spec, **overrides)  # everything checked before anything starts
    except SpecError as exc:
        lines = str(exc).splitlines()
        for line in lines:
            print(f"{PROG}: error: {line}", file=sys.stderr)
        if len(lines) > 1:
            print(f"{PROG}: {len(lines)} problems in {args.spec}; nothing was written", file=sys.stderr)
        return 1
    runs = len(points) * spec.replicates
    plan = (f"{spec.name}: {spec.design['method'].replace('_', ' ')} design, {len(points):,} design points x "
            f"{spec.replicates} replicates = {runs:,} runs of {spec.households:,} households x {spec.years} years "
            f"(root seed {spec.seed})")
    if args.dry_run:
        print(plan)
        for f in spec.factors:
            levels = f"values {list(f.values)}" if f.values is not None else \
                f"range {list(f.range)}{' (integer)' if f.integer else ''}"
            print(f"  {f.kind:<11} {f.name}: {levels} -> {', '.join(t.path for t in f.targets)}")
        print("Nothing written (--dry-run).")
        return 0
    if args.out is None:
        raise CliError("the --out DIR argument is required (the results directory; --dry-run needs none)")
    if args.scheduler is None:  # the counties run on this machine: one per local worker at a time
        local = args.dask_local or args.workers or executors.default_workers()
        problem = memory_problem(spec.households, copies=min(local, runs))
        if problem:
            raise CliError(f"{args.spec}: 'households': {problem}; use fewer --workers or households")
    out = Path(args.out)
    if not args.quiet:
        print(plan, file=sys.stderr)
    try:
        if args.dask_local is not None or args.scheduler is not None:
            with executors.dask_executor(scheduler=args.scheduler, local_workers=args.dask_local) as (executor, n):
                if not args.quiet:
                    print(f"Dask: {n} worker threads" + (f" at {args.scheduler}" if args.scheduler else
                                                          " (local cluster)"), file=sys.stderr)
                result = runner.run_sweep(spec, out, executor=executor, resume=args.resume, progress=not args.quiet)
        else:
            result = runner.run_sweep(spec, out, executor=args.workers, resume=args.resume, progress=not args.quiet)
    except KeyboardInterrupt:
        raise CliError(f"interrupted; finished runs are kept in {out}: continue with "
                       f"'{PROG} sweep {args.spec} --out {out} --resume'") from None
    except (executors.SweepError, StoreError) as exc:
        raise CliError(str(exc)) from None
    if not args.quiet:
        resumed = f" ({result.skipped:,} done before)" if result.skipped else ""
        print(f"{result.name}: {result.runs:,} runs{resumed}, {result.completed:,} run now, {result.failed:,} failed, "
              f"{_minutes(result.elapsed)}.\nResults in {out}/ (parts/, lorenz/, design.parquet, failures.parquet, "
              f"manifest.json); load them with experiments.load_results('{out}').")
        if result.failed:
            print(f"{result.failed} runs failed: see {out}/failures.parquet (experiments.load_failures)")
    return 0
