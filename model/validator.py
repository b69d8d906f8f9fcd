"""The one validator of scenario changes, programmes and schedules, for every way in.

A scenario file (:mod:`model.scenario_file`), a :class:`model.scenario.Scenario` built in Python,
an experiment's design point, the dashboard's controls, :class:`model.policy.Programme` and
:class:`model.policy.Schedule` are all checked here, against the declarations of
:mod:`model.parameters` and :mod:`model.programmes`, and each problem is added to a
:class:`model.problems.Problems` in the one wording ``FILE: 'KEY': expected WHAT; found VALUE``.
Every check adds its problems and goes on, so one pass reports every problem of an input.

A change (an overlay) is written as a file would hold it: ``parameters`` by dotted key (a value, or
a mapping from years to values written in increasing order) and ``programmes`` by name, then
field (:data:`PROGRAMME_FIELDS`); ``schedule`` and ``other`` are mappings of their own fields.
"""

from __future__ import annotations

from .declared import Declared, check, check_years
from .parameters import check_parameter, declaration as parameter_declaration, unknown_parameter
from .problems import Problems
from .programmes import DECLARED, FIELDS, KINDS, SCHEDULE_FIELDS, ProgrammeDeclaration

PROGRAMME_FIELDS = ("schedule", "targeting", "generosity", "budget", "amount", "conditional", "other", "description",
                    "kind")
DATED_FIELDS = ("generosity", "amount", "budget")
#: Key paths that take one value (an experiment factor can set them): ``programmes.NAME.FIELD`` and
#: ``programmes.NAME.schedule.FIELD`` for these fields, ``programmes.NAME.other.KEY``, ``parameters.SECTION.NAME``.
VALUE_FIELDS = ("generosity", "amount", "budget", "conditional", "targeting")
SCHEDULE_VALUE_FIELDS = ("start", "end", "shape", "phase_out_start")
#: The schedule every programme starts from (Schedule's defaults).
BASE_SCHEDULE = {**{k: d.value for k, d in SCHEDULE_FIELDS.items() if k != "steps"}, "steps": {}}
#: The amount of a programme that is not declared (an ad-hoc programme built in Python, never run).
UNDECLARED_AMOUNT = Declared(value=0.0, low=0, high=1e12, why="an undeclared programme is never run", dated=True, description="amount of an undeclared programme",
                             source="none: the programme is not declared in model/programmes.py")


def _at(key: str, field) -> str:
    return f"{key}.{field}" if key else str(field)


# -- declarations by key ------------------------------------------------------------------------------
def field_declaration(programme: str, field: str) -> Declared | None:
    """The declaration of one field of a programme (``amount`` is the programme's own)."""
    if field == "amount":
        declared = DECLARED.get(programme)
        return UNDECLARED_AMOUNT if declared is None else declared.amount
    return FIELDS.get(field)


def key_declaration(path: str) -> tuple[Declared | None, str | None]:
    """(the declaration, None) of a key path that takes one value (``parameters.illness.acute_prob``,
    ``programmes.dibao.amount``, ``programmes.dibao.schedule.end``, ``programmes.dibao.other.indexation``),
    or (None, what was expected instead)."""
    parts = str(path).split(".")
    if parts[0] == "parameters":
        if len(parts) != 3:
            return None, "a key path 'parameters.SECTION.NAME'"
        dotted = f"{parts[1]}.{parts[2]}"
        declared = parameter_declaration(dotted)
        return (declared, None) if declared else (None, unknown_parameter(dotted))
    if parts[0] != "programmes":
        return None, "a key path starting with 'parameters.' or 'programmes.'"
    if len(parts) < 3:
        return None, "a key path 'programmes.NAME.FIELD'"
    declared = DECLARED.get(parts[1])
    if declared is None:
        return None, f"a programme among {', '.join(DECLARED)}"
    if len(parts) == 3 and parts[2] in VALUE_FIELDS:
        return field_declaration(parts[1], parts[2]), None
    if len(parts) == 4 and parts[2] == "schedule":
        if parts[3] in SCHEDULE_VALUE_FIELDS:
            return SCHEDULE_FIELDS[parts[3]], None
        return None, f"a schedule field among {', '.join(SCHEDULE_VALUE_FIELDS)}"
    if len(parts) == 4 and parts[2] == "other":
        if parts[3] in declared.other:
            return declared.other[parts[3]], None
        return None, f"a key of '{parts[1]}.other' among {', '.join(declared.other) or '(none)'}"
    return None, f"a field of the programme ({', '.join(VALUE_FIELDS)}), 'schedule.FIELD' or 'other.KEY'"


def check_key(problems: Problems, key: str, path: str, value) -> bool:
    """Add what is wrong with setting key path ``path`` to one ``value`` (worded at ``key``); True if nothing."""
    declared, expected = key_declaration(path)
    if declared is None:
        problems.add(key, expected, path)
        return False
    expected = declared.problem(value)
    if expected:
        problems.add(key, expected, value)
    return expected is None


# -- schedules ----------------------------------------------------------------------------------------
def schedule_rule(start: int, end: int | None, shape: str, phase_out_start: int | None) -> list[tuple]:
    """The rule that binds a schedule's fields (documented in :class:`model.policy.Schedule`):
    ``cliff`` and ``linear`` need an ``end``; ``end >= start`` whatever the shape (a programme that
    ends the year before it starts would never be in force: switch it off with generosity 0 instead);
    a linear phase-out starts within [start, end].  Returns (field, expected, found) triples."""
    if shape in ("cliff", "linear") and end is None:
        return [("end", f"a year when the shape is '{shape}'", None)]
    if end is not None and end < start:
        return [("end", f"a year on or after the start ({start})", end)]
    if shape == "linear" and phase_out_start is not None and not start <= phase_out_start <= end:
        return [("phase_out_start", f"a year in [start, end] = [{start}, {end}]", phase_out_start)]
    return []


def check_schedule(problems: Problems, key: str, values, base: dict | None = None, ordered: bool = True) -> bool:
    """A schedule's fields (all of them, or changes to ``base``, default :data:`BASE_SCHEDULE`), then
    :func:`schedule_rule` on the result.  ``ordered``: step years must be written in increasing order
    (as every mapping of years in a scenario); True if nothing was wrong."""
    before = problems.count()
    if not isinstance(values, dict):
        problems.add(key, f"a mapping with keys among {', '.join(SCHEDULE_FIELDS)}", values)
        return False
    for field, value in values.items():
        if field not in SCHEDULE_FIELDS:
            problems.add(_at(key, field), f"one of {', '.join(SCHEDULE_FIELDS)}", field)
        elif field == "steps":
            _check_steps(problems, _at(key, field), value, ordered)
        else:
            check(problems, _at(key, field), SCHEDULE_FIELDS[field], value)
    if problems.count() > before:
        return False
    merged = {**(BASE_SCHEDULE if base is None else base), **values}
    for field, expected, found in schedule_rule(merged["start"], merged["end"], merged["shape"],
                                                merged["phase_out_start"]):
        problems.add(_at(key, field), expected, found)
    return problems.count() == before


def _check_steps(problems: Problems, key: str, steps, ordered: bool) -> None:
    level = SCHEDULE_FIELDS["steps"]
    if not isinstance(steps, dict):
        problems.add(key, f"a mapping of years to levels ({level.expected()})", steps)
        return
    check_years(problems, key, steps, ordered)
    for year, value in steps.items():
        if level.problem(value):
            problems.add(_at(key, year), level.expected(), value)


# -- programmes ---------------------------------------------------------------------------------------
def check_other(problems: Problems, key: str, declared: ProgrammeDeclaration | None, value) -> None:
    """A programme's extras: declared keys, each value within its declaration."""
    extras = declared.other if declared is not None else {}
    keys = ", ".join(extras) or "(none)"
    if not isinstance(value, dict):
        problems.add(key, f"a mapping with keys among {keys}", value)
        return
    for name, v in value.items():
        if name not in extras:
            problems.add(_at(key, name), f"one of {keys}", name)
        else:
            check(problems, _at(key, name), extras[name], v)


def check_kind(problems: Problems, key: str, declared: ProgrammeDeclaration | None, value) -> None:
    """One of :data:`model.programmes.KINDS`; for a declared programme, the kind it is declared as."""
    if FIELDS["kind"].problem(value):
        problems.add(key, FIELDS["kind"].expected(), value)
    elif declared is not None and value != declared.kind:
        problems.add(key, f"'{declared.kind}' (what {declared.name} is; a scenario cannot change it)", value)


def check_programme_changes(problems: Problems, changes, prefix: str = "programmes") -> None:
    """Changes to programmes, by name, then field (as a scenario file writes them)."""
    if not isinstance(changes, dict):
        problems.add(prefix, "a mapping of programme names to changes", changes)
        return
    for name, fields in changes.items():
        key = _at(prefix, name)
        declared = DECLARED.get(name)
        if declared is None:
            problems.add(key, f"a known programme ({', '.join(DECLARED)})", name)
        elif not isinstance(fields, dict):
            problems.add(key, f"a mapping with keys among {', '.join(PROGRAMME_FIELDS)}", fields)
        else:
            for field, value in fields.items():
                w = _at(key, field)
                if field == "schedule":
                    check_schedule(problems, w, value)
                elif field == "other":
                    check_other(problems, w, declared, value)
                elif field == "kind":
                    check_kind(problems, w, declared, value)
                elif field in PROGRAMME_FIELDS:
                    check(problems, w, field_declaration(name, field), value)
                else:
                    problems.add(w, f"one of {', '.join(PROGRAMME_FIELDS)}", field)


def check_overlay(problems: Problems, parameters, programmes) -> None:
    """A scenario's changes: parameter overrides by dotted key and programme changes by name."""
    if not isinstance(parameters, dict):
        problems.add("parameters", "a mapping of dotted parameter keys to values", parameters)
    else:
        for dotted, value in parameters.items():
            check_parameter(problems, f"parameters.{dotted}", dotted, value)
    check_programme_changes(problems, programmes)


def check_programme(problems: Problems, prog) -> None:
    """A programme object's fields (single values; dated ones in ``prog.dated``), against its declaration.
    Its schedule is checked when the :class:`model.policy.Schedule` is built."""
    declared = DECLARED.get(prog.name) if isinstance(prog.name, str) else None
    if not isinstance(prog.name, str) or not prog.name:
        problems.add("name", "the programme's name, as text", prog.name)
    for field in ("description", "unit", "source"):
        if not isinstance(getattr(prog, field), str):
            problems.add(field, "text", getattr(prog, field))
    if prog.kind is not None or declared is not None:
        check_kind(problems, "kind", declared, prog.kind)
    for field in ("targeting", "generosity", "budget", "amount", "conditional"):
        expected = field_declaration(declared.name if declared else "", field).problem(getattr(prog, field))
        if expected:
            problems.add(field, expected, getattr(prog, field))
    check_other(problems, "other", declared, prog.other)
    if not isinstance(prog.dated, dict):
        problems.add("dated", f"a mapping of fields among {', '.join(DATED_FIELDS)} to values by year", prog.dated)
        return
    for field, values in prog.dated.items():
        if field not in DATED_FIELDS:
            problems.add(_at("dated", field), f"one of {', '.join(DATED_FIELDS)}", field)
        elif not isinstance(values, dict) or not values:
            problems.add(_at("dated", field), "a mapping of years to values", values)
        else:
            check(problems, field, field_declaration(declared.name if declared else "", field), values,
                  ordered=False)


__all__ = ["KINDS", "PROGRAMME_FIELDS", "DATED_FIELDS", "VALUE_FIELDS", "SCHEDULE_VALUE_FIELDS", "check_overlay",
           "check_programme_changes", "check_schedule", "check_programme", "check_key", "key_declaration",
           "schedule_rule"]
