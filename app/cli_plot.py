"""``ruralsim plot DIR``: draw every figure that fits a sweep's results store.

Registered on the main parser by :func:`add_parsers` (see :mod:`ruralsim.app.cli`).  The figures come from
:mod:`experiments.sweep_plots`, the numbers from :mod:`experiments.analysis`:

* always: trajectories of relapse, poverty and Gini with 95% bands per value of the first lever
  (``--by`` to choose), and a fan chart of ``--outcome`` over all runs;
* two or more levers: a heatmap of ``--outcome`` over the first two (read in the year after a
  lever that holds a year, such as ``withdrawal_year``, unless ``--year`` is given);
* Lorenz parts in the store: mean Lorenz curves per lever value;
* a ``saltelli`` design: Sobol indices; a ``morris`` design: Morris mu* and sigma;
* scenario discovery: where ``--outcome`` exceeds ``--threshold`` (default: its 75th percentile
  over the design points).

Figures go to ``DIR/figures`` (or ``--out``) in each ``--format``, with ``figures.md`` giving a
caption per figure (and the Sobol / Morris tables and discovery rules).  The list of files is printed.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from ruralsim.experiments.provenance import PROG

from .cli_options import CliError

FORMATS = ("png", "svg", "pdf")
TRAJECTORY_OUTCOMES = ("relapse_rate", "poverty_rate", "gini")


def _formats(text: str) -> tuple[str, ...]:
    got = tuple(dict.fromkeys(f.strip().lower().lstrip(".") for f in text.split(",") if f.strip()))
    bad = [f for f in got if f not in FORMATS]
    if not got or bad:
        raise argparse.ArgumentTypeError(f"must be a comma-separated list of {', '.join(FORMATS)}; got {text!r}")
    return got


def _threshold(text: str) -> float:
    """A finite number (``nan`` and ``inf`` are refused in the one wording)."""
    from ruralsim.model.problems import shown

    try:
        value = float(text)
    except ValueError:
        value = text
    if not isinstance(value, float) or not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"'threshold': expected a finite number; found {shown(value)}")
    return value


def add_parsers(sub) -> None:
    plot = sub.add_parser("plot", help="draw the figures of a sweep's results store",
                          description="Draw every figure that fits the experiment in DIR (trajectories, fan "
                                      "chart, heatmap, Lorenz curves, Sobol or Morris indices, scenario "
                                      "discovery) into DIR/figures, with figures.md holding their captions.")
    plot.add_argument("directory", metavar="DIR", help="results store written by 'ruralsim sweep'")
    plot.add_argument("--out", "-o", default=None, metavar="FIGDIR", help="output folder (default DIR/figures)")
    plot.add_argument("--outcome", default="relapse_rate", metavar="OUTCOME",
                      help="metric column for the heatmap, fan chart, sensitivity and discovery "
                           "(default relapse_rate)")
    plot.add_argument("--year", type=int, default=None, metavar="Y",
                      help="year of the one-year figures (default: the final year; the heatmap of a "
                           "lever holding a year reads the year after it)")
    plot.add_argument("--threshold", type=_threshold, default=None, metavar="T",
                      help="scenario discovery looks for OUTCOME > T, in the column's units (0.05 = 5%%); "
                           "default: the 75th percentile over the design points")
    plot.add_argument("--by", default=None, metavar="FACTOR",
                      help="factor whose values the trajectories and Lorenz curves compare (default: the first lever)")
    plot.add_argument("--format", type=_formats, default=("png", "svg"), metavar="FMT[,FMT]",
                      help="png, svg and/or pdf (default png,svg)")
    plot.set_defaults(func=cmd_plot)


def _year_lever(results, manifest, levers, years) -> str | None:
    """A lever that holds a calendar year inside the horizon (``unit: year`` in the definition, or a name
    such as ``withdrawal_year``), if any."""
    import numpy as np
    import pandas as pd

    units = {f.get("name"): f.get("unit") for f in manifest.get("factors", [])}
    for name in levers:
        col = results[name]
        if (units.get(name) == "year" or "year" in name) and pd.api.types.is_numeric_dtype(col):
            v = col.to_numpy(dtype=float)
            if np.all(v == np.round(v)) and v.min() >= min(years) and v.max() <= max(years):
                return name
    return None


def cmd_plot(args) -> int:
    from ruralsim.experiments import analysis as A
    from ruralsim.experiments import sweep_plots as P

    try:
        results, design, lorenz, manifest = A.read_store(
            args.directory, metrics=[*dict.fromkeys([args.outcome, *TRAJECTORY_OUTCOMES])])
    except A.StoreError as exc:
        raise CliError(str(exc)) from None
    outcome = args.outcome
    if outcome not in results:
        raise CliError(f"unknown outcome {outcome!r}: not a column of the results in {args.directory}")
    years = sorted(int(y) for y in results["year"].unique())
    if args.year is not None and args.year not in years:
        raise CliError(f"year {args.year} is not in the results ({years[0]}-{years[-1]})")
    year = years[-1] if args.year is None else args.year
    factors = [f for f in A.factor_names(manifest) if f in results]
    levers = [f for f in A.lever_names(manifest) if f in results]
    if args.by is not None and args.by not in factors:
        raise CliError(f"--by {args.by!r} is not a factor of this experiment ({', '.join(factors) or 'none'})")
    by = args.by or (levers[0] if levers else factors[0] if factors else None)
    out = Path(args.out) if args.out else Path(args.directory) / "figures"
    if out.exists() and not out.is_dir():
        raise CliError(f"output path exists and is not a directory: {out}")
    method = manifest.get("design", {}).get("method")
    label = P.outcome_label(outcome)[0]

    jobs = [  # (file stem, heading, caption, function drawing the figure, extra markdown lines)
        ("trajectories", f"Relapse, poverty and inequality{f' by {by}' if by else ''}",
         "Mean of each outcome per year over the runs with each value, with the 95% t interval of the mean "
         "over replicates and the other factors.", lambda: (P.trajectories(results, by, manifest=manifest), [])),
        (f"fan_{outcome}", f"Spread of the {label} across all runs",
         "Median over all runs per year, with the central 50%, 80% and 95% of runs.",
         lambda: (P.fan_chart(results, outcome, manifest=manifest), [])),
    ]
    if len(levers) >= 2:
        after = _year_lever(results, manifest, levers[:2], years) if args.year is None else None
        x, y = (after, next(v for v in levers[:2] if v != after)) if after else (levers[0], levers[1])
        when = f"the year after {after}" if after else str(year)
        jobs.append((f"heatmap_{outcome}", f"{label.capitalize()} over {x} and {y}",
                     f"Mean {outcome} in {when} per combination of {x} and {y}, over replicates and the other "
                     "factors.", lambda: (P.heatmap(results, x, y, outcome, None if after else year,
                                                   year_after=after, manifest=manifest), [])))
    if lorenz is not None and len(lorenz):
        jobs.append(("lorenz_curves", "Lorenz curves, final year",
                     f"Mean Lorenz curve of per-capita income in the final year{f' per value of {by}' if by else ''}; "
                     "right: the difference from the first value, in percentage points of income.",
                     lambda: (P.lorenz_curves(lorenz, design, by, manifest=manifest), [])))
    if method == "saltelli":
        def sobol():
            idx = A.sobol_indices(results, manifest, outcome, year)
            return P.sobol_bars(idx, outcome, year, manifest=manifest), ["", _markdown_table(idx)]
        jobs.append((f"sobol_{outcome}", f"Sobol indices of the {label} in {year}",
                     "First-order (S1) and total (ST) Sobol indices with 95% bootstrap confidence intervals "
                     "(SALib; Saltelli et al. 2010), from replicate means.", sobol))
    if method == "morris":
        def morris():
            idx = A.morris_indices(results, manifest, outcome, year)
            return P.morris_plot(idx, outcome, year, manifest=manifest), ["", _markdown_table(idx)]
        jobs.append((f"morris_{outcome}", f"Morris screening of the {label} in {year}",
                     "Mean absolute elementary effect (mu*) against their spread (sigma) per factor "
                     "(SALib; Morris 1991, Campolongo et al. 2007), from replicate means.", morris))
    if factors:
        def discovery():
            boxes = A.scenario_discovery(results, manifest, outcome, year, args.threshold)
            how = "given" if args.threshold is not None else "the 75th percentile over the design points"
            lines = ["", f"Threshold {boxes.attrs['threshold']:.4g} ({how}):", ""]
            lines += [f"- {line}" for line in A.rules_text(boxes)]
            return P.discovery_boxes(results, manifest, outcome, year=year, boxes=boxes), lines
        jobs.append((f"discovery_{outcome}", f"Where the {label} is high in {year}",
                     f"Scenario discovery: boxes of factor values where {outcome} exceeds the threshold, from a "
                     "depth-3 decision tree; density is the share of points in a box above the threshold, "
                     "coverage the share of all such points inside it (Bryant & Lempert 2010).", discovery))

    out.mkdir(parents=True, exist_ok=True)
    written, sections, skipped = [], [], []
    for stem, heading, text, draw in jobs:
        try:
            fig, extra = draw()
        except ValueError as exc:  # e.g. a sensitivity analysis on an unfinished sweep
            skipped.append(f"{stem}: {exc}")
            print(f"{PROG}: skipped {stem}: {' '.join(str(exc).split())}", file=sys.stderr)
            continue
        paths = P.save(fig, out / stem, args.format)
        written += paths
        image = next((p for p in paths if p.suffix in (".png", ".svg")), None)
        sections += [f"## {heading}", ""]
        sections += [f"![{heading}]({image.name})", ""] if image else [", ".join(p.name for p in paths), ""]
        sections += [text, *extra, ""]
    md = out / "figures.md"
    head = [f"# Figures: {manifest.get('name', Path(args.directory).name)}", "",
            P.caption(manifest).replace("\n", " "), ""]
    if skipped:
        head += ["Not drawn:", "", *[f"- {s}" for s in skipped], ""]
    md.write_text("\n".join(head + sections), encoding="utf-8")
    for path in [*written, md]:
        print(path)
    return 0


def _markdown_table(df) -> str:
    cols = list(df.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in df.itertuples(index=False):
        lines.append("| " + " | ".join(f"{v:.3g}" if isinstance(v, float) else str(v) for v in row) + " |")
    return "\n".join(lines)
