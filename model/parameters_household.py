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
    "permanent_persistence": P(0.9131, "per year", "persistence rho of the persistent log productivity component (near unit root)",
                               "assumption: near-unit-root AR(1) persistent component (Storesletten, Telmer & Yaron 2004: about 0.95); "
                               "Santaeulàlia-Llopis & Zheng 2018 (CHNS rural) model it as a random walk; calibration candidate (poverty exits after 1-5 years)", 0, 0.99),
    "permanent_sd": P(0.1014, "log points per year", "s.d. of the yearly innovation of the persistent component",
                      "assumption (stationary s.d. 0.26 at rho 0.95, as the persistent part of the previous calibration, 0.23); "
                      "permanent income risk in rural China: Santaeulàlia-Llopis & Zheng 2018 (values not retrieved here); calibration candidate", 0, 1),
    "transitory_sd": P(0.1369, "log points", "s.d. of the i.i.d. yearly transitory productivity component",
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

#: credit, debt and productive assets (model/rules/savings.py, credit.py, investment.py, production.py)
FINANCE: dict = {
    # consumption smoothing (buffer stock)
    "subsistence": P(3000.0, "yuan/person/year", "consumption floor at home (members not working away)",
                     "assumption (below the poverty line)", 0, 1_000_000),
    "buffer_months": P(3.0, "months of permanent income", "target buffer of savings (buffer-stock saving)",
                       "Carroll 1997 QJE / 2001 JEP (a target ratio of cash to permanent income); assumption: about "
                       "the initial county's median savings over its monthly income", 0, 120),
    "smoothing_share": P(0.04, "per month", "share of savings above (or below) the target buffer consumed (or "
                         "saved) each month, kappa in c = p + kappa (m - m*)",
                         "Carroll 2001 JEP rule c = p + kappa (m - m*); assumption (about 0.4 a year)", 0, 1),
    "reserve_months": P(1.0, "months of permanent income", "savings a household keeps when it repays debt early "
                        "or buys productive assets (what it draws its buffer down to)", "assumption", 0, 120),
    # informal credit and debt
    "borrow_rate": P(0.008, "per month", "interest on informal debt",
                     "assumption (~10%/year; informal loans in rural China range from interest-free among relatives "
                     "to moneylenders' rates, Turvey & Kong 2010 China Economic Review 21(4))", 0, 1),
    "repay_months": P(24.0, "months", "informal debt is repaid in equal shares of the outstanding principal over "
                      "this many months (repayment schedule)", "assumption", 1, 600),
    "min_repayment": P(100.0, "yuan/month", "smallest scheduled instalment (a smaller debt is repaid at once)",
                       "assumption", 0, 100_000),
    "credit_limit": P(1.0, "x annual income", "most informal debt a household can take on: this multiple of its "
                      "income over the last twelve months", "assumption (informal lenders lend against income, "
                      "Turvey & Kong 2010)", 0, 100),
    "default_multiple": P(2.0, "x annual income", "debt above this multiple of the year's income in December: "
                          "the household defaults", "assumption", 0, 100),
    "seizure_share": P(0.5, "share of assets", "share of productive assets the lender seizes on a default (the rest "
                       "of the debt is written off)", "assumption", 0, 1),
    "credit_bar_years": P(3.0, "years", "years a household that defaulted is barred from informal credit",
                          "assumption", 0, 100),
    # productive assets: two techniques (a non-convex technology)
    "asset_threshold": P(40000.0, "yuan", "productive assets needed for the improved technique (a greenhouse 大棚 "
                         "with its equipment, a herd of cattle)", "assumption (the asset threshold of Carter & Barrett "
                         "2006 J Dev Studies 42(2); set so that about a third of the 2020 county is above it)",
                         0, 100_000_000),
    "improved_productivity": P(1.3, "x output", "output of the improved technique relative to the traditional one "
                               "at the same inputs (1: no improved technique, no threshold)",
                               "assumption (Balboni et al. 2022 QJE: livestock rearing earns far more than casual "
                               "labour; Banerjee & Newman 1993)", 1, 10),
    "asset_depreciation": P(0.05, "per year", "depreciation of productive assets", "assumption", 0, 1),
    "discount_rate": P(0.10, "per year", "return a household requires on an investment, besides depreciation",
                       "assumption (the informal interest rate, about 10% a year)", 0, 10),
    "invest_share": P(0.25, "share of investable savings", "share of savings above the investment buffer invested "
                      "in a December when the marginal return beats the required return", "assumption", 0, 1),
}
#: why each finite bound of a finance parameter that is not a share is where it is (model.parameters.BOUNDS)
_WHY = {"subsistence": "far above any rural figure (300x the default), still finite in every sum",
        "buffer_months": "ten years of income", "reserve_months": "ten years of income",
        "min_repayment": "far above any rural figure (1,000x the default)",
        "repay_months": "at least a month, at most fifty years", "credit_limit": "a century of income",
        "default_multiple": "a century of income", "credit_bar_years": "a century",
        "asset_threshold": "far above any rural figure (4,000x the default), still finite in every sum",
        "improved_productivity": "ten times the traditional technique's output", "discount_rate": "1,000% a year"}
for _key, _why in _WHY.items():
    FINANCE[_key] = FINANCE[_key].narrowed(why=_why)

HOUSEHOLD_SECTIONS = {"demography": DEMOGRAPHY, "earnings": EARNINGS, "finance": FINANCE}
del P, _key, _why
