"""Provenance of a sweep: ``manifest.json`` (spec hash, resolved definition, design, factors, seeds,
runs, package versions, git commit, code fingerprint) and the check that a resumed sweep is the same one.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from . import store
from .designs import salib_problem
from .provenance import environment, jsonable
from .run import SEED_RULE
from .spec import ExperimentSpec

SOURCES = ("run.py", "spec.py", "checks.py", "points.py", "designs.py", "runner.py", "store.py", "executors.py", "manifest.py")


def code_fingerprint() -> str:
    """sha256 over the source of the model and of the sweep runner (what decides a run's results)."""
    h = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]
    files = sorted((root / "model").rglob("*.py")) + [root / "experiments" / name for name in SOURCES]
    for f in files:
        if f.is_file():
            h.update(f.relative_to(root).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def build_manifest(spec: ExperimentSpec, points: list[dict], seeds: list[int], batches: list[np.ndarray]) -> dict:
    runs = len(points) * spec.replicates
    design = {k: v for k, v in spec.design.items()}
    design["points"] = len(points)
    design["problem"] = salib_problem(spec) if all(f.range is not None for f in spec.factors) else None
    design["run_id"] = "point * replicates + replicate (points in the design's own order)"
    design["order"] = ("replicate-major over a low-discrepancy permutation of the points "
                       "(experiments/designs.py)")
    return jsonable({
        "format": store.FORMAT,
        "name": spec.name,
        "description": spec.description,
        "spec_hash": spec.spec_hash(),
        "spec": spec.resolved(),
        "spec_file": str(spec.path) if spec.path else None,
        "scenario_file": str(spec.scenario_path) if spec.scenario_path else None,
        "design": design,
        "factors": [f.as_json() for f in spec.factors],
        "outcomes": list(spec.outcomes),
        "seed": spec.seed,
        "seeds": {"root": spec.seed, "replicate_seeds": seeds,
                  "rule": f"{SEED_RULE}; replicate r of every design point runs with replicate_seeds[r] "
                          "(common random numbers)"},
        "replicates": spec.replicates, "years": spec.years, "households": spec.households,
        "points": len(points), "runs": runs, "batch_size": spec.batch_size,
        "batches": {"count": len(batches), "last_first_run_id": int(batches[-1][0]) if batches else None,
                    "last_runs": int(len(batches[-1])) if batches else 0},
        "lorenz_points": store.LORENZ_POINTS,
        **environment(),
        "code_fingerprint": code_fingerprint(),
    })


def spec_changes(old: dict, new: dict) -> list[str]:
    """What differs between two resolved definitions, in words (for the message refusing a resume)."""
    changes = []
    for key in dict.fromkeys([*old, *new]):
        if key == "description":
            continue
        a, b = old.get(key), new.get(key)
        if key == "factors" and isinstance(a, list) and isinstance(b, list):
            fa = {f.get("name"): {k: v for k, v in f.items() if k not in ("description", "unit")} for f in a}
            fb = {f.get("name"): {k: v for k, v in f.items() if k not in ("description", "unit")} for f in b}
            for name in dict.fromkeys([*fa, *fb]):
                if fa.get(name) != fb.get(name):
                    changes.append(f"factor {name}" + ("" if name in fa and name in fb else
                                                        " added" if name in fb else " removed"))
        elif a != b:
            scalar = all(x is None or isinstance(x, (int, float, str)) for x in (a, b))
            changes.append(f"{key} {a!r} -> {b!r}" if scalar else key)
    return changes
