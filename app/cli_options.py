"""What the subcommands share on the way in: one-line errors, integer options, the county options of
``run`` and ``compare``, and scenario arguments checked before anything runs."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ruralsim.experiments.arms import BASELINE
from ruralsim.model.declared import RUN_SETTINGS, Declared
from ruralsim.model.problems import shown



class CliError(Exception):
    """An error to report as one line, without a traceback."""


def one_line(text) -> str:
    return " ".join(str(text).split())


#: Settings of the command line itself (the run settings are declared in :mod:`ruralsim.model.declared`).
WORKERS = Declared(value=1, type="integer", low=1, high=1024, unit="processes", description="worker processes",
                   source="run setting", why="each worker is a Python process of a few hundred MB")
PORT = Declared(value=0, type="integer", low=0, high=65535, description="TCP port (0: a free one)",
                source="run setting")


def setting_arg(declared: Declared, **narrower):
    """An argparse type for an integer option: the text as an integer, checked against ``declared``
    (narrowed, e.g. ``low=100``, where the subcommand needs more), refused in the one wording."""
    households = declared is RUN_SETTINGS["households"]
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
        if households:
            problem = memory_problem(value)
            if problem:
                raise argparse.ArgumentTypeError(problem)
        return value

    return parse


#: Memory one simulated household takes at most, as a multiple of its state columns
#: (:data:`ruralsim.model.state.HOUSEHOLD_COLUMNS`): measured about 2.3x (peak RSS of a one-year baseline,
#: 20,000 against 200,000 households); the rest is room for the temporaries of the vectorised rules.
MEMORY_SAFETY = 6.0
MEMORY_BASE = 400 * 2**20  # the interpreter, numpy, pandas, the model's tables: bytes


def household_bytes() -> float:
    """Bytes a household is assumed to need: its state columns times :data:`MEMORY_SAFETY`."""
    import numpy as np

    from ruralsim.model.state import HOUSEHOLD_COLUMNS

    return MEMORY_SAFETY * sum(np.dtype(dtype).itemsize for dtype, _ in HOUSEHOLD_COLUMNS.values())


def available_memory() -> int | None:
    """Bytes available to a new process (/proc/meminfo MemAvailable, else free pages), None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def memory_problem(households: int, available: int | None = None, copies: int = 1) -> str | None:
    """Why ``households`` will not fit in the available memory (None if it fits or nobody knows);
    ``copies``: counties simulated at the same time (one per worker process of a sweep)."""
    available = available_memory() if available is None else available
    if available is None:
        return None
    per = household_bytes()
    need = copies * (MEMORY_BASE + households * per)
    if need <= available:
        return None
    most = max(0, int((available / copies - MEMORY_BASE) // per))
    what = f"{households:,} households" + (f" in each of {copies} workers" if copies > 1 else "")
    return (f"{what} need about {need / 2**30:,.1f} GiB of memory but only "
            f"{available / 2**30:,.1f} GiB is available (at most about {most:,} households fit"
            + (" per worker)" if copies > 1 else ")"))


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
