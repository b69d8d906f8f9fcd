"""Scenarios: a named overlay of parameter and programme changes on the baseline.

The file format and its complete validation are the subject of the scenario
issue; this module holds the in-memory form the model runs on.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .parameters import Parameters
from .policy import Programme, Schedule, baseline_programmes


@dataclass
class Scenario:
    """Parameter overrides (dotted keys) and programme changes applied to the baseline."""

    name: str = "baseline"
    description: str = "transition-period policy kept indefinitely"
    parameters_overrides: dict[str, Any] = field(default_factory=dict)
    programme_changes: dict[str, dict[str, Any]] = field(default_factory=dict)
    path: str | None = None
    sha256: str | None = None

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
    raise TypeError(f"The 'scenario' parameter of RuralEconomy must be None, a Scenario or a path. Got {scenario!r}.")


def file_hash(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
