"""A household's livelihood: the cooperative, work, the farm and the harvest.

Part of the :class:`~model.agents.household.Household` agent (a mixin): how a
household earns.  Each January it may join its village cooperative
(农民专业合作社) when membership pays, decides whether its workers migrate
(外出务工) or apply for a local job, and may take vocational training
(技能培训) or a poverty-alleviation microcredit loan (扶贫小额信贷).  Every month
its workers earn wages or farm (a migrant may lose the job and come home);
in June and October it harvests and sells through its channel (spot, cooperative,
enterprise contract) and receives the harvest-time programmes.  Mechanisms,
parameters and sources: :mod:`model.rules.labour`, :mod:`model.rules.production`,
:mod:`model.rules.cooperative`.
"""

from __future__ import annotations

import math

from ..month import HARVEST_SHARE

SPOT, COOP, CONTRACT = "spot", "cooperative", "contract"  # sale channels


class Livelihood:
    """Cooperative membership, labour, training and credit, work, harvest and sale (household methods)."""

    # -- January ---------------------------------------------------------------------------
    def consider_joining_cooperative(self, ctx, coop_alive, member_gain) -> None:
        """Join the village cooperative when the better price on one worker's output beats its cost
        (``coop_alive``, ``member_gain``: per cooperative, which is per village)."""
        c, e = self.params.cooperative, self.params.economy
        if self.cooperative >= 0 or not coop_alive[self.village]:
            return
        gain = self.farm_output(1.0, e.farm_tfp * ctx.farm_index) * ctx.price * member_gain[self.village]
        if gain > c.cost_per_member and self.draw(ctx, "coop_join") < c.join_prob:
            self.cooperative = self.village

    def choose_work(self, ctx) -> None:
        """A local job we hold ends if our employer has exited, nobody is left to work or the worker leaves
        for reasons outside the model; then each worker in turn takes the option adding most to our resources
        (``allocate_workers``): we keep a job we hold or quit it, and apply for one (``applies_for_local_job``)
        when a job would add to our resources."""
        lp = self.params.labour
        self.living_away = 0.0  # an annual accumulator, like those reset at the start of the year
        if self.employer < 0:
            self.workshop_job = False
        holds = self.employer >= 0
        ends = holds and (not self.model.enterprises.alive[self.employer] or self.workers < 1.0
                          or self.shock_draw(ctx, "job_quit") < lp.quit_prob)
        earnings, local = self.wage_incomes(ctx)
        s = lp.migrant_separation + lp.macro_shock_separation * ctx.migrant_shock
        employed = (1.0 - s) * (1.0 - (1.0 - s) ** 12) / (12.0 * s) if s > 0 else 1.0
        net_migrant = earnings * (employed * (1.0 - lp.living_cost_away) - lp.migration_cost * self.taste)
        without, _ = self.allocate_workers(ctx, False, local, net_migrant)
        with_job, takes = self.allocate_workers(ctx, True, local, net_migrant)
        keeps = holds and not ends and takes
        if holds and not keeps:  # a quit, a retirement or the employer's exit ends the match
            self.employer = -1
            self.workshop_job = False
        self.local_job = 1.0 if keeps else 0.0
        self.migrants = with_job if keeps else without
        self.post = 0.0  # welfare posts are assigned afresh each January
        self.applies_for_local_job = not holds and takes
        self.migrants_if_hired = with_job

    def allocate_workers(self, ctx, job_offered: bool, local: float, net_migrant: float) -> tuple[float, bool]:
        """Each worker in turn takes a local job (if ``job_offered`` and still free) or migrates (if someone
        else can care for children without a grandparent or for a chronic illness), whichever adds more
        than the farm output (or rent) the household loses, a local job winning a tie; else farms.
        Returns (migrants, whether a worker takes the local job)."""
        needs_carer = (self.children > 0 and self.elderly == 0) or self.chronic
        can_leave = max(self.workers - (1.0 if needs_carer else 0.0), 0.0)
        migrants, takes = 0.0, False
        for _ in range(math.ceil(self.workers)):
            home = self.workers - migrants - (1.0 if takes else 0.0)
            if home < 1.0:
                break
            loss = self.farm_value(ctx, home) - self.farm_value(ctx, home - 1.0)
            gain_local = local - loss if job_offered and not takes else -math.inf
            gain_migrant = net_migrant - loss if migrants < can_leave else -math.inf
            if gain_local > 0 and gain_local >= gain_migrant:
                takes = True
            elif gain_migrant > 0:
                migrants = migrants + 1.0
        return migrants, takes

    def take_job(self) -> None:
        """Hired this January: send migrants as our allocation with the job says."""
        if self.applies_for_local_job and self.employer >= 0:
            self.migrants = self.migrants_if_hired

    def is_post_candidate(self) -> bool:
        """Targeted, a worker at home and nobody in off-farm work."""
        return (self.is_targeted("welfare_posts") and self.migrants == 0 and self.local_job == 0
                and self.workers >= 1)

    def consider_training(self, ctx) -> None:
        """Take vocational training if offered; its cost is claimed from the programme."""
        tr = self.gov.programmes["vocational_training"]
        self.trained = (self.is_targeted("vocational_training") and self.workers > 0
                        and self.draw(ctx, "training") < tr.amount * ctx.levels["vocational_training"])
        cost = 0.0
        if self.trained:
            self.skill = self.skill * math.exp(self.params.human_capital.training_skill_gain)
            cost = tr.other["cost_per_trainee"]
        self.claims = {"vocational_training": cost}

    def receive_training_and_consider_credit(self, ctx, factors: dict[str, float]) -> None:
        """Training is paid for (in kind); then take an interest-free small loan (扶贫小额信贷) if offered and
        invest it in productive assets."""
        self.recv_gov = self.recv_gov + self.claims["vocational_training"] * factors["vocational_training"]
        mc, level = self.gov.programmes["microcredit"], ctx.levels["microcredit"]
        if (self.is_targeted("microcredit") and self.workers >= 1 and self.loan <= 0
                and self.draw(ctx, "credit") < mc.other["take_up"] and level > 0):
            amount = mc.amount * level
            self.assets = self.assets + amount
            self.loan = self.loan + amount
            self.loan_payment = amount / mc.other["months"]

    # -- every month -----------------------------------------------------------------------
    def maybe_lose_migrant_job(self, ctx) -> None:
        """One migrant may lose the job and come home to the farm (more often in a migrant-labour shock year)."""
        lp = self.params.labour
        separation = lp.migrant_separation + lp.macro_shock_separation * ctx.migrant_shock
        if self.migrants > 0 and self.shock_draw(ctx, "migrant_job") < separation:
            self.migrants = self.migrants - 1.0
            self.jobs_lost = self.jobs_lost + 1.0

    def claim_post_pay(self) -> None:
        """A worker in a public-welfare post (公益岗位) claims the post's monthly pay."""
        self.claims = {"welfare_posts": self.post * self.gov.programmes["welfare_posts"].amount}

    def work(self, ctx, factors: dict[str, float]) -> None:
        """A month of work: migrant remittances, local wage, welfare post, farm labour.  Sets ``wage_this_month``
        and ``local_pay_this_month`` (what its employer pays)."""
        e, ip = self.params.economy, self.params.illness
        # a worker recovering from illness stays off work: at home first, else a migrant
        sick = min(1.0 if self.sick_months > 0 else 0.0, self.workers)
        at_home = self.workers - self.migrants - self.local_job - 0.5 * self.post
        if self.chronic:
            at_home = at_home - ip.chronic_labour_loss
        sick_at_home = min(sick, max(at_home, 0.0))
        working_migrants = max(self.migrants - (sick - sick_at_home), 0.0)
        wf = self.wage_factor()
        migrant_pay = working_migrants * (e.migrant_wage * ctx.wage_index * wf)  # full earnings (NBS definition)
        local_pay = self.local_job * e.local_wage * ctx.wage_index * wf
        post_pay = self.claims["welfare_posts"] * factors["welfare_posts"]
        self.recv_gov = self.recv_gov + post_pay
        self.recv_enterprise = self.recv_enterprise + local_pay
        self.farm_acc = self.farm_acc + self.farm_labour(sick_at_home)
        self.sick_months = max(self.sick_months - 1.0, 0.0)
        wage = migrant_pay + local_pay + post_pay
        self.wage = self.wage + wage
        self.wage_this_month, self.local_pay_this_month = wage, local_pay
        # migrants working away this month spend part of their pay there (consumption)
        self.away_this_month = working_migrants
        self.living_away_this_month = self.params.labour.living_cost_away * migrant_pay
        self.living_away = self.living_away + self.living_away_this_month

    # -- harvest (June, October) -----------------------------------------------------------------
    def harvest(self, ctx, months: float, weather, coop_price, contract_price, has_contract) -> None:
        """Bring in the harvest and choose the sale channel (arrays per village / cooperative); sets ``sale``
        and the claims on the harvest-time programmes."""
        e = self.params.economy
        labour = self.farm_acc / months  # average farm labour since the last harvest
        self.farm_acc = 0.0
        q = HARVEST_SHARE * self.farm_output(labour, e.farm_tfp * ctx.farm_index) * float(weather[self.village])
        member = self.cooperative >= 0
        c = max(self.cooperative, 0)
        if not member:
            channel, gross = SPOT, ctx.price * e.spot_price_factor
        elif has_contract[c]:
            channel, gross = CONTRACT, float(contract_price[c])
        else:
            channel, gross = COOP, float(coop_price[c])
        received = gross * (1.0 - self.params.cooperative.margin) if member else gross
        self.sale = {"quantity": q, "channel": channel, "member": member, "gross": gross, "received": received}
        self.claims = self.harvest_claims(ctx)

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

    def sell_harvest(self, ctx, factors: dict[str, float]) -> None:
        """Book the sale and the programme payments on it; sets ``sale_flows``, what cooperatives and
        enterprises book."""
        s = self.sale
        q, gross, member = s["quantity"], s["gross"], s["member"]
        premium, topup, subsidy = (self.claims[name] * factors[name]
                                   for name in ("consumption_support", "guaranteed_purchase", "industry_support"))
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
        self.sale_flows = {"revenue": revenue + subsidy, "premium": premium, "via_coop": via_coop,
                           "from_coop": from_coop, "contract_value": q * gross if contract else 0.0,
                           "contract_quantity": q if contract else 0.0}

    # -- December ------------------------------------------------------------------------
    def cooperative_training(self, coop_alive: bool, capacity: float) -> None:
        """Members of a working cooperative learn from it, more so under a capable leader."""
        if self.cooperative >= 0 and coop_alive:
            self.skill = self.skill * math.exp(self.params.human_capital.coop_training_gain * capacity)
