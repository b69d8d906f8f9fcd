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
place at the end, so a failed or interrupted run leaves no partial output
(:mod:`ruralsim.app.cli_output`).  Each subcommand is a module of its own
(:mod:`~ruralsim.app.cli_run`, :mod:`~ruralsim.app.cli_compare`, :mod:`~ruralsim.app.cli_checks`,
:mod:`~ruralsim.app.cli_experiments`, :mod:`~ruralsim.app.cli_plot`, :mod:`~ruralsim.app.cli_dashboard`)
registered here by its ``add_parsers``.
Errors are reported as one line ``ruralsim: error: ...`` with a non-zero exit
status (set ``RURALSIM_TRACEBACK=1`` to see the traceback instead).
"""

from __future__ import annotations

import argparse
import os
import sys

from ruralsim.experiments.provenance import PROG, versions

from .cli_options import BASELINE, CliError, one_line

__all__ = ["main", "build_parser", "PROG", "BASELINE", "CliError"]


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors: ``ruralsim: error: ...`` (exit status 2)."""

    def error(self, message):  # noqa: D102 - argparse API
        hint = f" (see '{self.prog} --help')"
        self.exit(2, f"{PROG}: error: {one_line(message)}{hint}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Agent-based model of rural household incomes after poverty "
                                            "alleviation (Mesa).")
    v = versions(("ruralsim", "mesa"))
    parser.add_argument("--version", action="version",
                        version=f"{PROG} {v['ruralsim'] or 'unknown'} (mesa {v['mesa'] or '?'}, python {v['python']})")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    from . import cli_checks, cli_compare, cli_dashboard, cli_experiments, cli_plot, cli_run

    for command in (cli_run, cli_compare, cli_checks, cli_experiments, cli_plot, cli_dashboard):
        command.add_parsers(sub)
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
        print(f"{PROG}: error: {one_line(message)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
