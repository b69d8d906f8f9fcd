"""Checks of an experiment definition, each problem worded ``FILE: 'KEY': expected WHAT; found VALUE``.

Used by :func:`experiments.spec.parse_spec`: the base scenario, the design, the factors (names,
kinds, values or ranges, targets and the bounds of the parameters they set, expressions of computed
targets) and the outcomes.  Every check adds its problems and goes on, so that one pass reports
every problem of a file (OpenFisca's habit, STYLE.md item 5); nothing here raises on a bad file.
"""

from __future__ import annotations

import ast
import hashlib
import itertools
import math
import re
from pathlib import Path

import yaml

from .spec import (FACTOR_KEYS, KINDS, MAX_FACTORIAL_LEVELS, METHODS, PROGRAMME_VALUE_FIELDS, RESERVED, ROOT,
                   SCHEDULE_VALUE_FIELDS, _NAME, Factor, Target, _is_int, _is_number, _is_scalar)


def expand_braces(text: str) -> list[str]:
    """``'programmes.{a,b}.schedule.end'`` -> both paths (several groups give every combination)."""
    parts = re.split(r"(\{[^{}]*\})", text)
    if any(ch in p for p in parts[::2] for ch in "{}"):
        raise ValueError("unbalanced or nested braces")
    choices = [[p] if i % 2 == 0 else [c.strip() for c in p[1:-1].split(",")] for i, p in enumerate(parts)]
    if any(c == "" for opts in choices[1::2] for c in opts):
        raise ValueError("an empty choice in braces")
    return ["".join(combo) for combo in itertools.product(*choices)]


def check_path(path: str) -> str | None:
    """None if ``path`` is a scenario key a factor can set; else what is expected."""
    from ruralsim.model.parameters import SPEC
    from ruralsim.model.policy import baseline_programmes

    parts = path.split(".")
    if parts[0] == "parameters":
        if len(parts) != 3:
            return "a key path 'parameters.SECTION.NAME'"
        section, name = parts[1], parts[2]
        if section not in SPEC:
            return f"a parameter section among {', '.join(SPEC)}"
        if name not in SPEC[section]:
            return f"a parameter of '{section}' ({', '.join(SPEC[section])})"
        return None
    if parts[0] == "programmes":
        progs = baseline_programmes()
        if len(parts) < 3:
            return "a key path 'programmes.NAME.FIELD'"
        name = parts[1]
        if name not in progs:
            return f"a programme among {', '.join(progs)}"
        if len(parts) == 3 and parts[2] in PROGRAMME_VALUE_FIELDS:
            return None
        if len(parts) == 4 and parts[2] == "schedule":
            return None if parts[3] in SCHEDULE_VALUE_FIELDS else \
                f"a schedule field among {', '.join(SCHEDULE_VALUE_FIELDS)}"
        if len(parts) == 4 and parts[2] == "other":
            other = list(progs[name].other)
            return None if parts[3] in other else f"a key of '{name}.other' among {', '.join(other) or '(none)'}"
        return (f"a field of the programme ({', '.join(PROGRAMME_VALUE_FIELDS)}), 'schedule.FIELD' "
                "or 'other.KEY'")
    return "a key path starting with 'parameters.' or 'programmes.'"


# -- expressions (computed targets) ------------------------------------------------------------------
_BINOPS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
           ast.Div: lambda a, b: a / b, ast.FloorDiv: lambda a, b: a // b, ast.Mod: lambda a, b: a % b,
           ast.Pow: lambda a, b: a ** b}
_FUNCS = {"min": min, "max": max, "round": round, "int": int, "float": float, "abs": abs}


def expression_names(text: str) -> set[str]:
    """Parse an arithmetic expression; return the factor names it uses (ValueError if not allowed)."""
    tree = ast.parse(text.strip(), mode="eval")
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if node.id not in _FUNCS:
                names.add(node.id)
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCS or node.keywords:
                raise ValueError(f"only the functions {', '.join(_FUNCS)} may be called")
        elif isinstance(node, ast.Constant):
            if not _is_number(node.value):
                raise ValueError("only numbers may be written as constants")
        elif not isinstance(node, (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Load, ast.USub, ast.UAdd,
                                   *_BINOPS)):
            raise ValueError(f"{type(node).__name__} is not allowed (numbers, factor names, + - * / // % **, "
                             f"{', '.join(_FUNCS)})")
    return names


def evaluate(text: str, values: dict):
    """Value of an arithmetic expression of factor values (ints stay ints under + - * // % and round)."""

    def ev(node):
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

    return ev(ast.parse(text.strip(), mode="eval"))


def _resolve_file(text: str, spec_dir: Path | None) -> Path | None:
    """A path relative to the repository root (then the current directory, then the definition's folder)."""
    p = Path(text)
    candidates = [p] if p.is_absolute() else [ROOT / p, Path.cwd() / p, *([spec_dir / p] if spec_dir else [])]
    for c in candidates:
        if c.is_file():
            return c.resolve()
    return None


def check_scenario(value, spec_path, problems):
    """The base scenario: (as written, resolved file or None, sha256, validated Scenario)."""
    from ruralsim.model.scenario import Scenario
    from ruralsim.model.scenario_file import ScenarioError, load_scenario, scenario_from_dict

    spec_dir = spec_path.parent if spec_path else None
    expected = "'baseline', the path of a scenario file (relative to the repository root) or a scenario mapping"
    if value in (None, "baseline"):
        return "baseline", None, None, Scenario()
    if isinstance(value, str):
        target = _resolve_file(value, spec_dir)
        if target is None:
            problems.add("scenario", expected, f"<{value}: file not found>")
            return value, None, None, None
        try:
            base = load_scenario(target)
        except ScenarioError as exc:
            problems.lines.extend(str(exc).splitlines())
            return value, target, None, None
        return value, target, _chain_hash(target), base
    if isinstance(value, dict):
        inline = dict(value)
        ext = inline.get("extends", "baseline")
        target = None
        if isinstance(ext, str) and ext != "baseline":
            target = _resolve_file(ext, spec_dir)
            if target is None:
                problems.add("scenario.extends", "'baseline' or the path of an existing scenario file "
                             "(relative to the repository root)", f"<{ext}: file not found>")
                return value, None, None, None
            inline["extends"] = str(target)
        try:
            base = scenario_from_dict(inline, f"{spec_path} scenario", base_dir=ROOT,
                                      name=str(inline.get("name", "scenario")))
        except ScenarioError as exc:
            problems.lines.extend(str(exc).splitlines())
            return value, target, None, None
        return value, target, _chain_hash(target) if target else None, base
    problems.add("scenario", expected, value)
    return value, None, None, None


def _chain_hash(path: Path) -> str:
    """sha256 over a scenario file and every file it extends (a change anywhere changes the results)."""
    from ruralsim.model.scenario import file_hash

    h = hashlib.sha256()
    seen = set()
    while path is not None and path not in seen:
        seen.add(path)
        h.update(file_hash(path).encode())
        try:
            ext = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("extends", "baseline")
        except (OSError, yaml.YAMLError, AttributeError):
            break
        path = (path.parent / ext).resolve() if isinstance(ext, str) and ext != "baseline" else None
    return h.hexdigest()


def check_design(value, problems) -> dict:
    if not isinstance(value, dict) or "method" not in value:
        problems.add("design", f"a mapping with a 'method' among {', '.join(METHODS)}", value)
        return {"method": None}
    method = value["method"]
    if method not in METHODS:
        problems.add("design.method", f"one of {', '.join(METHODS)}", method)
        return {"method": None}
    allowed, defaults = METHODS[method]
    design = {"method": method, **defaults}
    for key, v in value.items():
        if key == "method":
            continue
        if key not in allowed:
            problems.add(f"design.{key}", f"a key of a {method} design among {', '.join(('method', *allowed))}", key)
            continue
        design[key] = v
    for key in ("samples", "trajectories"):
        if key in allowed and key not in value:
            problems.add(f"design.{key}", f"a positive integer (required by a {method} design)", "<missing>")
    if "samples" in design and "samples" in value:
        n = design["samples"]
        if not _is_int(n) or n < 1:
            problems.add("design.samples", "a positive integer", n)
        elif method in ("sobol", "saltelli") and n & (n - 1):
            problems.add("design.samples", f"a power of 2 (Sobol' points are balanced only then; e.g. "
                         f"{2 ** max(1, round(math.log2(n)))})", n)
    if "trajectories" in design and "trajectories" in value:
        if not _is_int(design["trajectories"]) or design["trajectories"] < 2:
            problems.add("design.trajectories", "an integer >= 2", design["trajectories"])
    if "levels" in design:
        lv = design["levels"]
        if not _is_int(lv) or lv < 2 or lv % 2:
            problems.add("design.levels", "an even integer >= 2 (Morris grid levels)", lv)
    if "calc_second_order" in design and not isinstance(design["calc_second_order"], bool):
        problems.add("design.calc_second_order", "true or false", design["calc_second_order"])
    return design


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
        before = len(problems.lines)
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
        if len(problems.lines) == before:
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
        if not isinstance(values, list) or not values or not all(_is_scalar(v) for v in values):
            problems.add(f"{where}.values", "a non-empty list of numbers, text, true/false or null", values)
            return None, None, False
        present = [v for v in values if v is not None]
        kinds = {("bool" if isinstance(v, bool) else "number" if _is_number(v) else "text") for v in present}
        if len(kinds) > 1:
            problems.add(f"{where}.values", "values of one kind (all numbers, all text or all true/false)", values)
        if len({(type(v).__name__, v) for v in values}) != len(values):
            problems.add(f"{where}.values", "values given once each", values)
        if any(isinstance(v, float) and not math.isfinite(v) for v in present):
            problems.add(f"{where}.values", "finite numbers", values)
        if method in ("saltelli", "morris"):
            problems.add(where, f"'range: [low, high]' (a {method} design samples continuous ranges)",
                         "<values>")
        return tuple(values), None, False
    rng = body["range"]
    if (not isinstance(rng, list) or len(rng) != 2 or not all(_is_number(v) and math.isfinite(v) for v in rng)
            or not rng[0] < rng[1]):
        problems.add(f"{where}.range", "[low, high]: two numbers with low < high", rng)
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
            problem = check_path(p)
            if problem:
                problems.add(w, problem, p)
            elif any(t.path == p for t in out):
                problems.add(w, "each key path once", p)
            else:
                out.append(Target(p, None if expr is None else expr.strip()))
    return out


def _default_unit(targets) -> str | None:
    from ruralsim.model.parameters import SPEC

    units = set()
    for t in targets:
        if t.expression is not None:
            return None
        parts = t.path.split(".")
        if parts[0] == "parameters":
            units.add(SPEC[parts[1]][parts[2]].unit or None)
        elif parts[-1] in ("start", "end", "phase_out_start"):
            units.add("year")
        else:
            return None
    return units.pop() if len(units) == 1 else None


def _check_bounds(f: Factor, problems) -> None:
    """Values or range of a factor inside the declared bounds of the parameters it sets directly."""
    from ruralsim.model.parameters import SPEC

    lows_highs = [f.range] if f.range is not None else [(v, v) for v in f.values if _is_number(v)]
    for t in f.targets:
        parts = t.path.split(".")
        if t.expression is not None or parts[0] != "parameters":
            continue
        p = SPEC[parts[1]][parts[2]]
        if p.unit == "year":
            continue
        lo = -math.inf if p.low is None else p.low
        hi = math.inf if p.high is None else p.high
        bad = [v for pair in lows_highs for v in pair if not lo <= v <= hi]
        if f.values is not None and any(not _is_number(v) for v in f.values):
            problems.add(f"factors.{f.name}.values", f"numbers for '{t.path}'", list(f.values))
        elif bad:
            key = "range" if f.range is not None else "values"
            shown = list(f.range) if f.range is not None else list(f.values)
            problems.add(f"factors.{f.name}.{key}", f"numbers in [{p.low if p.low is not None else '-inf'}, "
                         f"{p.high if p.high is not None else 'inf'}] (the bounds of '{t.path}', {p.unit or 'no unit'})",
                         shown)


def check_outcomes(value, problems) -> list[str]:
    from ruralsim.model.annual import METRIC_COLUMNS

    metrics = [c for c in METRIC_COLUMNS if c != "year"]
    if value is None:
        return metrics
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        problems.add("outcomes", "a non-empty list of metric columns", value)
        return []
    for v in value:
        if v not in metrics:
            import difflib

            close = difflib.get_close_matches(v, metrics, n=3)
            hint = f"; close: {', '.join(close)}" if close else ""
            problems.add("outcomes", f"metric columns of the annual table (README.md, Output columns{hint})", v)
    if len(set(value)) != len(value):
        problems.add("outcomes", "each metric once", value)
    return list(value)


