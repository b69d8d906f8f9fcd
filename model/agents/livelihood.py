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
        """Send migrants when migrant income beats the farm; apply for a local job (``applies_for_local_job``)
        when a worker stays home and a local wage beats the farm."""
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
        self.applies_for_local_job = self.workers - self.migrants >= 1.0 and local_income > farm_return

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
        migrant_pay = working_migrants * e.migrant_wage * e.remittance_share * ctx.wage_index * wf
        local_pay = self.local_job * e.local_wage * ctx.wage_index * wf
        post_pay = self.claims["welfare_posts"] * factors["welfare_posts"]
        self.recv_gov = self.recv_gov + post_pay
        self.recv_enterprise = self.recv_enterprise + local_pay
        self.farm_acc = self.farm_acc + self.farm_labour(sick_at_home)
        self.sick_months = max(self.sick_months - 1.0, 0.0)
        wage = migrant_pay + local_pay + post_pay
        self.wage = self.wage + wage
        self.wage_this_month, self.local_pay_this_month = wage, local_pay

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
