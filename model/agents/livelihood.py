"""A household's livelihood: the cooperative, work, the farm and the harvest.

Part of the :class:`~model.agents.household.Household` agent (a mixin): how a
household earns.  Each January it may join its village cooperative
(农民专业合作社) when membership pays, or leave it after years in which it did
not, decides whether its workers migrate
(外出务工) or apply for a local job, and may take vocational training
(技能培训) or a poverty-alleviation microcredit loan (扶贫小额信贷).  Every month
its workers earn wages or farm (a migrant may lose the job and come home);
in June and October it harvests, sells its cooperative the share the cooperative
buys (at its advance price) and the rest to traders, and receives the
harvest-time programmes.  Mechanisms,
parameters and sources: :mod:`model.rules.labour`, :mod:`model.rules.production`,
:mod:`model.rules.cooperative`.
"""

from __future__ import annotations

import math

from ..month import HARVEST_SHARE


class Livelihood:
    """Cooperative membership, labour, training and credit, work, harvest and sale (household methods)."""

    # -- January ---------------------------------------------------------------------------
    def consider_joining_cooperative(self, ctx, coops) -> None:
        """Weigh membership of the village cooperative against its cost: a member by what membership brought
        last year, a non-member by what the cooperative's published terms promise (``coops``: per cooperative,
        which is per village, ``alive``, ``advance``, ``buy_share``, ``dividend_rate``, ``asset_dividend``);
        act on it with some inertia: join when it pays, leave after ``patience`` years in which it did not."""
        c, e = self.params.cooperative, self.params.economy
        v = self.village
        acts = self.draw(ctx, "coop_join") < c.join_prob
        if self.cooperative >= 0:
            if self.coop_bad_years >= c.patience and acts:
                self.cooperative = -1
                self.coop_bad_years = 0.0
        else:
            value = self.farm_output(1.0, e.farm_tfp * ctx.farm_index) * ctx.price
            advance = coops["advance"][v]
            expected = (value * coops["buy_share"][v] * (advance - e.spot_price_factor + advance * coops["dividend_rate"][v])
                        + (coops["asset_dividend"][v] if self.is_ex_poor else 0.0))
            if coops["alive"][v] and expected > c.membership_cost and acts:
                self.cooperative = v
                self.coop_bad_years = 0.0
        self.coop_gain = 0.0  # what membership brings this year is counted from here

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
        self.applies_for_local_job = not holds and takes and not self.laid_off
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
            self.learn(self.params.human_capital.training_skill_gain)
            cost = tr.other["cost_per_trainee"]
        self.claims = {"vocational_training": cost}

    def learn(self, gain: float) -> None:
        """Training raises our training stock by ``gain`` x (1 - stock / ceiling), less the nearer the stock is
        to its ceiling; our productivity moves with it (factor exp(stock))."""
        ceiling = self.params.earnings.training_ceiling
        stock = self.training + gain * max(1.0 - self.training / ceiling, 0.0)
        self.skill = self.skill * math.exp(stock - self.training)
        self.training = stock

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
    def harvest(self, ctx, months: float, weather) -> None:
        """Bring in the harvest (``weather``: per village); sets ``harvested`` (units at the 2020 price)."""
        e = self.params.economy
        labour = self.farm_acc / months  # average farm labour since the last harvest
        self.farm_acc = 0.0
        self.harvested = HARVEST_SHARE * self.farm_output(labour, e.farm_tfp * ctx.farm_index) * float(weather[self.village])

    def offer_harvest(self, ctx, terms) -> None:
        """A member sells its cooperative the share it buys, at its advance price; the rest goes to traders
        (``terms``: per cooperative, ``advance_price``, ``buy_share``, ``contract_share``).  Sets ``sale`` and
        the claims on the harvest-time programmes."""
        q, c = self.harvested, max(self.cooperative, 0)
        member = self.cooperative >= 0
        bought = terms["buy_share"][c] * q if member else 0.0
        self.sale = {"quantity": q, "bought": bought, "member": member,
                     "advance_price": float(terms["advance_price"][c]) if member else 0.0,
                     "contracted": bought * terms["contract_share"][c] if member else 0.0}
        self.claims = self.harvest_claims(ctx)

    def harvest_claims(self, ctx) -> dict[str, float]:
        """What the harvest-time programmes owe on this household's sale (requests to the government):
        consumption support on what the cooperative bought, guaranteed purchase (保底收购) when the market
        price is below the floor on what was sold outside a contract, industry support on output."""
        gov, lv, s = self.gov, ctx.levels, self.sale
        q = s["quantity"]
        cs_rate = gov.programmes["consumption_support"].amount * lv["consumption_support"]
        premium = s["bought"] * ctx.price * cs_rate if self.is_targeted("consumption_support") else 0.0
        topup = 0.0
        if self.is_targeted("guaranteed_purchase"):
            floor = gov.programmes["guaranteed_purchase"].amount
            topup = lv["guaranteed_purchase"] * ((q - s["contracted"]) * max(floor - ctx.price, 0.0))
        subsidy = 0.0
        if self.is_targeted("industry_support"):
            subsidy = q * ctx.price * gov.programmes["industry_support"].amount * lv["industry_support"]
        return {"consumption_support": premium, "guaranteed_purchase": topup, "industry_support": subsidy}

    def sell_harvest(self, ctx, factors: dict[str, float]) -> None:
        """Book the sale and the programme payments on it; sets ``sale_flows``, what cooperatives book."""
        s = self.sale
        q, bought = s["quantity"], s["bought"]
        premium, topup, subsidy = (self.claims[name] * factors[name]
                                   for name in ("consumption_support", "guaranteed_purchase", "industry_support"))
        spot = ctx.price * self.params.economy.spot_price_factor
        advances = bought * s["advance_price"]
        revenue = advances + (q - bought) * spot + premium + topup
        self.business = self.business + revenue
        self.output = self.output + q * ctx.price
        self.recv_coop = self.recv_coop + advances + premium
        self.recv_gov = self.recv_gov + topup
        self.coop_sales = self.coop_sales + advances
        self.coop_gain = self.coop_gain + (bought * (s["advance_price"] - spot) + premium)
        self.recv_gov = self.recv_gov + subsidy
        self.transfer = self.transfer + subsidy
        self.conditional = self.conditional + subsidy
        self.sale_flows = {"revenue": revenue + subsidy, "premium": premium, "advances": advances}

    # -- December ------------------------------------------------------------------------
    def cooperative_training(self, coop_alive: bool, capacity: float) -> None:
        """Members of a working cooperative learn from it, more so under a capable leader; a member counts
        the years in a row in which membership brought less than it costs."""
        if self.cooperative >= 0 and coop_alive:
            self.learn(self.params.human_capital.coop_training_gain * capacity)
        bad = self.cooperative >= 0 and self.coop_gain < self.params.cooperative.membership_cost
        self.coop_bad_years = self.coop_bad_years + 1.0 if bad else 0.0
