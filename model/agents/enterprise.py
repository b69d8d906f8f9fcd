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

    def hire(self, applicants: np.ndarray, queue: np.ndarray) -> None:
        """Fill the workshop jobs with relocated applicants, then the other jobs, registered and monitored
        households first (``applicants``: rows of the households of its area applying for a job;
        ``queue``: their job-queue draws, the order among equals)."""
        if not self.alive or applicants.size == 0:
            return
        h = self.model.hh
        workshop = serve(h.relocated[applicants], self.workshop_jobs, queue)
        later = (~(h.is_ex_poor[applicants] | h.monitored[applicants])).astype(np.int64)  # 0 is served first
        general = serve(~workshop, self.jobs, queue, later)
        hired = applicants[workshop | general]
        h.local_job[hired] = 1.0
        h.employer[hired] = self.row

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


def hire(model, ctx, applies: np.ndarray) -> None:
    """January: each enterprise hires among the applicants of its area (about ten villages), who queue in
    the order of their job-queue draws."""
    h, n = model.hh, model.enterprises.n
    applicants = np.flatnonzero(applies)
    area = h.village[applicants] * n // model.coops.n
    order = np.argsort(area, kind="stable")  # by area, in row order within an area
    applicants = applicants[order]
    bounds = np.searchsorted(area[order], np.arange(n + 1))
    queue = ctx.u("job_queue", applicants)
    for enterprise in model.agents_by_type[LeadingEnterprise]:
        first, last = bounds[enterprise.row], bounds[enterprise.row + 1]
        enterprise.hire(applicants[first:last], queue[first:last])


class Payroll:
    """Each month's wage bill and jobs held by targeted workers, per enterprise.

    Employment and wages are fixed from January's hiring to December, so the staff and the wage
    bill are computed once a year; which workers programmes target changes with monitoring, so
    the targeted jobs are counted every month while industry support runs."""

    def __init__(self):
        self._year = None
        self._targeted_key = None

    def month(self, model, ctx, local_pay):
        """(wage bill, targeted jobs) per enterprise row this month."""
        h, n = model.hh, model.enterprises.n
        if self._year != ctx.year:
            self._year = ctx.year
            self._staff = np.flatnonzero(h.employer >= 0)
            self._employer = h.employer[self._staff]
            self._bill = np.bincount(self._employer, weights=local_pay[self._staff], minlength=n)
        key = (ctx.year, ctx.t if ctx.levels["industry_support"] > 0 else None)
        if self._targeted_key != key:
            self._targeted_key = key
            ex_poor, monitored, near_poor = (group[self._staff] for group in model.households.groups())
            targeted = model.gov.targeted("industry_support", ex_poor, monitored, near_poor)
            self._targeted = np.bincount(self._employer, weights=targeted, minlength=n)
        return self._bill, self._targeted


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
