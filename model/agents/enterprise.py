"""The leading agribusiness enterprise (农业产业化龙头企业), one per area of about ten villages.

An enterprise hires local workers (its poverty-alleviation workshop jobs, 扶贫车间,
going to relocated households first), buys the produce of the cooperatives it
has contracts with (订单农业) at the higher of a contract price and a guaranteed
floor (保底价) unless it defaults on the floor, sells it processed, receives
industry subsidies per job held by a registered or monitored worker and
e-commerce support (paid by :meth:`model.agents.Government.support_enterprises`),
and after several loss-making years may exit, laying off its workers.  The rules and their sources are in :mod:`model.rules.enterprise`; the
defaults in :mod:`model.parameters` (``enterprise.*``, ``labour.*``).

Each :class:`LeadingEnterprise` acts through its own methods; the wages its
workers earn and the produce its cooperatives deliver are aggregated per
enterprise with ``np.bincount``.
"""

from __future__ import annotations

import numpy as np

from ..market import serve
from ..month import HARVEST_SHARE
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
        """Will it honour the floor price this harvest?  It defaults when the market is far below the floor
        and its cash cannot pay last year's volume at the floor.  Returns the floor it pays (0: none)."""
        p = self.model.params.enterprise
        full = production.contract_price(ctx.price, p.floor_price, p.contract_premium, ecommerce)
        bill = full * self.last_quantity * HARVEST_SHARE  # expected bill from last year's volume
        self.defaulting = rules.defaults_on_floor(ctx.price, p.floor_price, self.cash, bill, p.default_gap)
        return 0.0 if self.defaulting else p.floor_price

    def book_purchases(self, ctx, value, quantity, ecommerce: float) -> None:
        """Book the produce bought under contract and its processed sales (arrays per enterprise row)."""
        p, q = self.model.params.enterprise, quantity[self.row]
        self.purchases += value[self.row]
        self.quantity += q
        self.sales_value += q * ctx.price * (1.0 + p.value_added) * (1.0 + ecommerce)

    # -- December --------------------------------------------------------------------------
    def close_year(self, exit_draw) -> None:
        """Book the year's profit; after enough loss years it may exit (``exit_draw``: per enterprise row)."""
        p = self.model.params.enterprise
        fixed = p.fixed_cost_per_job * (self.jobs + self.workshop_jobs) * float(self.alive)
        self.profit = rules.profit(self.sales_value + p.labour_value * self.wages, self.purchases, self.wages,
                                   fixed, self.recv_gov)
        self.cash += self.profit
        self.loss_years = self.loss_years + 1.0 if self.profit < 0 else 0.0
        self.last_quantity = self.quantity
        if self.alive and rules.exits(self.loss_years, exit_draw[self.row], p):
            self.close()

    def close(self) -> None:
        """Exit: its workers lose their local jobs; its contracts lapse (an exited enterprise never re-enters)."""
        self.alive = False
        h = self.model.hh
        laid_off = h.employer == self.row
        h.local_job[laid_off] = 0.0
        h.employer[laid_off] = -1


def pay_month(model, ctx, local_pay) -> None:
    """Every month: enterprises book their wage bill; the government pays their industry and e-commerce support."""
    bill, targeted_jobs = model.payroll.month(model, ctx, local_pay)
    model.agents_by_type[LeadingEnterprise].do("pay_wages", bill.tolist())
    model.gov.support_enterprises(ctx, targeted_jobs)


def close_year(model, ctx) -> None:
    """December: every enterprise books its profit and may exit (no exit in neutral years)."""
    n = model.enterprises.n
    draws = np.ones(n) if ctx.neutral else model.enterprise_streams.uniform("enterprise", ctx.t)
    model.agents_by_type[LeadingEnterprise].do("close_year", draws.tolist())
