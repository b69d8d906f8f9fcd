"""Reading and validating scenario files (YAML) into :class:`model.scenario.Scenario`.

A scenario file is an overlay on the baseline, or on another file it ``extends``::

    name: withdrawal_gradual
    description: direct support phased out linearly over 2026-2028
    extends: withdrawal_cliff.yaml   # 'baseline' (the default) or a path relative to this file
    parameters:                      # dotted keys, or nested by section (model/parameters.py)
      illness.acute_prob: 0.015
      economy:
        wage_growth: {2021: 0.05, 2026: 0.03}   # dated: the value in force is the last one on or before the year
    programmes:                      # fields of model/policy.py Programme
      direct_support:
        schedule: {shape: linear, phase_out_start: 2026, end: 2028}
        targeting: [ex_poor, monitored]
        generosity: {2021: 1.0, 2024: 0.8}
        budget: 500                  # yuan per household of the county per year; null = none

The whole file is checked before anything runs, and every problem is reported,
each as ``FILE: 'KEY': expected WHAT; found VALUE``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .parameters import SPEC
from .policy import SHAPES, TARGETS, Schedule, baseline_programmes
from .scenario import Scenario, file_hash

TOP_KEYS = ("name", "description", "extends", "parameters", "programmes")
PROGRAMME_FIELDS = ("schedule", "targeting", "generosity", "budget", "amount", "conditional", "other", "description")
SCHEDULE_FIELDS = ("start", "end", "shape", "phase_out_start", "steps")
DATED_FIELDS = ("generosity", "amount", "budget")
FIRST_YEAR, LAST_YEAR = 2000, 2100  # years a scenario may name (runs start in 2021; schedules may start earlier)


class ScenarioError(ValueError):
    """A scenario file could not be used; the message lists every problem found."""


class _Problems:
    """Collects the problems of one file in one uniform wording (also used for experiment definitions)."""

    error: type = ScenarioError

    def __init__(self, path):
        self.path = path
        self.lines: list[str] = []

    def add(self, key: str, expected: str, found: Any) -> None:
        shown = found if isinstance(found, str) and found.startswith("<") else repr(found)
        self.lines.append(f"{self.path}: '{key}': expected {expected}; found {shown}")

    def raise_if_any(self) -> None:
        if self.lines:
            raise self.error("\n".join(self.lines))


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key given twice in one mapping (PyYAML keeps the last silently)."""


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (line {key_node.start_mark.line + 1})", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_mapping(path: Path, problems: _Problems, missing: str = "an existing scenario file",
                 kind: str = "scenario") -> dict | None:
    """Read a YAML file that must hold a mapping: UTF-8, valid YAML, no key given twice. Problems are
    added to ``problems`` (``missing`` says what a missing file should have been); None if unusable."""
    if not path.is_file():
        problems.add("(file)", missing, "<file not found>")
        return None
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.add("(file)", "UTF-8 text", f"<a byte that is not UTF-8 at position {exc.start}>")
        return None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 1}" if where is not None else ""
        what = str(getattr(exc, "problem", None) or exc)
        if what.startswith("duplicate key"):
            problems.add(what.split("'")[1], "a key given once in its mapping", f"<given twice{line}>")
        else:
            problems.add("(file)", "valid YAML", f"<YAML syntax error: {what}{line}>")
        return None
    if not isinstance(data, dict):
        problems.add("(file)", f"a mapping of {kind} keys", "<an empty file>" if data is None else data)
        return None
    return data


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_year(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and FIRST_YEAR <= v <= LAST_YEAR


def _dated(problems, key, value, check_one) -> None:
    """Validate a value that is either plain or keyed by year ({year: value})."""
    if not isinstance(value, dict):
        check_one(key, value)
        return
    if not value:
        problems.add(key, "a value or a mapping of years to values", value)
    years = list(value)
    for year in years:
        if not _is_year(year):
            problems.add(f"{key}.{year}", f"a year in [{FIRST_YEAR}, {LAST_YEAR}] as the key", year)
    ints = [y for y in years if _is_year(y)]
    if ints != sorted(ints) or len(set(ints)) != len(ints):
        problems.add(key, "years in increasing order", years)
    for year, v in value.items():
        check_one(f"{key}.{year}", v)


def _check_parameter(problems, key, section, name, value) -> None:
    spec = SPEC[section][name]

    def one(where, v):
        if spec.unit == "year":  # a stress-test year: null (off) or a year
            if v is not None and not _is_year(v):
                problems.add(where, f"null or a year in [{FIRST_YEAR}, {LAST_YEAR}]", v)
            return
        if not _is_number(v):
            problems.add(where, f"a number ({spec.unit or 'no unit'})", v)
        elif (spec.low is not None and v < spec.low) or (spec.high is not None and v > spec.high):
            lo = "-inf" if spec.low is None else spec.low
            hi = "inf" if spec.high is None else spec.high
            problems.add(where, f"a number in [{lo}, {hi}] ({spec.unit or 'no unit'})", v)

    _dated(problems, key, value, one)


def _flatten_parameters(problems, params: Any) -> dict[str, Any]:
    if not isinstance(params, dict):
        problems.add("parameters", "a mapping of parameter names to values", params)
        return {}
    flat: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, dict) and key in SPEC:
            for sub, v in value.items():
                flat[f"{key}.{sub}"] = v
        elif isinstance(value, dict) and "." not in str(key) and not all(isinstance(y, int) for y in value):
            problems.add(f"parameters.{key}", f"a known section ({', '.join(SPEC)})", key)
        else:
            flat[str(key)] = value
    good = {}
    for key, value in flat.items():
        section, _, name = key.partition(".")
        where = f"parameters.{key}"
        if section not in SPEC:
            problems.add(where, f"a parameter of a known section ({', '.join(SPEC)})", key)
        elif name not in SPEC[section]:
            problems.add(where, f"a parameter of '{section}' ({', '.join(SPEC[section])})", key)
        else:
            before = len(problems.lines)
            _check_parameter(problems, where, section, name, value)
            if len(problems.lines) == before:
                good[key] = value
    return good


def _check_schedule(problems, where, value, base: Schedule) -> None:
    if not isinstance(value, dict):
        problems.add(where, f"a mapping with keys among {', '.join(SCHEDULE_FIELDS)}", value)
        return
    for key in value:
        if key not in SCHEDULE_FIELDS:
            problems.add(f"{where}.{key}", f"one of {', '.join(SCHEDULE_FIELDS)}", key)
    if "shape" in value and value["shape"] not in SHAPES:
        problems.add(f"{where}.shape", f"one of {', '.join(SHAPES)}", value["shape"])
    for key in ("start", "end", "phase_out_start"):
        if key in value and value[key] is not None and not _is_year(value[key]):
            problems.add(f"{where}.{key}", f"a year in [{FIRST_YEAR}, {LAST_YEAR}]", value[key])
    steps = value.get("steps", {})
    if not isinstance(steps, dict):
        problems.add(f"{where}.steps", "a mapping of years to levels in [0, 1]", steps)
        steps = {}
    for year, level in steps.items():
        if not _is_year(year):
            problems.add(f"{where}.steps.{year}", f"a year in [{FIRST_YEAR}, {LAST_YEAR}] as the key", year)
        if not _is_number(level) or not 0 <= level <= 1:
            problems.add(f"{where}.steps.{year}", "a level in [0, 1]", level)
    if any(p.startswith(f"{problems.path}: '{where}") for p in problems.lines):
        return
    merged = {**vars(base), **value}
    start, end, first = merged["start"], merged["end"], merged["phase_out_start"]
    shape = merged["shape"]
    if shape in ("cliff", "linear") and end is None:
        problems.add(f"{where}.end", f"a year when the shape is '{shape}'", None)
    elif end is not None and end < start:
        problems.add(f"{where}.end", f"a year on or after the start ({start})", end)
    elif shape == "linear" and first is not None and not start <= first <= end:
        problems.add(f"{where}.phase_out_start", f"a year in [start, end] = [{start}, {end}]", first)
    elif shape == "stepped" and list(steps) != sorted(steps):
        problems.add(f"{where}.steps", "years in increasing order", list(steps))


def _check_programmes(problems, progs: Any) -> dict[str, dict]:
    if not isinstance(progs, dict):
        problems.add("programmes", "a mapping of programme names to changes", progs)
        return {}
    known = baseline_programmes()
    good = {}
    for name, changes in progs.items():
        where = f"programmes.{name}"
        if name not in known:
            problems.add(where, f"a known programme ({', '.join(known)})", name)
            continue
        if not isinstance(changes, dict):
            problems.add(where, f"a mapping with keys among {', '.join(PROGRAMME_FIELDS)}", changes)
            continue
        before = len(problems.lines)
        for key, value in changes.items():
            w = f"{where}.{key}"
            if key not in PROGRAMME_FIELDS:
                problems.add(w, f"one of {', '.join(PROGRAMME_FIELDS)}", key)
            elif key == "schedule":
                _check_schedule(problems, w, value, known[name].schedule)
            elif key == "targeting":
                groups = [value] if isinstance(value, str) else value
                if not isinstance(groups, list) or not groups or not all(g in TARGETS for g in groups):
                    problems.add(w, f"a list of groups among {', '.join(TARGETS)}", value)
            elif key in DATED_FIELDS:
                def one(wh, v, key=key):
                    if key == "budget" and v is None:
                        return
                    if not _is_number(v) or v < 0:
                        unit = {"budget": "yuan per household per year", "generosity": "a multiplier of the amount",
                                "amount": known[name].unit or "number"}[key]
                        problems.add(wh, f"a non-negative number ({unit})" + (" or null" if key == "budget" else ""), v)
                _dated(problems, w, value, one)
            elif key == "conditional" and not isinstance(value, bool):
                problems.add(w, "true or false", value)
            elif key == "description" and not isinstance(value, str):
                problems.add(w, "text", value)
            elif key == "other":
                if not isinstance(value, dict):
                    problems.add(w, f"a mapping with keys among {', '.join(known[name].other) or '(none)'}", value)
                    continue
                for k, v in value.items():
                    if k not in known[name].other:
                        problems.add(f"{w}.{k}", f"one of {', '.join(known[name].other) or '(none)'}", k)
                    elif not _is_number(v) or v < 0:
                        problems.add(f"{w}.{k}", "a non-negative number", v)
        if len(problems.lines) == before:
            good[name] = changes
    return good


def load_scenario(path, _seen: tuple = ()) -> Scenario:
    """Read, validate and resolve a scenario file and the files it extends; raise ScenarioError listing
    every problem of the first file that has any."""
    path = Path(path).resolve()
    problems = _Problems(path)
    if path in _seen:
        chain = " -> ".join(p.name for p in (*_seen, path))
        problems.add("extends", "a chain of files without a cycle", f"<{chain}>")
        problems.raise_if_any()
    data = read_mapping(path, problems)
    problems.raise_if_any()
    return _build(data, path, problems, _seen, sha256=file_hash(path), default_name=path.stem)


def scenario_from_dict(data: dict, where, base_dir=".", name: str = "scenario") -> Scenario:
    """Validate and resolve a scenario given as a mapping (as a file would hold it), e.g. one run of an
    experiment; ``where`` names it in messages and ``extends`` is relative to ``base_dir``."""
    problems = _Problems(Path(str(where)))
    if not isinstance(data, dict):
        problems.add("(scenario)", "a mapping of scenario keys", data)
        problems.raise_if_any()
    anchor = Path(base_dir).resolve() / "(inline)"
    return _build(data, anchor, problems, (), sha256=None, default_name=name)


def _build(data: dict, path: Path, problems: _Problems, _seen: tuple, sha256, default_name: str) -> Scenario:
    for key in data:
        if key not in TOP_KEYS:
            problems.add(str(key), f"one of {', '.join(TOP_KEYS)}", key)
    for key in ("name", "description"):
        if key in data and not isinstance(data[key], str):
            problems.add(key, "text", data[key])
    parent = Scenario()
    ext = data.get("extends", "baseline")
    target = None
    if ext not in (None, "baseline"):
        if not isinstance(ext, str):
            problems.add("extends", "'baseline' or the path of a scenario file", ext)
        else:
            target = (path.parent / ext).resolve()
            if not target.is_file():
                problems.add("extends", "'baseline' or the path of an existing scenario file",
                             f"<{ext}: file not found>")
                target = None
    params = _flatten_parameters(problems, data.get("parameters") or {})
    progs = _check_programmes(problems, data.get("programmes") or {})
    problems.raise_if_any()
    if target is not None:
        parent = load_scenario(target, (*_seen, path))
    merged_params = {**parent.parameters_overrides, **params}
    merged_progs = {k: dict(v) for k, v in parent.programme_changes.items()}
    for name, changes in progs.items():
        merged = merged_progs.setdefault(name, {})
        for key, value in changes.items():
            if key in ("schedule", "other") and isinstance(merged.get(key), dict):
                merged[key] = {**merged[key], **value}
            else:
                merged[key] = value
    scenario = Scenario(name=str(data.get("name", default_name)), description=str(data.get("description", "")).strip(),
                        parameters_overrides=merged_params, programme_changes=merged_progs,
                        path=None if sha256 is None else str(path), sha256=sha256)
    try:  # the overlay as a whole (a schedule changed in parts across files) must still make sense
        scenario.programmes()
    except ValueError as exc:
        problems.add("programmes", "schedules that are consistent once the extended files are applied", f"<{exc}>")
    problems.raise_if_any()
    return scenario


def check_files(paths) -> list[str]:
    """Validate scenario files; returns one message per bad file (empty if all are good)."""
    bad = []
    for p in paths:
        try:
            load_scenario(p)
        except ScenarioError as exc:
            bad.append(str(exc))
    return bad
