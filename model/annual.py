"""The annual outcome table: the public contract of the model's outputs (docs/ODD.md, "Observation").

Person-weighted.  y is a household's disposable income per member; poverty
status (poverty, relapse, new poverty, near-poor) is judged on y minus
out-of-pocket medical spending per member; income levels, inequality and
composition use y.

A ratio over a group that is empty is undefined and reads NaN, not 0: ``relapse_rate``,
``cumulative_relapse_rate``, ``mean_income_ex_poor`` and ``ex_poor_migrants_per_person`` with no ex-poor
household; ``new_poverty_rate`` and ``mean_income_never_registered`` with none never registered.
"""

from __future__ import annotations

import numpy as np

from . import metrics as mx
from .policy import PROGRAMME_NAMES
from .rules import poverty_history as history

#: poverty spells counted for exit rates: exactly 1, 2, 3, 4 years, and 5 or more
SPELLS = (1, 2, 3, 4, 5)

METRIC_COLUMNS = [
    "year", "poverty_rate", "relapse_rate", "cumulative_relapse_rate", "new_poverty_rate", "near_poor_rate",
    "monitored_share", "gini", "theil", "quintile_ratio", "relative_poverty_rate", "mean_income",
    "median_income", "mean_income_ex_poor", "wage_share", "business_share", "property_share",
    "transfer_share", "fiscal_cost", *[f"cost_{p}" for p in PROGRAMME_NAMES], "coop_active",
    "enterprise_active", "local_jobs", "workshop_jobs", "contract_volume", "coop_purchases", "coop_failures",
    "enterprise_exits",
    # further columns (not part of the brief's contract, useful for calibration and teaching)
    "ever_monitored_share", "registered_share", "migrant_worker_share", "coop_member_share", "mean_effort", "mean_income_never_registered",
    "transfer_share_bottom_quintile", "transfer_share_top_quintile", "coop_member_premium",
    "coop_member_premium_bottom_quintile", "falls_into_poverty_rate", "falls_share_illness", "falls_share_job_loss",
    "falls_share_bad_harvest", "falls_share_medical", *[f"spell_{k}_{x}" for k in SPELLS for x in ("persons", "exits")],
    "ex_poor_migrants_per_person", "risk_eliminated_share",
    "income_change_n", "income_change_var", "income_change_autocov1_n", "income_change_autocov1",
    "income_change_autocov2_n", "income_change_autocov2",
]


def _premium(y, w, members_mask, among) -> float:
    """Mean per capita income of cooperative members over non-members, minus one, among a group."""
    a, b = members_mask & among, ~members_mask & among
    wa, wb = w[a], w[b]
    sa, sb = wa.sum(), wb.sum()
    if sa == 0 or sb == 0:
        return 0.0
    return float((y[a] * wa).sum() / sa / ((y[b] * wb).sum() / sb) - 1.0)


def _persons(mask, w) -> float:
    """Persons in the masked households. (numpy's pairwise sum, not a BLAS dot product, whose result
    would depend on how many threads BLAS uses: results must not depend on the machine.)"""
    return float(w[mask].sum())


def _ratio(num, den) -> float:
    """num / den over a group; NaN (undefined) when the group is empty (den is 0)."""
    return float(num / den) if den > 0 else float("nan")


def _share(mask, w) -> float:
    total = w.sum()
    return float((mask * w).sum() / total) if total > 0 else 0.0


def chain_state(model) -> dict:
    """The "leading enterprise + cooperative + farmer" chain this year: local enterprise jobs held (workshop jobs
    apart), the value of produce enterprises bought under contract, the value cooperatives bought from members,
    and the cooperatives that failed and enterprises that exited this year."""
    h, c, e, year = model.hh, model.coops, model.enterprises, model.year
    employed = h.employer >= 0
    return {
        "local_jobs": int((employed & ~h.workshop_job).sum()),
        "workshop_jobs": int((employed & h.workshop_job).sum()),
        "contract_volume": float(e.purchases.sum()),
        "coop_purchases": float(c.purchases.sum()),
        "coop_failures": int((c.failed_year == year).sum()),
        "enterprise_exits": int((e.exit_year == year).sum()),
    }


def survey_log_error(model):
    """This year's log survey errors of every household (:func:`model.rules.poverty_history.survey_error`)."""
    return history.survey_error(model.streams, model.t, model.params.earnings.survey_error_sd)


def _cov(a, b) -> float:
    """Cross-sectional covariance (population form, each variable demeaned by its own mean); 0 when empty."""
    return float(np.mean((a - a.mean()) * (b - b.mean()))) if a.size else 0.0


def income_change_moments(h, survey) -> dict:
    """Moments of the yearly change of log survey income dy across households (MaCurdy 1982; Abowd & Card
    1989): its variance this year and its covariances with the household's change one and two years
    before, each among the households for which both changes are observed, with their numbers (pool
    over years and replicates as sum(n * moment) / sum(n)).  Under a permanent random walk plus an
    i.i.d. transitory part, var(dy) = var(eta) + 2 var(e), cov(dy_t, dy_t-1) = -var(e) and
    cov(dy_t, dy_t-2) = 0, where e includes the survey error."""
    _, dy, observed = history.income_changes(survey, h.survey_log_income, h.survey_years)
    one = observed & (h.survey_years > 1)
    two = observed & (h.survey_years > 2)
    return {
        "income_change_n": int(observed.sum()),
        "income_change_var": _cov(dy[observed], dy[observed]),
        "income_change_autocov1_n": int(one.sum()),
        "income_change_autocov1": _cov(dy[one], h.survey_change_1[one]),
        "income_change_autocov2_n": int(two.sum()),
        "income_change_autocov2": _cov(dy[two], h.survey_change_2[two]),
    }


def annual_row(model, log_error=None) -> dict:
    """Compute one year's row from the model's annual accumulators (call in December, before
    :func:`model.rules.poverty_history.close_year`).  Reads the state and never writes it.  ``log_error``: this
    year's log survey errors, if already drawn (:func:`survey_log_error`; the same draws either way)."""
    h, gov = model.hh, model.gov
    w = h.members
    y = h.income / w
    net = (h.income - h.oop) / w
    z, m = model.poverty_line, model.monitoring_line
    poor, _ = history.poverty_status(h.income, h.oop, w, z)
    # survey_poor: as household surveys such as CFPS measure it, medical spending not deducted, income measured
    # with error (the poverty-dynamics statistics compared with household panels use it)
    survey = history.survey_income(h.income, survey_log_error(model) if log_error is None else log_error)
    survey_poor = survey / w < z
    spell = h.poor_spell  # consecutive survey-income-poor years up to last year
    counting = model.t >= 0  # the history counts from 2021 on
    ever_poor = history.ever_since_2021(h.ever_poor, poor, counting)
    ever_flagged = history.ever_since_2021(h.ever_flagged, h.flagged_this_year, counting)
    ex, never = h.is_ex_poor, ~h.is_ex_poor
    dist = mx.distribution_summary(y, w, model.params.lines.relative_poverty_fraction)
    total = h.income.sum()
    row = {
        "year": model.year,
        "poverty_rate": _share(poor, w),
        "relapse_rate": _ratio(_share(poor & ex, w), _share(ex, w)),
        "cumulative_relapse_rate": _ratio(_share(ever_poor & ex, w), _share(ex, w)),
        "new_poverty_rate": _ratio(_share(poor & never, w), _share(never, w)),
        "near_poor_rate": _share((net >= z) & (net < m), w),
        "monitored_share": _share(h.flagged_this_year, w),
        "gini": dist["gini"],
        "theil": mx.theil(y, w),
        "quintile_ratio": dist["quintile_ratio"],
        "relative_poverty_rate": dist["relative_poverty_rate"],
        "mean_income": total / w.sum(),
        "median_income": dist["median"],
        "mean_income_ex_poor": _ratio(h.income[ex].sum(), w[ex].sum()),
        "wage_share": h.wage.sum() / total,
        "business_share": h.business.sum() / total,
        "property_share": h.property.sum() / total,
        "transfer_share": h.transfer.sum() / total,
        "fiscal_cost": float(sum(gov.cost.values())),
    }
    for p in PROGRAMME_NAMES:
        row[f"cost_{p}"] = float(gov.cost.get(p, 0.0))
    row["coop_active"] = int(model.coops.alive.sum())
    row["enterprise_active"] = int(model.enterprises.alive.sum())
    row.update(chain_state(model))
    row["ever_monitored_share"] = _share(ever_flagged, w)
    row["registered_share"] = _share(ex, w)
    row["migrant_worker_share"] = float(h.migrants.sum() / max(h.workers.sum(), 1e-300))
    row["coop_member_share"] = float((h.cooperative >= 0).mean())
    row["mean_effort"] = float(h.effort.mean())
    row["mean_income_never_registered"] = _ratio(h.income[never].sum(), w[never].sum())
    bottom, top = y <= dist["p20"], y > dist["p80"]
    row["transfer_share_bottom_quintile"] = h.transfer[bottom].sum() / max(h.income[bottom].sum(), 1e-300)
    row["transfer_share_top_quintile"] = h.transfer[top].sum() / max(h.income[top].sum(), 1e-300)
    member = h.cooperative >= 0
    row["coop_member_premium"] = _premium(y, w, member, np.ones(h.n, dtype=bool))
    row["coop_member_premium_bottom_quintile"] = _premium(y, w, member, bottom)
    # falls into poverty this year and what hit the households that fell (a household can have several causes)
    falls = poor & ~h.poor_last_year
    n_falls = float((falls * w).sum())
    row["falls_into_poverty_rate"] = n_falls / w.sum()
    # 因病致贫: falls that medical spending caused (income before medical spending was above the line); job loss
    # and bad harvest are counted among the remaining falls, so that their shares can be compared with it; illness
    # (any hospital episode) among all falls, since it acts through medical spending and lost work alike
    medical = falls & (y >= z)
    row["falls_share_medical"] = float(_persons(medical, w) / n_falls) if n_falls > 0 else 0.0
    bad = model.bad_harvest[h.village]
    for name, hit in (("illness", h.illness_episodes > 0), ("job_loss", (h.jobs_lost > 0) & ~medical),
                      ("bad_harvest", bad & ~medical)):
        row[f"falls_share_{name}"] = float(_persons(falls & hit, w) / n_falls) if n_falls > 0 else 0.0
    # income-poverty dynamics (comparable with survey panels): persons survey-income-poor for exactly k (k = 5: at
    # least 5) consecutive years until last year, and how many of them are out of income poverty now (counts, so
    # that exit rates can be pooled over years and replicates)
    for k in SPELLS:
        in_spell = spell >= k if k == SPELLS[-1] else spell == k
        row[f"spell_{k}_persons"] = _persons(in_spell, w)
        row[f"spell_{k}_exits"] = _persons(in_spell & ~survey_poor, w)
    row["ex_poor_migrants_per_person"] = _ratio(h.migrants[ex].sum(), w[ex].sum())
    flagged_ever = _persons(ever_flagged, w)
    row["risk_eliminated_share"] = _persons(ever_flagged & ~h.monitored, w) / flagged_ever if flagged_ever else 0.0
    row.update(income_change_moments(h, survey))
    return {c: row[c] for c in METRIC_COLUMNS}  # the documented column order
