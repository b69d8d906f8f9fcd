"""A declared value: its type, unit, bounds, default and the source of the default.

Every input of the model is declared once as a :class:`Declared` (a pydantic model, so a
declaration that contradicts itself, e.g. a default outside its own bounds, fails when the module
that declares it is imported): the parameters in :mod:`model.parameters`, the programme fields,
amounts and extras in :mod:`model.programmes`, the run settings below.  A value is checked against
its declaration by :meth:`Declared.problem`, which returns what was expected (the WHAT of
``FILE: 'KEY': expected WHAT; found VALUE``) or None, and by :func:`check`, which also accepts
values keyed by year where the declaration allows it (OpenFisca's dated parameters).  This is the
one test of a value: scenario files, :class:`model.scenario.Scenario`, ``Parameters.set``,
``Programme`` and ``Schedule``, experiment factors and design points, the dashboard's controls and
the command line all call it, so the same bad value gets the same words everywhere.

Types: ``number`` (a finite real number), ``integer``, ``year`` (an integer in
[:data:`FIRST_YEAR`, :data:`LAST_YEAR`] unless narrowed), ``flag`` (true or false), ``text``,
``choice`` (one of ``choices``) and ``groups`` (a non-empty list of ``choices``, or one of them).
NaN and infinities are never numbers here.  ``nullable`` also allows null (None); ``dated`` also
allows a mapping from years to values, the value in force being the last one dated on or before
the year.  A value is kept as given: the check never converts it (an int stays an int), so a run
gives the same numbers whichever way the value came in (one exception: :class:`model.parameters.Parameters`
holds an integer given for a ``number`` parameter as the equal float, exactly, since the engine's arrays
must stay float).
"""

from __future__ import annotations

import math
import re
import numbers
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, model_validator

FIRST_YEAR, LAST_YEAR = 2000, 2100  # years a scenario may name (runs start in 2021; schedules may start earlier)
TYPES = ("number", "integer", "year", "flag", "text", "choice", "groups")


def is_number(v) -> bool:
    """A real number (numpy's included), not a bool; NaN and infinities count (see :func:`is_finite`)."""
    return isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_))


def is_finite(v) -> bool:
    return is_number(v) and math.isfinite(v)


def is_integer(v) -> bool:
    return isinstance(v, numbers.Integral) and not isinstance(v, (bool, np.bool_))


def is_year(v) -> bool:
    return is_integer(v) and FIRST_YEAR <= v <= LAST_YEAR


_NUMBER_AS_TEXT = re.compile(r"^[-+]?(\d[\d_]*\.?\d*|\.\d+)[eE][-+]?\d+$")  # 1e5, 1.0e12: text in YAML 1.1


def _fmt(x) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


class Declared(BaseModel):
    """One declared value: type, unit, bounds (inclusive; None = unbounded), default and source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: Any = None
    unit: str = ""
    description: str
    source: str
    type: Literal["number", "integer", "year", "flag", "text", "choice", "groups"] = "number"
    low: int | float | None = None
    high: int | float | None = None
    nullable: bool = False
    dated: bool = False
    choices: tuple[str, ...] = ()
    #: why the bounds are what they are (a scenario input's numbers all have finite bounds: a value
    #: ``check`` accepts must run, so the upper bound is where the model stops making sense or overflows)
    why: str = ""

    @model_validator(mode="after")
    def _coherent(self) -> "Declared":
        for bound in (self.low, self.high):
            if bound is not None and not math.isfinite(bound):
                raise ValueError(f"bounds must be finite numbers or None; got {bound!r}")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low ({self.low}) must not exceed high ({self.high})")
        if (self.type in ("choice", "groups")) != bool(self.choices):
            raise ValueError("'choices' are given for, and only for, the types 'choice' and 'groups'")
        if not self.description.strip() or not self.source.strip():
            raise ValueError("a declaration needs a description and the source of its default")
        if self.problem(self.value) is not None:
            raise ValueError(f"the default {self.value!r} is not {self.expected()}")
        return self

    def narrowed(self, **changes) -> "Declared":
        """A copy with some attributes changed (e.g. a control's narrower range), validated again."""
        return Declared(**{**self.model_dump(), **changes})

    def expected(self) -> str:
        """What a value must be, in words: the WHAT of a message."""
        unit = f" ({self.unit})" if self.unit else ""
        if self.type in ("number", "integer"):
            what = "a number" if self.type == "number" else "an integer"
            lo, hi = self.low, self.high
            if lo is not None and hi is not None:
                text = f"{what} in [{_fmt(lo)}, {_fmt(hi)}]{unit}"
            elif lo is not None:
                text = f"{'a finite number' if self.type == 'number' else what} >= {_fmt(lo)}{unit}"
            elif hi is not None:
                text = f"{'a finite number' if self.type == 'number' else what} <= {_fmt(hi)}{unit}"
            else:
                text = f"{'a finite number' if self.type == 'number' else what}{unit}"
        elif self.type == "year":
            text = f"a year in [{self.low or FIRST_YEAR}, {self.high or LAST_YEAR}]"
        elif self.type == "flag":
            text = "true or false"
        elif self.type == "text":
            text = "text"
        elif self.type == "choice":
            text = f"one of {', '.join(self.choices)}"
        else:
            text = f"a list of groups among {', '.join(self.choices)}"
        return f"null or {text}" if self.nullable else text

    def problem(self, value) -> str | None:
        """None if ``value`` is allowed (a single value, not a mapping of years); else :meth:`expected`."""
        if self._allows(value):
            return None
        if self.type in ("number", "integer") and isinstance(value, str) and _NUMBER_AS_TEXT.match(value.strip()):
            # YAML 1.1 reads 1.0e12 (no dot, or no sign in the exponent) as text
            return f"{self.expected()}, written as a number (e.g. 1.0e+12, not text)"
        return self.expected()

    def _allows(self, v) -> bool:
        if v is None:
            return self.nullable
        if self.type in ("number", "integer"):
            ok = is_finite(v) if self.type == "number" else is_integer(v)
            return ok and (self.low is None or v >= self.low) and (self.high is None or v <= self.high)
        if self.type == "year":
            lo, hi = self.low or FIRST_YEAR, self.high or LAST_YEAR
            return is_integer(v) and lo <= v <= hi
        if self.type == "flag":
            return isinstance(v, (bool, np.bool_))
        if self.type == "text":
            return isinstance(v, str)
        if self.type == "choice":
            return isinstance(v, str) and v in self.choices
        groups = [v] if isinstance(v, str) else v
        return (isinstance(groups, (list, tuple)) and len(groups) > 0
                and all(isinstance(g, str) and g in self.choices for g in groups))


def check(problems, key: str, declared: Declared, value, ordered: bool = True) -> bool:
    """Add to ``problems`` what is wrong with ``value`` at ``key`` (a value, or for a dated
    declaration a mapping from years to values: in increasing order, if ``ordered``, as a scenario
    writes them); True if nothing was."""
    before = problems.count()
    if declared.dated and isinstance(value, dict):
        if not value:
            problems.add(key, "a value or a mapping of years to values", value)
        check_years(problems, key, value, ordered)
        for year, v in value.items():
            expected = declared.problem(v)
            if expected:
                problems.add(f"{key}.{year}", expected, v)
    else:
        expected = declared.problem(value)
        if expected:
            problems.add(key, expected, value)
    return problems.count() == before


def check_years(problems, key: str, mapping: dict, ordered: bool = True) -> None:
    """The keys of a mapping from years: years (written in increasing order, if ``ordered``)."""
    years = list(mapping)
    for year in years:
        if not is_year(year):
            problems.add(f"{key}.{year}", f"a year in [{FIRST_YEAR}, {LAST_YEAR}] as the key", year)
    good = [y for y in years if is_year(y)]
    if ordered and good != sorted(good):
        problems.add(key, "years in increasing order", years)


#: Settings of a run or a set of runs (not part of a scenario): the same checks for the command line,
#: the dashboard and experiment definitions.
RUN_SETTINGS = {
    "households": Declared(value=10_000, type="integer", low=1, high=100_000_000, unit="households",
                           description="households in the simulated county", source="run setting",
                           why="a province of counties; the command line also checks the memory available"),
    "years": Declared(value=10, type="integer", low=1, high=80, unit="years",
                      description="years simulated after the 2020 calibration year", source="run setting",
                      why="dated values run to 2100"),
    "replicates": Declared(value=10, type="integer", low=1, high=10_000, unit="runs",
                           description="replicate seeds per scenario", source="run setting",
                           why="far beyond what narrows an interval; bounds the run time"),
    "seed": Declared(value=0, type="integer", low=0, high=2**63 - 1, description="root seed of the random numbers",
                     source="run setting", why="a 64-bit seed"),
    "batch_size": Declared(value=8, type="integer", low=1, high=10_000, unit="runs",
                           description="runs per Parquet part of a sweep", source="run setting",
                           why="a part is held in memory until it is written"),
}


def run_setting(where: str, name: str, value):
    """``value`` of the run setting ``name`` (households, years, replicates, seed, batch_size) as an int,
    or :class:`model.problems.InputError` in the one wording (``where`` names the function called)."""
    from .problems import InputError, line

    expected = RUN_SETTINGS[name].problem(value)
    if expected:
        raise InputError(line(where, name, expected, value))
    return int(value)


def parameter(value, unit: str, description: str, source: str, low=None, high=None, *, type: str = "number") -> Declared:
    """A parameter's declaration: every parameter may also be dated (a mapping from years to values).
    Bounds left open here are closed by :data:`BOUNDS`, each with its reason."""
    why = "a share or probability" if (low, high) == (0, 1) else "the range of the default's source" if (
        low is not None and high is not None) else ""
    return Declared(value=value, unit=unit, description=description, source=source, low=low, high=high,
                    type=type, nullable=value is None, dated=True, why=why)
