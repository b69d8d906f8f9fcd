"""The household side of the monthly step, vectorised over all households.

:class:`VectorHouseholds` applies the household rules of :mod:`model.rules` to
whole columns.  The model (:mod:`model.model`) calls its phases in the order of
the monthly step; cooperatives, enterprises and the government act between
them.  :class:`model.reference.ReferenceHouseholds` implements the same phases
one household at a time and must give the same numbers (docking).
"""

from __future__ import annotations

import numpy as np

from .rules import human_capital as hc
from .rules import illness, labour, monitoring, motivation, production, savings
from .rules import programmes as prog
from .rules.production import CONTRACT, COOP, SPOT


class VectorHouseholds:
    """Household phases of the step over numpy columns."""

    def __init__(self, model):
        self.m = model
        self.h = model.hh
        self.p = model.params
        # the last twelve months of income and out-of-pocket spending, for monitoring
        self.ring_income = np.zeros((12, model.n_households))
        self.ring_oop = np.zeros((12, model.n_households))

    # -- helpers -------------------------------------------------------------------------
    def groups(self):
        """(ex_poor, monitored, near_poor) masks used by programme targeting."""
        h, z = self.h, self.m.poverty_line
        near = (h.prev_pc_income >= z) & (h.prev_pc_income < self.m.monitoring_line)
        return h.is_ex_poor, h.monitored, near

    def farm_return(self, ctx):
        """Annual farm income one more worker would add (average product times labour elasticity)."""
        h, e = self.h, self.p.economy
        lab = labour.farm_labour(h.workers, 0.0, 0.0, 0.0, h.elderly, h.chronic, 0.0, e,
                                 self.p.illness.chronic_labour_loss)
        q = production.farm_output(h.land, h.assets, lab, h.skill, h.effort, e.farm_tfp * ctx.farm_index, e)
        return e.labour_elasticity * q / np.maximum(lab, 1.0) * ctx.price * e.spot_price_factor

    def wage_incomes(self, ctx):
        """(annual migrant income reaching home, annual local wage) per worker."""
        h, e = self.h, self.p.economy
        wf = labour.wage_factor(h.edu, h.skill, h.effort, e)
        return (12.0 * e.migrant_wage * e.remittance_share * ctx.wage_index * wf,
                12.0 * e.local_wage * ctx.wage_index * wf)

    # -- January -------------------------------------------------------------------------
    def demography(self, ctx):
        """Schooling, school leavers entering work, retirement, onset of chronic illness."""
        h, hcp = self.h, self.p.human_capital
        ex, mon, near = self.groups()
        supported = self.m.gov.targeted("education_support", ex, mon, near)
        p_cont = hc.continuation_prob(h.is_ex_poor, supported, hcp, ctx.levels["education_support"])
        h.schooling[:], leaves = hc.school_year(h.children, h.schooling, ctx.u("school"), p_cont,
                                                hcp.max_schooling)
        h.workers[:], h.children[:], h.edu[:], h.schooling[:] = hc.enter_work(
            h.workers, h.children, h.edu, h.schooling, leaves)
        h.workers[:], h.elderly[:] = hc.retire(h.workers, h.elderly, ctx.u("retire"),
                                              self.p.labour.retirement_prob)
        h.chronic |= ctx.shock_u("chronic") < self.p.illness.chronic_onset

    def coop_choice(self, ctx, coop_alive, member_gain):
        """Non-members in a village with a working cooperative join when it pays."""
        h = self.h
        vill_alive = coop_alive[h.village]
        q = production.farm_output(h.land, h.assets, 1.0, h.skill, h.effort,
                                   self.p.economy.farm_tfp * ctx.farm_index, self.p.economy)
        gain = q * ctx.price * member_gain[h.village]
        join = self._joins(h.cooperative >= 0, vill_alive, gain, ctx.u("coop_join"))
        h.cooperative[join] = h.village[join]

    def _joins(self, member, alive, gain, u):
        from .rules.cooperative import joins
        c = self.p.cooperative
        return joins(member, alive, gain, c.cost_per_member, u, c.join_prob)

    def labour_supply(self, ctx):
        """Migration decisions; returns the households applying for one local job."""
        h, lp = self.h, self.p.labour
        mig_inc, loc_inc = self.wage_incomes(ctx)
        r_farm = self.farm_return(ctx)
        h.migrants[:] = labour.migrant_supply(h.workers, h.children + h.elderly, h.chronic, mig_inc,
                                              r_farm, h.taste, lp.migration_cost)
        h.local_job[:] = 0.0
        h.employer[:] = -1
        h.post[:] = 0.0
        return labour.applies_local(h.workers - h.migrants, loc_inc, r_farm)

    def post_candidates(self, ctx):
        """Targeted households with a worker at home and nobody in off-farm work."""
        h = self.h
        ex, mon, near = self.groups()
        t = self.m.gov.targeted("welfare_posts", ex, mon, near)
        return t & (h.migrants == 0) & (h.local_job == 0) & (h.workers >= 1)

    def take_training_and_credit(self, ctx):
        """Vocational training and microcredit for targeted households that take them up."""
        h, gov, lv = self.h, self.m.gov, ctx.levels
        ex, mon, near = self.groups()
        tr = gov.programmes["vocational_training"]
        h.trained[:] = (gov.targeted("vocational_training", ex, mon, near) & (h.workers > 0)
                        & (ctx.u("training") < tr.amount * lv["vocational_training"]))
        h.skill[:] = hc.training_gain(h.skill, h.trained, self.p.human_capital.training_skill_gain)
        cost = gov.pay("vocational_training", h.trained * tr.other["cost_per_trainee"])
        h.recv_gov += cost
        mc = gov.programmes["microcredit"]
        takes = (gov.targeted("microcredit", ex, mon, near) & (h.workers >= 1) & (h.loan <= 0)
                 & (ctx.u("credit") < mc.other["take_up"]) & (lv["microcredit"] > 0))
        amount = np.where(takes, mc.amount * lv["microcredit"], 0.0)
        h.assets += amount
        h.loan += amount
        h.loan_payment[:] = np.where(takes, amount / mc.other["months"], h.loan_payment)

    # -- every month ---------------------------------------------------------------------
    def illness_month(self, ctx):
        """Illness, medical costs, insurance; returns this month's out-of-pocket spending."""
        h, ip, gov, lv = self.h, self.p.illness, self.m.gov, ctx.levels
        ill = illness.falls_ill(h.chronic, ctx.shock_u("illness"), ip.acute_prob, ip.acute_prob_chronic)
        cost = (np.where(ill, illness.episode_cost(ctx.shock_z("illness_cost"), ip.acute_cost_median,
                                                   ip.acute_cost_sigma), 0.0)
                + h.chronic * ip.chronic_cost)
        h.sick_months[:] = np.where(ill, np.maximum(h.sick_months, ip.lost_months), h.sick_months)
        ex, mon, near = self.groups()
        basic = gov.programmes["medical_insurance"].amount * lv["medical_insurance"]
        hp = gov.programmes["health_protection"]
        extra = max(hp.amount - basic, 0.0) * lv["health_protection"]
        cov = illness.coverage(basic, basic + extra, gov.targeted("health_protection", ex, mon, near))
        paid_basic = gov.pay("medical_insurance", cost * basic)
        paid_extra = gov.pay("health_protection", cost * (cov - basic))
        h.recv_gov += paid_basic + paid_extra
        oop = cost - paid_basic - paid_extra
        h.oop += oop
        return oop

    def work_month(self, ctx):
        """Migrant job losses, wages this month, farm labour; returns (wage income, wages by employer row)."""
        h, e, lp, ip = self.h, self.p.economy, self.p.labour, self.p.illness
        sep = lp.migrant_separation + lp.macro_shock_separation * ctx.migrant_shock
        lost = labour.job_loss(h.migrants, ctx.shock_u("migrant_job"), sep)
        h.migrants -= lost
        sick = illness.sick_workers(h.sick_months, h.workers)
        home = np.maximum(h.workers - h.migrants - h.local_job - 0.5 * h.post - ip.chronic_labour_loss * h.chronic, 0.0)
        sick_home = np.minimum(sick, home)
        working_migrants = np.maximum(h.migrants - (sick - sick_home), 0.0)
        wf = labour.wage_factor(h.edu, h.skill, h.effort, e)
        migrant_pay = working_migrants * e.migrant_wage * e.remittance_share * ctx.wage_index * wf
        local_pay = h.local_job * e.local_wage * ctx.wage_index * wf
        post_pay = self.m.gov.pay("welfare_posts", h.post * self.m.gov.programmes["welfare_posts"].amount)
        h.recv_gov += post_pay
        h.recv_enterprise += local_pay
        h.farm_acc += labour.farm_labour(h.workers, h.migrants, h.local_job, h.post, h.elderly, h.chronic,
                                         sick_home, e, ip.chronic_labour_loss)
        h.sick_months[:] = np.maximum(h.sick_months - 1.0, 0.0)
        wage = migrant_pay + local_pay + post_pay
        h.wage += wage
        return wage, local_pay

    def harvest(self, ctx, months, weather, coop_price, contract_price, contract_alive):
        """Harvest and sale; returns the household flows the cooperatives and enterprises book."""
        h, e, gov, lv = self.h, self.p.economy, self.m.gov, ctx.levels
        lab = h.farm_acc / months
        h.farm_acc[:] = 0.0
        share = months / 10.0  # the June harvest covers 6 months of work, October's 4
        q = share * production.farm_output(h.land, h.assets, lab, h.skill, h.effort,
                                           e.farm_tfp * ctx.farm_index, e) * weather[h.village]
        c = np.maximum(h.cooperative, 0)
        member = h.cooperative >= 0
        channel = np.where(member, np.where(contract_alive[c], CONTRACT, COOP), SPOT)
        gross = production.channel_price(ctx.price, channel, coop_price[c], contract_price[c], e)
        coop_margin = self.p.cooperative.margin
        received = np.where(member, gross * (1.0 - coop_margin), gross)
        cs_rate = gov.programmes["consumption_support"].amount * lv["consumption_support"]
        premium = gov.pay("consumption_support", member * q * ctx.price * cs_rate, payee="cooperatives")
        ex, mon, near = self.groups()
        gp = gov.programmes["guaranteed_purchase"]
        gp_take = gov.targeted("guaranteed_purchase", ex, mon, near) & (channel != CONTRACT)
        topup = gov.pay("guaranteed_purchase", gp_take * lv["guaranteed_purchase"]
                        * prog.guaranteed_purchase_topup(q, received, gp.amount))
        from_coop = member * (q * received + premium)
        revenue = q * received + premium + topup
        h.business += revenue
        h.output += q * ctx.price
        h.recv_coop += from_coop
        h.recv_gov += topup
        sold_via_coop = member * q * gross
        h.coop_sales += sold_via_coop
        subsidy = gov.pay("industry_support", gov.targeted("industry_support", ex, mon, near) * q * ctx.price
                          * gov.programmes["industry_support"].amount * lv["industry_support"])
        h.recv_gov += subsidy
        h.transfer += subsidy
        h.conditional += subsidy
        contract = channel == CONTRACT
        return {"revenue": revenue + subsidy, "premium": premium, "via_coop": sold_via_coop, "from_coop": from_coop,
                "contract_value": contract * q * gross, "contract_quantity": contract * q}

    def transfers_month(self, ctx):
        """Public and private transfers this month; returns (transfer income, property income)."""
        h, gov, lv, z = self.h, self.m.gov, ctx.levels, self.m.poverty_line
        ex, mon, near = self.groups()
        progs = gov.programmes
        pension = gov.pay("pension", gov.targeted("pension", ex, mon, near)
                          * prog.pension(h.elderly, progs["pension"].amount) * lv["pension"])
        ds = progs["direct_support"]
        eligible = gov.targeted("direct_support", ex, mon, near)
        if ds.conditional:
            eligible = eligible & (h.workers > 0) & ((h.migrants + h.local_job + h.post > 0) | (h.land > 0) | h.trained)
        direct = gov.pay("direct_support", eligible * prog.direct_support(h.members, ds.amount) * lv["direct_support"])
        d = progs["dibao"]
        standard = d.amount * (1.0 + d.other["indexation"]) ** (ctx.year - 2020)
        weak = prog.weak_labour(h.workers, h.chronic, h.elderly, h.members)
        dibao = gov.pay("dibao", gov.targeted("dibao", ex, mon, near)
                        * prog.dibao_topup(h.prev_pc_income, h.members, standard, weak) * lv["dibao"])
        edu = gov.pay("education_support", gov.targeted("education_support", ex, mon, near)
                      * prog.education_support(h.children, h.schooling, progs["education_support"].amount)
                      * lv["education_support"])
        help_ = gov.pay("monitoring_support", h.monitored * prog.monitoring_support(
            h.assessed_income / h.members, h.members, self.m.monitoring_line,
            progs["monitoring_support"].amount) * lv["monitoring_support"] * lv["monitoring"])
        interest = gov.pay("microcredit", h.loan * progs["microcredit"].other["interest"] / 12.0 * lv["microcredit"])
        public = pension + direct + dibao + edu + help_
        h.recv_gov += public + interest
        h.dibao_received += dibao
        uncond = dibao + (0.0 if ds.conditional else direct)
        h.unconditional += uncond
        h.conditional += edu + help_ + (direct if ds.conditional else 0.0)
        transfer = public + h.private_transfer / 12.0
        h.transfer += transfer
        rent = np.where((h.workers - h.migrants - h.local_job <= 0) & (h.elderly == 0),
                        h.land * self.p.economy.land_rent / 12.0, 0.0)
        h.property += rent
        return transfer, rent

    def budget_month(self, ctx, income, oop):
        """Consumption, savings, debt and loan repayment; updates the assessed income for monitoring."""
        h, b = self.h, self.p.budget
        h.income += income
        pay = np.minimum(h.loan_payment, h.loan)
        h.loan -= pay
        h.loan_payment[:] = np.where(h.loan > 0, h.loan_payment, 0.0)
        spend = savings.consumption(income, h.savings, h.members, b)
        h.savings[:], h.debt[:] = savings.settle(h.savings, h.debt, income - oop - pay, spend, b)
        slot = ctx.month
        h.assessed_income[:] = monitoring.rolling(h.assessed_income, income, self.ring_income[slot])
        h.assessed_oop[:] = monitoring.rolling(h.assessed_oop, oop, self.ring_oop[slot])
        self.ring_income[slot] = income
        self.ring_oop[slot] = oop

    def screening(self, ctx, screen: bool):
        """Monitoring: start help for pending households; at a screening, find and clear households."""
        h, mp = self.h, self.p.monitoring
        start = h.pending & (ctx.t >= h.pending_month)
        h.monitored |= start
        h.pending &= ~start
        h.months_flagged[:] = np.where(start, 0.0, h.months_flagged)
        if screen:
            risk = monitoring.at_risk(h.assessed_income, h.assessed_oop, h.members, self.m.monitoring_line,
                                      mp.rigid_expense_share)
            found = monitoring.detected(risk, h.monitored, h.pending, ctx.u("monitoring"), mp.detection)
            h.pending |= found
            h.pending_month[:] = np.where(found, ctx.t + mp.lag, h.pending_month)
            cleared = monitoring.risk_eliminated(h.monitored, risk, h.months_flagged, mp.min_months)
            h.monitored &= ~cleared
            if mp.lag == 0:
                self.screening(ctx, False)
        h.flagged_this_year |= h.monitored
        h.months_flagged += h.monitored

    # -- December ------------------------------------------------------------------------
    def year_end(self, ctx, coop_capacity, coop_alive):
        """Investment, asset dynamics, motivation and cooperative training."""
        h, b = self.h, self.p.budget
        h.savings[:], h.assets[:] = savings.invest(h.savings, h.assets, h.members, b)
        h.assets[:] = savings.asset_dynamics(h.assets, b)
        share = h.unconditional / np.maximum(h.income, 1.0)
        h.effort[:] = motivation.update_effort(h.effort, share, (h.conditional > 0) | h.trained, self.p.motivation)
        c = np.maximum(h.cooperative, 0)
        in_coop = (h.cooperative >= 0) & coop_alive[c]
        h.skill[:] = np.where(in_coop, h.skill * np.exp(self.p.human_capital.coop_training_gain * coop_capacity[c]),
                              h.skill)
