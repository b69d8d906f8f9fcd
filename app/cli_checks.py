"""``ruralsim check``, ``describe``, ``validate`` and ``calibrate``: the subcommands about inputs and trust.

Registered on the main parser by :func:`add_parsers` (see :mod:`ruralsim.app.cli`).  ``describe``
prints the declarations every input is checked against (:mod:`ruralsim.model.declared`); the
numbers these subcommands take are checked against declarations too (:func:`setting_arg`), so a
bad one gets the words a scenario file would: ``expected an integer >= 1 (runs); found 0``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from ruralsim.model.declared import RUN_SETTINGS, Declared

from ruralsim.experiments.provenance import PROG, environment, jsonable
from ruralsim.experiments.run import SEED_RULE

from .cli_options import BASELINE, CliError, setting_arg
from .cli_output import check_out, write_atomically

EVALUATIONS = Declared(value=450, type="integer", low=1, high=100_000, unit="model evaluations", source="run setting",
                       description="most model evaluations of the calibration's optimiser",
                       why="bounds the run time: each evaluation is a set of county runs")


def add_parsers(sub) -> None:
    chk = sub.add_parser("check", help="validate scenario files; exit non-zero if any is bad",
                         description="Validate every scenario file given (and the files they extend). Every "
                                     "problem is reported as FILE: 'KEY': expected WHAT; found VALUE.")
    chk.add_argument("files", nargs="+", metavar="FILE", help="scenario files (YAML)")
    chk.set_defaults(func=cmd_check)

    dsc = sub.add_parser("describe", help="list every scenario key with its default, unit and source",
                         description="List every parameter and programme a scenario file can change, with its "
                                     "default, unit, bounds and the source of the default.")
    dsc.add_argument("--format", choices=("text", "markdown"), default="text")
    dsc.set_defaults(func=cmd_describe)

    val = sub.add_parser("validate", help="check the baseline against official figures; exit non-zero on a failure",
                         description="Run the default county (replicates with seeds spawned from --seed) and "
                                     "compare it with the targets in data/README.md; write validation.csv, "
                                     "validation.md, validation.json (provenance) and validation.png to --out.")
    val.add_argument("--replicates", "-r", type=setting_arg(RUN_SETTINGS["replicates"], low=2), default=5, metavar="R")
    val.add_argument("--households", "-n", type=setting_arg(RUN_SETTINGS["households"], low=100), default=20_000,
                     metavar="N")
    val.add_argument("--seed", "-s", type=setting_arg(RUN_SETTINGS["seed"]), default=0, metavar="S")
    val.add_argument("--out", "-o", default="results/validation", metavar="DIR")
    val.add_argument("--force", action="store_true", help="replace DIR if it exists and is not empty")
    val.set_defaults(func=cmd_validate)

    cal = sub.add_parser("calibrate", help="fit the uncertain parameters to the targets (method of simulated moments)",
                         description="Fit the parameters declared in experiments/calibration.py to the validation "
                                     "targets with common random numbers; write fit.json and fit.md to --out.")
    cal.add_argument("--replicates", "-r", type=setting_arg(RUN_SETTINGS["replicates"]), default=3, metavar="R")
    cal.add_argument("--households", "-n", type=setting_arg(RUN_SETTINGS["households"], low=100), default=10_000,
                     metavar="N")
    cal.add_argument("--seed", "-s", type=setting_arg(RUN_SETTINGS["seed"]), default=0, metavar="S")
    cal.add_argument("--evaluations", "-e", type=setting_arg(EVALUATIONS), default=450, metavar="E",
                     help="most model evaluations of the optimiser (default 450)")
    cal.add_argument("--out", "-o", default="results/calibration", metavar="DIR")
    cal.add_argument("--force", action="store_true", help="replace DIR if it exists and is not empty")
    cal.set_defaults(func=cmd_calibrate)


def cmd_check(args) -> int:
    from ruralsim.model.scenario_file import ScenarioError, load_scenario

    bad = 0
    for f in args.files:
        try:
            sc = load_scenario(f)
        except ScenarioError as exc:
            bad += 1
            for line in str(exc).splitlines():
                print(f"{PROG}: error: {line}", file=sys.stderr)
        except Exception as exc:  # noqa: BLE001 - a loader bug must not stop the check of the other files
            bad += 1
            print(f"{PROG}: error: {f}: '(file)': expected a scenario file the loader can read; found "
                  f"<{type(exc).__name__}: {str(exc)[:80]}>", file=sys.stderr)
        else:
            print(f"ok  {f}  ({sc.name}: {len(sc.parameters_overrides)} parameters, "
                  f"{len(sc.programme_changes)} programmes changed)")
    if bad:
        print(f"{PROG}: {bad} of {len(args.files)} scenario files are invalid", file=sys.stderr)
    return 1 if bad else 0


def describe_rows() -> list[dict]:
    """Every key a scenario can set, from the declarations it is checked against: parameters, then each
    programme (its kind, amount and extras), then the fields every programme and schedule has."""
    from ruralsim.model.parameters import SPEC
    from ruralsim.model.programmes import DECLARED, FIELDS, SCHEDULE_FIELDS

    def row(key, declared, description=None):
        return {"key": key, "default": declared.value, "unit": declared.unit, "bounds": declared.expected(),
                "description": description or declared.description, "source": declared.source}

    rows = [row(f"parameters.{section}.{name}", p) for section, params in SPEC.items() for name, p in params.items()]
    for name, prog in DECLARED.items():
        rows.append({"key": f"programmes.{name}", "default": f"kind {prog.kind}, targeting {list(prog.targeting)}, "
                                                              f"{'on' if prog.on else 'off'} in the baseline",
                     "unit": prog.unit, "bounds": "", "description": prog.description, "source": prog.amount.source})
        rows.append(row(f"programmes.{name}.amount", prog.amount))
        rows += [row(f"programmes.{name}.other.{key}", extra) for key, extra in prog.other.items()]
    rows += [row(f"programmes.*.{field}", d) for field, d in FIELDS.items()]
    rows += [row(f"programmes.*.schedule.{field}", d) for field, d in SCHEDULE_FIELDS.items()]
    return rows


def cmd_describe(args) -> int:
    from ruralsim.model.programmes import KINDS

    rows = describe_rows()
    if args.format == "markdown":
        print("| key | default | unit | accepts | description | source |\n|---|---|---|---|---|---|")
        for r in rows:
            print("| " + " | ".join(str(r[k]).replace("|", "/") for k in
                                    ("key", "default", "unit", "bounds", "description", "source")) + " |")
    else:
        for r in rows:
            print(f"{r['key']}\n    default {r['default']} ({r['unit']}); accepts {r['bounds'] or '-'}\n"
                  f"    {r['description']}\n    source: {r['source']}")
    print(f"\nProgramme kinds: {', '.join(KINDS)} (model/programmes.py). Values keyed by year ({{2021: x, 2026: y}})"
          " are allowed for parameters and for generosity, amount and budget; schedule steps map years to levels.")
    return 0


SECTIONS = (("fitted", "Fitted targets (the calibration objective)"),
            ("held_out", "Held-out targets (never used in fitting: the test of the model)"))


def validation_markdown(table, settings: dict) -> str:
    lines = [f"# Validation of the baseline\n\n{settings['replicates']} replicates x {settings['households']:,} "
             f"households, root seed {settings['seed']}; model mean with its 95% interval over replicates. "
             "Roles and bands, declared before fitting: data/validation_targets.csv; reasons: data/README.md.\n"]
    role = table["role"] if "role" in table else ["fitted"] * len(table)
    for key, title in SECTIONS:
        part = table[[r == key for r in role]]
        if part.empty:
            continue
        lines += [f"## {title}\n", "| target | year | observed | model mean | 95% interval | tolerance | result |",
                  "|---|---|---|---|---|---|---|"]
        for _, r in part.iterrows():
            fmt = (lambda v: f"{v:,.0f}") if abs(r["observed"]) > 100 else (lambda v: f"{v:.3f}")
            hi = "inf" if r["tolerance_high"] == float("inf") else fmt(r["tolerance_high"])
            regime = "" if r["regime"] == "baseline" else f" ({r['regime'].removesuffix('.yaml')})"
            lines.append(f"| {r['target']}{regime} | {r['year']} | {fmt(r['observed'])} | {fmt(r['model_mean'])} | "
                         f"{fmt(r['model_ci_low'])} to {fmt(r['model_ci_high'])} | {fmt(r['tolerance_low'])} to {hi} | "
                         f"{'pass' if r['passed'] else '**FAIL**'} |")
        lines.append(f"\n{int(part['passed'].sum())} of {len(part)} {key.replace('_', '-')} targets pass.\n")
    lines.append(f"{int(table['passed'].sum())} of {len(table)} targets pass.\n")
    return "\n".join(lines)


def validation_figure(table, path) -> None:
    """Model mean and interval against the observed value and tolerance band, one row per target."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 0.42 * len(table) + 1.2))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    for i, (_, r) in enumerate(table.iloc[::-1].iterrows()):
        scale = abs(r["observed"]) if r["observed"] else 1.0  # each target relative to its observed value
        lo = r["tolerance_low"] / scale
        hi = min(r["tolerance_high"] / scale, 3.0)
        ax.plot([lo, hi], [i, i], color="#9ecae1", lw=8, solid_capstyle="butt")
        ax.plot([1.0], [i], "k|", ms=14)
        err = np.array([[r["model_mean"] - r["model_ci_low"]], [r["model_ci_high"] - r["model_mean"]]]) / scale
        ax.errorbar([r["model_mean"] / scale], [i], xerr=np.nan_to_num(err), fmt="o",
                    color="#2b8a3e" if r["passed"] else "#c92a2a")
    ax.set_yticks(range(len(table)))
    ax.set_yticklabels(list(table["target"].iloc[::-1]))
    ax.set_xlabel("value relative to the observed figure (observed = 1)\n"
                  "band: tolerance; |: observed; dot: model mean with 95% interval (green pass, red fail)")
    ax.set_title("Baseline against observed figures")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def cmd_validate(args) -> int:
    out = Path(args.out)
    check_out(out, args.force)
    from tqdm import tqdm

    from ruralsim.experiments.validation import run_regimes, validate

    regimes = 2
    with tqdm(total=args.replicates * regimes, unit="run", desc="validate", file=sys.stderr) as bar:
        tables = run_regimes(args.replicates, args.households, args.seed, progress=bar.update)
    table = validate(tables)
    settings = {"replicates": args.replicates, "households": args.households, "seed": args.seed}
    md = validation_markdown(table, settings)

    def write(tmp: Path) -> None:
        table.to_csv(tmp / "validation.csv", index=False)
        (tmp / "validation.md").write_text(md, encoding="utf-8")
        _provenance(tmp / "validation.json", "validate", settings, getattr(args, "argv", None))
        validation_figure(table, tmp / "validation.png")

    write_atomically(out, args.force, write)
    print(md)
    print(f"Wrote {out}/: validation.csv, validation.md, validation.json, validation.png")
    return 0 if table["passed"].all() else 1


def cmd_calibrate(args) -> int:
    out = Path(args.out)
    check_out(out, args.force)
    from ruralsim.experiments.calibration import FITTED, calibrate

    t0 = time.perf_counter()
    result = calibrate(args.replicates, args.households, args.seed, max_evaluations=args.evaluations,
                       log=lambda msg: print(msg, file=sys.stderr))
    if not result["table"]:
        raise CliError("calibration produced no fit")
    import pandas as pd

    table = pd.DataFrame(result["table"])
    lines = [f"# Calibration fit\n\n{result['evaluations']} evaluations in {time.perf_counter() - t0:.0f} s; "
             f"distance {result['start_distance']:.3f} at the start, {result['distance']:.3f} at the fit.\n",
             "| parameter | fitted | search range | speaks to |", "|---|---|---|---|"]
    for u in FITTED:
        lines.append(f"| `{u.key}` | {result['fitted'][u.key]:.4g} | {u.low:g}-{u.high:g} | {u.why} |")
    lines.append("\n" + validation_markdown(table, result["settings"]))
    md = "\n".join(lines)

    def write(tmp: Path) -> None:
        fit = {k: v for k, v in result.items() if k != "history"}
        with open(tmp / "fit.json", "w", encoding="utf-8") as f:
            json.dump(jsonable({**fit, **_record("calibrate", result["settings"], getattr(args, "argv", None))}), f,
                      indent=1)
        pd.DataFrame(result["history"]).to_csv(tmp / "history.csv", index=False)
        (tmp / "fit.md").write_text(md, encoding="utf-8")

    write_atomically(out, args.force, write)
    print(md)
    print(f"Wrote {out}/: fit.json, fit.md, history.csv")
    return 0


def _record(command: str, settings: dict, argv) -> dict:
    """The provenance record of a validation or a calibration (the one record of every output)."""
    import datetime as dt

    return {"command": [PROG, *(argv or [command])], "settings": settings, "seed_rule": SEED_RULE,
            "created": dt.datetime.now().astimezone().isoformat(timespec="seconds"), **environment()}


def _provenance(path: Path, command: str, settings: dict, argv) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(jsonable(_record(command, settings, argv)), f, indent=1)
        f.write("\n")


__all__ = ["add_parsers", "BASELINE"]
