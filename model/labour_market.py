"""The local labour market: matches between households and the leading enterprises' jobs.

A local job (an enterprise job, or a job in a poverty-alleviation workshop 扶贫车间)
is a match between a household's worker and an enterprise, and it persists from
year to year until a separation ends it:

* a layoff: each January an enterprise keeps as many workers of each kind as it
  has jobs (``jobs``, ``workshop_jobs``, which it may change each December) and
  lays off the rest, the last hired first (ties by a draw) (:func:`lay_off`);
* the employer's exit (:meth:`model.agents.LeadingEnterprise.close`);
* a quit: the household's January allocation now prefers migration or the farm,
  or the worker leaves for reasons outside the model (``labour.quit_prob`` a year),
  or the household has no worker left (the households' ``labour_supply`` phase).

Vacancies are then filled in January from the households of the enterprise's
area that apply (:func:`hire`): those for whom the job would add to their
resources (:func:`model.rules.labour.allocate`).  Workshop places go to relocated
applicants first (易地扶贫搬迁 后续扶持: the workshops of resettlement sites are
there for them); while the priority-hiring programme (``priority_hiring``, 优先吸纳)
runs, the applicants it targets (registered and monitored households by default)
are served before the others; otherwise applicants queue by their draws alone.
"""

from __future__ import annotations

import numpy as np

from .agents.enterprise import LeadingEnterprise


def _by_employer(model, rows):
    """``rows`` sorted by employer, and where each enterprise's rows start and end."""
    h, n = model.hh, model.enterprises.n
    order = np.argsort(h.employer[rows], kind="stable")
    rows = rows[order]
    return rows, np.searchsorted(h.employer[rows], np.arange(n + 1))


def lay_off(model, ctx) -> None:
    """January, before households choose their work: enterprises whose staff exceeds their jobs lay off."""
    h = model.hh
    h.laid_off[:] = False
    staff = np.flatnonzero(h.employer >= 0)
    staff, bounds = _by_employer(model, staff)
    draw = ctx.u("layoff", staff)
    for enterprise in model.agents_by_type[LeadingEnterprise]:
        first, last = bounds[enterprise.row], bounds[enterprise.row + 1]
        enterprise.lay_off(staff[first:last], draw[first:last])


def hire(model, ctx, applies: np.ndarray) -> None:
    """January: each enterprise fills its vacancies from the applicants of its area (about ten villages),
    who queue in the order of their job-queue draws (the targeted ones first while priority hiring runs)."""
    h, n = model.hh, model.enterprises.n
    staff = h.employer >= 0
    held = (np.bincount(h.employer[staff & h.workshop_job], minlength=n),
            np.bincount(h.employer[staff & ~h.workshop_job], minlength=n))
    applicants = np.flatnonzero(applies)
    area = h.village[applicants] * n // model.coops.n
    order = np.argsort(area, kind="stable")  # by area, in row order within an area
    applicants = applicants[order]
    bounds = np.searchsorted(area[order], np.arange(n + 1))
    queue = ctx.u("job_queue", applicants)
    if ctx.levels["priority_hiring"] > 0:
        first_served = model.households.targeted("priority_hiring")[applicants]
    else:
        first_served = np.zeros(applicants.size, dtype=bool)
    for enterprise in model.agents_by_type[LeadingEnterprise]:
        r, first, last = enterprise.row, bounds[enterprise.row], bounds[enterprise.row + 1]
        enterprise.hire(applicants[first:last], queue[first:last], first_served[first:last],
                        (int(held[0][r]), int(held[1][r])))


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
