"""Design points as scenarios: the overlay a point's factor values make, on top of the base scenario.

A point's overlay (``parameters`` by dotted key, ``programmes`` by field) is validated by
:func:`model.scenario_file.scenario_from_dict` exactly as a scenario file would be, then laid on the
base scenario with the merge rules of a file that ``extends`` it (:func:`compose`,
:meth:`model.scenario.Scenario.extended`), and the result is checked again by the same validator;
messages name the definition and the point: ``FILE (design point 7: a=1, b=2): 'KEY': expected ...;
found ...``.
"""

from __future__ import annotations

from .expressions import evaluate
from .spec import MAX_POINT_PROBLEMS, ROOT, ExperimentSpec, SpecError


def point_overlay(spec: ExperimentSpec, values: dict) -> dict:
    """The scenario overlay (as a scenario file would hold it) that sets every factor's targets."""
    overlay: dict = {}
    for f in spec.factors:
        for t in f.targets:
            v = values[f.name] if t.expression is None else evaluate(t.expression, values)
            set_key(overlay, t.path, _native(v))
    return overlay


def set_key(overlay: dict, path: str, value) -> dict:
    """Set key path ``path`` (``parameters.S.N``, ``programmes.P.F``, ``programmes.P.schedule.F``,
    ``programmes.P.other.K``) to ``value`` in a scenario overlay, nested as a file holds it."""
    parts = path.split(".")
    if parts[0] == "parameters":
        overlay.setdefault("parameters", {})[f"{parts[1]}.{parts[2]}"] = value
    else:
        prog = overlay.setdefault("programmes", {}).setdefault(parts[1], {})
        if len(parts) == 3:
            prog[parts[2]] = value
        else:
            prog.setdefault(parts[2], {})[parts[3]] = value
    return overlay


def _native(v):
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        v = v.item()
    return v


def compose(base, child, name: str, where: str | None = None):
    """``child`` (a Scenario from an overlay) on top of ``base``: the merge rules of a file that extends."""
    return base.extended(child.parameters_overrides, child.programme_changes, name=name,
                         description=base.description, where=where)


def point_label(spec: ExperimentSpec, point: int, values: dict) -> str:
    shown = ", ".join(f"{k}={values[k]!r}" for k in spec.factor_names)
    return f"{spec.path or spec.name} (design point {point}: {shown})"


def point_scenario(spec: ExperimentSpec, point: int, values: dict):
    """Validate design point ``point`` as a scenario (like a file extending the base); return it.

    Raises :class:`model.scenario_file.ScenarioError` naming the definition, the point and the key."""
    from ruralsim.model.problems import line
    from ruralsim.model.scenario_file import ScenarioError, scenario_from_dict

    where = point_label(spec, point, values)
    try:
        overlay = point_overlay(spec, values)
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise ScenarioError(line(where, "targets", "expressions that can be computed", f"<{exc}>")) from None
    child = scenario_from_dict(overlay, where, base_dir=ROOT, name=spec.name)
    return compose(spec.base, child, name=f"{spec.name}/point-{point}", where=where)


def validate_points(spec: ExperimentSpec, points) -> list:
    """Every design point as a validated Scenario; SpecError listing the problems (the first
    :data:`MAX_POINT_PROBLEMS`, then a count) if any point is not a valid scenario."""
    from ruralsim.model.scenario_file import ScenarioError

    scenarios, lines, extra = [], [], 0
    for p, values in enumerate(points):
        try:
            scenarios.append(point_scenario(spec, p, values))
        except ScenarioError as exc:
            for line in str(exc).splitlines():
                if len(lines) < MAX_POINT_PROBLEMS:
                    lines.append(line)
                else:
                    extra += 1
    if lines:
        if extra:
            lines.append(f"{spec.path or spec.name}: 'design': expected every design point to be a valid scenario; "
                         f"found <{extra} more problems at other points>")
        raise SpecError("\n".join(lines))
    return scenarios
