"""Reading scenario files (YAML) into :class:`model.scenario.Scenario`.

A scenario file is an overlay on the baseline (or on another file it
``extends``)::

    name: withdrawal_cliff
    description: all direct support ends at the end of 2025
    extends: baseline            # optional: 'baseline' or a path relative to this file
    parameters:                  # dotted keys or nested sections of model/parameters.py
      illness.acute_prob: 0.015
    programmes:                  # fields of model/policy.py Programme
      direct_support:
        schedule: {shape: cliff, end: 2025}
        generosity: 1.0

Every error names the file, the key and what was expected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .parameters import SPEC
from .policy import SHAPES, TARGETS, baseline_programmes
from .scenario import Scenario, file_hash

PROGRAMME_FIELDS = {"schedule", "targeting", "generosity", "budget", "amount", "conditional", "other", "description"}
SCHEDULE_FIELDS = {"start", "end", "shape", "phase_out_start", "steps"}


class ScenarioError(ValueError):
    """A scenario file could not be used; the message says where and why."""


def _fail(path, key, expected, found):
    raise ScenarioError(f"{path}: '{key}' must be {expected}; found {found!r}")


def _read(path: Path) -> dict:
    if not path.is_file():
        raise ScenarioError(f"{path}: file not found")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not UTF-8 text") from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{path}: YAML syntax error: {exc}".replace("\n", " ")) from None
    if not isinstance(data, dict):
        _fail(path, "(file)", "a mapping of keys to values", data)
    return data


def _flatten(path, params: Any) -> dict[str, Any]:
    if not isinstance(params, dict):
        _fail(path, "parameters", "a mapping", params)
    flat = {}
    for key, value in params.items():
        if isinstance(value, dict) and key in SPEC:
            for sub, v in value.items():
                flat[f"{key}.{sub}"] = v
        else:
            flat[str(key)] = value
    for key, value in flat.items():
        section, _, name = key.partition(".")
        if section not in SPEC or name not in SPEC[section]:
            _fail(path, f"parameters.{key}", "a known parameter (see model/parameters.py)", key)
        spec = SPEC[section][name]
        if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
            if spec.value is None and value is None:
                continue
            _fail(path, f"parameters.{key}", f"a number ({spec.unit})", value)
        if (spec.low is not None and value < spec.low) or (spec.high is not None and value > spec.high):
            _fail(path, f"parameters.{key}", f"in [{spec.low}, {spec.high}]", value)
    return flat


def _programmes(path, progs: Any) -> dict[str, dict]:
    if not isinstance(progs, dict):
        _fail(path, "programmes", "a mapping of programme names", progs)
    known = baseline_programmes()
    for name, changes in progs.items():
        if name not in known:
            _fail(path, f"programmes.{name}", f"one of {sorted(known)}", name)
        if not isinstance(changes, dict):
            _fail(path, f"programmes.{name}", "a mapping", changes)
        for key, value in changes.items():
            where = f"programmes.{name}.{key}"
            if key not in PROGRAMME_FIELDS:
                _fail(path, where, f"one of {sorted(PROGRAMME_FIELDS)}", key)
            if key == "schedule":
                if not isinstance(value, dict) or not set(value) <= SCHEDULE_FIELDS:
                    _fail(path, where, f"a mapping with keys among {sorted(SCHEDULE_FIELDS)}", value)
                if value.get("shape", "none") not in SHAPES:
                    _fail(path, where + ".shape", f"one of {list(SHAPES)}", value.get("shape"))
            elif key == "targeting":
                groups = [value] if isinstance(value, str) else value
                if not isinstance(groups, list) or not all(g in TARGETS for g in groups):
                    _fail(path, where, f"a list of {list(TARGETS)}", value)
            elif key in ("generosity", "amount", "budget"):
                if key == "budget" and value is None:
                    continue
                if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                    _fail(path, where, "a non-negative number", value)
            elif key == "conditional" and not isinstance(value, bool):
                _fail(path, where, "true or false", value)
    return progs


def load_scenario(path, _seen: tuple = ()) -> Scenario:
    """Read, validate and resolve a scenario file (and the files it extends)."""
    path = Path(path).resolve()
    if path in _seen:
        raise ScenarioError(f"{path}: 'extends' forms a cycle: {' -> '.join(str(p) for p in (*_seen, path))}")
    data = _read(path)
    unknown = set(data) - {"name", "description", "extends", "parameters", "programmes"}
    if unknown:
        _fail(path, sorted(unknown)[0], "one of name, description, extends, parameters, programmes", sorted(unknown)[0])
    parent = Scenario()
    ext = data.get("extends", "baseline")
    if ext not in (None, "baseline"):
        target = path.parent / str(ext)
        if not target.is_file():
            _fail(path, "extends", "'baseline' or an existing scenario file", f"{ext} (file not found)")
        parent = load_scenario(target, (*_seen, path))
    params = {**parent.parameters_overrides, **_flatten(path, data.get("parameters") or {})}
    progs = {k: dict(v) for k, v in parent.programme_changes.items()}
    for name, changes in _programmes(path, data.get("programmes") or {}).items():
        merged = progs.setdefault(name, {})
        for key, value in changes.items():
            if key in ("schedule", "other") and isinstance(merged.get(key), dict):
                merged[key] = {**merged[key], **value}
            else:
                merged[key] = value
    return Scenario(name=str(data.get("name", path.stem)), description=str(data.get("description", "")),
                    parameters_overrides=params, programme_changes=progs, path=str(path), sha256=file_hash(path))
