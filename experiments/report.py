"""The comparison report: the files of ``ruralsim compare`` (tables, ``compare.json``, figures,
``report.md``, ``report.html``).

The figures are in :mod:`~ruralsim.experiments.report_figures`, what the report says in
:mod:`~ruralsim.experiments.report_text`, its Markdown and HTML in
:mod:`~ruralsim.experiments.report_render`; their names are importable from here.  Figures are
saved as PNG under ``figures/`` and embedded in the self-contained HTML page.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
from pathlib import Path

from . import plots
from .provenance import PROG, environment, jsonable
from .report_figures import (FIGURES, LEVEL, caption, deciles_figure, differences_figure, figures, fiscal_figure,
                             inequality_figure, rates_figure)
from .report_render import to_html, to_markdown
from .report_text import blocks
from .run import SEED_RULE

__all__ = ["FIGURES", "LEVEL", "caption", "rates_figure", "differences_figure", "inequality_figure",
           "deciles_figure", "fiscal_figure", "figures", "blocks", "to_markdown", "to_html", "metadata",
           "write_outputs"]


def metadata(result, *, argv=None, seed: int, replicates: int, elapsed: float | None = None) -> dict:
    """The contents of compare.json."""
    return jsonable({
        "ruralsim_compare_format": 1,
        "created": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": [PROG, *argv] if argv is not None else None,
        "arguments": {"replicates": replicates, "households": result.households_n, "years": result.years,
                      "seed": seed, "level": LEVEL},
        "seeds": result.seeds,
        "seed_rule": SEED_RULE,  # root = arguments.seed, replicates = arguments.replicates
        "scenarios": [{"label": a.label, "role": a.role, "name": a.scenario.name,
                       "description": a.scenario.description, "path": str(a.path) if a.path else None,
                       "sha256": a.scenario.sha256, "parameters_overrides": a.scenario.parameters_overrides,
                       "programme_changes": a.scenario.programme_changes} for a in result.arms],
        **environment(),
        "elapsed_seconds": None if elapsed is None else round(elapsed, 3),
    })


def write_outputs(directory, result, meta: dict) -> list[str]:
    """Write every table, compare.json, figures/*.png, report.md and report.html into ``directory``."""
    directory = Path(directory)
    for name, table in result.tables().items():
        table.to_csv(directory / name, index=False)
    with open(directory / "compare.json", "w", encoding="utf-8") as fh:
        json.dump(meta, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    (directory / "figures").mkdir()
    images = {}
    for name, fig in figures(result).items():
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=plots.DPI)
        images[name] = buf.getvalue()
        (directory / "figures" / name).write_bytes(images[name])
    report = blocks(result, meta)
    (directory / "report.md").write_text(to_markdown(report), encoding="utf-8")
    (directory / "report.html").write_text(to_html(report, images, report[0][1]), encoding="utf-8")
    return sorted(p.name for p in directory.iterdir())
