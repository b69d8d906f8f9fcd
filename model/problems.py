"""One wording for every refused input: ``FILE: 'KEY': expected WHAT; found VALUE``.

FILE names where the value came from: a scenario file or experiment definition (its path), or a
stand-in for an object built in Python (``Scenario 'name'``, ``parameters``, ``Programme 'dibao'``,
``dashboard controls``).  KEY is the dotted key (``'parameters.illness.acute_prob'``,
``'programmes.dibao.amount'``).  A :class:`Problems` collects every problem of one input and raises
them together, one per line, so that a file with three mistakes is corrected in one pass (the
habit of OpenFisca's loader).  Nothing here validates with ``assert``.
"""

from __future__ import annotations

from typing import Any


class InputError(ValueError):
    """An input was refused; the message has one line per problem, in the wording above."""


class ScenarioError(InputError):
    """A scenario (a file, an inline mapping or a :class:`model.scenario.Scenario`) was refused."""


def shown(value: Any) -> str:
    """VALUE as a message shows it: the repr of plain Python values (numpy scalars as their Python
    value), or a description written between angle brackets (``<file not found>``) as it is."""
    if isinstance(value, str) and value.startswith("<") and value.endswith(">"):
        return value
    if hasattr(value, "item") and type(value).__module__ == "numpy" and getattr(value, "ndim", 1) == 0:
        value = value.item()
    return repr(value)


def line(where, key: str, expected: str, found: Any) -> str:
    """One problem in the one wording."""
    return f"{where}: '{key}': expected {expected}; found {shown(found)}"


class Problems:
    """The problems found in one input (``where``); :meth:`raise_if_any` raises them all at once."""

    def __init__(self, where, error: type[InputError] = InputError):
        self.where = where
        self.error = error
        self.lines: list[str] = []

    def add(self, key: str, expected: str, found: Any) -> None:
        self.lines.append(line(self.where, key, expected, found))

    def extend(self, lines) -> None:
        """Problems already worded (e.g. those of a file this one extends)."""
        self.lines.extend(lines)

    def count(self) -> int:
        return len(self.lines)

    def raise_if_any(self) -> None:
        if self.lines:
            raise self.error("\n".join(self.lines))
