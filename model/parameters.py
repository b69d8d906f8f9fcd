"""Behavioural, economic and shock parameters of the model, with units, bounds and sources.

Each parameter is declared once (a :class:`model.declared.Declared`), next to its unit, meaning,
bounds and the source of its default (scikit-learn style: constraints live with the parameter).
Policy programmes (amounts, extras, schedules, targeting, generosity, budgets) are declared in
:mod:`model.programmes`.  Scenarios override these values by dotted key, e.g.
``illness.acute_prob``, and every value, whichever way it comes in (a scenario file, a
``Scenario`` built in Python, :meth:`Parameters.set`), is checked against its declaration by
:func:`model.declared.check`.  Any parameter may be dated: ``{2021: 0.05, 2026: 0.03}``.

Sources are abbreviated; full references are in ``docs/ODD.md`` and
``data/calibration_targets.csv``.  "calibrated" means the value is a scale
constant set so that the default county reproduces the 2020 targets (see
``docs/ODD.md``, Initialisation); "assumption" means no published figure was
found and the value is a modest guess whose sensitivity is for the experiment
runner to explore.
"""

from __future__ import annotations

import copy
from typing import Any

from .declared import Declared, check, is_integer, parameter
from .parameters_household import HOUSEHOLD_SECTIONS
from .problems import Problems


P = parameter  # the declaration of one parameter (model.declared.parameter)


SPEC: dict[str, dict[str, Declared]] = {
    "lines": {
        "poverty_line": P(4000.0, "yuan/person/year", "absolute poverty line z (2020 prices)",
                          "NRRA, SCIO 2021-04-06: 'about 4,000 yuan'", 0, None),
        "monitoring_multiple": P(1.5, "x poverty line", "monitoring line m = multiple * z",
                                 "LGOP (Ou Qingping), China Daily 2020-12-02", 1, None),
        "relative_poverty_fraction": P(0.4, "share of median", "relative poverty threshold",
                                       "assumption (common 40-50% of median convention)", 0, 1),
    },
    "population": {
        "households_per_village": P(250.0, "households", "village size", "assumption (typical administrative village)", 1, None),
        "households_per_enterprise": P(2500.0, "households", "one leading enterprise per this many households", "assumption", 1, None),
        "ex_poor_share": P(0.30, "share of households", "registered (建档立卡) households lifted out by 2020",
                           "99 m lifted out (NBS 2022-10-11) over ~300 m rural residents of poverty counties; assumption", 0, 1),
        "register_newly_poor": P(True, "", "the verification at exit (December 2020) registers never-registered households below the line (动态调整)",
                                 "NBS: no rural poor under the current standard at the end of 2020 (5.51 m at the end of 2019)", type="flag"),
        "relocated_share": P(0.10, "share of ex-poor", "ex-poor households relocated (易地扶贫搬迁)",
                             "9.6 m relocated of 99 m (SCIO white paper 2021)", 0, 1),
        "coop_member_share": P(0.445, "share of households", "initial cooperative membership",
                               "MoA 2016 via DLG AgriFuture: 44.5% of rural households", 0, 1),
        "skill_sd": P(0.2013, "log points", "dispersion of household productivity (skill)", "calibrated to the rural Gini", 0, 3),
        "ex_poor_skill_gap": P(0.0, "log points", "lower mean productivity of registered households", "calibrated to the ex-poor 2020 income (NRRA 10,740)", 0, 3),
        "land_sigma": P(1.0, "log s.d.", "dispersion of contracted land", "assumption (farm-size surveys)", 0, 3),
        "asset_sigma": P(0.8, "log s.d.", "dispersion of productive assets", "assumption", 0, 3),
        "transfer_sigma": P(1.0, "log s.d.", "dispersion of remittances from non-resident family", "assumption", 0, 3),
        "private_transfer_pc": P(2846.0, "yuan/person/year", "mean remittances from non-resident family members (part of NBS transfer income)",
                                 "calibrated to the 2019 poverty-area transfer share (NBS 2020-02-03)", 0, None),
    },
    "economy": {
        "migrant_wage": P(4000.0, "yuan/month", "migrant worker monthly earnings (2020 prices)",
                          "NBS migrant worker reports: 4,072 (2020); 4,615 (2022) = 4,494 at 2020 prices (data/README.md)", 0, None),
        "local_wage": P(2400.0, "yuan/month", "wage of a local enterprise job or poverty-alleviation workshop (扶贫车间)",
                        "NBS 2023 local migrant income 4,131 nominal; poor counties lower; assumption", 0, None),
        "wage_growth": P(0.05, "per year", "real growth of migrant and local wages", "NBS migrant reports 2017-2023 (about 5-6% real)", -0.2, 0.3),
        "farm_tfp": P(4538.0, "yuan per unit", "farm total factor productivity (net value) of the traditional technique", "calibrated to the 2019 poverty-area business-income share (docs/calibration.md): 6,042, scaled by 0.93 when the improved technique (finance.improved_productivity) came in, to keep the 2020 county's farm income; to be recalibrated", 0, None),
        "farm_productivity_growth": P(0.03, "per year", "real growth of farm productivity", "assumption (agricultural TFP growth in China ~2-3%)", -0.2, 0.3),
        "land_elasticity": P(0.40, "", "output elasticity of land", "assumption (typical farm Cobb-Douglas)", 0, 1),
        "asset_elasticity": P(0.25, "", "output elasticity of productive assets", "assumption", 0, 1),
        "labour_elasticity": P(0.35, "", "output elasticity of farm labour", "assumption", 0, 1),
        "asset_scale": P(10000.0, "yuan", "asset scale in the production function (output at zero assets is not zero)", "assumption", 0, None),
        "elderly_farm_labour": P(0.3, "worker equivalents", "farm labour of an elderly member", "assumption", 0, 1),
        "land_rent": P(600.0, "yuan/mu/year", "rent for land transferred out (土地流转) when nobody farms it", "assumption (survey range 400-800)", 0, None),
        "price_persistence": P(0.95, "per month", "AR(1) persistence of the log crop price", "assumption", 0, 1),
        "price_volatility": P(0.03, "per month", "s.d. of monthly log-price innovations", "assumption (~10% annual)", 0, None),
        "spot_price_factor": P(0.88, "x market price", "price received from traders on the spot market", "assumption", 0, None),
        "weather_sd": P(0.3162, "log s.d.", "village weather shock per harvest", "calibrated to the share of falls caused by medical spending (docs/calibration.md); before: assumption", 0, None),
        "disaster_prob": P(0.02, "per village-harvest", "probability of a disaster (flood, drought, hail)", "assumption", 0, 1),
        "disaster_loss": P(0.5, "share of output", "output lost in a disaster", "assumption", 0, 1),
        "return_to_schooling": P(0.07, "log wage per year", "Mincerian return to schooling of off-farm workers",
                                 "de Brauw & Rozelle 2008 (0.064); Hou & Deng 2018 (0.103)", 0, 0.3),
        "reference_schooling": P(8.0, "years", "schooling at which wages equal the reference wage", "assumption", 0, 20),
    },
    "labour": {
        "migration_cost": P(2.83, "share of migrant earnings per unit of taste", "mean cost to the household of a member working away (caring for dependants, distance, separation)", "calibrated to the 2020 mean income and wage share (docs/calibration.md); before: assumption", 0, None),
        "migrant_separation": P(0.01, "per month", "probability a migrant loses the job in a normal month", "assumption", 0, 1),
        "macro_shock_prob": P(0.05, "per year", "probability of a migrant-labour demand shock year", "assumption (2008, 2020)", 0, 1),
        "macro_shock_separation": P(0.08, "per month", "extra job-loss probability per month in a shock year", "assumption", 0, 1),
        "local_jobs_per_household": P(0.06, "jobs/household", "local enterprise jobs per household in the county", "assumption", 0, None),
        "workshop_jobs_per_relocated": P(0.5, "jobs/household", "workshop (扶贫车间) jobs per relocated household", "assumption", 0, None),
        "retirement_prob": P(0.028, "per worker-year", "a worker becomes elderly (working life ~35 years)", "assumption", 0, 1),
        "living_cost_away": P(0.34, "share of migrant earnings", "living costs of a migrant at the place of work (household consumption)",
                              "NBS 2013 migrant worker monitoring report (2013年全国农民工监测调查报告): out-migrants earned 2,609 yuan/month and spent 892 on living costs (34%)", 0, 1),
        "quit_prob": P(0.05, "per year", "a worker leaves a local job for reasons outside the model (family, moving)", "assumption", 0, 1),
    },
    "illness": {
        "acute_prob": P(0.012, "per household-month", "serious illness requiring hospital care", "calibrated: ~13%/yr households (CHNS/CFPS hospitalisation rates)", 0, 1),
        "acute_prob_chronic": P(0.03, "per household-month", "serious illness when a member is chronically ill (the risk rises towards it with the health damage)", "assumption", 0, 1),
        "acute_cost_median": P(9000.0, "yuan", "median cost of a hospital episode", "NHSA statistics 2020 (average inpatient cost ~10,000)", 0, None),
        "acute_cost_sigma": P(0.9, "log s.d.", "dispersion of hospital costs", "assumption", 0, None),
        "chronic_cost": P(250.0, "yuan/month", "outpatient cost of a chronic illness", "assumption", 0, None),
        "lost_months": P(2.0, "worker-months", "labour lost per acute episode", "assumption", 0, None),
        "chronic_labour_loss": P(0.5, "worker equivalents", "labour lost by a household with chronic illness", "assumption", 0, None),
    },
    "human_capital": {
        "continuation_base": P(0.60, "per year", "probability a child continues school after 9 years", "assumption (rural senior-secondary enrolment)", 0, 1),
        "continuation_ex_poor_gap": P(0.15, "", "lower continuation in ex-poor households", "assumption", 0, 1),
        "continuation_support_gain": P(0.20, "", "extra continuation with education support (雨露计划)", "assumption", 0, 1),
        "max_schooling": P(16.0, "years", "longest schooling", "university", 0, 25),
        "training_skill_gain": P(0.08, "log productivity", "rise of the training stock from a course at zero stock (less as the stock nears `earnings.training_ceiling`)", "assumption (returns to training 5-10%)", 0, 1),
        "coop_training_gain": P(0.01, "log productivity per year", "rise of the training stock from a year in a working cooperative, times leader capacity (saturating like a course)", "assumption", 0, 1),
    },
    "motivation": {
        "strength": P(0.3, "", "strength of the motivation (内生动力) effect; 0 turns it off", "assumption (modest)", 0, 5),
        "unconditional_erosion": P(0.5, "effort per income share", "effort lost per unit of unconditional transfer share of income", "assumption", 0, None),
        "conditional_gain": P(0.10, "effort", "effort gained with conditional support or training in a year", "assumption", 0, None),
        "reversion": P(0.2, "per year", "reversion of effort towards 1", "assumption", 0, 1),
        "min_effort": P(0.6, "", "lowest effort", "assumption", 0, 1),
        "max_effort": P(1.2, "", "highest effort", "assumption", 1, None),
    },
    "cooperative": {
        "price_premium": P(0.5, "x market price at full capacity", "better price a cooperative obtains, scaled by leader capacity",
                           "calibrated (docs/calibration.md) to the member income premium (NPC 2012; Dong, Mu & Abler 2019), searched within 0.1-0.5 so that enterprises can still pay a contract price above most cooperatives' own", 0, None),
        "margin": P(0.05, "share of its price", "margin a cooperative keeps on its first advance (advance = own price x (1 - margin))", "assumption", 0, 1),
        "advance_step": P(0.02, "x market price per year", "yearly change of the advance price after a loss (down) or a surplus with cash to spare (up)", "assumption", 0, 1),
        "market_reach": P(1.0, "share of members' output at full capacity", "share of members' output a cooperative can market on its own, times leader capacity", "assumption", 0, 1),
        "cash_turnover": P(4.0, "times per harvest", "how many times a cooperative turns its cash over in advances in one harvest season", "assumption (buyers pay within weeks)", 0, None),
        "start_capital_per_household": P(1000.0, "yuan per village household", "members' share capital (成员出资) a cooperative starts with", "assumption", 0, None),
        "dividend_share": P(0.6, "share of surplus", "surplus paid back to members (二次分红)", "Cooperative law 2017: at least 60% by transactions", 0, 1),
        "reinvest_share": P(0.5, "share of retained surplus", "retained surplus invested in collective assets (storage, grading, processing)", "assumption", 0, 1),
        "asset_return": P(0.08, "per year", "net yearly return on a cooperative's collective assets", "assumption", 0, 1),
        "cost_per_member": P(120.0, "yuan/year", "operating cost per member", "assumption", 0, None),
        "fixed_cost": P(30000.0, "yuan/year", "fixed operating cost of a cooperative (a manager, premises)", "assumption", 0, None),
        "membership_cost": P(120.0, "yuan/year", "what membership costs a household (fees, meetings, time)", "assumption (the order of the cooperative's cost per member)", 0, None),
        "leader_capacity_mean": P(0.45, "0-1", "mean leader capacity (带头人)", "assumption (one third operate properly)", 0, 1),
        "training_gain": P(0.15, "share of the gap to full capacity", "capacity a leader gains from one training (带头人培训)", "assumption", 0, 1),
        "capacity_depreciation": P(0.05, "per year", "loss of leader capacity in a year without training", "assumption (with the baseline training rate mean capacity stays near its initial value)", 0, 1),
        "join_prob": P(0.15, "per year", "probability a household acts on its comparison (joins, or leaves after patience bad years)", "assumption", 0, 1),
        "patience": P(2.0, "years", "consecutive years membership brings less than it costs before a member leaves", "assumption", 0, None),
        "failure_base": P(0.02, "per year", "yearly chance the leader of a capable cooperative quits (it then fails)", "assumption", 0, 1),
        "refound_prob": P(0.05, "per year", "a failed village cooperative is refounded under a new leader", "assumption", 0, 1),
        "failure_weak": P(0.10, "per year", "extra chance the leader quits at zero capacity (the chance is multiplied by 1 + loss years)", "assumption", 0, 1),
        "asset_dividend_rate": P(0.06, "per year", "dividend on fiscal funds turned into shares (资产收益扶贫)", "policy practice 5-8%", 0, 1),
        "asset_fund_per_ex_poor": P(3000.0, "yuan", "fiscal capital per ex-poor member held as shares", "assumption", 0, None),
    },
    "enterprise": {
        "contract_premium": P(0.05, "x cooperative's price", "contract price over the cooperative's own price, paid by a profitable enterprise", "assumption", 0, None),
        "floor_price": P(0.95, "x 2020 price", "guaranteed floor price (保底价) a profitable enterprise promises in its contracts", "assumption", 0, None),
        "value_added": P(0.30, "x market value", "enterprise processing margin", "assumption", 0, None),
        "fixed_cost_per_job": P(6000.0, "yuan/job/year", "overhead of the enterprise per post offered (filled or not)", "assumption", 0, None),
        "coops_per_enterprise_share": P(0.5, "share of coops", "share of cooperatives with an enterprise contract", "assumption", 0, 1),
        "cash_buffer_months": P(3.0, "months of wage bill", "initial cash; the cash an enterprise needs to add posts or contracts (else it holds; short of it after a loss, it cuts)", "assumption", 0, None),
        "exit_loss_years": P(2.0, "years", "consecutive loss years before exit becomes possible", "assumption", 0, None),
        "exit_prob": P(0.5, "per year", "exit probability once losses persist", "assumption", 0, 1),
        "default_gap": P(0.20, "share", "enterprise defaults on the floor price when the market is this far below it and cash is short", "assumption", 0, 1),
        "labour_share": P(0.5, "", "output elasticity of labour in an enterprise's plant (labour's share of value added; the plant is fixed)",
                          "assumption (a labour share of value added of about one half)", 0.05, 0.95),
        "productivity_sd": P(0.05, "log s.d.", "dispersion of enterprises' productivity (drawn at creation and entry)", "assumption", 0, 1),
        "adjustment": P(0.10, "share per year", "most an enterprise changes its posts (share of posts) or a contract (share of the cooperative's output) in a year (adjustment costs)",
                        "assumption", 0, 1),
        "entry_prob": P(0.2, "per year", "chance the area of an exited enterprise attracts an entrant when every operating enterprise made a profit",
                        "assumption", 0, 1),
        "ecommerce_premium": P(0.08, "x price", "price gain through e-commerce / live-stream sales (直播带货)", "assumption", 0, None),
    },
    "dibao": {
        "coverage": P(0.8794, "share of eligible households", "share of eligible households whose dibao claim is recognised (exclusion errors); fixed per household",
                      "calibrated (docs/calibration.md); before: Golan, Sicular & Umapathi 2017 (World Development 93): large exclusion errors in rural dibao", 0, 1),
    },
    "monitoring": {
        "interval": P(3, "months", "months between screenings", "transition-period practice (quarterly checks)", 1, 12,
                      type="integer"),
        "detection_sudden": P(0.01961, "probability", "chance a household in sudden difficulty (突发严重困难: a large medical bill or a sharp fall in income) is found at a screening", "calibrated (docs/calibration.md); before: assumption: such households are reported by themselves or by village cadres", 0, 1),
        "income_drop": P(0.7, "share of last year's income", "income over the last twelve months below this share of last year's counts as sudden difficulty", "assumption", 0, 1),
        "detection": P(0.003979, "probability", "chance a household at risk is found at a screening", "calibrated (docs/calibration.md); before: assumption", 0, 1),
        "lag": P(1, "months", "months between detection and help", "assumption", 0, 12, type="integer"),
        "assessment_error": P(0.1627, "log s.d.", "error with which a home visit (入户核实) records a household's income at a screening",
                              "calibrated (docs/calibration.md) to the share of flagged people whose risk was eliminated; means tests in rural China make large errors: Golan, Sicular & Umapathi 2017; Kakwani et al. 2019", 0, None),
        "rigid_expense_share": P(0.5, "share of income", "out-of-pocket spending this large flags a household", "assumption (catastrophic expenditure rule)", 0, None),
        "min_months": P(6, "months", "months of help before risk can be declared gone (风险消除)", "assumption", 0, 60,
                        type="integer"),
    },
    "shocks": {
        "price_shock_year": P(None, "year", "year of a forced crop price crash (stress test)", "scenario lever",
                              type="year"),
        "price_shock_size": P(0.0, "log points", "size of the forced price crash", "scenario lever", None, None),
        "disaster_year": P(None, "year", "year of a county-wide disaster (stress test)", "scenario lever",
                           type="year"),
        "migrant_shock_year": P(None, "year", "year of a migrant-job shock (stress test)", "scenario lever",
                                type="year"),
        "enterprise_exit_year": P(None, "year", "year the main enterprise exits (stress test); from 2020, because an "
                                  "enterprise's plant is sized on its 2019 accounts", "scenario lever", 2020, None,
                                  type="year"),
    },
}
SPEC.update(HOUSEHOLD_SECTIONS)  # household dynamics: model/parameters_household.py
del P

_MONEY = "{}: far above any rural figure, still finite in every sum"
#: The bounds the declarations above leave open, each with its reason: every number a scenario can set is
#: bounded, so that whatever ``check`` accepts runs to finite outputs (tests/test_loader_properties.py).
#: dotted key -> (low, high, why); a low of None keeps the declared one.
BOUNDS: dict[str, tuple[float | None, float, str]] = {
    "lines.poverty_line": (None, 100_000.0, _MONEY.format("25x the 2020 line")),
    "lines.monitoring_multiple": (None, 10.0, "a monitoring line up to 10x the poverty line"),
    "population.households_per_village": (None, 100_000.0, "a village larger than any county is meaningless"),
    "population.households_per_enterprise": (None, 10_000_000.0, "as many households as a run may have"),
    "population.private_transfer_pc": (None, 1_000_000.0, _MONEY.format("400x the default")),
    "economy.migrant_wage": (None, 1_000_000.0, _MONEY.format("250x the 2020 wage")),
    "economy.local_wage": (1.0, 1_000_000.0, "at least 1 yuan: an enterprise measures its labour in local wages; "
                                             + _MONEY.format("400x the default")),
    "economy.farm_tfp": (None, 10_000_000.0, _MONEY.format("1,000x the calibrated value")),
    "economy.asset_scale": (1.0, 10_000_000.0, "at least 1 yuan: output divides by it; " + _MONEY.format("1,000x the default")),
    "economy.land_rent": (None, 100_000.0, _MONEY.format("150x the survey range")),
    "economy.price_volatility": (None, 1.0, "a log s.d. of 1 a month is a price tripling or a third in a month"),
    "economy.spot_price_factor": (None, 10.0, "a multiple of the market price"),
    "economy.weather_sd": (None, 3.0, "a log s.d. of 3 spans output x/20 to x20"),
    "labour.migration_cost": (None, 10.0, "10x migrant income: migration never pays"),
    "labour.local_jobs_per_household": (None, 10.0, "jobs per household"),
    "labour.workshop_jobs_per_relocated": (None, 10.0, "jobs per household"),
    "illness.acute_cost_median": (None, 10_000_000.0, _MONEY.format("1,000x the 2020 median")),
    "illness.acute_cost_sigma": (None, 3.0, "a log s.d. of 3 spans costs x/20 to x20"),
    "illness.chronic_cost": (None, 1_000_000.0, _MONEY.format("4,000x the default")),
    "illness.lost_months": (None, 120.0, "ten worker-years lost per episode"),
    "illness.chronic_labour_loss": (None, 10.0, "worker equivalents, more than a household has"),
    "motivation.unconditional_erosion": (None, 100.0, "effort falls to its floor at any transfer"),
    "motivation.conditional_gain": (None, 10.0, "effort reaches its ceiling at once"),
    "motivation.max_effort": (None, 10.0, "ten times normal effort"),
    "cooperative.leader_capacity_mean": (0.01, 0.99, "the mean m of Beta(5m, 5(1-m)): 0 and 1 give no distribution "
                                                      "(NaN incomes)"),
    "cooperative.price_premium": (None, 10.0, "a multiple of the market price"),
    "cooperative.cost_per_member": (None, 1_000_000.0, _MONEY.format("8,000x the default")),
    "cooperative.asset_fund_per_ex_poor": (None, 10_000_000.0, _MONEY.format("3,000x the default")),
    "cooperative.cash_turnover": (None, 100.0, "cash turned over weekly in a harvest season and more"),
    "cooperative.start_capital_per_household": (None, 10_000_000.0, _MONEY.format("10,000x the default")),
    "cooperative.fixed_cost": (None, 100_000_000.0, _MONEY.format("3,000x the default")),
    "cooperative.membership_cost": (None, 1_000_000.0, _MONEY.format("8,000x the default")),
    "cooperative.patience": (None, 100.0, "a century"),
    "enterprise.contract_premium": (None, 10.0, "a multiple of the market price"),
    "enterprise.floor_price": (None, 10.0, "a multiple of the 2020 price"),
    "enterprise.value_added": (None, 10.0, "a multiple of the purchase value"),
    "enterprise.fixed_cost_per_job": (None, 10_000_000.0, _MONEY.format("1,600x the default")),
    "enterprise.cash_buffer_months": (None, 1200.0, "a century of wages"),
    "enterprise.exit_loss_years": (None, 100.0, "a century"),
    "enterprise.ecommerce_premium": (None, 10.0, "a multiple of the price"),
    "monitoring.assessment_error": (None, 3.0, "a log s.d. of 3 spans recorded income x/20 to x20"),
    "monitoring.rigid_expense_share": (None, 100.0, "a multiple of income"),
    "shocks.price_shock_size": (-3.0, 3.0, "log points: the price divided or multiplied by up to 20 "
                                           "(exp(800) overflows)"),
}
for _dotted, (_low, _high, _why) in BOUNDS.items():
    _section, _, _name = _dotted.partition(".")
    _d = SPEC[_section][_name]
    SPEC[_section][_name] = _d.narrowed(low=_d.low if _low is None else _low, high=_high, why=_why)


class Section:
    """Attribute access to one section's values (``params.illness.acute_prob``)."""

    def __init__(self, values: dict[str, Any]):
        self.__dict__.update(values)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def declaration(dotted: str) -> Declared | None:
    """The declaration of parameter ``section.name``; None if there is no such parameter."""
    section, _, name = str(dotted).partition(".")
    return SPEC.get(section, {}).get(name)


def unknown_parameter(dotted) -> str:
    """What is expected instead of ``dotted``, a key that names no parameter."""
    section = str(dotted).partition(".")[0]
    if section in SPEC:
        return f"a parameter of '{section}' ({', '.join(SPEC[section])})"
    return f"a parameter of a known section ({', '.join(SPEC)})"


def check_parameter(problems: Problems, key: str, dotted: str, value) -> bool:
    """Add what is wrong with setting parameter ``dotted`` to ``value`` (plain or dated) to ``problems``,
    worded at ``key``; True if nothing was."""
    declared = declaration(dotted)
    if declared is None:
        problems.add(key, unknown_parameter(dotted), dotted)
        return False
    return check(problems, key, declared, value)


class Parameters:
    """All non-policy parameters of one run, plain values grouped by section.

    ``overrides`` (dotted key -> value, or -> {year: value}) are checked completely before any is
    applied, and :meth:`set` checks its value, each problem worded ``parameters: 'KEY': expected
    WHAT; found VALUE``."""

    WHERE = "parameters"

    def __init__(self, overrides: dict[str, Any] | None = None):
        overrides = {} if overrides is None else overrides
        problems = Problems(self.WHERE)
        if not isinstance(overrides, dict):
            problems.add("(overrides)", "a mapping of dotted parameter keys to values", overrides)
            overrides = {}
        for key, value in overrides.items():
            check_parameter(problems, str(key), key, value)
        problems.raise_if_any()
        for section, params in SPEC.items():
            setattr(self, section, Section({k: copy.deepcopy(p.value) for k, p in params.items()}))
        #: parameters whose value changes over time: dotted key -> {year: value}
        self.dated: dict[str, dict[int, Any]] = {}
        for key, value in overrides.items():
            if isinstance(value, dict):
                self.dated[key] = dict(value)
            else:
                self._put(key, value)

    def apply_year(self, year: int) -> None:
        """Put the value in force in ``year`` into every dated parameter (see :func:`model.policy.value_in_force`)."""
        from .policy import value_in_force

        for key, values in self.dated.items():
            self._put(key, value_in_force(values, year))

    def set(self, dotted: str, value: Any) -> None:
        """Set one parameter to one value (not a mapping of years: that is an override), checked first."""
        declared = declaration(dotted)
        expected = unknown_parameter(dotted) if declared is None else declared.problem(value)
        if expected:
            problems = Problems(self.WHERE)
            problems.add(str(dotted), expected, dotted if declared is None else value)
            problems.raise_if_any()
        self._put(dotted, value)

    def get(self, dotted: str) -> Any:
        if declaration(dotted) is None:
            problems = Problems(self.WHERE)
            problems.add(str(dotted), unknown_parameter(dotted), dotted)
            problems.raise_if_any()
        return self._get(dotted)

    def _get(self, dotted: str) -> Any:
        section, _, name = dotted.partition(".")
        return getattr(getattr(self, section), name)

    def _put(self, dotted: str, value: Any) -> None:
        section, _, name = dotted.partition(".")
        if SPEC[section][name].type == "number" and is_integer(value):
            value = float(value)  # exact (bounds < 2**53); an int would make the engine's arrays int (and crash)
        setattr(getattr(self, section), name, value)

    def as_dict(self) -> dict[str, Any]:
        return {f"{s}.{k}": v for s in SPEC for k, v in getattr(self, s).as_dict().items()}
