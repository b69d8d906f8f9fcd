"""The leading agribusiness enterprise (农业产业化龙头企业), one per area of about ten villages.

An enterprise hires local workers (its poverty-alleviation workshop jobs, 扶贫车间,
going to relocated households first), buys the produce of the cooperatives it
has contracts with (订单农业) at the higher of a contract price and a guaranteed
floor (保底价) unless it defaults on the floor, sells it processed, receives
industry subsidies per job held by a registered or monitored worker and
e-commerce support, and after several loss-making years may exit, laying off its
workers.  The rules and their sources are in :mod:`model.rules.enterprise`; the
defaults in :mod:`model.parameters` (``enterprise.*``, ``labour.*``).

Each :class:`LeadingEnterprise` acts through its own methods; the wages its
workers earn and the produce its cooperatives deliver are aggregated per
enterprise with ``np.bincount``.
"""

from __future__ import annotations

import numpy as np

from ..market import ration
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

    def hire(self, applicants: np.ndarray, queue) -> None:
        """Fill the workshop jobs with relocated applicants, then the other jobs, registered and monitored
        households first (``applicants``: rows of the households of its area applying, in row order;
        ``queue``: every household's job-queue draw, the order among equals)."""
        if not self.alive or applicants.size == 0:
            return
        h = self.model.hh
        anyone = np.zeros(applicants.size, dtype=np.int64)
        u = queue[applicants]
        workshop = ration(h.relocated[applicants], anyone, np.array([self.workshop_jobs]), u)
        first = (~(h.is_ex_poor[applicants] | h.monitored[applicants])).astype(np.int64)
        general = ration(~workshop, anyone, np.array([self.jobs]), u, first)
        hired = applicants[workshop | general]
        h.local_job[hired] = 1.0
        h.employer[hired] = self.row

    # -- every month -----------------------------------------------------------------------
    def pay_wages(self, bill) -> None:
        """Book this month's wage bill (``bill``: per enterprise row)."""
        self.wages += bill[self.row]

    def claim_support(self, ctx, targeted_jobs) -> None:
        """Industry support per job held by a targeted worker, and e-commerce support; a twelfth each month."""
        gov, alive = self.model.gov, float(self.alive)
        per_job = gov.programmes["industry_support"].other["enterprise_per_job"]
        self.industry_claim = alive * targeted_jobs[self.row] * per_job / 12.0 * ctx.levels["industry_support"]
        self.ecommerce_claim = alive * gov.programmes["ecommerce"].amount / 12.0 * ctx.levels["ecommerce"]

    def receive_support(self, industry_factor: float, ecommerce_factor: float) -> None:
        self.recv_gov += self.industry_claim * industry_factor + self.ecommerce_claim * ecommerce_factor

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
    def close_year(self, ctx) -> None:
        """Book the year's profit; after enough loss years it may exit (not in the calibration years)."""
        p = self.model.params.enterprise
        fixed = p.fixed_cost_per_job * (self.jobs + self.workshop_jobs) * float(self.alive)
        self.profit = rules.profit(self.sales_value + p.labour_value * self.wages, self.purchases, self.wages,
                                   fixed, self.recv_gov)
        self.cash += self.profit
        self.loss_years = self.loss_years + 1.0 if self.profit < 0 else 0.0
        self.last_quantity = self.quantity
        u = 1.0 if ctx.neutral else self.model.enterprise_streams.uniform_one("enterprise", self.model.t, self.row)
        if self.alive and rules.exits(self.loss_years, u, p):
            self.close()

    def close(self) -> None:
        """Exit: its workers lose their local jobs; its contracts lapse (an exited enterprise never re-enters)."""
        self.alive = False
        h = self.model.hh
        laid_off = h.employer == self.row
        h.local_job[laid_off] = 0.0
        h.employer[laid_off] = -1


def hire(model, ctx, applies: np.ndarray) -> None:
    """January: each enterprise hires among the applicants of its area (about ten villages)."""
    h, enterprises = model.hh, model.agents_by_type[LeadingEnterprise]
    applicants = np.flatnonzero(applies)
    area = h.village[applicants] * model.enterprises.n // model.coops.n
    order = np.argsort(area, kind="stable")  # by area, in row order within an area
    by_area = np.split(applicants[order], np.searchsorted(area[order], np.arange(1, model.enterprises.n)))
    queue = ctx.u("job_queue")
    for enterprise in enterprises:
        enterprise.hire(by_area[enterprise.row], queue)


class Payroll:
    """Each month's wage bill and jobs held by targeted workers, per enterprise.

    Employment is fixed from January to December (targeted jobs change with monitoring while
    industry support runs), so both are recomputed only when that can change."""

    def __init__(self):
        self._key = None

    def month(self, model, ctx, local_pay):
        """(wage bill, targeted jobs) per enterprise row this month."""
        key = (ctx.year, ctx.t if ctx.levels["industry_support"] > 0 else None)
        if self._key != key:
            h, n = model.hh, model.enterprises.n
            staff = np.flatnonzero(h.employer >= 0)
            employer = h.employer[staff]
            targeted = model.households.targeted("industry_support")[staff]
            self._key = key
            self._bill = np.bincount(employer, weights=local_pay[staff], minlength=n)
            self._targeted = np.bincount(employer, weights=targeted, minlength=n)
        return self._bill, self._targeted


def pay_month(model, ctx, local_pay) -> None:
    """Every month: enterprises book their wage bill and receive industry and e-commerce support."""
    enterprises, gov = model.agents_by_type[LeadingEnterprise], model.gov
    bill, targeted_jobs = model.payroll.month(model, ctx, local_pay)
    enterprises.do("pay_wages", bill)
    enterprises.do("claim_support", ctx, targeted_jobs)
    industry = gov.pay_claims("industry_support", enterprises.get("industry_claim"), payee="enterprises")
    ecommerce = gov.pay_claims("ecommerce", enterprises.get("ecommerce_claim"), payee="enterprises")
    enterprises.do("receive_support", industry, ecommerce)
