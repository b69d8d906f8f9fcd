"""The leading agribusiness enterprise (农业产业化龙头企业), one per area of about ten villages.

An enterprise hires local workers (its poverty-alleviation workshop jobs, 扶贫车间,
going to relocated households first), buys the produce of the cooperatives it
has contracts with (订单农业), up to the quantity it contracted, at the higher of
its contract price and its guaranteed floor (保底价) unless it defaults on the
floor, sells it processed, receives industry subsidies per job held by a
registered or monitored worker and e-commerce support (paid by
:meth:`model.agents.Government.support_enterprises`).  Each December it books
its profit, may exit (cash exhausted, or persistent losses), and plans next
year's posts, contract terms and contracted quantities; the area of an exited
enterprise may attract an entrant.  The rules and their sources are in
:mod:`model.rules.enterprise`; the defaults in :mod:`model.parameters`
(``enterprise.*``, ``labour.*``).

Each :class:`LeadingEnterprise` acts through its own methods; the wages its
workers earn and the produce its cooperatives deliver are aggregated per
enterprise with ``np.bincount``.
"""

from __future__ import annotations

import numpy as np

from ..market import serve
from ..month import CALIBRATION_YEAR, HARVEST_SHARE
from ..rules import cooperative as coop_rules
from ..rules import enterprise as rules
from ..rules import production
from ..state import ENTERPRISE_COLUMNS
from .row import RowAgent, row_of


@row_of("enterprises", ENTERPRISE_COLUMNS)
class LeadingEnterprise(RowAgent):
    """A leading enterprise; its attributes are its row of ``model.enterprises`` (:mod:`model.state`)."""

    # -- January ---------------------------------------------------------------------------
    def new_year(self) -> None:
        """Open the year's accounts."""
        self.purchases = 0.0
        self.quantity = 0.0
        self.sales_value = 0.0
        self.wages = 0.0
        self.recv_gov = 0.0
        self.market_value = 0.0

    def lay_off(self, staff: np.ndarray, draw: np.ndarray) -> None:
        """Keep as many workers of each kind (workshop, other) as it has jobs, the earliest hired first (ties
        by ``draw``), and lay off the rest (``staff``: rows of the households it employs)."""
        h = self.model.hh
        workshop = h.workshop_job[staff]
        hired = h.hired_year[staff]
        keep = (serve(workshop, np.floor(self.workshop_jobs), draw, hired)
                | serve(~workshop, np.floor(self.jobs), draw, hired))
        gone = staff[~keep]
        h.local_job[gone] = 0.0
        h.employer[gone] = -1
        h.workshop_job[gone] = False
        h.laid_off[gone] = True

    def hire(self, applicants: np.ndarray, queue: np.ndarray, first_served: np.ndarray,
             held: tuple[int, int]) -> None:
        """Fill its vacancies (jobs not held by the workers it kept, ``held``: (workshop, other)): workshop
        places go to relocated applicants first, then the other places; within each, the applicants
        ``first_served`` (those priority hiring targets, while it runs) before the others, in the order of
        their job-queue draws ``queue`` (``applicants``: rows of the households of its area applying)."""
        if not self.alive or applicants.size == 0:
            return
        h = self.model.hh
        later = (~first_served).astype(np.int64)  # 0 is served first
        not_relocated = (~h.relocated[applicants]).astype(np.int64)
        workshop = serve(np.ones(applicants.size, dtype=bool), max(np.floor(self.workshop_jobs) - held[0], 0.0),
                         queue, later, not_relocated)
        general = serve(~workshop, max(np.floor(self.jobs) - held[1], 0.0), queue, later)
        hired = applicants[workshop | general]
        h.local_job[hired] = 1.0
        h.employer[hired] = self.row
        h.workshop_job[hired] = workshop[workshop | general]
        h.hired_year[hired] = self.model.year

    # -- every month -----------------------------------------------------------------------
    def pay_wages(self, bill) -> None:
        """Book this month's wage bill (``bill``: per enterprise row)."""
        self.wages += bill[self.row]

    # -- harvest ---------------------------------------------------------------------------
    def floor_offered(self, ctx, ecommerce: float) -> float:
        """Will it honour its floor price this harvest?  It defaults when the market is far below the floor
        and its cash cannot pay this harvest's contracted volume at the floor.  Returns the floor it pays
        (0: none)."""
        p, c = self.model.params.enterprise, self.model.coops
        mine = (c.enterprise == self.row) & c.alive
        contracted = float(c.contract_quantity[mine].sum())
        remaining = float(np.maximum(c.contract_quantity[mine] - c.delivered[mine], 0.0).sum())
        full = production.contract_price(ctx.price, self.floor, self.premium, ecommerce)
        bill = full * min(remaining, contracted * HARVEST_SHARE)
        self.defaulting = bool(rules.defaults_on_floor(ctx.price, self.floor, self.cash, bill, p.default_gap))
        return 0.0 if self.defaulting else self.floor

    def contract_offer(self, reference: float, ecommerce: float) -> float:
        """Price per unit it pays a cooperative whose own price is ``reference`` at this harvest: its floor
        (unless it defaults, :meth:`floor_offered`) or the reference plus its premium, raised by e-commerce."""
        floor = 0.0 if self.defaulting else self.floor
        return float(production.contract_price(reference, floor, self.premium, ecommerce))

    def book_purchases(self, ctx, value, quantity, ecommerce: float) -> None:
        """Book the produce bought under contract and its processed sales (arrays per enterprise row)."""
        p, q = self.model.params.enterprise, quantity[self.row]
        self.purchases += value[self.row]
        self.quantity += q
        market = q * ctx.price * (1.0 + ecommerce)
        self.market_value += market
        self.sales_value += market * (1.0 + p.value_added * self.productivity)

    # -- December --------------------------------------------------------------------------
    def close_year(self, ctx, staff, targeted, potential, exit_draw) -> None:
        """Book the year's profit, may exit, and plans next year (all arguments but ``ctx`` per row:
        ``staff`` its workers, ``targeted`` those industry support targets, ``potential`` each cooperative's
        members' output in units, ``exit_draw`` the exit draw).  The burn-in year first sizes the plant."""
        p, r = self.model.params.enterprise, self.row
        self.staff = staff[r]
        if ctx.year == CALIBRATION_YEAR - 1:
            self.build_plant(ctx, targeted[r])
        posts = self.jobs + self.workshop_jobs
        wi = ctx.wage_index
        per_worker = self.unit_terms(self.labour_units(ctx), 0.0)[0]
        value = rules.labour_value(self.worker_value * wi * per_worker, self.productivity, self.plant_staff,
                                   self.staff, p.labour_share)
        fixed = p.fixed_cost_per_job * posts + self.capital_cost * wi * per_worker
        alive = float(self.alive)
        self.profit = rules.profit(self.sales_value + value * alive, self.purchases, self.wages, fixed * alive,
                                   self.recv_gov)
        self.cash += self.profit
        operating_loss = self.profit + self.capital_cost * wi * per_worker * alive < 0  # its capital is sunk
        self.loss_years = self.loss_years + 1.0 if operating_loss else 0.0
        self.last_quantity = self.quantity
        if self.alive and rules.exits(self.loss_years, self.cash, exit_draw[r], p):
            self.close(ctx.year)
        if self.alive:
            self.plan(ctx, targeted[r], potential)

    def labour_units(self, ctx) -> float:
        """Labour employed this year in efficiency units: worker-years at the going local wage (a worker paid
        more is more productive: :func:`model.rules.labour.wage_factor`)."""
        return self.wages / (self.model.params.economy.local_wage * 12.0 * ctx.wage_index)

    def unit_terms(self, units: float, targeted: float) -> tuple[float, float]:
        """(efficiency units per worker, share of its workers industry support targets) this year."""
        staff = self.staff
        return (units / staff, targeted / staff) if staff > 0 and units > 0 else (1.0, 0.0)

    def build_plant(self, ctx, targeted: float) -> None:
        """December of the burn-in year: the plant's economics from the year's accounts.  The plant was built
        for this staff, optimal for mean productivity under this year's wage, overhead and subsidy
        (:func:`~model.rules.enterprise.worker_value`); its capital earns a normal return
        (:func:`~model.rules.enterprise.capital_cost`); processing needs this year's produce per post."""
        p, m = self.model.params.enterprise, self.model
        wi, posts = ctx.wage_index, self.jobs + self.workshop_jobs
        self.plant_staff = max(self.staff, 1.0)
        per_worker, tau = self.unit_terms(self.labour_units(ctx), targeted)
        subsidy = m.gov.programmes["industry_support"].other["enterprise_per_job"] * ctx.levels["industry_support"] * tau
        v = rules.worker_value(m.params.economy.local_wage * 12.0 * wi, (p.fixed_cost_per_job - subsidy) / per_worker,
                               0.0, p.labour_share)
        self.worker_value = v / wi
        costs = self.wages + p.fixed_cost_per_job * posts + self.purchases
        at_mean = (rules.labour_value(v * per_worker, 1.0, self.plant_staff, self.staff, p.labour_share)
                   + self.market_value * (1.0 + p.value_added) - costs)
        own = (rules.labour_value(v * per_worker, self.productivity, self.plant_staff, self.staff, p.labour_share)
               + self.sales_value - costs + self.recv_gov)
        self.capital_cost = float(rules.capital_cost(at_mean, own)) / (wi * per_worker)  # per unit of labour quality
        self.throughput = self.quantity / max(posts, 1.0) / wi

    def plan(self, ctx, targeted: float, potential) -> None:
        """December: next year's posts, contract terms and contracted quantities (see
        :mod:`model.rules.enterprise`)."""
        m, year = self.model, ctx.year
        p, e = m.params.enterprise, m.params.economy
        growth = 1.0 + e.wage_growth
        staff, posts = self.staff, self.jobs + self.workshop_jobs
        per_worker, tau = self.unit_terms(self.labour_units(ctx), targeted)
        wage = e.local_wage * 12.0 * ctx.wage_index * growth  # next year's pay of a unit of labour
        industry = m.gov.programme_in("industry_support", year + 1)  # as announced for next year
        subsidy = industry.other["enterprise_per_job"] * industry.level(year + 1, 0) * tau
        target = rules.optimal_staff(self.worker_value * ctx.wage_index * growth * per_worker, self.productivity,
                                     self.plant_staff, wage * per_worker + p.fixed_cost_per_job - subsidy, p.labour_share)
        month_bill = p.cash_buffer_months * wage * per_worker / 12.0
        can_expand = self.cash >= month_bill * posts * (1.0 + p.adjustment)
        distressed = self.profit < 0 and self.cash < month_bill * posts
        planned = float(rules.plan_posts(posts, staff, target, p.adjustment, can_expand, distressed))
        self.set_posts(planned)
        expected = rules.expected_price(m.log_price, e.price_persistence)
        self.premium, self.floor = (float(x) for x in rules.contract_terms(self.profit, expected, p.floor_price,
                                                                            p.contract_premium))
        ecommerce = p.ecommerce_premium * m.gov.programme_in("ecommerce", year + 1).level(year + 1, 0)
        c = m.coops
        mine = np.flatnonzero(c.enterprise == self.row)
        contracted = c.contract_quantity[mine]
        contracted = np.where(np.isinf(contracted), potential[mine], contracted)  # the burn-in year's open contracts
        own = coop_rules.coop_price(expected, c.capacity[mine], m.params.cooperative)
        price = production.contract_price(own, self.floor, self.premium, ecommerce)
        per_contract = industry.other["enterprise_per_contract"] * industry.level(year + 1, 0)
        margin = rules.unit_margin(expected, p.value_added, self.productivity, ecommerce, price, per_contract)
        contracts = rules.plan_contracts(contracted, potential[mine], margin, p.adjustment,
                                         can_expand, distressed)
        contracts = np.where(c.alive[mine], contracts, 0.0)
        capacity = self.throughput * ctx.wage_index * growth * planned
        c.contract_quantity[mine] = rules.processing_cap(contracts, capacity)
        c.delivered[mine] = 0.0  # the contract year closes

    def set_posts(self, posts: float) -> None:
        """Split ``posts`` between workshop and other jobs in today's proportion."""
        before = self.jobs + self.workshop_jobs
        workshop = np.floor(self.workshop_jobs * posts / before + 0.5) if before > 0 else 0.0
        self.workshop_jobs = float(min(workshop, posts))
        self.jobs = posts - self.workshop_jobs

    def consider_entry(self, ctx, profitable_share: float, entry_draw, productivity_z, potential) -> None:
        """A closed enterprise's area (closed in an earlier year) may attract an entrant: a new enterprise with
        a new productivity draw takes over the plant, its workshops and its cooperatives (arguments per row
        but ``profitable_share``, the share of operating enterprises that made a profit)."""
        p, r, m = self.model.params.enterprise, self.row, self.model
        if self.alive or not (0 <= self.exit_year < ctx.year):
            return
        if not rules.enters(entry_draw[r], profitable_share, p.entry_prob):
            return
        sd = p.productivity_sd
        self.alive, self.exit_year, self.loss_years, self.profit = True, -1, 0.0, 0.0
        self.productivity = float(np.exp(sd * productivity_z[r] - 0.5 * sd * sd))
        pay = m.params.economy.local_wage * 12.0 * ctx.wage_index  # it reopens its predecessor's posts
        self.cash = p.cash_buffer_months * pay / 12.0 * (self.jobs + self.workshop_jobs)
        self.premium, self.floor = p.contract_premium, p.floor_price
        c = m.coops
        mine = np.flatnonzero((c.enterprise == r) & c.alive)
        capacity = self.throughput * ctx.wage_index * (self.jobs + self.workshop_jobs)
        c.contract_quantity[mine] = rules.processing_cap(p.adjustment * potential[mine], capacity)

    def close(self, year: int | None = None) -> None:
        """Exit: its workers lose their local jobs; its contracts lapse (its area may attract an entrant in a
        later year: :meth:`consider_entry`)."""
        self.alive = False
        self.exit_year = self.model.year if year is None else year
        h, c = self.model.hh, self.model.coops
        laid_off = h.employer == self.row
        h.local_job[laid_off] = 0.0
        h.employer[laid_off] = -1
        c.contract_quantity[c.enterprise == self.row] = 0.0


def pay_month(model, ctx, local_pay) -> None:
    """Every month: enterprises book their wage bill; the government pays their industry and e-commerce support."""
    bill, targeted_jobs = model.payroll.month(model, ctx, local_pay)
    model.agents_by_type[LeadingEnterprise].do("pay_wages", bill.tolist())
    model.gov.support_enterprises(ctx, targeted_jobs)


def close_year(model, ctx) -> None:
    """December: every enterprise books its profit, may exit and plans next year; then the area of an
    enterprise that exited earlier may attract an entrant (no exit or entry in neutral years)."""
    h, c, n = model.hh, model.coops, model.enterprises.n
    staffed = np.flatnonzero(h.employer >= 0)
    employer = h.employer[staffed]
    staff = np.bincount(employer, minlength=n)
    ex_poor, monitored, near_poor = (group[staffed] for group in model.households.groups())
    targeted = np.bincount(employer, weights=model.gov.targeted("industry_support", ex_poor, monitored, near_poor),
                           minlength=n)
    member = h.cooperative >= 0
    potential = np.bincount(h.cooperative[member], weights=h.output[member], minlength=c.n) / ctx.price
    streams = model.enterprise_streams
    exit_draw, entry_draw = (np.ones(n) if ctx.neutral else streams.uniform(purpose, ctx.t)
                             for purpose in ("enterprise", "enterprise_entry"))
    enterprises = model.agents_by_type[LeadingEnterprise]
    enterprises.do("close_year", ctx, staff.astype(float).tolist(), targeted.tolist(), potential, exit_draw.tolist())
    e = model.enterprises
    profitable = float(np.mean(e.profit[e.alive] > 0)) if e.alive.any() else 0.0
    z = streams.normal("enterprise_productivity", ctx.t)
    enterprises.do("consider_entry", ctx, profitable, entry_draw.tolist(), z.tolist(), potential)
