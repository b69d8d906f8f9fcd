"""Checks of an experiment's factors, each problem worded ``FILE: 'KEY': expected WHAT; found VALUE``.

A factor has a name (a column of the results), a kind (lever or uncertainty), targets (scenario key
paths, some computed from other factors: :mod:`experiments.expressions`) and either values or a
range.  Every target must be a key path a single value can set, and every value (both ends of a
range) one that the path's declaration accepts: the same declarations, and the same words, as a
scenario file (:func:`model.validator.key_declaration`).  Every check adds its problems and goes
on, so that one pass reports every problem of a definition.
"""

from __future__ import annotations

from ruralsim.model.declared import is_finite, is_number
from ruralsim.model.validator import key_declaration

from .expressions import expand_braces, expression_names
from .spec import FACTOR_KEYS, KINDS, MAX_FACTORIAL_LEVELS, RESERVED, _NAME, Factor, Target, is_scalar


def check_factors(value, design, problems) -> list[Factor]:
    if not isinstance(value, dict) or not value:
        problems.add("factors", "a mapping of factor names to {kind, targets, values | range}", value)
        return []
    from ruralsim.model.annual import METRIC_COLUMNS

    method = design.get("method")
    factors, seen_paths, raw = [], {}, {}
    for name, body in value.items():
        where = f"factors.{name}"
        if not isinstance(name, str) or not _NAME.match(name):
            problems.add(where, "a factor name of letters, digits and '_' (a column name)", name)
            continue
        if name in RESERVED or name in METRIC_COLUMNS:
            problems.add(where, "a name that is not a column of the results (run_id, replicate, seed, year, "
                         "a metric)", name)
            continue
        if not isinstance(body, dict):
            problems.add(where, "a mapping with keys among " + ", ".join(FACTOR_KEYS), body)
            continue
        before = problems.count()
        for key in body:
            if key not in FACTOR_KEYS:
                problems.add(f"{where}.{key}", f"one of {', '.join(FACTOR_KEYS)}", key)
        kind = body.get("kind")
        if kind not in KINDS:
            problems.add(f"{where}.kind", f"one of {', '.join(KINDS)}", kind if "kind" in body else "<missing>")
        for key in ("unit", "description"):
            if key in body and body[key] is not None and not isinstance(body[key], str):
                problems.add(f"{where}.{key}", "text", body[key])
        values, rng, integer = _check_levels(body, where, method, problems)
        targets = _check_targets(body.get("targets"), where, problems)
        for t in targets:
            if t.path in seen_paths:
                problems.add(f"{where}.targets", f"key paths that no other factor sets ('{t.path}' is set by "
                             f"factor '{seen_paths[t.path]}')", t.path)
            seen_paths.setdefault(t.path, name)
        if problems.count() == before:
            f = Factor(name=name, kind=kind, targets=tuple(targets), values=values, range=rng, integer=integer,
                       unit=body.get("unit") or _default_unit(targets), description=" ".join(
                           str(body.get("description") or "").split()))
            factors.append(f)
            raw[name] = f
    # computed targets: names and kinds
    for f in factors:
        for t in f.targets:
            if t.expression is None:
                continue
            names = expression_names(t.expression)
            for n in sorted(names):
                if n not in value:
                    problems.add(f"factors.{f.name}.targets", f"an expression of factor names ({', '.join(value)})",
                                 f"<{n} in {t.expression!r}>")
                elif n in raw and not raw[n].numeric:
                    problems.add(f"factors.{f.name}.targets", f"an expression of numeric factors ('{n}' takes "
                                 "text or true/false)", t.expression)
    for f in factors:
        _check_bounds(f, problems)
    return factors


def _check_levels(body, where, method, problems):
    has_values, has_range = "values" in body, "range" in body
    integer = body.get("integer", False)
    if not isinstance(integer, bool):
        problems.add(f"{where}.integer", "true or false", integer)
        integer = False
    if has_values == has_range:
        problems.add(where, "exactly one of 'values: [...]' or 'range: [low, high]'",
                     "<both>" if has_values else "<neither>")
        return None, None, False
    if has_values:
        values = body["values"]
        if integer:
            problems.add(f"{where}.integer", "'integer' only with a range", integer)
        if not isinstance(values, list) or not values or not all(is_scalar(v) for v in values):
            problems.add(f"{where}.values", "a non-empty list of numbers, text, true/false or null", values)
            return None, None, False
        present = [v for v in values if v is not None]
        kinds = {("bool" if isinstance(v, bool) else "number" if is_number(v) else "text") for v in present}
        if len(kinds) > 1:
            problems.add(f"{where}.values", "values of one kind (all numbers, all text or all true/false)", values)
        if len({(type(v).__name__, v) for v in values}) != len(values):
            problems.add(f"{where}.values", "values given once each", values)
        if any(is_number(v) and not is_finite(v) for v in present):
            problems.add(f"{where}.values", "finite numbers", values)
        if method in ("saltelli", "morris"):
            problems.add(where, f"'range: [low, high]' (a {method} design samples continuous ranges)",
                         "<values>")
        return tuple(values), None, False
    rng = body["range"]
    if (not isinstance(rng, list) or len(rng) != 2 or not all(is_finite(v) for v in rng)
            or not rng[0] < rng[1]):
        problems.add(f"{where}.range", "[low, high]: two finite numbers with low < high", rng)
        return None, None, False
    if integer and not all(isinstance(v, int) for v in rng):
        problems.add(f"{where}.range", "two integers (the factor is integer)", rng)
        return None, None, False
    if method == "full_factorial":
        if not integer:
            problems.add(where, "'values: [...]' or an integer range (a full factorial needs levels)", "<range>")
        elif rng[1] - rng[0] + 1 > MAX_FACTORIAL_LEVELS:
            problems.add(f"{where}.range", f"at most {MAX_FACTORIAL_LEVELS} integers for a full factorial", rng)
    if method == "morris" and integer:
        problems.add(f"{where}.integer", "false (rounding can hide a Morris step; use a continuous range)", integer)
    return None, (rng[0], rng[1]), integer


def _check_targets(value, where, problems) -> list[Target]:
    if not isinstance(value, list) or not value:
        problems.add(f"{where}.targets", "a non-empty list of scenario key paths",
                     "<missing>" if value is None else value)
        return []
    out = []
    for i, item in enumerate(value):
        w = f"{where}.targets[{i}]"
        expr = None
        if isinstance(item, dict) and len(item) == 1:
            (item, expr), = item.items()
            if not isinstance(expr, str) or not expr.strip():
                problems.add(w, "an expression of the factors, as text (e.g. 'start + years - 1')", expr)
                continue
            try:
                expression_names(expr)
            except (SyntaxError, ValueError) as exc:
                problems.add(w, f"an arithmetic expression ({exc.args[0] if exc.args else exc})", expr)
                continue
        if not isinstance(item, str):
            problems.add(w, "a scenario key path such as 'parameters.illness.acute_prob' or "
                         "{path: expression}", item)
            continue
        try:
            paths = expand_braces(item)
        except ValueError as exc:
            problems.add(w, f"a key path with '{{a,b}}' lists ({exc})", item)
            continue
        for p in paths:
            declared, problem = key_declaration(p)
            if declared is None:
                problems.add(w, problem, p)
            elif any(t.path == p for t in out):
                problems.add(w, "each key path once", p)
            else:
                out.append(Target(p, None if expr is None else expr.strip()))
    return out


def _default_unit(targets) -> str | None:
    """The unit of the parameters (or schedule years) a factor sets, when they share one."""
    units = set()
    for t in targets:
        parts = t.path.split(".")
        if t.expression is not None or not (parts[0] == "parameters" or parts[-1] in ("start", "end",
                                                                                      "phase_out_start")):
            return None
        units.add(key_declaration(t.path)[0].unit or None)
    return units.pop() if len(units) == 1 else None


def _check_bounds(f: Factor, problems) -> None:
    """Every value of a factor (both ends of a range) is one that each key path it sets directly accepts,
    by the declarations every scenario is checked against (:func:`model.validator.key_declaration`)."""
    key = f"factors.{f.name}.{'range' if f.range is not None else 'values'}"
    values = list(f.range) if f.range is not None else list(f.values)
    for t in f.targets:
        if t.expression is not None:  # computed: checked at each design point
            continue
        declared = key_declaration(t.path)[0]
        accepts = f"values that '{t.path}' accepts: "
        if f.range is not None and declared.type in ("integer", "year") and not f.integer:
            problems.add(key, accepts + f"{declared.expected()}, so 'integer: true'", values)
            continue
        for v in values:
            if declared.problem(v):
                problems.add(key, accepts + declared.expected(), v)
                break
