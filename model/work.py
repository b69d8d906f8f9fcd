"""The vectorised engine's work phases: the January labour allocation and the month's work.

Part of :class:`model.households.VectorHouseholds` (a mixin, as :mod:`model.transfers` is): each January every
household allocates its workers among the farm, a local job and migrant work
(:func:`model.rules.labour.allocate`), keeping or quitting the job it holds and applying for one; the households
hired then settle their allocation; targeted households without off-farm work are the candidates for welfare
posts.  Every month migrants may lose their job, wages are paid and farm labour accumulates.  The per-agent
engine's counterparts are the methods of :class:`model.agents.livelihood.Livelihood`.
"""

from __future__ import annotations

import numpy as np

from .rules import illness, labour, production


class WorkPhases:
    """Labour allocation and the month's work over numpy columns (methods of ``VectorHouseholds``)."""

    def farm_value(self, ctx):
        """The annual value of the own farm as a function of the workers at home (output at the traders'
        price, or the land's rent when nobody is left to farm it)."""
        h, e = self.h, self.p.economy
        one = production.farm_output(h.land, h.assets, 1.0, h.skill, h.effort, e.farm_tfp * ctx.farm_index, e,
                                     self.p.finance)
        value_one = one * ctx.price * e.spot_price_factor
        loss = self.p.illness.chronic_labour_loss
        return lambda home, i=slice(None): labour.farm_value(home, h.elderly[i], h.chronic[i], h.land[i], value_one[i],
                                                             e.land_rent, e, loss)

    def wage_incomes(self, ctx):
        """(a year's full migrant earnings, a year's local wage) per worker."""
        h, e = self.h, self.p.economy
        wf = labour.wage_factor(h.edu, h.skill, h.effort, e)
        return 12.0 * e.migrant_wage * ctx.wage_index * wf, 12.0 * e.local_wage * ctx.wage_index * wf

    # -- January -------------------------------------------------------------------------

    def labour_supply(self, ctx):
        """Separations, then each household allocates its workers (:func:`labour.allocate`), keeping a local
        job it holds or quitting it; returns the households applying for one local job (those for whom a job
        would add to their resources)."""
        h, lp = self.h, self.p.labour
        h.living_away[:] = 0.0  # an annual accumulator, like those reset at the start of the year
        h.workshop_job &= h.employer >= 0
        holds = h.employer >= 0
        alive = self.m.enterprises.alive[np.maximum(h.employer, 0)]
        ends = labour.separated(holds, h.workers, alive, ctx.shock_u("job_quit"), lp.quit_prob)
        earnings, local = self.wage_incomes(ctx)
        separation = lp.migrant_separation + lp.macro_shock_separation * ctx.migrant_shock
        net_migrant = labour.migrant_net(earnings, labour.employed_share(separation), lp.living_cost_away,
                                         lp.migration_cost, h.taste)
        can_leave = labour.max_migrants(h.workers, h.children, h.elderly, h.chronic)
        value = self.farm_value(ctx)
        first = value(h.workers) - value(h.workers - 1.0)  # the first worker's loss, the same in both allocations
        without, _ = labour.allocate(h.workers, can_leave, 0.0, local, net_migrant, value, first)
        with_job, takes = labour.allocate(h.workers, can_leave, 1.0, local, net_migrant, value, first)
        keeps = holds & ~ends & (takes > 0)
        h.employer[holds & ~keeps] = -1
        h.workshop_job &= keeps
        h.local_job[:] = keeps
        h.migrants[:] = np.where(keeps, with_job, without)
        h.post[:] = 0.0
        self._applies = ~holds & (takes > 0) & ~h.laid_off
        self._migrants_if_hired = with_job
        return self._applies

    def take_jobs(self, ctx):
        """Households hired this January send migrants as their allocation with the job says."""
        h = self.h
        hired = self._applies & (h.employer >= 0)
        h.migrants[hired] = self._migrants_if_hired[hired]

    def post_candidates(self, ctx):
        """Targeted households with a worker at home and nobody in off-farm work."""
        h = self.h
        t = self.targeted("welfare_posts")
        return t & (h.migrants == 0) & (h.local_job == 0) & (h.workers >= 1)

    def _labour_year(self, ctx):
        """This year's per-household wage and farm-labour amounts, fixed from January's allocation
        (updated below for migrants who lose their job)."""
        h, e, ip = self.h, self.p.economy, self.p.illness
        wf = labour.wage_factor(h.edu, h.skill, h.effort, e)
        per_migrant = e.migrant_wage * ctx.wage_index * wf  # a migrant's full earnings (NBS definition)
        local_pay = h.local_job * (e.local_wage * ctx.wage_index * wf)
        rent = self._land_rent(slice(None))
        migrant_pay = h.migrants * per_migrant
        return {"per_migrant": per_migrant, "local_pay": local_pay, "migrant_pay": migrant_pay,
                "living": labour.living_cost_away(migrant_pay, self.p.labour.living_cost_away),
                "wage": migrant_pay + local_pay,
                "farm": labour.farm_labour(h.workers, h.migrants, h.local_job, h.post, h.elderly, h.chronic, 0.0, e,
                                           ip.chronic_labour_loss),
                "rent": rent,
                "renting": np.flatnonzero(rent),  # rent only falls during the year (a migrant comes home)
                "away": np.flatnonzero(h.migrants > 0),
                "employed": np.flatnonzero(local_pay)}

    def _land_rent(self, i):
        """Monthly rent of land transferred out (土地流转) when nobody is left to farm it."""
        h = self.h
        nobody_home = (h.workers[i] - h.migrants[i] - h.local_job[i] <= 0) & (h.elderly[i] == 0)
        return np.where(nobody_home, h.land[i] * self.p.economy.land_rent / 12.0, 0.0)

    def work_month(self, ctx):
        """Migrant job losses, wages this month, farm labour; returns (wage income, wages by employer row)."""
        h, e, lp, ip = self.h, self.p.economy, self.p.labour, self.p.illness
        y = self._cached(self._year_cache, ctx.year, "labour", lambda: self._labour_year(ctx))
        sep = lp.migrant_separation + lp.macro_shock_separation * ctx.migrant_shock
        away = y["away"]
        lost = labour.job_loss(h.migrants[away], ctx.shock_u("migrant_job", away), sep)
        if lost.any():
            back = away[lost]  # one migrant of each of these households comes home for the year
            h.migrants[back] -= 1.0
            h.jobs_lost[back] += 1.0
            y["migrant_pay"][back] = h.migrants[back] * y["per_migrant"][back]
            y["living"][back] = labour.living_cost_away(y["migrant_pay"][back], self.p.labour.living_cost_away)
            y["wage"][back] = y["migrant_pay"][back] + y["local_pay"][back]
            y["farm"][back] = labour.farm_labour(h.workers[back], h.migrants[back], h.local_job[back], h.post[back],
                                                 h.elderly[back], h.chronic[back], 0.0, e, ip.chronic_labour_loss)
            y["rent"][back] = self._land_rent(back)
            y["away"] = away[h.migrants[away] > 0]
        wage, farm, living, away = y["wage"].copy(), y["farm"], y["living"], h.migrants
        # households with a worker recovering from illness (few): labour lost at home first, then migrant work
        s = np.flatnonzero(h.sick_months > 0)
        if s.size:
            farm = farm.copy()
            sick = illness.sick_workers(h.sick_months[s], h.workers[s])
            home = np.maximum(h.workers[s] - h.migrants[s] - h.local_job[s] - 0.5 * h.post[s]
                              - ip.chronic_labour_loss * h.chronic[s], 0.0)
            sick_home = np.minimum(sick, home)
            living, away = living.copy(), away.copy()
            away[s] = np.maximum(h.migrants[s] - (sick - sick_home), 0.0)  # a sick migrant recovers at home
            pay_s = away[s] * y["per_migrant"][s]
            living[s] = labour.living_cost_away(pay_s, self.p.labour.living_cost_away)
            wage[s] = pay_s + y["local_pay"][s]
            farm[s] = labour.farm_labour(h.workers[s], h.migrants[s], h.local_job[s], h.post[s], h.elderly[s],
                                         h.chronic[s], sick_home, e, ip.chronic_labour_loss)
            h.sick_months[s] = np.maximum(h.sick_months[s] - 1.0, 0.0)
        gov = self.m.gov
        posts = self._cached(self._year_cache, ctx.year, "posts", lambda: np.flatnonzero(h.post > 0))
        amount = gov.programmes["welfare_posts"].amount
        factor = gov.pay_total("welfare_posts", amount * posts.size)
        wage[posts] += amount * factor
        h.recv_gov[posts] += amount * factor
        employed = y["employed"]
        h.recv_enterprise[employed] += y["local_pay"][employed]
        h.farm_acc += farm
        h.wage += wage
        # what migrants working away this month spend there (consumption, charged in budget_month)
        self._away, self._living_away = away, living
        h.living_away += self._living_away
        return wage, y["local_pay"]
