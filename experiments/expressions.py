"""Factor targets written compactly: ``{a,b}`` lists in key paths and arithmetic of factor values.

``'programmes.{a,b}.schedule.end'`` names two key paths (:func:`expand_braces`); a computed target
such as ``start + years - 1`` is parsed once when the definition is checked (:func:`expression_names`:
numbers, factor names, ``+ - * / // % **`` and a few functions, nothing else) and evaluated at each
design point (:func:`evaluate`).

The language is bounded so that no definition can exhaust memory or time, even in ``--dry-run``: an
expression has at most :data:`MAX_LENGTH` characters, a written number at most :data:`MAX_CONSTANT` in
size, ``**`` takes only a written number of at most :data:`MAX_EXPONENT` in size as its exponent, and
every integer result must be at most :data:`MAX_RESULT` in size (checked before a power is computed;
floats overflow cheaply, and a non-finite target value is refused by the scenario validator).
"""

from __future__ import annotations

import ast
import itertools
import math
import re

from ruralsim.model.declared import is_number


def expand_braces(text: str) -> list[str]:
    """``'programmes.{a,b}.schedule.end'`` -> both paths (several groups give every combination)."""
    parts = re.split(r"(\{[^{}]*\})", text)
    if any(ch in p for p in parts[::2] for ch in "{}"):
        raise ValueError("unbalanced or nested braces")
    choices = [[p] if i % 2 == 0 else [c.strip() for c in p[1:-1].split(",")] for i, p in enumerate(parts)]
    if any(c == "" for opts in choices[1::2] for c in opts):
        raise ValueError("an empty choice in braces")
    return ["".join(combo) for combo in itertools.product(*choices)]


# -- expressions (computed targets) ------------------------------------------------------------------
_BINOPS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
           ast.Div: lambda a, b: a / b, ast.FloorDiv: lambda a, b: a // b, ast.Mod: lambda a, b: a % b,
           ast.Pow: lambda a, b: a ** b}
MAX_LENGTH = 200
MAX_CONSTANT = 1e9
MAX_EXPONENT = 8
MAX_RESULT = 1e15


def _power(a, b):
    if isinstance(a, int) and isinstance(b, int) and abs(a) > 1 and abs(b) * math.log10(abs(a)) > math.log10(MAX_RESULT):
        raise ValueError(f"{a!r} ** {b!r} is larger than {MAX_RESULT:g}")
    return a ** b


_BINOPS[ast.Pow] = _power
_FUNCS = {"min": min, "max": max, "round": round, "int": int, "float": float, "abs": abs}


def expression_names(text: str) -> set[str]:
    """Parse an arithmetic expression; return the factor names it uses (ValueError if not allowed)."""
    tree = _parse(text)
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            e = node.right.operand if isinstance(node.right, ast.UnaryOp) else node.right
            if not (isinstance(e, ast.Constant) and is_number(e.value) and abs(e.value) <= MAX_EXPONENT):
                raise ValueError(f"the exponent of ** must be a number of at most {MAX_EXPONENT} in size")
        if isinstance(node, ast.Name):
            if node.id not in _FUNCS:
                names.add(node.id)
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCS or node.keywords:
                raise ValueError(f"only the functions {', '.join(_FUNCS)} may be called")
        elif isinstance(node, ast.Constant):
            if not is_number(node.value):
                raise ValueError("only numbers may be written as constants")
            if not abs(node.value) <= MAX_CONSTANT:
                raise ValueError(f"numbers may be at most {MAX_CONSTANT:g} in size")
        elif not isinstance(node, (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Load, ast.USub, ast.UAdd,
                                   *_BINOPS)):
            raise ValueError(f"{type(node).__name__} is not allowed (numbers, factor names, + - * / // % **, "
                             f"{', '.join(_FUNCS)})")
    return names


def evaluate(text: str, values: dict):
    """Value of an arithmetic expression of factor values (ints stay ints under + - * // % and round)."""

    def ev(node):
        v = _ev(node)
        if isinstance(v, int) and abs(v) > MAX_RESULT:  # floats overflow to inf (or raise) cheaply
            raise ValueError(f"a result of {v:.6g}, larger than {MAX_RESULT:g}")
        return v

    def _ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return values[node.id]
        if isinstance(node, ast.UnaryOp):
            v = ev(node.operand)
            return -v if isinstance(node.op, ast.USub) else +v
        if isinstance(node, ast.BinOp):
            return _BINOPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.Call):
            return _FUNCS[node.func.id](*[ev(a) for a in node.args])
        raise ValueError(f"{type(node).__name__} is not allowed")

    expression_names(text)  # the bounds hold whoever calls
    return ev(_parse(text))


def _parse(text: str) -> ast.Expression:
    text = text.strip()
    if len(text) > MAX_LENGTH:
        raise ValueError(f"an expression of at most {MAX_LENGTH} characters (found {len(text)})")
    return ast.parse(text, mode="eval")
