"""``ruralsim compare``: a baseline and reforms over paired replicates, with tables, figures and a report
(:mod:`ruralsim.experiments.compare`, :mod:`ruralsim.experiments.report`)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ruralsim.model.declared import RUN_SETTINGS

from .cli_options import BASELINE, add_county_options, resolve_scenario, setting_arg
from .cli_output import check_out, check_parent, default_out, write_atomically


def add_parsers(sub) -> None:
    cmp = sub.add_parser("compare", help="compare reforms with a baseline over paired replicates and write a report",
                         description="Run BASELINE and every REFORM with the same replicate seeds (common random "
                                     "numbers); write comparison.csv, deciles.csv, winners_losers.csv, fiscal.csv, "
                                     "cost_per_relapse_averted.csv, runs.csv, compare.json, report.md, report.html "
                                     "and figures/ to --out, and print a plain-language summary.")
    cmp.add_argument("baseline", metavar="BASELINE", help="'baseline' or the path of a scenario file")
    cmp.add_argument("reforms", nargs="+", metavar="REFORM", help="'baseline' or the path of a scenario file")
    cmp.add_argument("--replicates", "-r", type=setting_arg(RUN_SETTINGS["replicates"]), default=10, metavar="R",
                     help="replicate seeds per arm, spawned from --seed (default 10)")
    add_county_options(cmp, "root seed of the replicate seeds, a non-negative integer (default 0)",
                        "results/compare-<YYYYmmdd-HHMMSS>")
    cmp.set_defaults(func=cmd_compare)


def cmd_compare(args) -> int:
    specs = [args.baseline, *args.reforms]
    paths = [resolve_scenario(text) for text in specs]  # every file loaded and validated before anything runs
    out = Path(args.out) if args.out else None
    if out is not None:
        check_out(out, args.force, "compare")
    else:
        check_parent(Path("results"))

    from tqdm import tqdm

    from ruralsim.experiments import compare, report

    arms = compare.make_arms([str(p) if p else BASELINE for p in paths])
    out = out or default_out("compare")
    t0 = time.perf_counter()
    total = len(arms) * args.replicates * args.years
    with tqdm(total=total, unit="year", desc=f"compare ({len(arms)} arms x {args.replicates})", disable=args.quiet,
              file=sys.stderr, dynamic_ncols=True, leave=True) as bar:
        result = compare.run_comparison(arms, replicates=args.replicates, households=args.households,
                                        years=args.years, seed=args.seed, progress=bar.update)
    meta = report.metadata(result, argv=list(args.argv), seed=args.seed, replicates=args.replicates,
                           elapsed=time.perf_counter() - t0)
    write_atomically(out, args.force, lambda tmp: report.write_outputs(tmp, result, meta), kind="compare")
    if not args.quiet:
        print(result.summary)
        print(f"\nWrote {out}/: {', '.join(result.tables())}, compare.json, report.md, report.html, figures/")
    return 0
