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

#: the income process, health and training stocks, survey measurement (model/rules/fortune.py,
#: model/rules/health.py, model/rules/human_capital.py, model/rules/poverty_history.py)
EARNINGS: dict = {
    "permanent_persistence": P(0.95, "per year", "persistence rho of the persistent log productivity component (near unit root)",
                               "assumption: near-unit-root AR(1) persistent component (Storesletten, Telmer & Yaron 2004: about 0.95); "
                               "Santaeulàlia-Llopis & Zheng 2018 (CHNS rural) model it as a random walk; calibration candidate (poverty exits after 1-5 years)", 0, 0.99),
    "permanent_sd": P(0.08, "log points per year", "s.d. of the yearly innovation of the persistent component",
                      "assumption (stationary s.d. 0.26 at rho 0.95, as the persistent part of the previous calibration, 0.23); "
                      "permanent income risk in rural China: Santaeulàlia-Llopis & Zheng 2018 (values not retrieved here); calibration candidate", 0, 1),
    "transitory_sd": P(0.10, "log points", "s.d. of the i.i.d. yearly transitory productivity component",
                       "assumption: on top of the model's own transitory shocks (weather, hospital stays, lost migrant jobs, prices); "
                       "the cross-section variance of rural incomes is mostly transitory (Jin & Wang 2018, CHNS)", 0, 1),
    "survey_error_sd": P(0.30, "log points", "s.d. of the error with which a household survey records a household's yearly income (i.i.d. per household-year)",
                         "Bound & Krueger 1991 (JOLE 9(1)): survey earnings reliability 0.82 in a cross-section (0.65 in first differences); "
                         "applied to a rural log-income variance of about 0.48 (a lognormal with the Gini 0.375) gives an error variance "
                         "of about 0.09; rural household income is measured no better (Azzarri et al. 2009, FAO RIGA)", 0, 2),
    "illness_damage": P(0.10, "health damage per episode", "lasting damage to the health stock `ill_health` from an acute (hospital) episode",
                        "assumption: a productivity loss of 4-5% (with `health_productivity_loss` 0.5) recovering over years, within the 6%/year "
                        "over five years (Wang, Jin & Yuan 2023) and the 13% (Liu, Qian & Zhang 2020) lasting income losses after health shocks in China", 0, 1),
    "health_recovery": P(0.20, "share per year", "share of the health damage that heals each year",
                         "assumption: losses still visible 3-5 years after a health shock (Liu, Qian & Zhang 2020; Wang, Jin & Yuan 2023)", 0, 1),
    "health_productivity_loss": P(0.5, "log productivity per unit of damage", "productivity lost with the health damage: factor exp(-loss x ill_health)",
                                  "assumption (see `illness_damage`); lower hourly wages explain most of the income loss after a health shock (Liu, Qian & Zhang 2020)", 0, 5),
    "chronic_threshold": P(0.30, "health damage", "damage at which a household counts as chronically ill (the far end of the health stock)",
                           "assumption: about three hospital episodes in close succession", 0.01, 1),
    "chronic_base_onset": P(0.002, "per household-year", "new chronic illness from causes other than accumulated damage",
                            "assumption (half the previous onset rate 0.004, the other half now comes through the health stock)", 0, 1),
    "training_ceiling": P(0.25, "log productivity", "most the training stock can reach (repeated courses approach it)",
                          "assumption (diminishing returns to repeated vocational training)", 0.01, 2),
    "training_depreciation": P(0.10, "per year", "share of the training stock that becomes obsolete each year",
                               "assumption within the depreciation rates reviewed by de Grip & van Loo 2002 (skills obsolescence)", 0, 1),
}

#: credit, debt and productive assets (model/rules/savings.py, model/rules/production.py)
FINANCE: dict = {
}

HOUSEHOLD_SECTIONS = {name: section for name, section in
                      (("demography", DEMOGRAPHY), ("earnings", EARNINGS), ("finance", FINANCE)) if section}
del P
