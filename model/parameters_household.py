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
                               "labour; Banerjee & Newman 1993)", 0, 10),
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

HOUSEHOLD_SECTIONS = {name: section for name, section in
                      (("demography", DEMOGRAPHY), ("earnings", EARNINGS), ("finance", FINANCE)) if section}
del P, _key, _why
