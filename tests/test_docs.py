"""The documentation keeps up with the code: every parameter, column and programme is described."""

from __future__ import annotations

from pathlib import Path

from ruralsim.model.annual import METRIC_COLUMNS
from ruralsim.model.parameters import SPEC
from ruralsim.model.policy import PROGRAMME_NAMES
from ruralsim.model.state import COOP_COLUMNS, ENTERPRISE_COLUMNS, HOUSEHOLD_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
ODD = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_odd_describes_every_parameter_programme_and_state_variable():
    missing = [f"{s}.{k}" for s, ps in SPEC.items() for k in ps if f"{s}.{k}" not in ODD and f"`{k}`" not in ODD]
    missing += [p for p in PROGRAMME_NAMES if f"`{p}`" not in ODD]
    missing += [c for spec in (HOUSEHOLD_COLUMNS, COOP_COLUMNS, ENTERPRISE_COLUMNS) for c in spec if f"`{c}`" not in ODD]
    assert not missing, f"not in docs/ODD.md: {missing}"


def test_odd_has_the_seven_headings_and_links_to_existing_code():
    for heading in ("Purpose and patterns", "Entities, state variables and scales", "Process overview and scheduling",
                    "Design concepts", "Initialisation", "Input data", "Submodels"):
        assert heading.lower() in ODD.lower(), heading
    import re
    links = re.findall(r"\]\(\.\./([^)#]+)", ODD)
    assert links and all((ROOT / link).exists() for link in links), [lnk for lnk in links if not (ROOT / lnk).exists()]


def test_readme_explains_every_output_column():
    missing = [c for c in METRIC_COLUMNS if f"`{c}`" not in README and not c.startswith("cost_")]
    assert not missing, f"not in README.md: {missing}"


def test_odd_parameter_tables_show_the_defaults_in_the_code():
    """Every ``| `section.key` | default |`` row of the ODD shows the code's default (to the precision shown)."""
    import re

    rows = re.findall(r"^\| `([a-z_]+)\.([a-z_]+)` \| ([^|]+) \|", ODD, re.M)
    checked, wrong = 0, []
    for section, key, shown in rows:
        if key not in SPEC.get(section, {}):
            continue
        value, shown = SPEC[section][key].value, shown.strip()
        try:
            number = float(shown.replace(",", ""))
        except ValueError:  # "None / 0" and the like
            continue
        checked += 1
        decimals = len(shown.split(".")[1]) if "." in shown else 0
        if value is None or (round(float(value), decimals) != number and float(f"{float(value):.4g}") != number):
            wrong.append(f"{section}.{key}: ODD {shown}, code {value}")
    assert checked > 80, checked  # the tables were found
    assert not wrong, wrong
