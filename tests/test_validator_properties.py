"""Property-based tests of the scenario loader (hypothesis).

For any declared key a scenario can set, a value its declaration does not allow (NaN, an infinity,
the wrong type, a number outside the bounds, a fraction where a whole number is declared, an unknown
choice) is refused with exactly one line ``FILE: 'KEY': expected WHAT; found VALUE``, WHAT being the
declaration's own words; a ``Scenario`` built in Python with the same value gets the same words; and
a value inside the bounds is accepted and kept as given.
"""

from __future__ import annotations

import math
import string
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ruralsim.experiments.points import set_key
from ruralsim.model.declared import FIRST_YEAR, LAST_YEAR
from ruralsim.model.parameters import SPEC
from ruralsim.model.programmes import DECLARED, FIELDS, SCHEDULE_FIELDS
from ruralsim.model.scenario import Scenario
from ruralsim.model.scenario_file import ScenarioError, load_scenario

#: every key path a scenario sets to one value, with its declaration
KEYS = {f"parameters.{s}.{n}": d for s, params in SPEC.items() for n, d in params.items()}
for _name, _prog in DECLARED.items():
    KEYS[f"programmes.{_name}.amount"] = _prog.amount
    for _field in ("generosity", "budget", "conditional", "targeting"):
        KEYS[f"programmes.{_name}.{_field}"] = FIELDS[_field]
    for _key, _extra in _prog.other.items():
        KEYS[f"programmes.{_name}.other.{_key}"] = _extra
    for _field in ("start", "end", "shape", "phase_out_start"):
        KEYS[f"programmes.{_name}.schedule.{_field}"] = SCHEDULE_FIELDS[_field]
NUMERIC = sorted(k for k, d in KEYS.items() if d.type == "number" and not k.startswith("programmes.monitoring."))

WORDS = st.text(alphabet=string.ascii_letters + string.digits + " _-.", min_size=1, max_size=12)
NOT_FINITE = st.sampled_from([math.nan, math.inf, -math.inf])
FINITE = st.floats(allow_nan=False, allow_infinity=False, width=64)


def _bad(declared):
    """Values ``declared`` does not allow."""
    d = declared
    if d.type in ("number", "integer"):
        bad = [NOT_FINITE, WORDS, st.booleans(), st.lists(st.integers(), max_size=2)]
        if d.low is not None:
            bad.append(FINITE.filter(lambda v: v < d.low))
            bad.append(st.integers(max_value=math.ceil(d.low) - 1))
        if d.high is not None:
            bad.append(FINITE.filter(lambda v: v > d.high))
            bad.append(st.integers(min_value=math.floor(d.high) + 1))
        if d.type == "integer":
            bad.append(st.floats(d.low, d.high).filter(lambda v: v != int(v)))
        return st.one_of(*bad)
    if d.type == "year":
        return st.one_of(st.integers(max_value=FIRST_YEAR - 1), st.integers(min_value=LAST_YEAR + 1),
                         st.floats(FIRST_YEAR, LAST_YEAR).filter(lambda v: v != int(v)), NOT_FINITE, WORDS)
    if d.type == "flag":
        return st.one_of(WORDS, st.integers(), FINITE, st.none())
    if d.type == "choice":
        return st.one_of(WORDS.filter(lambda w: w not in d.choices), st.integers(), st.none())
    # groups
    return st.one_of(st.lists(WORDS.filter(lambda w: w not in d.choices), min_size=1, max_size=2), st.just([]),
                     st.integers(), st.none())


@st.composite
def bad_changes(draw):
    """(key path, key as messages name it, overlay as a file holds it, the bad value)."""
    path = draw(st.sampled_from(sorted(KEYS)))
    declared = KEYS[path]
    value = draw(_bad(declared).filter(lambda v: not (v is None and declared.nullable)))
    key = path
    if declared.dated and draw(st.booleans()):  # inside a mapping from years
        year = draw(st.integers(FIRST_YEAR, LAST_YEAR))
        value, key = {year: value}, f"{path}.{year}"
    return path, key, set_key({}, path, value), value if not isinstance(value, dict) else next(iter(value.values()))


def _load(overlay: dict):
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "scenario.yaml"
        f.write_text(yaml.safe_dump(overlay), encoding="utf-8")
        try:
            return f, load_scenario(f)
        except ScenarioError as exc:
            return f, exc


@settings(max_examples=300, deadline=None)
@given(bad_changes())
def test_a_value_outside_its_declaration_is_refused_with_the_exact_words(change):
    path, key, overlay, value = change
    f, result = _load(overlay)
    assert isinstance(result, ScenarioError), (key, value)
    assert str(result) == f"{f.resolve()}: '{key}': expected {KEYS[path].problem(value)}; found {value!r}"
    # the same change built in Python: the same words
    with pytest.raises(ScenarioError) as err:
        Scenario(name="probe", parameters_overrides=overlay.get("parameters", {}),
                 programme_changes=overlay.get("programmes", {}))
    assert str(err.value) == f"Scenario 'probe': '{key}': expected {KEYS[path].problem(value)}; found {value!r}"


@st.composite
def good_changes(draw):
    path = draw(st.sampled_from(NUMERIC))
    d = KEYS[path]
    low = d.low if d.low is not None else -1e9
    high = d.high if d.high is not None else 1e9
    ints = [st.integers(math.ceil(low), math.floor(high))] if math.ceil(low) <= math.floor(high) else []  # (0.01, 0.99)
    return path, draw(st.one_of(st.floats(low, high), *ints))


@settings(max_examples=150, deadline=None)
@given(good_changes())
def test_a_value_inside_its_bounds_is_accepted_and_kept_as_given(change):
    path, value = change
    f, result = _load(set_key({}, path, value))
    assert isinstance(result, Scenario), str(result)
    parts = path.split(".")
    if parts[0] == "parameters":
        kept = result.parameters().get(f"{parts[1]}.{parts[2]}")
    elif parts[2] == "other":
        kept = result.programmes()[parts[1]].other[parts[3]]
    else:
        kept = getattr(result.programmes()[parts[1]], parts[2])
    as_float = parts[0] == "parameters" and KEYS[path].type == "number" and type(value) is int  # held as float
    assert kept == value and type(kept) is (float if as_float else type(value))
