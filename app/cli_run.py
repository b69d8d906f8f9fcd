"""``ruralsim run``: one scenario, month by month, with its summary table, ``run.json`` and plots.

Writes ``annual.csv`` and ``annual.parquet`` (the annual outcome table, first row 2020), ``run.json``
(everything needed to reproduce the run: seed, sizes, scenario file and its sha256, all parameters
and programmes, and the provenance record of :func:`ruralsim.experiments.provenance.environment`)
and the four figures of :mod:`ruralsim.experiments.plots`.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import json
import sys
import time
from pathlib import Path

from ruralsim.experiments.provenance import PROG, environment, jsonable

from .cli_options import BASELINE, add_county_options, resolve_scenario
from .cli_output import check_out, check_parent, default_out, write_atomically


def add_parsers(sub) -> None:
    run = sub.add_parser("run", help="run one scenario and write its annual table, metadata and plots",
                         description="Run one scenario month by month; print a summary; write annual.csv, "
                                     "annual.parquet, run.json and four PNG plots to --out.")
    run.add_argument("scenario", nargs="?", default=BASELINE, metavar="SCENARIO",
                     help="'baseline' (default) or the path of a scenario file")
    add_county_options(run, "run seed, a non-negative integer (default 0)", "results/<scenario>-<YYYYmmdd-HHMMSS>")
    run.set_defaults(func=cmd_run)


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
    scenario_path = resolve_scenario(args.scenario)
    out = Path(args.out) if args.out else None
    if out is not None:
        check_out(out, args.force, "run")
    else:
        check_parent(Path("results"))

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
        out = default_out(name)
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
    write_atomically(out, args.force, lambda tmp: _write_outputs(tmp, df, meta, caption), kind="run")
    if not quiet:
        print(f"\n{name}: {args.households:,} households, seed {args.seed}, {df['year'].iloc[0]}-"
              f"{df['year'].iloc[-1]} (2020 = calibration year); {elapsed:.1f} s\n")
        print(summary_table(df))
        print(f"\nWrote {out}/: annual.csv, annual.parquet, run.json, "
              f"{', '.join(plots.FILES)}")
    return 0


def _write_outputs(tmp: Path, df, meta: dict, caption: str) -> None:
    from ruralsim.experiments import plots

    df.to_csv(tmp / "annual.csv", index=False)
    df.to_parquet(tmp / "annual.parquet", engine="pyarrow", index=False)
    with open(tmp / "run.json", "w", encoding="utf-8") as fh:
        json.dump(meta, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    plots.save_all(df, tmp, caption=caption)
