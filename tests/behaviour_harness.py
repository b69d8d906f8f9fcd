"""Behaviour tests written as data (OpenFisca style): "a household like this, under scenario X,
in year Y, gets / earns / is flagged ...".

A case sets one household (row 0 of a small county, at the start of January 2021), its
cooperative and enterprise if needed, runs the county without random shocks (so the
expected values can be worked out by hand) to the end of year Y, and compares the
household's annual figures with the expected values.  Expected values are numbers,
booleans, or arithmetic written out as text ("2 * (5842 * 1.035**2 - 2640)"), so the hand
computation stays visible.
"""

from __future__ import annotations

import ast
import math
import operator
import tempfile
from pathlib import Path

import yaml

from ruralsim.model import RuralEconomy
from ruralsim.model.rules import fortune
from ruralsim.model.scenario_file import load_scenario

ROOT = Path(__file__).resolve().parents[1]
CASE_KEYS = {"name", "scenario", "changes", "households", "seed", "household", "cooperative", "enterprise",
             "year", "expect", "tolerance", "why"}
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
        ast.Pow: operator.pow, ast.USub: operator.neg}


def evaluate(expr):
    """A number, a boolean, or plain arithmetic (numbers, + - * / **, parentheses, exp())."""
    if isinstance(expr, (bool, int, float)):
        return expr

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return node.value
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.operand))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "exp" and len(node.args) == 1:
            return math.exp(ev(node.args[0]))
        raise ValueError(f"not plain arithmetic: {ast.dump(node)}")

    return ev(ast.parse(str(expr), mode="eval"))


def _scenario(case):
    name = case.get("scenario", "baseline")
    base = None if name == "baseline" else ROOT / "scenarios" / name
    if not case.get("changes"):
        return base
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False, encoding="utf-8") as f:
        yaml.safe_dump({"name": case["name"], "extends": "baseline" if base is None else str(base),
                        **case["changes"]}, f, allow_unicode=True)
    try:
        return load_scenario(f.name)
    finally:
        Path(f.name).unlink()


def outcomes(m) -> dict:
    """Row 0's annual figures and state, plus quantities derived from them."""
    h = m.hh
    out = {name: getattr(h, name)[0].item() for name in h.names}
    direct_conditional = m.gov.programmes["direct_support"].conditional
    out["direct_support"] = 0.0 if direct_conditional else out["unconditional"] - out["dibao_received"]
    price = math.exp(m.log_price)
    out["market_price"] = price
    out["unit_price"] = out["business"] / (out["output"] / price) if out["output"] > 0 else float("nan")
    return out


def run_case(case) -> dict:
    """Run one case; returns {key: (expected, actual)}."""
    unknown = set(case) - CASE_KEYS
    if unknown:
        raise ValueError(f"unknown keys in behaviour case: {sorted(unknown)}")
    m = RuralEconomy(_scenario(case), n_households=case.get("households", 20), rng=case.get("seed", 1),
                     household_agents=False, shocks=False)
    hh = dict(case.get("household", {}))
    for key, value in hh.items():
        getattr(m.hh, key)[0] = value
    if "skill" in hh:  # skill is recomputed each January from its components (docs/ODD.md §7.13): set them to give it
        m.hh.fortune[0] = m.hh.transitory[0] = m.hh.training[0] = 0.0
        m.hh.ill_health[0] = m.params.earnings.chronic_threshold if m.hh.chronic[0] else 0.0
        m.hh.ability[0] = fortune.ability_for(hh["skill"], m.params.earnings) + (
            m.params.earnings.health_productivity_loss * m.hh.ill_health[0])
    if "members" not in hh:
        m.hh.members[0] = m.hh.workers[0] + m.hh.children[0] + m.hh.elderly[0]
    for table, values in ((m.coops, case.get("cooperative", {})), (m.enterprises, case.get("enterprise", {}))):
        for key, value in values.items():
            getattr(table, key)[0] = value
    m.run_years(case["year"] - 2020)
    got = outcomes(m)
    return {key: (evaluate(exp), got[key]) for key, exp in case["expect"].items()}


def check(case) -> list[str]:
    """Mismatches of one case, as readable lines (empty when it passes)."""
    tol = float(case.get("tolerance", 1e-9))
    bad = []
    for key, (expected, actual) in run_case(case).items():
        if isinstance(expected, bool):
            ok = bool(actual) == expected
        else:
            ok = math.isclose(actual, expected, rel_tol=tol, abs_tol=1e-6)
        if not ok:
            bad.append(f"{key}: expected {expected!r}, got {actual!r}")
    return bad
