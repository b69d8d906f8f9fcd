"""Scenarios: a named overlay of parameter and programme changes on the baseline.

A scenario is checked completely when it is built, before anything is applied (OpenFisca's
reforms: never a half-applied reform), by the one validator, :func:`model.validator.check_overlay`:
an unknown key, a wrong type, NaN, an infinity or a value outside its declared bounds is refused,
every problem at once, e.g. ``Scenario 'reform': 'parameters.illness.acute_prob': expected a number
in [0, 1] (per household-month); found 1.5``.  Scenario files (:mod:`model.scenario_file`) are read
into this form and checked by the same validator.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import InitVar, dataclass, field
from pathlib import Path
from typing import Any

from .parameters import Parameters
from .policy import Programme, Schedule, baseline_programmes
from .problems import Problems, ScenarioError, line
from .validator import check_overlay

#: Programme fields that a scenario extending another merges with the other's (the rest replace).
MERGED_FIELDS = ("schedule", "other")


@dataclass
class Scenario:
    """Parameter overrides (dotted keys) and programme changes applied to the baseline.

    ``where`` names the scenario in messages (default ``Scenario 'NAME'``; the loader passes the
    file's path)."""

    name: str = "baseline"
    description: str = "transition-period policy kept indefinitely"
    parameters_overrides: dict[str, Any] = field(default_factory=dict)
    programme_changes: dict[str, dict[str, Any]] = field(default_factory=dict)
    path: str | None = None
    sha256: str | None = None
    where: InitVar[str | None] = None

    def __post_init__(self, where):
        problems = Problems(where or f"Scenario {self.name!r}", ScenarioError)
        for key in ("name", "description"):
            if not isinstance(getattr(self, key), str):
                problems.add(key, "text", getattr(self, key))
        check_overlay(problems, self.parameters_overrides, self.programme_changes)
        problems.raise_if_any()

    def extended(self, parameters: dict, programmes: dict, **fields) -> "Scenario":
        """This scenario with further changes on top, by the rules of a file that ``extends`` it:
        a parameter or programme field replaces this one's, ``schedule`` and ``other`` are merged.
        ``fields`` are the new scenario's name, description, path, sha256 and where."""
        params = {**self.parameters_overrides, **parameters}
        progs = {name: dict(changes) for name, changes in self.programme_changes.items()}
        for name, changes in programmes.items():
            merged = progs.setdefault(name, {})
            for key, value in changes.items():
                if key in MERGED_FIELDS and isinstance(merged.get(key), dict) and isinstance(value, dict):
                    merged[key] = {**merged[key], **value}
                else:
                    merged[key] = value
        return Scenario(parameters_overrides=params, programme_changes=progs, **fields)

    def parameters(self) -> Parameters:
        return Parameters(self.parameters_overrides)

    def programmes(self) -> dict[str, Programme]:
        progs = baseline_programmes()
        for name, changes in self.programme_changes.items():
            prog = progs[name]
            for key, value in changes.items():
                if key == "schedule":
                    prog.schedule = Schedule(**{**vars(copy.deepcopy(prog.schedule)), **value})
                elif key == "targeting":
                    prog.targeting = tuple([value] if isinstance(value, str) else value)
                elif key == "other":
                    prog.other = {**prog.other, **value}
                elif isinstance(value, dict):  # values keyed by year
                    prog.dated[key] = dict(value)
                else:
                    setattr(prog, key, value)
        return progs


def as_scenario(scenario) -> Scenario:
    """None -> baseline; a Scenario as is; a path -> :func:`load_scenario`."""
    if scenario is None:
        return Scenario()
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, (str, Path)):
        from .scenario_file import load_scenario

        return load_scenario(scenario)
    raise TypeError(line("RuralEconomy", "scenario", "null, a Scenario or the path of a scenario file", scenario))


def file_hash(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
