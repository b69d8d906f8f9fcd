"""What the subcommands share on the way in: one-line errors, integer options, the county options of
``run`` and ``compare``, and scenario arguments checked before anything runs."""

from __future__ import annotations

import argparse
from pathlib import Path

from ruralsim.experiments.arms import BASELINE
from ruralsim.model.declared import RUN_SETTINGS, Declared
from ruralsim.model.problems import shown



class CliError(Exception):
    """An error to report as one line, without a traceback."""


def one_line(text) -> str:
    return " ".join(str(text).split())


#: Settings of the command line itself (the run settings are declared in :mod:`ruralsim.model.declared`).
WORKERS = Declared(value=1, type="integer", low=1, unit="processes", description="worker processes",
                   source="run setting")
PORT = Declared(value=0, type="integer", low=0, high=65535, description="TCP port (0: a free one)",
                source="run setting")


def setting_arg(declared: Declared, **narrower):
    """An argparse type for an integer option: the text as an integer, checked against ``declared``
    (narrowed, e.g. ``low=100``, where the subcommand needs more), refused in the one wording."""
    if narrower:
        declared = declared.narrowed(**narrower)

    def parse(text: str) -> int:
        try:
            value = int(text, 10)
        except ValueError:
            value = text
        expected = declared.problem(value)
        if expected:
            raise argparse.ArgumentTypeError(f"expected {expected}; found {shown(value)}")
        return value

    return parse


def add_county_options(parser, seed_help: str, default_out: str) -> None:
    """--households, --years, --seed, --out, --force and --quiet, shared by `run` and `compare`."""
    parser.add_argument("--households", "-n", type=setting_arg(RUN_SETTINGS["households"]), default=10_000, metavar="N",
                        help="number of households (default 10000)")
    parser.add_argument("--years", "-y", type=setting_arg(RUN_SETTINGS["years"]), default=10, metavar="Y",
                        help="years to simulate after the 2020 calibration year (default 10)")
    parser.add_argument("--seed", "-s", type=setting_arg(RUN_SETTINGS["seed"]), default=0, metavar="S", help=seed_help)
    parser.add_argument("--out", "-o", default=None, metavar="DIR", help=f"output directory (default {default_out})")
    parser.add_argument("--force", action="store_true", help="replace DIR if it exists and is not empty")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no summary")


def resolve_scenario(text: str) -> Path | None:
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
        message = one_line(exc)  # the loader's messages usually name the file already
        where = "" if str(path.resolve()) in message or text in message else f" {text}"
        raise CliError(f"invalid scenario file{where}: {message}") from None
    return path
