"""Whatever ``check`` accepts runs; whatever it refuses is refused in one line per problem, quickly.

Two generators: arbitrary YAML documents (text and structures), and scenario overlays built from the
declarations (values at and around their bounds, dated or not, plus the classic bad values).  Each
document is written to a file and loaded; an accepted one runs a tiny county (50 households, 1 year)
and every output must be finite, except the ratios over an empty group, which are NaN by design
(model/annual.py).  ``RURALSIM_PROPERTY_EXAMPLES`` raises the number of examples;
``RURALSIM_PROPERTY_COUNTS`` names a JSON file that receives the counts (tried, refused, run).
"""

from __future__ import annotations

import json
import math
import os
import time

import numpy as np
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from ruralsim.model import RuralEconomy
from ruralsim.model.parameters import SPEC
from ruralsim.model.programmes import DECLARED, SCHEDULE_FIELDS
from ruralsim.model.scenario_file import ScenarioError, load_scenario
from ruralsim.model.validator import SCHEDULE_VALUE_FIELDS, VALUE_FIELDS, key_declaration

EXAMPLES = int(os.environ.get("RURALSIM_PROPERTY_EXAMPLES", "25"))
SECONDS = 5.0  # to accept or refuse one file
#: Ratios over a group that may be empty in a tiny county (NaN by design); every other output is finite.
MAY_BE_NAN = {"relapse_rate", "cumulative_relapse_rate", "mean_income_ex_poor", "ex_poor_migrants_per_person",
              "new_poverty_rate", "mean_income_never_registered"}
COUNTS = {"tried": 0, "refused": 0, "run": 0}
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])

PATHS = ([f"parameters.{s}.{n}" for s in SPEC for n in SPEC[s]]
         + [f"programmes.{p}.{f}" for p in DECLARED for f in VALUE_FIELDS]
         + [f"programmes.{p}.schedule.{f}" for p in DECLARED for f in SCHEDULE_VALUE_FIELDS]
         + [f"programmes.{p}.other.{k}" for p in DECLARED for k in DECLARED[p].other])
BAD = st.sampled_from([math.nan, math.inf, -math.inf, "1.0e12", "1e5", 10.0**300, -1, True, None, [], {}, "x" * 200,
                       {2022: 1.0}, [[1]], 2**70])


def _value(declared):
    t = declared.type
    if t in ("number", "integer"):
        lo, hi = declared.low, declared.high
        good = (st.integers(int(lo), int(hi)) if t == "integer"
                else st.one_of(st.sampled_from([lo, hi, declared.value]), st.floats(lo, hi)))
    elif t == "year":
        good = st.integers(1995, 2105)
    elif t == "flag":
        good = st.booleans()
    elif t == "choice":
        good = st.sampled_from(declared.choices)
    elif t == "groups":
        good = st.lists(st.sampled_from(declared.choices), min_size=0, max_size=3)
    else:
        good = st.text(max_size=20)
    if declared.nullable:
        good = st.one_of(good, st.none())
    plain = st.one_of(good, good, good, BAD)
    if declared.dated:
        dated = st.dictionaries(st.integers(1999, 2101), plain, min_size=1, max_size=3).map(
            lambda d: dict(sorted(d.items())))
        return st.one_of(plain, plain, dated)
    return plain


@st.composite
def overlays(draw):
    doc: dict = {"name": "probe"}
    for path in draw(st.lists(st.sampled_from(PATHS), min_size=1, max_size=6, unique=True)):
        declared, _ = key_declaration(path)
        if path.endswith("schedule.steps"):
            declared = SCHEDULE_FIELDS["steps"]
        value = draw(_value(declared))
        parts = path.split(".")
        if parts[0] == "parameters":
            doc.setdefault("parameters", {})[f"{parts[1]}.{parts[2]}"] = value
        else:
            node = doc.setdefault("programmes", {}).setdefault(parts[1], {})
            for part in parts[2:-1]:
                node = node.setdefault(part, {})
            node[parts[-1]] = value
    return yaml.safe_dump(doc, allow_unicode=True)


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12),
                    st.sampled_from(["parameters", "programmes", "extends", "baseline", "illness.acute_prob",
                                     "dibao", "generosity", "schedule", 2022, "1.0e12", ".inf"]))
STRUCTURES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(SCALARS.filter(lambda k: not isinstance(k, float) or k == k),
                                                 inner, max_size=4)), max_leaves=20)
TOKENS = st.sampled_from(["parameters:", "programmes:", "\n", "  ", "- ", ": ", "&a ", "*a", "<<: *a", "{", "}", "[",
                          "]", ",", "? ", "!!python/object:os.system", "!!binary", "2022-02-30", "extends: ",
                          "/etc/passwd", "../", "1.0e12", ".nan", "\t", "'", '"', "#", "%YAML 1.1\n", "---\n",
                          "illness.acute_prob", "dibao", "0x1F", "0o17", "1_000", "~", "\x00", "\ufeff"])
TEXTS = st.one_of(st.lists(TOKENS, max_size=30).map("".join), st.text(max_size=200),
                  STRUCTURES.map(lambda d: yaml.safe_dump(d, allow_unicode=True)))


def _load_or_refuse(tmp_path_factory, text: str):
    f = tmp_path_factory.mktemp("prop") / "s.yaml"
    f.write_bytes(text.encode("utf-8", "surrogatepass"))
    COUNTS["tried"] += 1
    t0 = time.perf_counter()
    try:
        scenario = load_scenario(f)
    except ScenarioError as err:
        assert time.perf_counter() - t0 < SECONDS
        lines = str(err).splitlines()
        assert lines
        for text_line in lines:
            assert text_line.startswith(f"{f.resolve()}: '") or text_line.startswith(f"{f.resolve()}: ..."), text_line
            assert (": expected " in text_line and "; found " in text_line) or "more problems" in text_line
            assert len(text_line) < 1000, text_line
        COUNTS["refused"] += 1
        return
    assert time.perf_counter() - t0 < SECONDS
    df = RuralEconomy(scenario, n_households=50, rng=1, household_agents=False).run_years(1)
    numbers = df.select_dtypes("number")
    assert not np.isinf(numbers.to_numpy(dtype=float)).any(), numbers.columns[np.isinf(numbers).any()].tolist()
    nan = set(numbers.columns[numbers.isna().any()]) - MAY_BE_NAN
    assert not nan, f"NaN outputs {sorted(nan)} for\n{text}"
    COUNTS["run"] += 1


@SETTINGS
@given(text=TEXTS)
def test_any_yaml_document_is_accepted_and_runs_or_refused_in_one_line_per_problem(tmp_path_factory, text):
    _load_or_refuse(tmp_path_factory, text)


@SETTINGS
@given(text=overlays())
def test_any_overlay_is_accepted_and_runs_or_refused_in_one_line_per_problem(tmp_path_factory, text):
    _load_or_refuse(tmp_path_factory, text)


def teardown_module(module):
    path = os.environ.get("RURALSIM_PROPERTY_COUNTS")
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(COUNTS, f)
