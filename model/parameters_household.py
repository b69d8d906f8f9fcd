"""Parameters of household dynamics: demography, the income process and health, credit and assets.

Declared like those of :mod:`model.parameters` (which merges these sections into its ``SPEC``), in
their own file so that each submodel's parameters sit together with their sources.
"""

from __future__ import annotations

from .declared import parameter as P

#: demography: births, deaths, leaving home and household formation (model/rules/demography.py)
DEMOGRAPHY: dict = {
}

#: the income process and health (model/rules/fortune.py, model/rules/health.py)
EARNINGS: dict = {
}

#: credit, debt and productive assets (model/rules/savings.py, model/rules/production.py)
FINANCE: dict = {
}

HOUSEHOLD_SECTIONS = {name: section for name, section in
                      (("demography", DEMOGRAPHY), ("earnings", EARNINGS), ("finance", FINANCE)) if section}
del P
