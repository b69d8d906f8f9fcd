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

``extends`` names a ``.yaml`` or ``.yml`` file, relative to this file or absolute; files outside the
scenario's folder are allowed (an experiment's inline scenario and the dashboard extend a library file by
its absolute path), but only scenario files are read, and no message quotes more than
:data:`model.problems.MAX_SHOWN` characters of any of them.

``kind`` may be written too, as a check: it must be the kind the programme is declared as
(:mod:`model.programmes`).  The whole file is checked before anything runs, by the validator every
way in uses (:mod:`model.validator`), and every problem is reported, each as
``FILE: 'KEY': expected WHAT; found VALUE``.  Then the file is laid on the one it extends, and the
result is checked again (a schedule changed in parts across files must still make sense).

Reading is bounded, so that a small bad file gets a quick error, not a hang: a file holds at most
:data:`MAX_BYTES`, nests at most :data:`MAX_DEPTH` levels, uses no YAML alias (``*name``; an
alias bomb of 400 bytes expands to gigabytes), extends at most :data:`MAX_EXTENDS` files, without a
cycle; at most :data:`model.problems.MAX_PROBLEMS` problems are listed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .parameters import SPEC
from .problems import Problems, ScenarioError
from .scenario import Scenario, file_hash
from .validator import check_overlay

TOP_KEYS = ("name", "description", "extends", "parameters", "programmes")
MAX_BYTES = 1_000_000  # a scenario file is a few kilobytes
MAX_DEPTH = 32  # levels of nested mappings and lists (a scenario needs 5)
MAX_EXTENDS = 16  # files in a chain of 'extends'
SUFFIXES = (".yaml", ".yml")


class _Refused(yaml.YAMLError):
    """A problem found while reading: (key, expected, found) in the one wording."""

    def __init__(self, key, expected: str, found):
        super().__init__(expected)
        self.key, self.expected, self.found = key, expected, found


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key given twice in one mapping (PyYAML keeps the last silently), a key
    that is a list or a mapping, aliases (``*name``) and nesting deeper than :data:`MAX_DEPTH`."""

    _depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise _Refused("(file)", "no YAML aliases (*name): write each value out",
                           f"<an alias at line {mark.line + 1}>")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise _Refused("(file)", f"at most {MAX_DEPTH} levels of nesting",
                               f"<deeper at line {mark.line + 1}>")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        at = f"line {key_node.start_mark.line + 1}"
        try:
            hash(key)
        except TypeError:
            raise _Refused(f"(key at {at})", "a key that is text or a number", f"<a {type(key).__name__}>") from None
        if key in seen:
            raise _Refused(key, "a key given once in its mapping", f"<given twice at {at}>")
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_mapping(path: Path, problems: Problems, missing: str = "an existing scenario file",
                 kind: str = "scenario") -> dict | None:
    """Read a YAML file that must hold a mapping: UTF-8, valid YAML, no key given twice. Problems are
    added to ``problems`` (``missing`` says what a missing file should have been); None if unusable."""
    try:
        if not path.is_file():
            if path.is_symlink():  # a dangling link or a loop (Python >= 3.13 reports a loop as missing)
                problems.add("(file)", "a readable file", "<a symbolic link that leads to no file>")
            else:
                problems.add("(file)", missing, "<file not found>")
            return None
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except (OSError, RuntimeError) as exc:  # unreadable; a symlink loop
        problems.add("(file)", "a readable file", f"<{type(exc).__name__}: {exc}>")
        return None
    if len(raw) > MAX_BYTES:
        problems.add("(file)", f"a file of at most {MAX_BYTES:,} bytes", "<a larger file>")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.add("(file)", "UTF-8 text", f"<a byte that is not UTF-8 at position {exc.start}>")
        return None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except _Refused as exc:
        problems.add(exc.key, exc.expected, exc.found)
        return None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 1}" if where is not None else ""
        what = str(getattr(exc, "problem", None) or exc)
        problems.add("(file)", "valid YAML", f"<YAML syntax error: {what}{line}>")
        return None
    except (ValueError, OverflowError, RecursionError) as exc:  # a date 2022-02-30, an integer of 5,000 digits
        problems.add("(file)", "valid YAML values", f"<{type(exc).__name__}: {exc}>")
        return None
    if not isinstance(data, dict):
        problems.add("(file)", f"a mapping of {kind} keys", "<an empty file>" if data is None else data)
        return None
    return data


def _flatten_parameters(problems: Problems, params: Any) -> dict[str, Any]:
    """Parameters by dotted key: ``{economy: {wage_growth: x}}`` is ``{'economy.wage_growth': x}``."""
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
    return flat


def load_scenario(path, _seen: tuple = ()) -> Scenario:
    """Read, validate and resolve a scenario file and the files it extends; raise ScenarioError listing
    every problem of the first file that has any."""
    problems = Problems(path, ScenarioError)
    try:
        path = Path(path).resolve()
    except (OSError, RuntimeError) as exc:  # a symlink to itself
        problems.add("(file)", "a readable file", f"<{type(exc).__name__}: {exc}>")
        problems.raise_if_any()
    problems.where = path
    if path in _seen:
        chain = " -> ".join(p.name for p in (*_seen, path))
        problems.add("extends", "a chain of files without a cycle", f"<{chain}>")
        problems.raise_if_any()
    if len(_seen) >= MAX_EXTENDS:
        problems.add("extends", f"a chain of at most {MAX_EXTENDS} files", f"<{len(_seen) + 1} files>")
        problems.raise_if_any()
    data = read_mapping(path, problems)
    problems.raise_if_any()
    return _build(data, path, problems, _seen, sha256=file_hash(path), default_name=path.stem)


def scenario_from_dict(data: dict, where, base_dir=".", name: str = "scenario") -> Scenario:
    """Validate and resolve a scenario given as a mapping (as a file would hold it), e.g. one run of an
    experiment; ``where`` names it in messages and ``extends`` is relative to ``base_dir``."""
    problems = Problems(where, ScenarioError)
    if not isinstance(data, dict):
        problems.add("(scenario)", "a mapping of scenario keys", data)
        problems.raise_if_any()
    anchor = Path(base_dir).resolve() / "(inline)"
    return _build(data, anchor, problems, (), sha256=None, default_name=name)


def _extended(problems: Problems, path: Path, ext: str) -> Path | None:
    """The file ``ext`` names (relative to ``path``), if it is an existing scenario file (.yaml, .yml)."""
    if Path(ext).suffix.lower() not in SUFFIXES:
        problems.add("extends", f"'baseline' or the path of a scenario file ({', '.join(SUFFIXES)})", ext)
        return None
    try:
        target = (path.parent / ext).resolve()
        found = target.is_file()
    except (OSError, RuntimeError, ValueError) as exc:  # a symlink loop; a NUL byte in the name
        problems.add("extends", "'baseline' or the path of a readable scenario file", f"<{type(exc).__name__}>")
        return None
    if not found and target.is_symlink():  # a dangling link or a loop (Python >= 3.13 reports a loop as missing)
        problems.add("extends", "'baseline' or the path of a readable scenario file",
                     f"<{ext}: a symbolic link that leads to no file>")
        return None
    if not found:
        problems.add("extends", "'baseline' or the path of an existing scenario file", f"<{ext}: file not found>")
        return None
    return target


def _build(data: dict, path: Path, problems: Problems, _seen: tuple, sha256, default_name: str) -> Scenario:
    for key in data:
        if key not in TOP_KEYS:
            problems.add(str(key), f"one of {', '.join(TOP_KEYS)}", key)
    for key in ("name", "description"):
        if key in data and not isinstance(data[key], str):
            problems.add(key, "text", data[key])
    ext = data.get("extends", "baseline")
    target = None
    if ext not in (None, "baseline"):
        if not isinstance(ext, str):
            problems.add("extends", "'baseline' or the path of a scenario file", ext)
        else:
            target = _extended(problems, path, ext)
    params = _flatten_parameters(problems, {} if data.get("parameters") is None else data["parameters"])
    progs = {} if data.get("programmes") is None else data["programmes"]
    check_overlay(problems, params, progs)  # this file's own changes, before the file it extends is read
    problems.raise_if_any()
    parent = load_scenario(target, (*_seen, path)) if target is not None else Scenario()
    return parent.extended(params, progs, name=str(data.get("name", default_name)),
                           description=str(data.get("description", "")).strip(),
                           path=None if sha256 is None else str(path), sha256=sha256, where=str(problems.where))
