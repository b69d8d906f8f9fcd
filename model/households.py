"""The vectorised engine (``engine="vectorised"``, the default): the household phases over whole columns.

:class:`VectorHouseholds` applies the household rules of :mod:`model.rules` to
every household at once, one numpy operation per rule.  The model
(:mod:`model.model`) calls its phases in the order of the monthly step;
cooperatives, enterprises and the government act between them.  The transfer
phase is in :mod:`model.transfers`, the labour allocation and the month's work in
:mod:`model.work`, consumption, credit and investment in :mod:`model.budget_phases`.  The per-agent engine
(:class:`model.household_agents.HouseholdAgents`, the methods of
:class:`model.agents.Household`) implements the same phases one household at a
time and must give the same numbers (docking, ``tests/test_docking.py``).
"""

from __future__ import annotations

import numpy as np

from . import demography as formation
from .month import HARVEST_SHARE
from .rules import demography
from .rules import human_capital as hc
from .rules import cooperative, fortune, health, illness, monitoring, motivation, production
from .rules import programmes as prog
from .budget_phases import BudgetPhases
from .transfers import Transfers
from .work import WorkPhases


class VectorHouseholds(Transfers, WorkPhases, BudgetPhases):
    """Household phases of the step over numpy columns."""

    def __init__(self, model):
        self.m = model
        self.h = model.hh
        self.p = model.params
        # the last twelve months of income and out-of-pocket spending, for monitoring
        # (a list of monthly arrays: each month's array replaces the one of a year before, no copy)
        self.ring_income = [np.zeros(model.n_households) for _ in range(12)]
        self.ring_oop = [np.zeros(model.n_households) for _ in range(12)]
        self._month_cache: dict = {}
        self._year_cache: dict = {}
        self._last_borrowers = (None, None)

    # -- helpers -------------------------------------------------------------------------
    # Targeting groups change only when monitoring flags households (end of a month) and the year's
    # wage, transfer and output amounts only in January, so they are cached; results are unchanged.
    def _cached(self, cache, key_time, name, compute):
        if cache.get("_t") != key_time:
            cache.clear()
            cache["_t"] = key_time
        if name not in cache:
            cache[name] = compute()
        return cache[name]

    def groups(self):
        """(ex_poor, monitored, near_poor) masks used by programme targeting (last year's income, and so
        the near-poor, changes only at the end of a year)."""
        h, z = self.h, self.m.poverty_line

        def near():
            return (h.prev_pc_income >= z) & (h.prev_pc_income < self.m.monitoring_line)

        return h.is_ex_poor, h.monitored, self._cached(self._year_cache, self.m.year, "near", near)

    def _borrowers(self):
        """Households with microcredit outstanding.  Loans are taken in January and otherwise only repaid, so
        after January they are last month's borrowers less those who have repaid in full."""
        def find():
            t, last = self._last_borrowers
            now = last[self.h.loan[last] > 0] if t == self.m.t - 1 and self.m.t % 12 else np.flatnonzero(self.h.loan > 0)
            self._last_borrowers = (self.m.t, now)
            return now

        return self._cached(self._month_cache, self.m.t, "borrowers", find)

    def targeted(self, name):
        """Households a programme's targeting selects this month."""
        return self._cached(self._month_cache, self.m.t, "target:" + name,
                            lambda: self.m.gov.targeted(name, *self.groups()))

    def targeted_among(self, name, idx):
        """Which of the households ``idx`` a programme's targeting selects this month."""
        return self.m.gov.targeted(name, *(group[idx] for group in self.groups()))

    def demography(self, ctx):
        """January: the family's year (school, work, retirement, births, deaths) then health and earning power;
        then households with no member left are replaced by newly formed ones (:mod:`model.demography`)."""
        self.life_events(ctx)
        self.health_and_earnings(ctx)
        formation.form_households(self.m, ctx, self.reset_rows)

    def reset_rows(self, rows, sources, scales):
        """Re-used household rows: the income window of ``sources`` times ``scales``, no medical spending;
        cached targeting and amounts are recomputed (a new household's last-year income changed)."""
        for ring in self.ring_income:
            ring[rows] = ring[sources] * scales
        for ring in self.ring_oop:
            ring[rows] = 0.0
        self._month_cache.clear()
        self._year_cache.clear()

    def life_events(self, ctx):
        """Schooling, school leavers entering work, retirement, then births and deaths."""
        h, hcp = self.h, self.p.human_capital
        supported = self.targeted("education_support")
        p_cont = hc.continuation_prob(h.is_ex_poor, supported, hcp, ctx.levels["education_support"])
        h.schooling[:], leaves = hc.school_year(h.children, h.schooling, ctx.u("school"), p_cont,
                                                hcp.max_schooling)
        h.youngest[:] = hc.age_youngest(h.children, h.schooling, h.youngest)
        h.workers[:], h.children[:], h.edu[:], h.schooling[:] = hc.enter_work(
            h.workers, h.children, h.edu, h.schooling, leaves, h.youngest)
        h.workers[:], h.elderly[:] = hc.retire(h.workers, h.elderly, ctx.u("retire"),
                                              self.p.labour.retirement_prob)
        self.births_and_deaths(ctx)

    def births_and_deaths(self, ctx):
        """A birth (probability per worker), then at most one death in each age group (:mod:`.rules.demography`)."""
        h, d = self.h, self.p.demography
        born = demography.birth(h.children, h.workers, ctx.shock_u("birth"), d.birth_rate, d.max_children)
        h.children[:], h.schooling[:], h.youngest[:] = demography.add_birth(h.children, h.schooling, born,
                                                                            d.pre_school_years, h.youngest)
        child = demography.dies(h.children, ctx.shock_u("death_child"), d.child_mortality)
        h.children[:], h.schooling[:], h.youngest[:] = demography.child_death(h.children, h.schooling, child,
                                                                              h.youngest)
        u = ctx.shock_u("death_worker")
        worker = demography.dies(h.workers, u, d.worker_mortality)
        h.workers[:], h.migrants[:], job = demography.worker_death(h.workers, h.migrants, h.local_job, u,
                                                                   d.worker_mortality, worker)
        h.local_job[job] = 0.0  # the local job holder died: the match ends
        h.employer[job] = -1
        h.workshop_job[job] = False
        elderly = demography.dies(h.elderly, ctx.shock_u("death_elderly"), d.elderly_mortality)
        h.elderly -= elderly
        h.members += born.astype(float) - child - worker - elderly

    def health_and_earnings(self, ctx):
        """Chronic illness; a year's recovery of health and obsolescence of training; the persistent income
        component moves on and a new transitory one is drawn (not in neutral years); productivity from its
        components."""
        h, e = self.h, self.p.earnings
        h.chronic[:] = health.chronic_onset(h.chronic, h.ill_health, ctx.shock_u("chronic"), e.chronic_base_onset,
                                            e.chronic_threshold)
        h.ill_health[:] = health.recover(h.ill_health, h.chronic, e.health_recovery, e.chronic_threshold)
        h.training[:] = hc.training_depreciation(h.training, e.training_depreciation)
        if not ctx.neutral:
            h.fortune[:] = fortune.next_year(h.fortune, ctx.shock_z("permanent"), e.permanent_persistence,
                                             e.permanent_sd)
            h.transitory[:] = fortune.transitory(ctx.shock_z("transitory"), e.transitory_sd)
        else:
            h.transitory[:] = 0.0
        h.skill[:] = fortune.productivity(h.ability, h.fortune, h.transitory,
                                          health.health_factor(h.ill_health, e.health_productivity_loss),
                                          hc.training_factor(h.training), e)

    def _train(self, gain):
        """Raise the training stock by a course of ``gain`` (per household); productivity moves with it."""
        h = self.h
        stock = hc.training_gain(h.training, gain, self.p.earnings.training_ceiling)
        h.skill *= hc.training_factor(stock - h.training)
        h.training[:] = stock

    def coop_choice(self, ctx):
        """Members weigh what membership brought them last year, non-members what the village cooperative's
        published terms promise, against its cost; some act on it (join or leave)."""
        h, c, cp = self.h, self.m.coops, self.p.cooperative
        v = h.village
        member = h.cooperative >= 0
        q = production.farm_output(h.land, h.assets, 1.0, h.skill, h.effort,
                                   self.p.economy.farm_tfp * ctx.farm_index, self.p.economy, self.p.finance)
        expected = cooperative.expected_gain(q * ctx.price, c.buy_share[v], c.advance[v], c.dividend_rate[v],
                                             self.p.economy.spot_price_factor, h.is_ex_poor * c.asset_dividend[v])
        gain = np.where(member, h.coop_gain, expected)
        join, leave = cooperative.membership(member, c.alive[v], gain, h.coop_bad_years, cp.membership_cost,
                                             ctx.u("coop_join"), cp.join_prob, cp.patience)
        h.cooperative[:] = np.where(join, v, np.where(leave, -1, h.cooperative))
        h.coop_bad_years[join | leave] = 0.0
        h.coop_gain[:] = 0.0

    def take_training_and_credit(self, ctx):
        """Vocational training, then microcredit."""
        self.take_training(ctx)
        self.take_credit(ctx)

    def take_training(self, ctx):
        """Vocational training for targeted households that take it up."""
        h, gov, lv = self.h, self.m.gov, ctx.levels
        tr = gov.programmes["vocational_training"]
        h.trained[:] = (self.targeted("vocational_training") & (h.workers > 0)
                        & (ctx.u("training") < tr.amount * lv["vocational_training"]))
        self._train(h.trained * self.p.human_capital.training_skill_gain)
        cost = gov.pay("vocational_training", h.trained * tr.other["cost_per_trainee"])
        h.recv_gov += cost

    # -- every month ---------------------------------------------------------------------
    def illness_month(self, ctx):
        """Illness, medical costs, insurance; returns this month's out-of-pocket spending."""
        h, ip, gov, lv = self.h, self.p.illness, self.m.gov, ctx.levels
        u = ctx.shock_u("illness")
        risk = self._cached(self._year_cache, ctx.year, "illness_risk",  # health is assessed in January
                            lambda: health.acute_risk(h.chronic, h.ill_health, ip.acute_prob, ip.acute_prob_chronic,
                                                      self.p.earnings.chronic_threshold))
        ill = illness.falls_ill(u, risk)
        idx = np.flatnonzero(ill | h.chronic)  # only they have medical costs this month
        ill_i = ill[idx]
        sick = idx[ill_i]
        cost = h.chronic[idx] * ip.chronic_cost
        cost[ill_i] += illness.episode_cost(ctx.shock_z("illness_cost", sick), ip.acute_cost_median,
                                            ip.acute_cost_sigma)
        h.illness_episodes[sick] += 1.0
        h.ill_health[sick] = health.damage(h.ill_health[sick], self.p.earnings.illness_damage)  # lasting damage
        h.sick_months[sick] = np.maximum(h.sick_months[sick], ip.lost_months)
        basic_rate = gov.programmes["medical_insurance"].amount * lv["medical_insurance"]
        hp = gov.programmes["health_protection"]
        extra = max(hp.amount - basic_rate, 0.0) * lv["health_protection"]
        basic = basic_rate * self.targeted("medical_insurance")[idx]
        cov = illness.coverage(basic, basic + extra, self.targeted("health_protection")[idx])
        paid_basic = gov.pay("medical_insurance", cost * basic)
        paid_extra = gov.pay("health_protection", cost * (cov - basic))
        h.recv_gov[idx] += paid_basic + paid_extra
        oop_i = cost - paid_basic - paid_extra
        h.oop[idx] += oop_i
        oop = np.zeros(h.n)
        oop[idx] = oop_i
        return oop

    def harvest(self, ctx, months, weather):
        """Bring in the harvest; returns each household's output (units at the 2020 price)."""
        h, e = self.h, self.p.economy
        lab = h.farm_acc / months
        h.farm_acc[:] = 0.0
        # land, assets, skill and effort are fixed within the year: output at one worker is cached
        q1 = self._cached(self._year_cache, ctx.year, "output_one_worker", lambda: production.farm_output(
            h.land, h.assets, 1.0, h.skill, h.effort, e.farm_tfp * ctx.farm_index, e, self.p.finance))
        return HARVEST_SHARE * q1 * np.power(lab, e.labour_elasticity) * weather[h.village]

    def sell_harvest(self, ctx, q, terms):
        """Sale: a member sells the cooperative's share of its harvest to it at the advance price and the rest
        to traders; harvest-time programmes.  ``terms``: per cooperative, the advance price (yuan per unit),
        the share it buys and the share of its purchases sold under contract.  Returns the household flows
        the cooperatives book and the households' income from the harvest."""
        h, e, gov, lv = self.h, self.p.economy, self.m.gov, ctx.levels
        c = np.maximum(h.cooperative, 0)
        member = h.cooperative >= 0
        bought = member * terms["buy_share"][c] * q
        spot = ctx.price * e.spot_price_factor
        advances = bought * terms["advance_price"][c]
        cs_rate = gov.programmes["consumption_support"].amount * lv["consumption_support"]
        premium = gov.pay("consumption_support", self.targeted("consumption_support") * bought * ctx.price * cs_rate,
                          payee="cooperatives")
        gp = gov.programmes["guaranteed_purchase"]
        topup = 0.0  # it pays only when it runs and the market price is below the guaranteed price
        if lv["guaranteed_purchase"] > 0 and gp.amount > ctx.price:
            outside_contract = q - bought * terms["contract_share"][c]
            topup = gov.pay("guaranteed_purchase", self.targeted("guaranteed_purchase") * lv["guaranteed_purchase"]
                            * prog.guaranteed_purchase_topup(outside_contract, ctx.price, gp.amount))
        revenue = advances + (q - bought) * spot + premium + topup
        h.business += revenue
        h.output += q * ctx.price
        h.recv_coop += advances + premium
        h.recv_gov += topup
        h.coop_sales += advances
        h.coop_gain += bought * (terms["advance_price"][c] - spot) + premium
        subsidy = gov.pay("industry_support", self.targeted("industry_support") * q * ctx.price
                          * gov.programmes["industry_support"].amount * lv["industry_support"])
        h.recv_gov += subsidy
        h.transfer += subsidy
        h.conditional += subsidy
        return {"revenue": revenue + subsidy, "premium": premium, "advances": advances}

    def screening(self, ctx, screen: bool):
        """Monitoring: at a screening, find households at risk and clear those whose risk is gone;
        then start help for households found ``lag`` months ago (this month if the lag is 0)."""
        h, mp = self.h, self.p.monitoring
        if screen:
            verified = monitoring.verified_income(h.assessed_income, ctx.shock_z("assessment"), mp.assessment_error)
            risk = monitoring.at_risk(verified, h.assessed_oop, h.members, self.m.monitoring_line,
                                      mp.rigid_expense_share)
            cand = np.flatnonzero(risk & ~h.monitored & ~h.pending)  # draws only for those who can be found
            sudden = monitoring.sudden_difficulty(h.assessed_income[cand], h.assessed_oop[cand],
                                                  h.prev_pc_income[cand] * h.members[cand], mp.rigid_expense_share,
                                                  mp.income_drop)
            found = cand[monitoring.detected(risk[cand], h.monitored[cand], h.pending[cand], ctx.u("monitoring", cand),
                                             monitoring.detection_prob(sudden, mp.detection, mp.detection_sudden))]
            h.pending[found] = True
            h.pending_month[found] = ctx.t + mp.lag
            flagged = np.flatnonzero(h.monitored)
            weak = prog.weak_labour(h.workers[flagged], h.chronic[flagged], h.elderly[flagged], h.members[flagged])
            cleared = flagged[monitoring.risk_eliminated(True, risk[flagged], h.months_flagged[flagged],
                                                         mp.min_months, weak)]
            h.monitored[cleared] = False
        waiting = np.flatnonzero(h.pending)
        start = waiting[ctx.t >= h.pending_month[waiting]]
        h.monitored[start] = True
        h.pending[start] = False
        h.months_flagged[start] = 0.0
        flagged = np.flatnonzero(h.monitored)
        h.flagged_this_year[flagged] = True
        h.months_flagged[flagged] += 1.0

    # -- December ------------------------------------------------------------------------
    def year_end(self, ctx, coop_capacity, coop_alive):
        """Investment and assets, then motivation and learning."""
        self.invest(ctx)
        self.motivation_and_learning(ctx, coop_capacity, coop_alive)

    def motivation_and_learning(self, ctx, coop_capacity, coop_alive):
        """Effort moves with the kind of support received; members learn from a working cooperative."""
        h = self.h
        share = h.unconditional / np.maximum(h.income, 1.0)
        h.effort[:] = motivation.update_effort(h.effort, share, (h.conditional > 0) | h.trained, self.p.motivation)
        c = np.maximum(h.cooperative, 0)
        in_coop = (h.cooperative >= 0) & coop_alive[c]
        self._train(in_coop * (self.p.human_capital.coop_training_gain * coop_capacity[c]))
        h.coop_bad_years[:] = cooperative.count_bad_years(h.cooperative >= 0, h.coop_gain,
                                                          self.p.cooperative.membership_cost, h.coop_bad_years)
