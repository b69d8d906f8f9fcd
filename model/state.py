"""Household, cooperative and enterprise state as numpy columns (one array per variable).

The vectorised rules work on whole columns; the Mesa agents in
:mod:`model.agents` are thin views that read and write one row.
"""

from __future__ import annotations

import numpy as np

# name -> (dtype, meaning). Order is the order shown to users.
HOUSEHOLD_COLUMNS: dict[str, tuple[type, str]] = {
    "village": (np.int64, "village index"),
    "members": (np.float64, "household members (persons)"),
    "workers": (np.float64, "working-age members"),
    "children": (np.float64, "children in or before school"),
    "elderly": (np.float64, "elderly members"),
    # -- demography: births, deaths, household formation (columns added here) --
    "formed_year": (np.int64, "year a newly formed household took this row (0: the household was there at the start)"),
    "edu": (np.float64, "mean schooling of workers (years)"),
    "schooling": (np.float64, "schooling of the eldest child in school (years)"),
    "youngest": (np.float64, "schooling of the youngest child (years; negative before school; the eldest's for an only child)"),
    "chronic": (np.bool_, "a member is chronically ill"),
    "sick_months": (np.float64, "months of recovery left from a hospital episode"),
    "land": (np.float64, "contracted land (mu)"),
    "assets": (np.float64, "productive assets (yuan)"),
    "savings": (np.float64, "savings (yuan)"),
    "debt": (np.float64, "informal debt (yuan)"),
    "loan": (np.float64, "outstanding microcredit (yuan)"),
    "loan_payment": (np.float64, "monthly microcredit repayment (yuan)"),
    # -- credit, debt and productive assets (columns added here) --
    "credit_barred_until": (np.int64, "year until which a household that defaulted gets no informal credit (0: never barred)"),
    "hardship_months": (np.float64, "months this year with consumption at home below the subsistence floor (cash and credit short)"),
    "is_ex_poor": (np.bool_, "registered household lifted out of poverty by 2020 (建档立卡)"),
    "relocated": (np.bool_, "relocated household (易地扶贫搬迁)"),
    "dibao_enrolled": (np.bool_, "enrolled in dibao by the verification at exit in 2020 (兜底保障): its claim is always recognised"),
    "skill": (np.float64, "productivity multiplier: exp(ability + fortune - var/2 + transitory) x health factor x training factor (recomputed each January)"),
    "fortune": (np.float64, "persistent log productivity component (near-unit-root AR(1), mechanism 11)"),
    "effort": (np.float64, "motivation / effort multiplier (内生动力)"),
    # -- the income process and health (columns added here) --
    "ability": (np.float64, "fixed log productivity (the initial skill draw, with the ex-poor gap)"),
    "transitory": (np.float64, "this year's transitory log productivity component (0 in neutral years)"),
    "ill_health": (np.float64, "health damage stock, 0 (healthy) to 1; chronic illness from `earnings.chronic_threshold`"),
    "training": (np.float64, "human-capital stock from training (log productivity; 0 = none)"),
    "survey_log_income": (np.float64, "log of last year's survey-measured income (read while survey_years > 0)"),
    "survey_years": (np.float64, "consecutive years with a survey income recorded (since 2021; 0 = none yet)"),
    "survey_change_1": (np.float64, "last year's change of log survey income (read while survey_years > 1)"),
    "survey_change_2": (np.float64, "the change the year before (read while survey_years > 2)"),
    "taste": (np.float64, "household cost of migrating (fixed, mean 1)"),
    "private_transfer": (np.float64, "remittances from non-resident family (yuan/year)"),
    "cooperative": (np.int64, "cooperative the household belongs to (-1: none)"),
    "migrants": (np.float64, "workers in migrant work"),
    "local_job": (np.float64, "worker in a local enterprise or workshop job (0/1)"),
    "employer": (np.int64, "enterprise employing the local worker (-1: none)"),
    "post": (np.float64, "worker in a public-welfare post (0/1)"),
    "farm_acc": (np.float64, "farm labour accumulated since the last harvest (worker-months)"),
    "monitored": (np.bool_, "flagged by monitoring now"),
    "pending": (np.bool_, "found at risk, help starts after the lag"),
    "pending_month": (np.int64, "month help starts"),
    "months_flagged": (np.float64, "months since flagged"),
    "flagged_this_year": (np.bool_, "flagged at any time this year"),
    "ever_flagged": (np.bool_, "flagged at any time since 2021"),
    "assessed_income": (np.float64, "income over the last twelve months (yuan)"),
    "assessed_oop": (np.float64, "out-of-pocket medical spending over the last twelve months (yuan)"),
    "prev_pc_income": (np.float64, "last year's per capita income excluding dibao (yuan)"),
    "trained": (np.bool_, "received vocational training this year"),
    "poor_spell": (np.float64, "consecutive years with per capita income below the poverty line (since 2021; survey definition)"),
    "poor_last_year": (np.bool_, "per capita income net of medical spending below the line last year"),
    "ever_poor": (np.bool_, "per capita income net of medical spending below the line in any year since 2021"),
    # annual accumulators (reset each January)
    "wage": (np.float64, "wage income this year"),
    "business": (np.float64, "net business (farm) income this year"),
    "property": (np.float64, "property income this year (rent, dividends)"),
    "transfer": (np.float64, "transfer income this year (public and private)"),
    "income": (np.float64, "disposable income this year, accumulated as cash comes in"),
    "oop": (np.float64, "out-of-pocket medical spending this year"),
    "illness_episodes": (np.float64, "serious illness episodes this year"),
    "jobs_lost": (np.float64, "migrant jobs lost this year"),
    "unconditional": (np.float64, "unconditional public transfers this year"),
    "conditional": (np.float64, "conditional public support this year"),
    "dibao_received": (np.float64, "dibao received this year"),
    "recv_gov": (np.float64, "everything received from government this year (cash and in kind)"),
    "recv_coop": (np.float64, "paid by the cooperative this year"),
    "recv_enterprise": (np.float64, "paid by enterprises this year"),
    "coop_sales": (np.float64, "value sold to the cooperative this year, at its advance price"),
    "output": (np.float64, "farm output value this year"),
    # -- the chain: cooperative membership and sales --------------------------------------
    "coop_gain": (np.float64, "what membership brought this year (yuan): price over the spot price on produce the cooperative bought, consumption support on it, dividends; read in January as last year's"),
    "coop_bad_years": (np.float64, "consecutive years membership brought less than it costs"),

    # -- the labour market: allocation, matches, separations ------------------------------
    "workshop_job": (np.bool_, "the local job is a poverty-alleviation workshop job (扶贫车间)"),
    "hired_year": (np.int64, "year the local job match began (read only while employer >= 0)"),
    "laid_off": (np.bool_, "laid off this January (does not apply for a local job again until next year)"),
    "living_away": (np.float64, "migrants' living costs at the place of work this year (consumption, yuan)"),

    # -- (end of household columns) --
}

ANNUAL = ("wage", "business", "property", "transfer", "income", "oop", "illness_episodes", "jobs_lost", "unconditional", "conditional",
          "dibao_received", "recv_gov", "recv_coop", "recv_enterprise", "coop_sales", "output")

COOP_COLUMNS: dict[str, tuple[type, str]] = {
    "village": (np.int64, "village of the cooperative"),
    "capacity": (np.float64, "leader capacity 0-1 (带头人)"),
    "alive": (np.bool_, "operating"),
    "enterprise": (np.int64, "enterprise it has a contract with (-1: none)"),
    "asset_fund": (np.float64, "fiscal funds held as shares by registered members (yuan)"),
    "cash": (np.float64, "retained cash (yuan)"),
    "surplus": (np.float64, "surplus this year (yuan)"),
    "sales": (np.float64, "its sales of produce this year, to its enterprise and on its own (yuan)"),
    "paid_members": (np.float64, "paid to members this year (yuan)"),
    "recv_gov": (np.float64, "received from government this year (yuan)"),
    "recv_industry": (np.float64, "of which industry support (产业扶贫奖补) this year (yuan)"),
    "members_n": (np.float64, "member households"),
    # -- interface with the enterprises --------------------------------------------------
    "contract_quantity": (np.float64, "produce its enterprise contracted to buy from it this year (units at 2020 prices)"),
    "delivered": (np.float64, "produce delivered to its enterprise under contract this year (units)"),
    "purchases": (np.float64, "advances paid for produce bought from members this year (yuan)"),
    "failed_year": (np.int64, "year it failed (-1: never failed, or refounded since)"),
    # -- cooperative decisions -----------------------------------------------------------
    "advance": (np.float64, "advance price it pays members this year (x market price at the harvest)"),
    "buy_share": (np.float64, "share of its members' produce it buys this year"),
    "offered": (np.float64, "its members' output this year (units)"),
    "bought": (np.float64, "produce bought from members this year (units)"),
    "member_output": (np.float64, "its members' output last year (units)"),
    "last_bought": (np.float64, "produce bought from members last year (units)"),
    "last_surplus": (np.float64, "surplus last year, after the asset-income dividend (yuan)"),
    "assets": (np.float64, "collective productive assets built from reinvested surplus (yuan)"),
    "loss_years": (np.float64, "consecutive years with a loss"),
    "dividend_rate": (np.float64, "patronage dividend paid last year per yuan of produce bought"),
    "asset_dividend": (np.float64, "asset-income dividend per registered shareholder last year (yuan)"),
    "trained": (np.bool_, "its leader was trained this year"),

    # -- (end of cooperative columns) --
}

ENTERPRISE_COLUMNS: dict[str, tuple[type, str]] = {
    "alive": (np.bool_, "operating"),
    "jobs": (np.float64, "local jobs offered"),
    "workshop_jobs": (np.float64, "workshop jobs reserved for relocated households"),
    "cash": (np.float64, "cash (yuan)"),
    "loss_years": (np.float64, "consecutive years with an operating loss (a loss before the capital cost)"),
    "defaulting": (np.bool_, "paying market price instead of the floor at this harvest"),
    "purchases": (np.float64, "produce bought this year (yuan)"),
    "quantity": (np.float64, "produce bought this year (units at 2020 prices)"),
    "last_quantity": (np.float64, "produce bought last year (units)"),
    "sales_value": (np.float64, "processed sales this year (yuan)"),
    "wages": (np.float64, "wages paid this year (yuan)"),
    "recv_gov": (np.float64, "received from government this year (yuan)"),
    "profit": (np.float64, "profit last year (yuan)"),
    "exit_year": (np.int64, "year it exited (-1: operating)"),
    # -- enterprise planning -------------------------------------------------------------
    "productivity": (np.float64, "productivity draw (mean one) multiplying the value of its workers and its processing"),
    "plant_staff": (np.float64, "staff the plant was built for, L0 (its 2019 staff, at least 1)"),
    "worker_value": (np.float64, "value of a worker paid the going local wage at the plant's size and mean productivity, at 2020 wages (yuan/year)"),
    "capital_cost": (np.float64, "yearly cost of the plant's capital for workers paid the going local wage, at 2020 wages (yuan; grows with the wage index and its workers' pay relative to that wage)"),
    "throughput": (np.float64, "produce it can process per post a year, at 2020 labour productivity (units)"),
    "premium": (np.float64, "contract premium it pays this year (x the cooperative's own price)"),
    "floor": (np.float64, "floor price it promises this year (x 2020 price; honoured unless it defaults)"),
    "staff": (np.float64, "workers it employed this year (counted in December)"),
    "market_value": (np.float64, "produce bought this year valued at the market price with the e-commerce gain (yuan)"),

    # -- (end of enterprise columns) --
}


class Columns:
    """A struct of numpy arrays with one row per entity."""

    def __init__(self, spec: dict[str, tuple[type, str]], n: int):
        self._spec = spec
        self.n = n
        for name, (dtype, _) in spec.items():
            setattr(self, name, np.zeros(n, dtype=dtype))

    @property
    def names(self) -> list[str]:
        return list(self._spec)

    def frame(self):
        """All columns as a pandas DataFrame (one row per entity)."""
        import pandas as pd

        return pd.DataFrame({k: getattr(self, k) for k in self._spec})
