"""Parameters of household dynamics: demography, the income process and health, credit and assets.

Declared like those of :mod:`model.parameters` (which merges these sections into its ``SPEC``), in
their own file so that each submodel's parameters sit together with their sources.
"""

from __future__ import annotations

from .declared import parameter as P

#: demography: births, deaths, leaving home and household formation (model/rules/demography.py)
DEMOGRAPHY: dict = {
    "birth_rate": P(0.0134, "births per working-age member-year",
                    "chance of a birth per worker a year (at most one birth a household a year)",
                    "NBS: 12.02 m births in 2020 (census; NBS 2021-05-11) over 894 m aged 15-59 (7th census "
                    "communique no. 5); 2023: 9.02 m births over 865 m aged 16-59 = 0.0104", 0, 1),
    "max_children": P(3.0, "children", "no birth in a household with this many children or more",
                      "three-child policy 2021 (三孩政策): a third child is the most the law allows", 0, 10),
    "pre_school_years": P(6.0, "years", "a first child's years before school (schooling starts at -6)",
                          "Compulsory Education Law art. 11: school from age six", 0, 10),
    "child_mortality": P(0.0008, "per child-year", "death of a child (at most one a household a year)",
                         "under-5 mortality 7.5 per 1,000 births in 2020 (NHC) spread over five years, 0.1-0.5 per "
                         "1,000 at 5-15 (6th census rural tables, Shanghai and Guangzhou); rural uplift assumption", 0, 1),
    "worker_mortality": P(0.002, "per worker-year", "death of a working-age member (at most one a household a year)",
                          "6th census rural tables (Shanghai): 0.1-0.5 per 1,000 at 20-35; Shandong 2000: 10.3 "
                          "at 59; average over 16-59 assumption", 0, 1),
    "elderly_mortality": P(0.035, "per elderly member-year", "death of an elderly member (at most one a household a year)",
                           "NBS 2022: 10.41 m deaths, 280 m aged 60+; 80% of deaths at 60+ (assumption) gives 30 "
                           "per 1,000; rural older people die younger (assumption: 35)", 0, 1),
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
