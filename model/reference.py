"""The per-agent reference implementation of the household rules (docking).

:class:`model.households.VectorHouseholds` applies the household rules of
:mod:`model.rules` to whole numpy columns, which is fast but hard to read.  This
module writes the same rules a second time, independently, the way Mesa
tutorials write agents: one :class:`ReferenceHousehold` object per household,
holding its state as plain Python numbers, with one small readable method per
thing a household does (``fall_ill``, ``work``, ``harvest``,
``receive_transfers``, ``spend_and_save``, ...).  It does not call the vectorised
rule functions.

Running :class:`ReferenceEconomy` and :class:`model.model.RuralEconomy` with the
same seed must give the same numbers (``tests/test_docking.py``): two
implementations of one model that agree are evidence that both implement the
model as documented (Axtell, Axelrod, Epstein & Cohen 1996, "Aligning
simulation models: a case study and results", *Computational and Mathematical
Organization Theory* 1(2), "docking").

How it fits into the model
--------------------------
:class:`ReferenceHouseholds` has the same methods as ``VectorHouseholds`` (the
household phases of the monthly step, called by ``RuralEconomy`` in the order
described in :mod:`model.model`).  The model's household columns ``model.hh``
remain the one true state, because the model-level code (enterprises hiring,
cooperative dividends, the annual metrics, the Mesa ``Household`` agents) reads
and writes them.  So each phase

1. copies every household's row into its ``ReferenceHousehold`` (:meth:`ReferenceHouseholds.load`),
2. lets each household act, one at a time, in plain Python,
3. writes the variables the phase changed back into the columns (:meth:`ReferenceHouseholds.store`).

The only state kept in the household objects themselves is the last twelve
months of income and medical spending that monitoring looks at.

Random numbers: every draw comes from the scalar counter-based streams
(:meth:`model.streams.Streams.uniform_one` / ``normal_one``) with the same
(seed, purpose, month, household id) as the vectorised code, so both meet the
same shocks.  In the burn-in and calibration years (``ctx.neutral``) shocks do
not happen: a shock draw is 1.0 (no event) and a shock size 0.0.

Payments: the :class:`model.agents.Government` is shared model-level code and
applies programme budgets to the county's total, so the households' requests
for one programme are gathered into an array, paid with one ``gov.pay`` call (in
the same order of programmes as the vectorised code), and each household then
receives its own amount.  Cooperatives, enterprises, prices and weather are the
model's and are not reimplemented here.

Arithmetic is written in the same order as the vectorised rules so that the two
agree far within the 1e-9 relative tolerance of the docking tests (in practice to about 1e-13;
floating point addition is not associative).
"""

from __future__ import annotations

import math

import numpy as np

from .households import HARVEST_SHARE
from .model import RuralEconomy
from .policy import target_one
from .state import HOUSEHOLD_COLUMNS
from .streams import FIXED

# Restated here (not imported from ruralsim.model.rules) so that the reference stays independent.
COMPULSORY_SCHOOLING = 9.0  # years of compulsory school (九年义务教育)
SIBLING_GAP = 3.0  # the next child is about three years younger
SPOT, COOP, CONTRACT = "spot", "cooperative", "contract"  # sale channels


class ReferenceHousehold:
    """One rural household (农户), written as a plain per-agent object.

    Its attributes have the names of the household columns (:mod:`model.state`),
    e.g. ``self.workers``, ``self.savings``, ``self.monitored``, and are refreshed
    from the model's columns at the start of every phase.

    A Mesa tutorial agent has one ``step()``; here the household's month is split
    into the phases of :mod:`model.model` because cooperatives, enterprises and
    the government act in between.  It is deliberately not registered as a Mesa
    agent: the Mesa ``Household`` agents (:mod:`model.agents`) already stand for
    the households in ``model.agents`` and see the same state.
    """

    def __init__(self, model, unique_id: int):
        self.model = model
        self.unique_id = unique_id  # the household's row, and its id in the random streams
        self.params = model.params
        self.gov = model.gov
        # the last twelve months of income and out-of-pocket medical spending (monitoring window)
        self.income_by_month = [0.0] * 12
        self.oop_by_month = [0.0] * 12

    # -- random draws ------------------------------------------------------------------
    def draw(self, ctx, purpose: str) -> float:
        """A uniform draw for a behavioural choice this month."""
        return self.model.streams.uniform_one(purpose, ctx.t, self.unique_id)

    def shock_draw(self, ctx, purpose: str) -> float:
        """A uniform draw for a shock this month (1.0, no event, in the calibration years)."""
        return 1.0 if ctx.neutral else self.model.streams.uniform_one(purpose, ctx.t, self.unique_id)

    def shock_size(self, ctx, purpose: str) -> float:
        """A standard normal draw for the size of a shock (0.0 in the calibration years)."""
        return 0.0 if ctx.neutral else self.model.streams.normal_one(purpose, ctx.t, self.unique_id)

    # -- who the programmes reach ----------------------------------------------------------
    def has_weak_labour(self) -> bool:
        """Less than one able worker, a chronically ill worker counting as half (dibao eligibility; no
        risk elimination for such households)."""
        return self.workers - (0.5 if self.chronic else 0.0) < 1.0

    def is_near_poor(self) -> bool:
        """Last year's per capita income between the poverty line and the monitoring line."""
        return self.model.poverty_line <= self.prev_pc_income < self.model.monitoring_line

    def is_targeted(self, programme: str) -> bool:
        """Does this programme's targeting (ex-poor, monitored, near-poor, all) select us?"""
        targeting = self.gov.programmes[programme].targeting
        return target_one(targeting, self.is_ex_poor, self.monitored, self.is_near_poor())

    # -- production and wages --------------------------------------------------------------
    def farm_output(self, farm_labour: float, tfp: float) -> float:
        """Annual farm output at price 1 (Cobb-Douglas in land, assets and labour)."""
        e = self.params.economy
        labour = max(farm_labour, 0.0)
        return (tfp * self.land ** e.land_elasticity
                * (1.0 + self.assets / e.asset_scale) ** e.asset_elasticity
                * labour ** e.labour_elasticity * self.skill * self.effort)

    def farm_labour(self, sick_at_home: float = 0.0) -> float:
        """Worker-equivalents on the farm: workers not away, half of a welfare-post worker, elderly help."""
        e, chronic_loss = self.params.economy, self.params.illness.chronic_labour_loss
        own = self.workers - self.migrants - self.local_job - 0.5 * self.post - sick_at_home
        if self.chronic:
            own = own - chronic_loss
        return max(own, 0.0) + e.elderly_farm_labour * self.elderly

    def wage_factor(self) -> float:
        """Mincerian wage multiplier: return to schooling times skill times effort."""
        e = self.params.economy
        return math.exp(e.return_to_schooling * (self.edu - e.reference_schooling)) * self.skill * self.effort

    def farm_return(self, ctx) -> float:
        """What one more worker would add on the farm in a year (labour elasticity times average product)."""
        e = self.params.economy
        labour = self.workers
        if self.chronic:
            labour = labour - self.params.illness.chronic_labour_loss
        labour = max(labour, 0.0) + e.elderly_farm_labour * self.elderly
        q = self.farm_output(labour, e.farm_tfp * ctx.farm_index)
        return e.labour_elasticity * q / max(labour, 1.0) * ctx.price * e.spot_price_factor

    def wage_incomes(self, ctx) -> tuple[float, float]:
        """(annual migrant income reaching home, annual local wage) of one worker."""
        e = self.params.economy
        wf = self.wage_factor()
        return (12.0 * e.migrant_wage * e.remittance_share * ctx.wage_index * wf,
                12.0 * e.local_wage * ctx.wage_index * wf)

    # == January ===========================================================================
    def go_to_school(self, ctx) -> bool:
        """The eldest child in school does another year or leaves; returns True if it leaves."""
        hc = self.params.human_capital
        if self.children <= 0:
            return False
        p_continue = hc.continuation_base
        if self.is_ex_poor:
            p_continue = p_continue - hc.continuation_ex_poor_gap
        if self.is_targeted("education_support"):
            p_continue = p_continue + hc.continuation_support_gain * ctx.levels["education_support"]
        p_continue = min(max(p_continue, 0.0), 1.0)
        u = self.draw(ctx, "school")
        stays = (self.schooling < COMPULSORY_SCHOOLING or u < p_continue) and self.schooling < hc.max_schooling
        if stays:
            self.schooling = self.schooling + 1.0
        return not stays

    def start_work(self) -> None:
        """A school leaver becomes a worker; the next child (three years younger) becomes the eldest in school."""
        workers = self.workers + 1.0
        self.edu = (self.edu * self.workers + self.schooling) / max(workers, 1.0)
        self.workers = workers
        self.children = self.children - 1.0
        self.schooling = max(self.schooling - SIBLING_GAP, 0.0)

    def maybe_retire(self, ctx) -> None:
        """Each worker retires with a small probability: at most one a year."""
        prob = self.params.labour.retirement_prob
        if self.workers > 0 and self.draw(ctx, "retire") < prob * self.workers:
            self.workers = self.workers - 1.0
            self.elderly = self.elderly + 1.0

    def maybe_fall_chronically_ill(self, ctx) -> None:
        if self.shock_draw(ctx, "chronic") < self.params.illness.chronic_onset:
            self.chronic = True

    def change_fortune(self, ctx) -> None:
        """The persistent productivity deviation moves one year on (not in the calibration years)."""
        if ctx.neutral:
            return
        e = self.params.economy
        x = (e.fortune_persistence * self.fortune
             + math.sqrt(1.0 - e.fortune_persistence ** 2) * e.fortune_sd * self.shock_size(ctx, "fortune"))
        self.skill = self.skill * math.exp(x - self.fortune)
        self.fortune = x

    def new_year(self, ctx) -> None:
        """January demography: school, entry into work, retirement, chronic illness, fortune."""
        if self.go_to_school(ctx):
            self.start_work()
        self.maybe_retire(ctx)
        self.maybe_fall_chronically_ill(ctx)
        self.change_fortune(ctx)

    def consider_joining_cooperative(self, ctx, coop_alive: bool, member_gain: float) -> None:
        """Join the village cooperative when the better price on one worker's output beats its cost."""
        c, e = self.params.cooperative, self.params.economy
        if self.cooperative >= 0 or not coop_alive:
            return
        gain = self.farm_output(1.0, e.farm_tfp * ctx.farm_index) * ctx.price * member_gain
        if gain > c.cost_per_member and self.draw(ctx, "coop_join") < c.join_prob:
            self.cooperative = self.village

    def choose_work(self, ctx) -> bool:
        """Send migrants when migrant income beats the farm; returns True if applying for a local job."""
        lp = self.params.labour
        migrant_income, local_income = self.wage_incomes(ctx)
        farm_return = self.farm_return(ctx)
        needs_carer = (self.children > 0 and self.elderly == 0) or self.chronic
        can_leave = max(self.workers - (1.0 if needs_carer else 0.0), 0.0)
        if migrant_income * (1.0 - lp.migration_cost * self.taste) > farm_return:
            self.migrants = can_leave
        else:
            self.migrants = 0.0
        self.local_job = 0.0  # local jobs and welfare posts are assigned afresh each January
        self.employer = -1
        self.post = 0.0
        return self.workers - self.migrants >= 1.0 and local_income > farm_return

    def is_post_candidate(self) -> bool:
        """Targeted, a worker at home and nobody in off-farm work."""
        return (self.is_targeted("welfare_posts") and self.migrants == 0 and self.local_job == 0
                and self.workers >= 1)

    def consider_training(self, ctx) -> float:
        """Take vocational training if offered; returns its cost to the programme."""
        tr = self.gov.programmes["vocational_training"]
        self.trained = (self.is_targeted("vocational_training") and self.workers > 0
                        and self.draw(ctx, "training") < tr.amount * ctx.levels["vocational_training"])
        if self.trained:
            self.skill = self.skill * math.exp(self.params.human_capital.training_skill_gain)
            return tr.other["cost_per_trainee"]
        return 0.0

    def consider_microcredit(self, ctx) -> None:
        """Take an interest-free small loan (扶贫小额信贷) and invest it in productive assets."""
        mc, level = self.gov.programmes["microcredit"], ctx.levels["microcredit"]
        if (self.is_targeted("microcredit") and self.workers >= 1 and self.loan <= 0
                and self.draw(ctx, "credit") < mc.other["take_up"] and level > 0):
            amount = mc.amount * level
            self.assets = self.assets + amount
            self.loan = self.loan + amount
            self.loan_payment = amount / mc.other["months"]

    # == every month =========================================================================
    def fall_ill(self, ctx) -> float:
        """Serious illness this month and the month's medical bill (before insurance)."""
        ip = self.params.illness
        risk = ip.acute_prob_chronic if self.chronic else ip.acute_prob
        bill = 0.0
        if self.shock_draw(ctx, "illness") < risk:
            bill = ip.acute_cost_median * math.exp(ip.acute_cost_sigma * self.shock_size(ctx, "illness_cost"))
            self.illness_episodes = self.illness_episodes + 1.0
            self.sick_months = max(self.sick_months, ip.lost_months)
        if self.chronic:
            bill = bill + ip.chronic_cost
        return bill

    def insurance_coverage(self, ctx) -> tuple[float, float]:
        """(basic share of the bill reimbursed, total share reimbursed including health protection)."""
        basic = self.gov.programmes["medical_insurance"].amount * ctx.levels["medical_insurance"]
        if not self.is_targeted("medical_insurance"):
            basic = 0.0
        hp = self.gov.programmes["health_protection"]
        extra = max(hp.amount - basic, 0.0) * ctx.levels["health_protection"]
        total = max(basic, basic + extra) if self.is_targeted("health_protection") else basic
        return basic, total

    def pay_medical_bill(self, bill: float, paid_basic: float, paid_extra: float) -> float:
        """Insurance pays its part; returns what the household pays out of pocket."""
        self.recv_gov = self.recv_gov + (paid_basic + paid_extra)
        oop = bill - paid_basic - paid_extra
        self.oop = self.oop + oop
        return oop

    def maybe_lose_migrant_job(self, ctx, separation: float) -> None:
        """One migrant may lose the job and come home to the farm."""
        if self.migrants > 0 and self.shock_draw(ctx, "migrant_job") < separation:
            self.migrants = self.migrants - 1.0
            self.jobs_lost = self.jobs_lost + 1.0

    def work(self, ctx, post_pay: float) -> tuple[float, float]:
        """A month of work: migrant remittances, local wage, welfare post, farm labour. Returns (wage, local pay)."""
        e, ip = self.params.economy, self.params.illness
        # a worker recovering from illness stays off work: at home first, else a migrant
        sick = min(1.0 if self.sick_months > 0 else 0.0, self.workers)
        at_home = self.workers - self.migrants - self.local_job - 0.5 * self.post
        if self.chronic:
            at_home = at_home - ip.chronic_labour_loss
        sick_at_home = min(sick, max(at_home, 0.0))
        working_migrants = max(self.migrants - (sick - sick_at_home), 0.0)
        wf = self.wage_factor()
        migrant_pay = working_migrants * e.migrant_wage * e.remittance_share * ctx.wage_index * wf
        local_pay = self.local_job * e.local_wage * ctx.wage_index * wf
        self.recv_gov = self.recv_gov + post_pay
        self.recv_enterprise = self.recv_enterprise + local_pay
        self.farm_acc = self.farm_acc + self.farm_labour(sick_at_home)
        self.sick_months = max(self.sick_months - 1.0, 0.0)
        wage = migrant_pay + local_pay + post_pay
        self.wage = self.wage + wage
        return wage, local_pay

    def harvest(self, ctx, months: float, weather: float, coop_price: float, contract_price: float,
                has_contract: bool) -> None:
        """Bring in the harvest and choose the sale channel; sets ``self.sale`` (quantity, prices)."""
        e = self.params.economy
        labour = self.farm_acc / months  # average farm labour since the last harvest
        self.farm_acc = 0.0
        q = HARVEST_SHARE * self.farm_output(labour, e.farm_tfp * ctx.farm_index) * weather
        member = self.cooperative >= 0
        if not member:
            channel, gross = SPOT, ctx.price * e.spot_price_factor
        elif has_contract:
            channel, gross = CONTRACT, contract_price
        else:
            channel, gross = COOP, coop_price
        received = gross * (1.0 - self.params.cooperative.margin) if member else gross
        self.sale = {"quantity": q, "channel": channel, "member": member, "gross": gross, "received": received}

    def harvest_claims(self, ctx) -> dict[str, float]:
        """What the harvest-time programmes owe on this household's sale (requests to the government)."""
        gov, lv, s = self.gov, ctx.levels, self.sale
        q = s["quantity"]
        cs_rate = gov.programmes["consumption_support"].amount * lv["consumption_support"]
        premium = q * ctx.price * cs_rate if s["member"] and self.is_targeted("consumption_support") else 0.0
        topup = 0.0
        if self.is_targeted("guaranteed_purchase") and s["channel"] != CONTRACT:
            floor = gov.programmes["guaranteed_purchase"].amount
            topup = lv["guaranteed_purchase"] * (q * max(floor - s["received"], 0.0))
        subsidy = 0.0
        if self.is_targeted("industry_support"):
            subsidy = q * ctx.price * gov.programmes["industry_support"].amount * lv["industry_support"]
        return {"consumption_support": premium, "guaranteed_purchase": topup, "industry_support": subsidy}

    def sell_harvest(self, ctx, premium: float, topup: float, subsidy: float) -> dict[str, float]:
        """Book the sale and the programme payments on it; returns the flows cooperatives and enterprises book."""
        s = self.sale
        q, gross, member = s["quantity"], s["gross"], s["member"]
        from_coop = q * s["received"] + premium if member else 0.0
        revenue = q * s["received"] + premium + topup
        self.business = self.business + revenue
        self.output = self.output + q * ctx.price
        self.recv_coop = self.recv_coop + from_coop
        self.recv_gov = self.recv_gov + topup
        via_coop = q * gross if member else 0.0
        self.coop_sales = self.coop_sales + via_coop
        self.recv_gov = self.recv_gov + subsidy
        self.transfer = self.transfer + subsidy
        self.conditional = self.conditional + subsidy
        contract = s["channel"] == CONTRACT
        return {"revenue": revenue + subsidy, "premium": premium, "via_coop": via_coop, "from_coop": from_coop,
                "contract_value": q * gross if contract else 0.0, "contract_quantity": q if contract else 0.0}

    def transfer_claims(self, ctx) -> dict[str, float]:
        """What each transfer programme owes this household this month, before budgets."""
        progs, lv = self.gov.programmes, ctx.levels
        claims = dict.fromkeys(ReferenceHouseholds.TRANSFER_PROGRAMMES, 0.0)
        if self.is_targeted("pension"):
            claims["pension"] = self.elderly * progs["pension"].amount / 12.0 * lv["pension"]
        ds = progs["direct_support"]
        eligible = self.is_targeted("direct_support")
        if ds.conditional:  # paid only to households that work or train (扶志)
            active = self.migrants + self.local_job + self.post > 0 or self.land > 0 or self.trained
            eligible = eligible and self.workers > 0 and active
        if eligible:
            claims["direct_support"] = self.members * ds.amount / 12.0 * lv["direct_support"]
        d = progs["dibao"]
        standard = d.amount * (1.0 + d.other["indexation"]) ** (ctx.year - 2020)
        recognised = (self.model.streams.uniform_one("dibao_takeup", FIXED, self.unique_id)
                      < self.params.dibao.coverage  # exclusion errors: fixed for the whole run
                      or self.ever_flagged)  # monitoring found them before this year (应保尽保)
        if self.is_targeted("dibao") and self.has_weak_labour() and recognised:
            gap = max(standard - self.prev_pc_income, 0.0)
            claims["dibao"] = gap * self.members / 12.0 * lv["dibao"]
        if (self.is_targeted("education_support") and self.children > 0
                and self.schooling >= COMPULSORY_SCHOOLING):
            claims["education_support"] = progs["education_support"].amount / 12.0 * lv["education_support"]
        if self.monitored and self.is_targeted("monitoring_support"):
            gap = max(self.model.monitoring_line - self.assessed_income / self.members, 0.0)
            claims["monitoring_support"] = (gap * self.members / 12.0 * progs["monitoring_support"].amount
                                            * lv["monitoring_support"] * lv["monitoring"])
        claims["microcredit"] = self.loan * progs["microcredit"].other["interest"] / 12.0 * lv["microcredit"]
        return claims

    def receive_transfers(self, paid: dict[str, float]) -> tuple[float, float]:
        """Book public transfers, remittances and land rent; returns (transfer income, property income)."""
        conditional_direct = self.gov.programmes["direct_support"].conditional
        public = (paid["pension"] + paid["direct_support"] + paid["dibao"] + paid["education_support"]
                  + paid["monitoring_support"])
        self.recv_gov = self.recv_gov + (public + paid["microcredit"])  # interest subsidy: in kind
        self.dibao_received = self.dibao_received + paid["dibao"]
        if conditional_direct:
            self.unconditional = self.unconditional + paid["dibao"]
            self.conditional = (self.conditional
                                + (paid["education_support"] + paid["monitoring_support"] + paid["direct_support"]))
        else:
            self.unconditional = self.unconditional + (paid["dibao"] + paid["direct_support"])
            self.conditional = self.conditional + (paid["education_support"] + paid["monitoring_support"])
        transfer = public + self.private_transfer / 12.0
        self.transfer = self.transfer + transfer
        rent = 0.0
        if self.workers - self.migrants - self.local_job <= 0 and self.elderly == 0:
            rent = self.land * self.params.economy.land_rent / 12.0  # nobody farms: the land is rented out
        self.property = self.property + rent
        return transfer, rent

    def spend_and_save(self, ctx, income: float, oop: float) -> None:
        """Consume, repay microcredit, save or borrow; update the twelve-month window monitoring looks at."""
        b = self.params.budget
        self.income = self.income + income
        repayment = min(self.loan_payment, self.loan)
        self.loan = self.loan - repayment
        if not self.loan > 0:
            self.loan_payment = 0.0
        spend = max(b.subsistence / 12.0 * self.members, b.mpc * income + b.wealth_mpc * max(self.savings, 0.0))
        # the month's cash flow: borrow any shortfall (informal debt), repay debt from a surplus
        self.debt = self.debt * (1.0 + b.borrow_rate)
        cash = self.savings + (income - oop - repayment) - spend
        borrowed = max(-cash, 0.0)
        cash = cash + borrowed
        repaid = min(self.debt, cash * b.debt_repay_share)
        self.savings = cash - repaid
        self.debt = self.debt + borrowed - repaid
        # twelve-month totals: this month replaces the same month last year
        slot = ctx.month
        self.assessed_income = self.assessed_income + income - self.income_by_month[slot]
        self.assessed_oop = self.assessed_oop + oop - self.oop_by_month[slot]
        self.income_by_month[slot] = income
        self.oop_by_month[slot] = oop

    def is_at_risk(self, ctx) -> bool:
        """Last-12-month income (as a home visit records it, with an error) net of medical spending per
        person below the monitoring line, or medical spending large relative to income."""
        mp = self.params.monitoring
        err = mp.assessment_error
        income = self.assessed_income * math.exp(err * self.shock_size(ctx, "assessment") - 0.5 * err * err)
        net_pc = (income - self.assessed_oop) / self.members
        return (net_pc < self.model.monitoring_line
                or self.assessed_oop > mp.rigid_expense_share * max(income, 0.0))

    def start_help_if_due(self, ctx) -> None:
        """A household found at risk is helped once the lag has passed."""
        if self.pending and ctx.t >= self.pending_month:
            self.monitored = True
            self.pending = False
            self.months_flagged = 0.0

    def be_monitored(self, ctx, screen: bool) -> None:
        """Dynamic monitoring (防止返贫动态监测): at a screening we may be found at risk, or cleared once
        the risk is gone; then help starts if we were found ``lag`` months ago (this month if the lag is 0)."""
        mp = self.params.monitoring
        if screen:
            risk = self.is_at_risk(ctx)
            # found with a higher chance when in sudden difficulty: a large medical bill or a sharp income fall
            sudden = (self.assessed_oop > mp.rigid_expense_share * max(self.assessed_income, 0.0)
                      or self.assessed_income < mp.income_drop * self.prev_pc_income * self.members)
            chance = mp.detection_sudden if sudden else mp.detection
            if risk and not self.monitored and not self.pending and self.draw(ctx, "monitoring") < chance:
                self.pending = True
                self.pending_month = ctx.t + mp.lag
            if self.monitored and not risk and self.months_flagged >= mp.min_months and not self.has_weak_labour():
                self.monitored = False  # risk eliminated (风险消除); never for a household without labour capacity
        self.start_help_if_due(ctx)
        if self.monitored:
            self.flagged_this_year = True
            self.months_flagged = self.months_flagged + 1.0

    # == December ===========================================================================
    def invest_and_age_assets(self) -> None:
        """Invest part of the savings above a three-month buffer; assets depreciate (fast below the trap)."""
        b = self.params.budget
        buffer = b.subsistence / 4.0 * self.members
        invested = max(self.savings - buffer, 0.0) * b.invest_share
        self.savings = self.savings - invested
        self.assets = self.assets + invested
        rate = b.asset_decay_low if self.assets < b.asset_threshold else b.asset_depreciation
        self.assets = self.assets * (1.0 - rate)

    def update_effort(self) -> None:
        """Effort reverts to 1, falls with the unconditional share of income, rises with conditional support."""
        m = self.params.motivation
        if m.strength == 0:
            return
        unconditional_share = self.unconditional / max(self.income, 1.0)
        supported = self.conditional > 0 or self.trained
        change = (m.reversion * (1.0 - self.effort)
                  + m.strength * ((m.conditional_gain if supported else 0.0)
                                  - m.unconditional_erosion * unconditional_share))
        self.effort = min(max(self.effort + change, m.min_effort), m.max_effort)

    def cooperative_training(self, coop_alive: bool, capacity: float) -> None:
        """Members of a working cooperative learn from it, more so under a capable leader."""
        if self.cooperative >= 0 and coop_alive:
            self.skill = self.skill * math.exp(self.params.human_capital.coop_training_gain * capacity)


class ReferenceHouseholds:
    """The household phases of the monthly step, one household at a time (same interface as
    :class:`model.households.VectorHouseholds`)."""

    #: transfer programmes in the order they are paid
    TRANSFER_PROGRAMMES = ("pension", "direct_support", "dibao", "education_support", "monitoring_support",
                           "microcredit")
    #: harvest-time programmes in the order they are paid
    HARVEST_PROGRAMMES = ("consumption_support", "guaranteed_purchase", "industry_support")
    _COLUMNS = tuple(HOUSEHOLD_COLUMNS)

    def __init__(self, model):
        self.m = model
        self.p = model.params
        self.agents = [ReferenceHousehold(model, i) for i in range(model.n_households)]

    # -- syncing with the model's columns ------------------------------------------------------
    def load(self) -> None:
        """Copy every household's row of ``model.hh`` into its object (as Python numbers)."""
        h = self.m.hh
        columns = [getattr(h, name).tolist() for name in self._COLUMNS]
        for agent, row in zip(self.agents, zip(*columns)):
            agent.__dict__.update(zip(self._COLUMNS, row))  # i.e. agent.<column> = its value, for every column

    def store(self, *names: str) -> None:
        """Write the named variables of every household back into ``model.hh``."""
        h = self.m.hh
        for name in names:
            getattr(h, name)[:] = [getattr(agent, name) for agent in self.agents]

    def _array(self, values) -> np.ndarray:
        return np.array(values, dtype=np.float64)

    # -- helpers with the vectorised interface ---------------------------------------------------
    def groups(self):
        """(ex_poor, monitored, near_poor) masks, for the model-level code that targets employers."""
        h, z = self.m.hh, self.m.poverty_line
        return h.is_ex_poor, h.monitored, (h.prev_pc_income >= z) & (h.prev_pc_income < self.m.monitoring_line)

    def farm_return(self, ctx) -> np.ndarray:
        self.load()
        return self._array([a.farm_return(ctx) for a in self.agents])

    def wage_incomes(self, ctx) -> tuple[np.ndarray, np.ndarray]:
        self.load()
        pairs = [a.wage_incomes(ctx) for a in self.agents]
        return self._array([p[0] for p in pairs]), self._array([p[1] for p in pairs])

    # -- January -------------------------------------------------------------------------
    def demography(self, ctx) -> None:
        self.load()
        for agent in self.agents:
            agent.new_year(ctx)
        self.store("schooling", "workers", "children", "edu", "elderly", "chronic", "fortune", "skill")

    def coop_choice(self, ctx, coop_alive, member_gain) -> None:
        self.load()
        for agent in self.agents:
            v = agent.village
            agent.consider_joining_cooperative(ctx, bool(coop_alive[v]), float(member_gain[v]))
        self.store("cooperative")

    def labour_supply(self, ctx) -> np.ndarray:
        self.load()
        applies = [agent.choose_work(ctx) for agent in self.agents]
        self.store("migrants", "local_job", "employer", "post")
        return np.array(applies, dtype=bool)

    def post_candidates(self, ctx) -> np.ndarray:
        self.load()
        return np.array([agent.is_post_candidate() for agent in self.agents], dtype=bool)

    def take_training_and_credit(self, ctx) -> None:
        self.load()
        gov = self.m.gov
        requests = [agent.consider_training(ctx) for agent in self.agents]
        paid = gov.pay("vocational_training", self._array(requests))
        for agent, amount in zip(self.agents, paid.tolist()):
            agent.recv_gov = agent.recv_gov + amount
            agent.consider_microcredit(ctx)
        self.store("trained", "skill", "recv_gov", "assets", "loan", "loan_payment")

    # -- every month ---------------------------------------------------------------------
    def illness_month(self, ctx) -> np.ndarray:
        self.load()
        gov = self.m.gov
        bills = [agent.fall_ill(ctx) for agent in self.agents]
        cover = [agent.insurance_coverage(ctx) for agent in self.agents]
        paid_basic = gov.pay("medical_insurance", self._array([b * c[0] for b, c in zip(bills, cover)]))
        paid_extra = gov.pay("health_protection", self._array([b * (c[1] - c[0]) for b, c in zip(bills, cover)]))
        oop = [agent.pay_medical_bill(b, pb, pe)
               for agent, b, pb, pe in zip(self.agents, bills, paid_basic.tolist(), paid_extra.tolist())]
        self.store("illness_episodes", "sick_months", "recv_gov", "oop")
        return self._array(oop)

    def work_month(self, ctx) -> tuple[np.ndarray, np.ndarray]:
        self.load()
        gov, lp = self.m.gov, self.p.labour
        separation = lp.migrant_separation + lp.macro_shock_separation * ctx.migrant_shock
        for agent in self.agents:
            agent.maybe_lose_migrant_job(ctx, separation)
        post_amount = gov.programmes["welfare_posts"].amount
        post_pay = gov.pay("welfare_posts", self._array([agent.post * post_amount for agent in self.agents]))
        flows = [agent.work(ctx, pay) for agent, pay in zip(self.agents, post_pay.tolist())]
        self.store("migrants", "jobs_lost", "recv_gov", "recv_enterprise", "farm_acc", "sick_months", "wage")
        return self._array([f[0] for f in flows]), self._array([f[1] for f in flows])

    def harvest(self, ctx, months, weather, coop_price, contract_price, contract_alive) -> dict[str, np.ndarray]:
        self.load()
        gov = self.m.gov
        for agent in self.agents:
            c = max(agent.cooperative, 0)
            agent.harvest(ctx, months, float(weather[agent.village]), float(coop_price[c]),
                          float(contract_price[c]), bool(contract_alive[c]))
        claims = [agent.harvest_claims(ctx) for agent in self.agents]
        paid = {}
        for name in self.HARVEST_PROGRAMMES:
            payee = "cooperatives" if name == "consumption_support" else "households"
            paid[name] = gov.pay(name, self._array([c[name] for c in claims]), payee=payee).tolist()
        flows = [agent.sell_harvest(ctx, paid["consumption_support"][i], paid["guaranteed_purchase"][i],
                                    paid["industry_support"][i])
                 for i, agent in enumerate(self.agents)]
        self.store("farm_acc", "business", "output", "recv_coop", "recv_gov", "coop_sales", "transfer",
                   "conditional")
        return {key: self._array([f[key] for f in flows]) for key in flows[0]}

    def transfers_month(self, ctx) -> tuple[np.ndarray, np.ndarray]:
        self.load()
        gov = self.m.gov
        claims = [agent.transfer_claims(ctx) for agent in self.agents]
        paid = {name: gov.pay(name, self._array([c[name] for c in claims])).tolist()
                for name in self.TRANSFER_PROGRAMMES}
        flows = [agent.receive_transfers({name: paid[name][i] for name in self.TRANSFER_PROGRAMMES})
                 for i, agent in enumerate(self.agents)]
        self.store("recv_gov", "dibao_received", "unconditional", "conditional", "transfer", "property")
        return self._array([f[0] for f in flows]), self._array([f[1] for f in flows])

    def budget_month(self, ctx, income, oop) -> None:
        self.load()
        for agent, y, o in zip(self.agents, np.asarray(income, dtype=np.float64).tolist(),
                               np.asarray(oop, dtype=np.float64).tolist()):
            agent.spend_and_save(ctx, y, o)
        self.store("income", "loan", "loan_payment", "savings", "debt", "assessed_income", "assessed_oop")

    def screening(self, ctx, screen: bool) -> None:
        self.load()
        for agent in self.agents:
            agent.be_monitored(ctx, screen)
        self.store("monitored", "pending", "pending_month", "months_flagged", "flagged_this_year")

    # -- December ------------------------------------------------------------------------
    def year_end(self, ctx, coop_capacity, coop_alive) -> None:
        self.load()
        for agent in self.agents:
            agent.invest_and_age_assets()
            agent.update_effort()
            c = max(agent.cooperative, 0)
            agent.cooperative_training(bool(coop_alive[c]), float(coop_capacity[c]))
        self.store("savings", "assets", "effort", "skill")


class ReferenceEconomy(RuralEconomy):
    """:class:`model.model.RuralEconomy` with the per-agent reference households (same constructor)."""

    households_class = ReferenceHouseholds
