"""Checks of an experiment definition, each problem worded ``FILE: 'KEY': expected WHAT; found VALUE``.

Used by :func:`experiments.spec.parse_spec`: the base scenario (checked by the scenario loader, the
one validator of :mod:`model.validator`), the design and the outcomes; the factors are checked in
:mod:`experiments.factor_checks`.  Every check adds its problems and goes on, so that one pass
reports every problem of a file (the habit of OpenFisca's loader); nothing here raises on a bad file.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import yaml

from ruralsim.model.declared import is_integer

from .spec import METHODS, ROOT


def _resolve_file(text: str, spec_dir: Path | None) -> Path | None:
    """A path relative to the repository root (then the current directory, then the definition's folder)."""
    p = Path(text)
    candidates = [p] if p.is_absolute() else [ROOT / p, Path.cwd() / p, *([spec_dir / p] if spec_dir else [])]
    for c in candidates:
        if c.is_file():
            return c.resolve()
    return None


def check_scenario(value, spec_path, problems):
    """The base scenario: (as written, resolved file or None, sha256, validated Scenario)."""
    from ruralsim.model.scenario import Scenario
    from ruralsim.model.scenario_file import ScenarioError, load_scenario, scenario_from_dict

    spec_dir = spec_path.parent if spec_path else None
    expected = "'baseline', the path of a scenario file (relative to the repository root) or a scenario mapping"
    if value in (None, "baseline"):
        return "baseline", None, None, Scenario()
    if isinstance(value, str):
        target = _resolve_file(value, spec_dir)
        if target is None:
            problems.add("scenario", expected, f"<{value}: file not found>")
            return value, None, None, None
        try:
            base = load_scenario(target)
        except ScenarioError as exc:
            problems.extend(str(exc).splitlines())
            return value, target, None, None
        return value, target, _chain_hash(target), base
    if isinstance(value, dict):
        inline = dict(value)
        ext = inline.get("extends", "baseline")
        target = None
        if isinstance(ext, str) and ext != "baseline":
            target = _resolve_file(ext, spec_dir)
            if target is None:
                problems.add("scenario.extends", "'baseline' or the path of an existing scenario file "
                             "(relative to the repository root)", f"<{ext}: file not found>")
                return value, None, None, None
            inline["extends"] = str(target)
        try:
            base = scenario_from_dict(inline, f"{spec_path} scenario", base_dir=ROOT,
                                      name=str(inline.get("name", "scenario")))
        except ScenarioError as exc:
            problems.extend(str(exc).splitlines())
            return value, target, None, None
        return value, target, _chain_hash(target) if target else None, base
    problems.add("scenario", expected, value)
    return value, None, None, None


def _chain_hash(path: Path) -> str:
    """sha256 over a scenario file and every file it extends (a change anywhere changes the results)."""
    from ruralsim.model.scenario import file_hash

    h = hashlib.sha256()
    seen = set()
    while path is not None and path not in seen:
        seen.add(path)
        h.update(file_hash(path).encode())
        try:
            ext = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("extends", "baseline")
        except (OSError, yaml.YAMLError, AttributeError):
            break
        path = (path.parent / ext).resolve() if isinstance(ext, str) and ext != "baseline" else None
    return h.hexdigest()


def check_design(value, problems) -> dict:
    if not isinstance(value, dict) or "method" not in value:
        problems.add("design", f"a mapping with a 'method' among {', '.join(METHODS)}", value)
        return {"method": None}
    method = value["method"]
    if method not in METHODS:
        problems.add("design.method", f"one of {', '.join(METHODS)}", method)
        return {"method": None}
    allowed, defaults = METHODS[method]
    design = {"method": method, **defaults}
    for key, v in value.items():
        if key == "method":
            continue
        if key not in allowed:
            problems.add(f"design.{key}", f"a key of a {method} design among {', '.join(('method', *allowed))}", key)
            continue
        design[key] = v
    for key in ("samples", "trajectories"):
        if key in allowed and key not in value:
            problems.add(f"design.{key}", f"a positive integer (required by a {method} design)", "<missing>")
    if "samples" in design and "samples" in value:
        n = design["samples"]
        if not is_integer(n) or n < 1:
            problems.add("design.samples", "a positive integer", n)
        elif method in ("sobol", "saltelli") and n & (n - 1):
            problems.add("design.samples", f"a power of 2 (Sobol' points are balanced only then; e.g. "
                         f"{2 ** max(1, round(math.log2(n)))})", n)
    if "trajectories" in design and "trajectories" in value:
        if not is_integer(design["trajectories"]) or design["trajectories"] < 2:
            problems.add("design.trajectories", "an integer >= 2", design["trajectories"])
    if "levels" in design:
        lv = design["levels"]
        if not is_integer(lv) or lv < 2 or lv % 2:
            problems.add("design.levels", "an even integer >= 2 (Morris grid levels)", lv)
    if "calc_second_order" in design and not isinstance(design["calc_second_order"], bool):
        problems.add("design.calc_second_order", "true or false", design["calc_second_order"])
    return design


def check_outcomes(value, problems) -> list[str]:
    from ruralsim.model.annual import METRIC_COLUMNS

    metrics = [c for c in METRIC_COLUMNS if c != "year"]
    if value is None:
        return metrics
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        problems.add("outcomes", "a non-empty list of metric columns", value)
        return []
    for v in value:
        if v not in metrics:
            import difflib

            close = difflib.get_close_matches(v, metrics, n=3)
            hint = f"; close: {', '.join(close)}" if close else ""
            problems.add("outcomes", f"metric columns of the annual table (README.md, Output columns{hint})", v)
    if len(set(value)) != len(value):
        problems.add("outcomes", "each metric once", value)
    return list(value)
