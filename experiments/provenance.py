"""Provenance: what is recorded next to every result so that it can be reproduced.

One record for the outputs of the project (``run.json`` of ``ruralsim run``, ``compare.json``,
a sweep's ``manifest.json``, ``ruralsim --version``): package versions, the platform, the git
commit of the source tree; and one JSON encoder for parameters, tables and experiment definitions.
"""

from __future__ import annotations

import math
import platform
import subprocess
from importlib import metadata
from pathlib import Path

import numpy as np

PROG = "ruralsim"
DISTRIBUTIONS = ("ruralsim", "mesa", "numpy", "scipy", "pandas", "pyarrow", "matplotlib", "SALib", "dask",
                 "distributed")


def version(dist: str) -> str | None:
    """Installed version of a distribution, or None."""
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def versions(dists=DISTRIBUTIONS) -> dict:
    """Versions of the distributions that decide results, and of Python."""
    return {d: version(d) for d in dists} | {"python": platform.python_version()}


def git_info() -> dict:
    """Commit of the source tree the package was imported from, if it is a git checkout."""
    root = Path(__file__).resolve().parents[1]

    def git(*cmd):
        r = subprocess.run(["git", "--no-optional-locks", *cmd], cwd=root, capture_output=True, text=True,
                           timeout=10, check=True)
        return r.stdout.strip()

    try:
        if Path(git("rev-parse", "--show-toplevel")).resolve() != root:
            return {"git_commit": None}
        info = {"git_commit": git("rev-parse", "HEAD")}
        info["git_dirty"] = bool(git("status", "--porcelain", "--untracked-files=no"))
        return info
    except Exception:  # noqa: BLE001 - no git, not a checkout, ...
        return {"git_commit": None}


def environment(dists=DISTRIBUTIONS) -> dict:
    """Versions, platform and git commit: the part of every provenance record that is not the run's own."""
    return {"versions": versions(dists), "platform": platform.platform(), **git_info()}


def jsonable(obj):
    """``obj`` as plain JSON types: numpy scalars and arrays as numbers and lists, paths as strings,
    non-finite floats as null / "inf" / "-inf" (JSON has no NaN), anything else as its repr."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        return jsonable(obj.item())
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, float) and not math.isfinite(obj):
        return None if math.isnan(obj) else ("inf" if obj > 0 else "-inf")
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    return repr(obj)
