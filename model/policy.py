"""Policy engine: programmes with dated schedules, targeting, generosity and budgets.

A programme's *intensity* at a date is a number in [0, 1] given by its
schedule; payments are ``intensity * generosity * rule amount`` to the
households its targeting selects, scaled down pro rata when a yearly budget
binds.  The baseline (:func:`baseline_programmes`) is the transition-period
policy of 2021-2025 ("摘帽不摘责任、不摘政策、不摘帮扶、不摘监管") kept
indefinitely: every programme on, schedule shape ``none``.  What each programme
is and pays is declared in :mod:`model.programmes`; a :class:`Programme` or
:class:`Schedule` is checked against those declarations when it is built
(:mod:`model.validator`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np

from .problems import InputError, Problems, line
from .programmes import DECLARED, FIELDS, MONITORING, PROGRAMME_NAMES, SHAPES, TARGETS, ProgrammeDeclaration
from .validator import check_programme, check_schedule


@dataclass
class Schedule:
    """When a programme runs and how it is phased out.

    ``start``/``end`` are years (the programme runs from 1 January of ``start``);
    ``end`` None means it never ends.  Shapes:

    * ``none``: full intensity from ``start`` on; ``end`` is ignored.
    * ``cliff``: full intensity until 31 December of ``end``, then zero.
    * ``linear``: full until ``phase_out_start`` (a year), then falls by equal
      monthly steps, the first in January of ``phase_out_start``, reaching zero in
      December of ``end`` (a 2026-2028 phase-out pays 35/36 in January 2026).
    * ``stepped``: full until the first step; ``steps`` maps a year to the
      intensity in force from 1 January of that year (last one on or before now).

    The rule, the same for every way a schedule comes in (a file, a ``Scenario``, this class;
    :func:`model.validator.schedule_rule`): years lie in [2000, 2100]; ``end`` is null or on or after
    ``start``, whatever the shape (``end >= start``: a programme that would end the year before it
    starts is never in force, which a scenario writes as ``generosity: 0``, not as a schedule);
    ``cliff`` and ``linear`` need an ``end``; a linear phase-out starts within [``start``, ``end``];
    step levels lie in [0, 1] (step years may be given in any order here; a scenario writes them in
    increasing order).  A schedule that breaks it is refused when built, e.g.
    ``Schedule: 'end': expected a year on or after the start (2016); found 2010``.
    """

    start: int = 2016
    end: int | None = None
    shape: str = "none"
    phase_out_start: int | None = None
    steps: dict[int, float] = field(default_factory=dict)

    def __post_init__(self):
        problems = Problems("Schedule")
        check_schedule(problems, "", vars(self), base={}, ordered=False)
        problems.raise_if_any()

    def intensity(self, year: int, month: int = 0) -> float:
        """Intensity in [0, 1] in ``month`` (0-11) of ``year``."""
        if year < self.start:
            return 0.0
        if self.shape == "none":
            return 1.0
        if self.shape == "cliff":
            return 1.0 if year <= self.end else 0.0
        if self.shape == "linear":
            first = self.phase_out_start if self.phase_out_start is not None else self.end
            t = (year - first) * 12 + month  # months since the phase-out began
            span = (self.end + 1 - first) * 12
            return float(min(1.0, max(0.0, 1.0 - (t + 1) / span))) if t >= 0 else 1.0
        if self.shape == "stepped":
            level = 1.0
            for y in sorted(self.steps):
                if y <= year:
                    level = float(self.steps[y])
            return level
        raise InputError(line("Schedule", "shape", f"one of {', '.join(SHAPES)}", self.shape))  # changed after built


@dataclass
class Programme:
    """One policy programme: what it pays, to whom, when, how generously, within what budget.

    Checked when built against its declaration (:mod:`model.programmes`): a programme that is not
    declared there (a sketch, a test) takes any ``kind`` of the vocabulary or none, has no extras,
    and its amount is a finite number >= 0.  Problems read ``Programme 'dibao': 'amount': expected
    WHAT; found VALUE``."""

    name: str
    description: str
    schedule: Schedule = field(default_factory=Schedule)
    targeting: tuple[str, ...] = ("ex_poor",)
    generosity: float = 1.0
    budget: float | None = None  # yuan per household of the county per year; None = unlimited
    amount: float = 0.0  # programme-specific unit amount (see each programme)
    unit: str = ""
    source: str = ""
    conditional: bool = False  # paid only to households working or training (扶志); counts as conditional support
    other: dict[str, float] = field(default_factory=dict)  # further amounts (other payees, indexation, ...)
    dated: dict[str, dict[int, float]] = field(default_factory=dict)  # field -> {year: value in force from then}
    kind: str | None = None  # what it is (model/programmes.py KINDS); a declared programme's own kind by default

    def __post_init__(self):
        declared = DECLARED.get(self.name) if isinstance(self.name, str) else None
        if self.kind is None and declared is not None:
            self.kind = declared.kind
        problems = Problems(f"Programme {self.name!r}")
        if not isinstance(self.schedule, Schedule):
            problems.add("schedule", "a Schedule", self.schedule)
        check_programme(problems, self)
        problems.raise_if_any()

    def apply_year(self, year: int) -> None:
        """Set each dated field (generosity, amount, budget) to the value in force in ``year``:
        the last one dated on or before it (OpenFisca style); before the first date, the first value."""
        for name, values in self.dated.items():
            setattr(self, name, value_in_force(values, year))

    def level(self, year: int, month: int = 0) -> float:
        return self.schedule.intensity(year, month) * self.generosity


def value_in_force(values: dict[int, float], year: int):
    """The value dated on or before ``year`` with the latest date; the earliest value if all are later."""
    years = sorted(values)
    current = values[years[0]]
    for y in years:
        if y <= year:
            current = values[y]
    return current


def _check_targeting(targeting) -> None:
    """Every group known (checked here too because a programme's targeting may be changed after it is built)."""
    if any(t not in TARGETS for t in targeting):
        raise InputError(line("targeting rule", "targeting", FIELDS["targeting"].expected(), tuple(targeting)))


def target_mask(targeting, ex_poor, monitored, near_poor) -> np.ndarray:
    """Boolean mask of households selected by a targeting rule (union of groups)."""
    _check_targeting(targeting)
    mask = np.zeros(ex_poor.shape, dtype=bool)
    for t in targeting:
        if t == "all":
            return np.ones(ex_poor.shape, dtype=bool)
        if t == "ex_poor":
            mask |= ex_poor
        elif t == "monitored":
            mask |= monitored
        else:
            mask |= near_poor
    return mask


def target_one(targeting, ex_poor: bool, monitored: bool, near_poor: bool) -> bool:
    """:func:`target_mask` for one household (used by the per-agent engine)."""
    _check_targeting(targeting)
    groups = {"all": True, "ex_poor": ex_poor, "monitored": monitored, "near_poor": near_poor}
    return any(groups[t] for t in targeting)


def _from_declaration(d: ProgrammeDeclaration) -> Programme:
    return Programme(name=d.name, description=d.description, amount=d.amount.value, unit=d.unit,
                     source=d.amount.source, targeting=d.targeting, other={k: v.value for k, v in d.other.items()},
                     generosity=1.0 if d.on else 0.0, kind=d.kind)


_BASELINE = {name: _from_declaration(d) for name, d in DECLARED.items()}


def baseline_programmes() -> dict[str, Programme]:
    """The transition-period policy kept indefinitely (a fresh copy each call): every declared
    programme, guaranteed purchase and e-commerce off (generosity 0), the monitoring switch on."""
    return {name: copy.deepcopy(p) for name, p in _BASELINE.items()}


__all__ = ["MONITORING", "PROGRAMME_NAMES", "SHAPES", "TARGETS", "Programme", "Schedule", "baseline_programmes",
           "target_mask", "target_one", "value_in_force"]
