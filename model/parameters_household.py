"""Parameters of household dynamics: demography, the income process and health, credit and assets.

Declared like those of :mod:`model.parameters` (which merges these sections into its ``SPEC``), in
their own file so that each submodel's parameters sit together with their sources.
"""

from __future__ import annotations

from .declared import parameter as P

#: demography: births, deaths, leaving home and household formation (model/rules/demography.py)
DEMOGRAPHY: dict = {
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
