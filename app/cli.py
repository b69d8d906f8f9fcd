"""The ``ruralsim`` command line.

    ruralsim run [SCENARIO] [--households N] [--years Y] [--seed S] [--out DIR] [--force] [--quiet]
    ruralsim compare BASELINE REFORM [REFORM ...] [--replicates R] [--households N] [--years Y] [--seed S]
                     [--out DIR] [--force] [--quiet]
    ruralsim --version

``run`` simulates one scenario (``baseline`` when omitted, else a scenario file)
month by month, prints a summary table, and writes to DIR:

* ``annual.csv`` and ``annual.parquet``: the annual outcome table (first row 2020);
* ``run.json``: everything needed to reproduce the run (seed, sizes, scenario file
  and its sha256, all parameters and programmes, package versions, git commit);
* ``poverty_relapse.png``, ``inequality.png``, ``income_composition.png``,
  ``fiscal_cost.png`` (see :mod:`ruralsim.experiments.plots`).

``compare`` runs a baseline and one or more reforms with the same replicate seeds
(common random numbers) and writes paired differences, decile impacts, winners and
losers, fiscal costs, cost per relapse averted and a report (see :mod:`ruralsim.experiments.compare`
and :mod:`ruralsim.experiments.report`).

The files are written into a temporary directory beside DIR and renamed into
place at the end, so a failed or interrupted run leaves no partial output.
Errors are reported as one line ``ruralsim: error: ...`` with a non-zero exit
status (set ``RURALSIM_TRACEBACK=1`` to see the traceback instead).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as _dt
import hashlib
import json
import os
import platform
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from ruralsim.experiments.provenance import PROG, environment, jsonable, version
BASELINE = "baseline"


class CliError(Exception):
    """An error to report as one line, without a traceback."""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors: ``ruralsim: error: ...`` (exit status 2)."""

    def error(self, message):  # noqa: D102 - argparse API
        hint = f" (see '{self.prog} --help')"
        self.exit(2, f"{PROG}: error: {_one_line(message)}{hint}\n")


def _one_line(text) -> str:
    return " ".join(str(text).split())


def _int_arg(minimum: int):
    kind = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"

    def parse(text: str) -> int:
        try:
            value = int(text, 10)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be {kind}, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {kind}, got {value}")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Agent-based model of rural household incomes after poverty "
                                            "alleviation (Mesa).")
    parser.add_argument("--version", action="version",
                        version=f"{PROG} {version('ruralsim') or 'unknown'} (mesa {version('mesa') or '?'}, "
                                f"python {platform.python_version()})")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    run = sub.add_parser("run", help="run one scenario and write its annual table, metadata and plots",
                         description="Run one scenario month by month; print a summary; write annual.csv, "
                                     "annual.parquet, run.json and four PNG plots to --out.")
    run.add_argument("scenario", nargs="?", default=BASELINE, metavar="SCENARIO",
                     help="'baseline' (default) or the path of a scenario file")
    _add_county_options(run, "run seed, a non-negative integer (default 0)", "results/<scenario>-<YYYYmmdd-HHMMSS>")
    run.set_defaults(func=cmd_run)
    _add_compare_parser(sub)
    from .cli_checks import add_parsers

    add_parsers(sub)
    from .cli_experiments import add_parsers as add_experiment_parsers

    add_experiment_parsers(sub)
    from .cli_plot import add_parsers as add_plot_parsers

    add_plot_parsers(sub)
    from .cli_dashboard import add_parsers as add_dashboard_parsers

    add_dashboard_parsers(sub)
    return parser


def main(argv=None) -> int:
    """Entry point of the ``ruralsim`` console script; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        args.argv = argv
    except SystemExit as exc:  # --help, --version, usage errors (already printed)
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    try:
        return args.func(args) or 0
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted (no output written)", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the promise is: one line, never a traceback
        if os.environ.get("RURALSIM_TRACEBACK"):
            raise
        message = str(exc) if isinstance(exc, CliError) else f"{type(exc).__name__}: {exc}"
        print(f"{PROG}: error: {_one_line(message)}", file=sys.stderr)
        return 1


# -- run -------------------------------------------------------------------------------------
def _resolve_scenario(text: str) -> Path | None:
    """None for the baseline; else the scenario file's path (checked to exist and be loadable)."""
    if text == BASELINE:
        return None
    path = Path(text)
    if not path.exists():
        raise CliError(f"scenario file not found: {text} (use 'baseline' or the path of a scenario file)")
    if not path.is_file():
        raise CliError(f"scenario is not a file: {text}")
    try:
        with open(path, "rb") as fh:
            fh.read(1)
    except OSError as exc:
        raise CliError(f"cannot read scenario file {text}: {exc.strerror or exc}") from None
    from ruralsim.model.scenario_file import load_scenario

    try:
        load_scenario(path)  # validate early: a clear message before any simulation
    except Exception as exc:  # noqa: BLE001
        message = _one_line(exc)  # the loader's messages usually name the file already
        where = "" if str(path.resolve()) in message or text in message else f" {text}"
        raise CliError(f"invalid scenario file{where}: {message}") from None
    return path


def _check_out(out: Path, force: bool) -> None:
    if out.exists() or out.is_symlink():
        if not out.is_dir():
            raise CliError(f"output path exists and is not a directory: {out}")
        if any(out.iterdir()) and not force:
            raise CliError(f"output directory is not empty: {out} (use --force to replace it)")
        cwd = Path.cwd().resolve()
        if out.resolve() == cwd or out.resolve() in cwd.parents:
            raise CliError(f"refusing to replace {out}: it contains the current directory")


def _default_out(name: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "scenario"
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = Path("results") / f"{safe}-{stamp}"
    k = 1
    while out.exists():
        k += 1
        out = Path("results") / f"{safe}-{stamp}-{k}"
    return out


def run_metadata(model, *, argv, households, years, seed, scenario_path, elapsed) -> dict:
    """The contents of run.json."""
    sc = model.policy_scenario
    scenario = {
        "name": sc.name,
        "description": sc.description,
        "path": str(scenario_path.resolve()) if scenario_path else None,
        "sha256": hashlib.sha256(scenario_path.read_bytes()).hexdigest() if scenario_path else None,
        "parameters_overrides": sc.parameters_overrides,
        "programme_changes": sc.programme_changes,
    }
    return jsonable({
        "ruralsim_run_format": 1,
        "created": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": [PROG, *argv],
        "seed": seed,
        "households": households,
        "years": years,
        "first_year": int(model.annual_metrics()["year"].iloc[0]),
        "scenario": scenario,
        "parameters": model.params.as_dict(),
        "programmes": {name: dataclasses.asdict(p) for name, p in model.gov.programmes.items()},
        **environment(),
        "elapsed_seconds": round(elapsed, 3),
    })


SUMMARY_ROWS = [
    ("poverty_rate", "poverty rate", "pct"),
    ("relapse_rate", "relapse rate (ex-poor)", "pct"),
    ("cumulative_relapse_rate", "cumulative relapse", "pct"),
    ("new_poverty_rate", "new poverty (never reg.)", "pct"),
    ("near_poor_rate", "near-poor rate", "pct"),
    ("monitored_share", "monitored share", "pct"),
    ("gini", "Gini", "idx"),
    ("quintile_ratio", "quintile ratio (x)", "ratio"),
    ("mean_income", "mean income (yuan)", "yuan"),
    ("mean_income_ex_poor", "mean income ex-poor (yuan)", "yuan"),
    ("wage_share", "wage share", "pct1"),
    ("business_share", "business share", "pct1"),
    ("property_share", "property share", "pct1"),
    ("transfer_share", "transfer share", "pct1"),
    ("fiscal_cost", "fiscal cost (million yuan)", "myuan"),
]
_FORMATS = {
    "pct": lambda v: f"{100 * v:.2f}%",
    "pct1": lambda v: f"{100 * v:.1f}%",
    "idx": lambda v: f"{v:.3f}",
    "ratio": lambda v: f"{v:.2f}",
    "yuan": lambda v: f"{v:,.0f}",
    "myuan": lambda v: f"{v / 1e6:,.2f}",
}


def summary_table(df) -> str:
    """The annual table as text: metrics as rows, years as columns."""
    import math

    header = ["", *[str(int(y)) for y in df["year"]]]
    lines = [header]
    for col, label, kind in SUMMARY_ROWS:
        if col not in df:
            continue
        cells = ["n/a" if v is None or (isinstance(v, float) and math.isnan(v)) else _FORMATS[kind](float(v))
                 for v in df[col].tolist()]
        lines.append([label, *cells])
    widths = [max(len(row[i]) for row in lines) for i in range(len(header))]
    out = []
    for row in lines:
        out.append("  ".join([row[0].ljust(widths[0]), *[c.rjust(w) for c, w in zip(row[1:], widths[1:])]]))
    return "\n".join(out)


def cmd_run(args) -> int:
    scenario_path = _resolve_scenario(args.scenario)
    out = Path(args.out) if args.out else None
    if out is not None:
        _check_out(out, args.force)

    # imported here, once the arguments have been checked
    from tqdm import tqdm

    from ruralsim.experiments import plots
    from ruralsim.model.model import RuralEconomy

    quiet = args.quiet
    t0 = time.perf_counter()
    if not quiet:
        print(f"Setting up {args.households:,} households ({args.scenario}, seed {args.seed}) ...",
              file=sys.stderr, flush=True)
    model = RuralEconomy(scenario=str(scenario_path) if scenario_path else None, n_households=args.households,
                         rng=args.seed, household_agents=False)
    name = model.policy_scenario.name or (scenario_path.stem if scenario_path else BASELINE)
    if out is None:
        out = _default_out(name)
    months = 12 * args.years
    with tqdm(total=months, unit="month", desc=name, disable=quiet, file=sys.stderr, dynamic_ncols=True,
              leave=True) as bar:
        for _ in range(months):
            model.step()
            bar.update(1)
            if model.t % 12 == 0:
                bar.set_postfix_str(f"{model.year - 1} done", refresh=False)
    df = model.annual_metrics()
    elapsed = time.perf_counter() - t0
    meta = run_metadata(model, argv=list(args.argv), households=args.households, years=args.years,
                        seed=args.seed, scenario_path=scenario_path, elapsed=elapsed)
    caption = plots.run_caption(name, args.households, args.seed)
    _write_atomically(out, args.force, lambda tmp: _write_outputs(tmp, df, meta, caption))
    if not quiet:
        print(f"\n{name}: {args.households:,} households, seed {args.seed}, {df['year'].iloc[0]}-"
              f"{df['year'].iloc[-1]} (2020 = calibration year); {elapsed:.1f} s\n")
        print(summary_table(df))
        print(f"\nWrote {out}/: annual.csv, annual.parquet, run.json, "
              f"{', '.join(plots.FILES)}")
    return 0


def _add_county_options(parser, seed_help: str, default_out: str) -> None:
    """--households, --years, --seed, --out, --force and --quiet, shared by `run` and `compare`."""
    parser.add_argument("--households", "-n", type=_int_arg(1), default=10_000, metavar="N",
                        help="number of households (default 10000)")
    parser.add_argument("--years", "-y", type=_int_arg(1), default=10, metavar="Y",
                        help="years to simulate after the 2020 calibration year (default 10)")
    parser.add_argument("--seed", "-s", type=_int_arg(0), default=0, metavar="S", help=seed_help)
    parser.add_argument("--out", "-o", default=None, metavar="DIR", help=f"output directory (default {default_out})")
    parser.add_argument("--force", action="store_true", help="replace DIR if it exists and is not empty")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no summary")


# -- compare ---------------------------------------------------------------------------------
def _add_compare_parser(sub) -> None:
    cmp = sub.add_parser("compare", help="compare reforms with a baseline over paired replicates and write a report",
                         description="Run BASELINE and every REFORM with the same replicate seeds (common random "
                                     "numbers); write comparison.csv, deciles.csv, winners_losers.csv, fiscal.csv, "
                                     "cost_per_relapse_averted.csv, runs.csv, compare.json, report.md, report.html "
                                     "and figures/ to --out, and print a plain-language summary.")
    cmp.add_argument("baseline", metavar="BASELINE", help="'baseline' or the path of a scenario file")
    cmp.add_argument("reforms", nargs="+", metavar="REFORM", help="'baseline' or the path of a scenario file")
    cmp.add_argument("--replicates", "-r", type=_int_arg(1), default=10, metavar="R",
                     help="replicate seeds per arm, spawned from --seed (default 10)")
    _add_county_options(cmp, "root seed of the replicate seeds, a non-negative integer (default 0)",
                        "results/compare-<YYYYmmdd-HHMMSS>")
    cmp.set_defaults(func=cmd_compare)


def cmd_compare(args) -> int:
    specs = [args.baseline, *args.reforms]
    paths = [_resolve_scenario(text) for text in specs]  # every file loaded and validated before anything runs
    out = Path(args.out) if args.out else None
    if out is not None:
        _check_out(out, args.force)

    from tqdm import tqdm

    from ruralsim.experiments import compare, report

    arms = compare.make_arms([str(p) if p else BASELINE for p in paths])
    out = out or _default_out("compare")
    t0 = time.perf_counter()
    total = len(arms) * args.replicates * args.years
    with tqdm(total=total, unit="year", desc=f"compare ({len(arms)} arms x {args.replicates})", disable=args.quiet,
              file=sys.stderr, dynamic_ncols=True, leave=True) as bar:
        result = compare.run_comparison(arms, replicates=args.replicates, households=args.households,
                                        years=args.years, seed=args.seed, progress=bar.update)
    meta = report.metadata(result, argv=list(args.argv), seed=args.seed, replicates=args.replicates,
                           elapsed=time.perf_counter() - t0)
    _write_atomically(out, args.force, lambda tmp: report.write_outputs(tmp, result, meta))
    if not args.quiet:
        print(result.summary)
        print(f"\nWrote {out}/: {', '.join(result.tables())}, compare.json, report.md, report.html, figures/")
    return 0


def _write_outputs(tmp: Path, df, meta: dict, caption: str) -> None:
    from ruralsim.experiments import plots

    df.to_csv(tmp / "annual.csv", index=False)
    df.to_parquet(tmp / "annual.parquet", engine="pyarrow", index=False)
    with open(tmp / "run.json", "w", encoding="utf-8") as fh:
        json.dump(meta, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    plots.save_all(df, tmp, caption=caption)


def _write_atomically(out: Path, force: bool, write) -> None:
    """Call ``write(tmp)`` on a fresh directory beside ``out``, then rename it to ``out``."""
    _check_out(out, force)  # again: something may have appeared during the run
    parent = out.parent
    created = []
    for p in reversed([parent, *parent.parents]):
        if not p.exists():
            created.append(p)
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=parent))
    old = None
    try:
        write(tmp)
        os.chmod(tmp, 0o777 & ~_umask())
        if out.exists() or out.is_symlink():
            if out.is_dir() and not out.is_symlink() and not any(out.iterdir()):
                out.rmdir()
            else:  # --force: move the old one aside, put the new one in place, then delete the old one
                old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=parent))
                os.rename(out, old / "previous")
        os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and (old / "previous").exists() and not out.exists():
            os.rename(old / "previous", out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        for p in reversed(created):  # directories this run created, deepest first, if still empty
            try:
                p.rmdir()
            except OSError:
                break
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


if __name__ == "__main__":
    sys.exit(main())
