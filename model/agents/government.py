"""The county government (县政府): runs the programmes on their schedules, pays, keeps the ledger.

Poverty-alleviation support in the transition period is delivered by the county:
it decides each year how much of each programme to run (a programme's *level*
is its schedule's intensity times its generosity, :mod:`model.policy`), pays
households, cooperatives and enterprises within each programme's budget, and
accounts for what it spent (the county's 衔接资金 ledger).  One agent, stepped
by Mesa at the start of every month.
"""

from __future__ import annotations

from collections import defaultdict

import mesa
import numpy as np

from ..market import serve
from ..month import START_YEAR
from ..policy import MONITORING, target_mask
from ..rules import credit, verification
from ..rules.programmes import weak_labour


class Government(mesa.Agent):
    """The county government.

    Every payment goes through :meth:`pay` (or :meth:`pay_claims`), which applies
    the programme's monthly budget (one twelfth of the yearly budget; requests are
    scaled down pro rata when it binds) and records the cost by programme and by
    payee.
    """

    PAYEES = ("households", "cooperatives", "enterprises")

    def __init__(self, model, programmes: dict):
        super().__init__(model)
        self.programmes = programmes
        self.levels: dict[str, float] = {}
        self.cost: dict[str, float] = defaultdict(float)
        self.paid_to: dict[str, float] = defaultdict(float)
        self.month_paid: dict[str, float] = defaultdict(float)
        self.scenario_started = False  # the scenario's programmes replace the baseline on 1 January 2021
        self._announced = None

    # -- the month -------------------------------------------------------------------------
    def step(self) -> None:
        """The government's month, before anybody else acts.

        On 1 January 2021 the scenario's programmes replace the baseline; every January the
        amounts dated by year take effect and the year's ledger is opened; every month each
        programme's level is set.  When monitoring has stopped, nobody is flagged any more."""
        m = self.model
        year, month = m.year, m.t % 12
        if m.t == 0:
            self.start_scenario()
        if month == 0:
            for programme in self.programmes.values():
                programme.apply_year(year)
            self.reset_year()
        self.update_levels(year, month)
        self.month_paid = defaultdict(float)  # what each programme has paid this month
        if self.levels[MONITORING] <= 0:
            self.stop_monitoring()

    def start_scenario(self) -> None:
        """1 January 2021: the scenario's programme changes take effect (2019-2020 ran under the baseline)."""
        programmes = self.model.policy_scenario.programmes()
        self.programmes.clear()
        self.programmes.update(programmes)
        self.scenario_started = True

    def programme_in(self, name: str, year: int):
        """The programme as it will run in ``year`` (to plan ahead): the scenario's from 2021, also while the
        burn-in and calibration years still run the baseline."""
        if year >= START_YEAR and not self.scenario_started:
            if self._announced is None:
                self._announced = self.model.policy_scenario.programmes()
            return self._announced[name]
        return self.programmes[name]

    def update_levels(self, year: int, month: int) -> dict[str, float]:
        """Intensity x generosity of every programme this month."""
        self.levels = {n: p.level(year, month) for n, p in self.programmes.items()}
        return self.levels

    def reset_year(self) -> None:
        """Open a new year's ledger (and a new month's)."""
        self.cost = defaultdict(float)
        self.paid_to = defaultdict(float)
        self.month_paid = defaultdict(float)

    def stop_monitoring(self) -> None:
        """Monitoring has stopped: households flagged or waiting for help are no longer followed."""
        h = self.model.hh
        if h.monitored.any() or h.pending.any():
            h.monitored[:] = False
            h.pending[:] = False

    # -- who gets what ---------------------------------------------------------------------
    def targeted(self, name: str, ex_poor, monitored, near_poor) -> np.ndarray:
        """Households a programme's targeting selects, from the masks of the three groups."""
        return target_mask(self.programmes[name].targeting, ex_poor, monitored, near_poor)

    def assign_posts(self, ctx, candidates: np.ndarray) -> None:
        """January: the county's public-welfare posts (公益岗位) go to candidate households, the poorest
        (lowest last-year income per person) first, ties broken by the job-queue draw."""
        h = self.model.hh
        prog = self.programmes["welfare_posts"]
        n_posts = np.floor(prog.other["posts_per_household"] * self.model.n_households * ctx.levels["welfare_posts"])
        rows = np.flatnonzero(candidates)
        # incomes are ranked as recorded, to the fen: households the verification at exit brought to the line have
        # equal incomes, which the two engines' sums would otherwise order by rounding noise
        served = serve(np.ones(rows.size, dtype=bool), n_posts, ctx.u("job_queue", rows),
                       np.round(h.prev_pc_income[rows], 2))
        h.post[:] = 0.0
        h.post[rows[served]] = 1.0

    def support_cooperatives(self, ctx) -> None:
        """Every month, industry support (产业扶贫奖补) to each operating cooperative per member household,
        a twelfth of the year's; paid into the cooperatives' accounts."""
        c = self.model.coops
        per_member = self.programmes["industry_support"].other["coop_per_member"]
        paid = self.pay("industry_support", c.alive * c.members_n * per_member / 12.0 * ctx.levels["industry_support"],
                        payee="cooperatives")
        c.recv_gov += paid
        c.recv_industry += paid
        c.surplus += paid
        c.cash += paid

    def train_leaders(self, ctx) -> None:
        """January: each operating cooperative's leader is trained (带头人培训) with the programme's chance,
        paid per leader trained (in kind: the cooperative records it as received, not as cash)."""
        c, prog = self.model.coops, self.programmes["leader_training"]
        u = self.model.village_streams.uniform("leader_training", ctx.t)
        c.trained[:] = c.alive & (u < prog.amount * ctx.levels["leader_training"])
        c.recv_gov += self.pay("leader_training", c.trained * prog.other["cost_per_leader"], payee="cooperatives")

    def support_enterprises(self, ctx, targeted_jobs: np.ndarray) -> None:
        """Every month, industry support to each operating enterprise per job held by a targeted worker
        (``targeted_jobs``, per enterprise row) and e-commerce support (电商扶贫), a twelfth of the year's."""
        e, lv = self.model.enterprises, ctx.levels
        per_job = self.programmes["industry_support"].other["enterprise_per_job"]
        industry = self.pay("industry_support", e.alive * targeted_jobs * per_job / 12.0 * lv["industry_support"],
                            payee="enterprises")
        ecommerce = self.pay("ecommerce", e.alive * self.programmes["ecommerce"].amount / 12.0 * lv["ecommerce"],
                             payee="enterprises")
        e.recv_gov += industry + ecommerce

    def support_contracts(self, ctx, purchases: np.ndarray) -> None:
        """At each harvest, industry support to each operating enterprise per yuan of produce it bought under
        contract from cooperatives (``purchases``, per enterprise row)."""
        e = self.model.enterprises
        rate = self.programmes["industry_support"].other["enterprise_per_contract"] * ctx.levels["industry_support"]
        e.recv_gov += self.pay("industry_support", e.alive * purchases * rate, payee="enterprises")

    def verify_exit(self, month_income: np.ndarray, register_newly_poor: bool = True) -> np.ndarray:
        """December 2020: the verification at exit (:mod:`model.rules.verification`).  Registers never-registered
        households below the line (if ``register_newly_poor``); every registered household below it receives the
        support that brings it to the line (direct support); the campaign's support leaves those with labour the
        earning power to stay there, and enrols those without in dibao (兜底保障).  ``month_income``: this month's
        income so far (the month's interest on debt is still to be deducted).  Returns what it pays each
        household this month."""
        h, line = self.model.hh, self.model.poverty_line
        # this month's interest on informal debt, which the budget will deduct from property income
        year_income = h.income + month_income - credit.interest(h.debt, self.model.params.finance)
        below = verification.below_line(year_income, h.oop, h.members, line)
        if register_newly_poor:
            h.is_ex_poor |= below
        below &= h.is_ex_poor
        gap = np.where(below, verification.shortfall(year_income, h.oop, h.members, line), 0.0)
        paid = self.pay("direct_support", gap)
        h.transfer += paid
        h.unconditional += paid
        h.recv_gov += paid
        weak = below & weak_labour(h.workers, h.chronic, h.elderly, h.members)
        h.dibao_enrolled |= weak
        able = np.flatnonzero(below & ~weak)
        h.ability[able] += verification.earning_power_gain(gap[able], h.wage[able] + h.business[able])
        return paid

    # -- paying ----------------------------------------------------------------------------
    def pay_total(self, name: str, total: float, payee: str = "households") -> float:
        """Pay requests summing to ``total`` within what is left of the programme's monthly budget (a programme
        paying several kinds of payee in a month, such as industry support, shares one budget among them).

        Returns the factor (1.0 unless the budget binds) by which every request is paid."""
        budget = self.programmes[name].budget
        factor = 1.0
        if budget is not None and total > 0:
            left = max(budget * self.model.n_households / 12.0 - self.month_paid[name], 0.0)
            factor = min(1.0, left / total)
        self.month_paid[name] += total * factor
        self.cost[name] += total * factor
        self.paid_to[payee] += total * factor
        return factor

    def pay(self, name: str, request: np.ndarray, payee: str = "households") -> np.ndarray:
        """Pay a programme's requests (already scaled by its level) within its monthly budget."""
        factor = self.pay_total(name, float(request.sum()), payee)
        return request if factor == 1.0 else request * factor

    def pay_claims(self, name: str, claims, payee: str = "households") -> float:
        """Pay the claims of a programme, one per agent; returns the factor by which each claim is paid
        (the agent receives ``claim * factor``)."""
        return self.pay_total(name, float(np.sum(np.asarray(claims, dtype=np.float64))), payee)
