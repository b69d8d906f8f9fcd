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


#: The longest VALUE (and KEY) a message quotes, in characters: a message never echoes a whole file.
MAX_SHOWN = 80
#: The most problems one input reports; the rest are counted (``... and N more problems``).
MAX_PROBLEMS = 50


def _short(text: str) -> str:
    return text if len(text) <= MAX_SHOWN else f"{text[:MAX_SHOWN - 3]}..."


def shown(value: Any) -> str:
    """VALUE as a message shows it: the repr of plain Python values (numpy scalars as their Python
    value), or a description written between angle brackets (``<file not found>``) as it is; at most
    :data:`MAX_SHOWN` characters (longer ones are cut and end in ``...``)."""
    if isinstance(value, str) and value.startswith("<") and value.endswith(">"):
        return value if len(value) <= MAX_SHOWN else f"{value[:MAX_SHOWN - 4]}...>"
    if hasattr(value, "item") and type(value).__module__ == "numpy" and getattr(value, "ndim", 1) == 0:
        value = value.item()
    if isinstance(value, str):
        value = value[:MAX_SHOWN]  # never repr a megabyte to show 80 characters of it
    try:
        return _short(repr(value))
    except (ValueError, RecursionError):  # an integer of more than 4,300 digits; a structure too deep
        return f"<a {type(value).__name__} too large to show>"


def line(where, key: str, expected: str, found: Any) -> str:
    """One problem in the one wording."""
    key = "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(key)[:MAX_SHOWN])  # one line
    return f"{where}: '{_short(key)}': expected {expected}; found {shown(found)}"


class Problems:
    """The problems found in one input (``where``); :meth:`raise_if_any` raises them all at once."""

    def __init__(self, where, error: type[InputError] = InputError):
        self.where = where
        self.error = error
        self.lines: list[str] = []  # the first MAX_PROBLEMS
        self.n = 0

    def add(self, key: str, expected: str, found: Any) -> None:
        self.n += 1
        if len(self.lines) < MAX_PROBLEMS:
            self.lines.append(line(self.where, key, expected, found))

    def extend(self, lines) -> None:
        """Problems already worded (e.g. those of a file this one extends)."""
        for text in lines:
            self.n += 1
            if len(self.lines) < MAX_PROBLEMS:
                self.lines.append(text)

    def count(self) -> int:
        return self.n

    def raise_if_any(self) -> None:
        if self.n:
            more = self.n - len(self.lines)
            tail = [f"{self.where}: ... and {more} more problems"] if more else []
            raise self.error("\n".join([*self.lines, *tail]))
