"""Experiment definitions (YAML): reading, complete validation, and one scenario per design point.

An experiment is a base scenario x factors x replicate seeds (EMA Workbench's vocabulary:
*uncertainties* are factors nobody controls, *levers* are policy choices, *outcomes* are
metric columns)::

    name: withdrawal_timing_pace_monitoring
    description: when and how fast can support go without raising relapse?
    scenario: scenarios/withdrawal_keep_safety_net.yaml   # 'baseline', a file (relative to the
                                                          # repository root) or an inline scenario
    design: {method: full_factorial}    # | {method: lhs, samples: N} | {method: sobol, samples: 2^m}
                                        # | {method: saltelli, samples: 2^m, calc_second_order: true}
                                        # | {method: morris, trajectories: N, levels: 4}
    factors:
      phase_out_start:
        kind: lever                     # lever | uncertainty
        targets: ['programmes.{direct_support,industry_support}.schedule.phase_out_start']
        values: [2024, 2026, 2028]      # or range: [low, high] (+ integer: true)
        unit: year                      # optional, for labels
      phase_out_years:
        kind: lever
        values: [1, 3]
        targets:                        # a target may be computed from the factors
          - programmes.{direct_support,industry_support}.schedule.end: phase_out_start + phase_out_years - 1
    replicates: 10                      # seeds spawned from `seed` (numpy SeedSequence)
    years: 10
    households: 10000
    seed: 0
    outcomes: [relapse_rate, gini]      # metric columns to keep (default: all)
    batch_size: 8                       # runs per Parquet part (default 8)

A target is a scenario key path: ``parameters.SECTION.NAME``, ``programmes.NAME.FIELD``
(generosity, amount, budget, conditional, targeting), ``programmes.NAME.schedule.FIELD``
(start, end, shape, phase_out_start) or ``programmes.NAME.other.KEY``; ``{a,b,c}`` lists several.
The whole file is checked before anything runs (:mod:`experiments.checks`,
:mod:`experiments.factor_checks`: a factor's values are checked against the declarations of the
key paths it sets) and every problem is reported, each as ``FILE: 'KEY': expected WHAT; found
VALUE`` (the wording of scenario files); then every design point is made into a scenario and
validated exactly like a scenario file (:mod:`experiments.points`,
:func:`model.scenario_file.scenario_from_dict`).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ruralsim.model.declared import RUN_SETTINGS, check, is_number
from ruralsim.model.problems import InputError, Problems
from ruralsim.model.scenario_file import read_mapping

from .provenance import jsonable

ROOT = Path(__file__).resolve().parents[1]  # the repository root: scenario paths are relative to it
DEFINITIONS = Path(__file__).resolve().parent / "definitions"

TOP_KEYS = ("name", "description", "scenario", "design", "factors", "replicates", "years", "households", "seed",
            "outcomes", "batch_size")
METHODS = {  # method -> (allowed keys, defaults)
    "full_factorial": ((), {}),
    "lhs": (("samples",), {}),
    "sobol": (("samples",), {}),
    "saltelli": (("samples", "calc_second_order"), {"calc_second_order": True}),
    "morris": (("trajectories", "levels"), {"levels": 4}),
}
KINDS = ("uncertainty", "lever")
FACTOR_KEYS = ("kind", "targets", "values", "range", "integer", "unit", "description")
DEFAULTS = {key: RUN_SETTINGS[key].value for key in ("replicates", "years", "households", "seed", "batch_size")}
RESERVED = ("run_id", "replicate", "seed", "year", "point", "population_share", "income_share", "error")
MAX_FACTORIAL_LEVELS = 1000  # an integer range enumerated by a full factorial
MAX_POINT_PROBLEMS = 20  # design-point problems listed before the rest are counted
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class SpecError(InputError):
    """An experiment definition could not be used; the message lists every problem found."""


def _problems(where) -> Problems:
    """Problems of a definition, worded like those of scenario files."""
    return Problems(where, SpecError)


# -- the definition in memory ----------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """A scenario key path a factor sets: to the factor's value, or to ``expression`` of the factors."""

    path: str
    expression: str | None = None

    def as_json(self):
        return self.path if self.expression is None else {self.path: self.expression}


@dataclass(frozen=True)
class Factor:
    """One varied input: an uncertainty or a lever, its targets and its values or range."""

    name: str
    kind: str
    targets: tuple[Target, ...]
    values: tuple | None = None
    range: tuple | None = None
    integer: bool = False
    unit: str | None = None
    description: str = ""

    @property
    def column_type(self) -> str:
        """Arrow type of the factor's column: int64, float64, bool or string."""
        if self.range is not None:
            return "int64" if self.integer else "float64"
        present = [v for v in self.values if v is not None]
        if present and all(isinstance(v, bool) for v in present):
            return "bool"
        if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
            return "int64"
        if present and all(is_number(v) for v in present):
            return "float64"
        return "string"

    @property
    def numeric(self) -> bool:
        return self.column_type in ("int64", "float64")

    def levels(self) -> list:
        """The values a full factorial takes: ``values``, or every integer of an integer range."""
        if self.values is not None:
            return list(self.values)
        return list(range(int(self.range[0]), int(self.range[1]) + 1))

    def as_json(self) -> dict:
        out = {"name": self.name, "kind": self.kind, "targets": [t.as_json() for t in self.targets]}
        if self.values is not None:
            out["values"] = list(self.values)
        else:
            out["range"] = list(self.range)
            out["integer"] = self.integer
        out["unit"] = self.unit
        out["description"] = self.description
        out["column_type"] = self.column_type
        return out


@dataclass(frozen=True)
class ExperimentSpec:
    """A validated experiment definition (see the module docstring for the file format)."""

    name: str
    description: str
    scenario: Any  # 'baseline', a path as written, or an inline scenario mapping
    design: dict
    factors: tuple[Factor, ...]
    replicates: int
    years: int
    households: int
    seed: int
    outcomes: tuple[str, ...]
    batch_size: int
    path: Path | None = None  # the definition file
    scenario_path: Path | None = None  # the base scenario file, resolved
    scenario_sha256: str | None = None  # of that file (and of the files an inline scenario extends)
    base: Any = field(default=None, repr=False, compare=False)  # the base Scenario, validated

    @property
    def factor_names(self) -> list[str]:
        return [f.name for f in self.factors]

    def resolved(self) -> dict:
        """Everything that defines the experiment's results, as plain JSON (the manifest's ``spec``)."""
        scenario = self.scenario if isinstance(self.scenario, str) else copy.deepcopy(self.scenario)
        return jsonable({
            "name": self.name, "description": self.description,
            "scenario": scenario, "scenario_sha256": self.scenario_sha256,
            "design": dict(self.design), "factors": [f.as_json() for f in self.factors],
            "replicates": self.replicates, "years": self.years, "households": self.households, "seed": self.seed,
            "outcomes": list(self.outcomes), "batch_size": self.batch_size,
        })

    def spec_hash(self) -> str:
        """sha256 of :meth:`resolved` without the texts that only document (descriptions, units)."""
        data = self.resolved()
        data.pop("description", None)
        for f in data["factors"]:
            for key in ("description", "unit"):
                f.pop(key, None)
        text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def with_overrides(self, **overrides) -> "ExperimentSpec":
        """A copy with ``households``, ``years``, ``replicates``, ``seed`` or ``batch_size`` replaced."""
        allowed = tuple(DEFAULTS)
        problems = _problems(f"overrides of {self.name}")
        for key, value in overrides.items():
            if key not in allowed:
                problems.add(str(key), f"one of {', '.join(allowed)}", key)
            elif value is not None:
                check(problems, key, RUN_SETTINGS[key], value)
        problems.raise_if_any()
        changes = {k: int(v) for k, v in overrides.items() if v is not None}
        return replace(self, **changes) if changes else self


# -- small checks --------------------------------------------------------------------------------
def is_scalar(v) -> bool:
    return v is None or isinstance(v, (bool, int, float, str))


# -- reading ---------------------------------------------------------------------------------------
def find_definition(name_or_path) -> Path:
    """A definition file: the path as given, else ``experiments/definitions/<name>.yaml``."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    for candidate in (DEFINITIONS / f"{name_or_path}.yaml", DEFINITIONS / str(name_or_path)):
        if candidate.is_file():
            return candidate
    return path


def list_definitions() -> list[str]:
    return sorted(p.stem for p in DEFINITIONS.glob("*.yaml"))


def _read(path: Path, problems: Problems):
    missing = f"an existing experiment definition (a path, or one of: {', '.join(list_definitions())})"
    return read_mapping(path, problems, missing, kind="experiment")


def load_spec(path, **overrides) -> ExperimentSpec:
    """Read and validate an experiment definition (a path, or the name of a shipped definition).

    Every problem of the file is reported at once (:class:`SpecError`); then every design point
    is made into a scenario and validated (so a sweep never starts with a point that cannot run).
    ``overrides`` replace ``households``, ``years``, ``replicates``, ``seed`` or ``batch_size``.
    """
    return load_spec_and_points(path, **overrides)[0]


def load_spec_and_points(path, **overrides):
    """:func:`load_spec`, also returning the design points (dicts of factor values) and their scenarios."""
    if isinstance(path, ExperimentSpec):
        spec = path.with_overrides(**overrides)
    else:
        path = find_definition(path)
        problems = _problems(path)
        data = _read(path, problems)
        problems.raise_if_any()
        spec = parse_spec(data, path=path, problems=problems).with_overrides(**overrides)
    key = spec.spec_hash()
    if key in _VALIDATED:  # the same definition again (e.g. checked by the CLI, then run): no second check
        return (spec, *_VALIDATED[key])
    from .designs import design_points
    from .points import validate_points

    points = design_points(spec)
    scenarios = validate_points(spec, points)
    _VALIDATED[key] = (points, scenarios)
    while len(_VALIDATED) > 2:
        _VALIDATED.pop(next(iter(_VALIDATED)))
    return spec, points, scenarios


_VALIDATED: dict = {}  # spec hash -> (points, scenarios) of the last definitions validated


def parse_spec(data: dict, path: Path | None = None, problems: Problems | None = None) -> ExperimentSpec:
    """Validate a definition given as a mapping (as the file would hold it); design points are not checked."""
    from .checks import check_design, check_outcomes, check_scenario
    from .factor_checks import check_factors

    problems = problems or _problems(path or "(experiment)")
    for key in data:
        if key not in TOP_KEYS:
            problems.add(str(key), f"one of {', '.join(TOP_KEYS)}", key)
    name = data.get("name", path.stem if path else "experiment")
    if not isinstance(name, str) or not name.strip():
        problems.add("name", "text", name)
    description = data.get("description", "")
    if not isinstance(description, str):
        problems.add("description", "text", description)
    numbers = {key: data.get(key, default) for key, default in DEFAULTS.items()}
    for key, v in numbers.items():
        check(problems, key, RUN_SETTINGS[key], v)
    scenario, scenario_path, sha, base = check_scenario(data.get("scenario", "baseline"), path, problems)
    design = check_design(data.get("design"), problems)
    factors = check_factors(data.get("factors"), design, problems)
    outcomes = check_outcomes(data.get("outcomes"), problems)
    problems.raise_if_any()
    return ExperimentSpec(name=name.strip(), description=" ".join(description.split()), scenario=scenario,
                          design=design, factors=tuple(factors), outcomes=tuple(outcomes), path=path,
                          scenario_path=scenario_path, scenario_sha256=sha, base=base,
                          **{k: int(v) for k, v in numbers.items()})


