"""Mechanism 11: the income process (持续性与暂时性收入冲击): ability, a persistent and a transitory part.

A household's log productivity on the farm and in wage work is the sum of

* ``ability``: fixed, drawn when the county is made (the initial skill draw, with the lower mean of
  registered households, 建档立卡户);
* ``fortune``, the *persistent* component p: a near-unit-root AR(1) from year to year,
  ``p' = rho * p + sd_eta * z``: a herd lost to disease, an injury never quite healed, a contractor
  who stops calling, a plot that loses its water, a better migrant job found through a relative;
* ``transitory``, the *transitory* component e: i.i.d. each year, ``e = sd_e * z - sd_e^2 / 2``
  (mean-one in levels): a good or a bad year that passes;

plus the health stock (:mod:`model.rules.health`) and the training stock
(:mod:`model.rules.human_capital`), which multiply productivity by ``exp(-loss * ill_health)`` and
``exp(training)``.  ``skill`` is recomputed from these components each January (and moves with the
training factor when the household is trained).

This is the permanent-plus-transitory error-components model that economists use to describe household
income dynamics (MaCurdy 1982; Abowd & Card 1989; Meghir & Pistaferri 2004), with the persistent part
a near-unit-root AR(1) (e.g. Storesletten, Telmer & Yaron 2004) so that the county's income spread stays
stationary.  For rural China, Santaeulàlia-Llopis & Zheng (2018, AEJ: Macroeconomics 10(4)) estimate a
permanent (random-walk) and a transitory component from CHNS 1989-2009 and find permanent risk rising
with growth; Jin & Wang (2018, Economic Survey 35(2), CHNS) find the cross-section variance of rural
incomes mostly transitory.  About half of rural Chinese poverty is transient (Jalan & Ravallion 2000).
The county starts in the stationary distribution of p, and ``-var(p)/2`` keeps mean productivity at one.
"""

from __future__ import annotations

import numpy as np


def stationary_variance(persistence, sd):
    """Stationary variance of the persistent component: sd^2 / (1 - rho^2)."""
    return sd * sd / (1.0 - persistence * persistence)


def stationary(z, persistence, sd):
    """Starting persistent components drawn from the stationary distribution (``z`` standard normal)."""
    return np.sqrt(stationary_variance(persistence, sd)) * z


def next_year(p, z, persistence, sd):
    """Next year's persistent component: AR(1) with persistence rho and innovation s.d. ``sd``."""
    return persistence * p + sd * z


def transitory(z, sd):
    """This year's transitory component, mean one in levels: sd * z - sd^2 / 2."""
    return sd * z - 0.5 * sd * sd


def log_productivity(ability, permanent, transitory_, persistence, sd):
    """Log productivity from ability and income shocks, before the health and training factors."""
    return ability + permanent - 0.5 * stationary_variance(persistence, sd) + transitory_


def productivity(ability, permanent, transitory_, health_factor, training_factor, e):
    """``skill``: exp(ability + permanent - var/2 + transitory) x health factor x training factor."""
    return (np.exp(log_productivity(ability, permanent, transitory_, e.permanent_persistence, e.permanent_sd))
            * health_factor * training_factor)


def ability_for(skill, e):
    """The ability that gives productivity ``skill`` to a healthy, untrained household with no income shock
    (p = e = 0): for setting up example households by hand."""
    return np.log(skill) + 0.5 * stationary_variance(e.permanent_persistence, e.permanent_sd)
