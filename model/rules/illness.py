"""Mechanism 4: illness (因病致贫): incidence, medical cost, lost labour and insurance.

Each month a household suffers a serious illness with a small probability,
higher the more its health is damaged and highest when a member is chronically ill
(:func:`model.rules.health.acute_risk`; the risk is set each January).  A hospital episode costs a lognormal
amount, takes a worker out of work for a couple of months and leaves a lasting damage to the
household's health stock (:mod:`model.rules.health`), which lowers its productivity in later years; a
chronic illness (the far end of that stock) costs outpatient care every month and permanently reduces labour.  Basic
medical insurance (基本医保) reimburses part of the cost for everyone; the
health-protection programme (三重保障: serious-illness insurance and medical
assistance) raises coverage for targeted households.  What is left is
out-of-pocket spending, the rigid expense (刚性支出) that relapse monitoring
counts.  Illness caused 42-44% of registered poverty (LGOP 2013, 2015).
"""

from __future__ import annotations

import numpy as np


def falls_ill(u, risk):
    """Serious illness this month: draw below the household's monthly risk (:func:`model.rules.health.acute_risk`)."""
    return u < risk


def episode_cost(z, median, sigma):
    """Lognormal cost of a hospital episode with the given median."""
    return median * np.exp(sigma * z)


def coverage(basic, targeted_level, targeted):
    """Share of medical cost reimbursed: basic insurance, raised to the programme level if targeted."""
    return np.where(targeted, np.maximum(basic, targeted_level), basic)


def sick_workers(sick_months, workers):
    """Workers out of work this month (one while a recovery is under way, if there is a worker)."""
    return np.minimum((sick_months > 0).astype(np.float64), workers)
