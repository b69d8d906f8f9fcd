"""Demography (人口变动): births and deaths in a household, by age group.

A household counts its members by age group: ``children`` (in or before school),
``workers`` (working age) and ``elderly`` (from retirement, roughly 60+).  Each
January, after the school year and retirement (:mod:`.human_capital`):

* **Births.**  A household has a birth with probability ``birth_rate * workers``
  (at most one a year), unless it already has ``max_children`` children (the
  three-child policy of 2021, 三孩政策, is the most the law allows).  The rate per
  working-age person is China's: 12.02 million births in 2020 (7th census, NBS
  2021-05-11) over 894 million people aged 15-59 (7th census communiqué no. 5),
  0.0134; by 2023 births had fallen to 9.02 million over 865 million aged 16-59
  (NBS 2024-01-17), 0.0104 (a scenario may date the parameter).  A first child
  is ``pre_school_years`` (6) from school: ``schooling`` = -6, so the school year
  of :func:`model.rules.human_capital.school_year` counts up to 0 before school
  starts (school from age six: Compulsory Education Law, art. 11); a negative
  ``schooling`` is below nine years, so the child never leaves school early and
  draws no education support (both need nine years).
* **Deaths.**  In each age group at most one member dies a year, with probability
  ``mortality * members of the group`` (a group with n members loses one with
  probability n*q, exact to first order for q*n small).  Rates are rural
  age-specific death rates averaged over the group: children 0.8 per 1,000
  (under-5 mortality 7.5 per 1,000 births in 2020, NHC, spread over five years,
  and 0.1-0.5 per 1,000 at 5-15 in the 2010 census's rural tables of Shanghai
  and Guangzhou), working age 2 per 1,000 (0.1-0.5 at 20-35 in the same tables,
  10 at 59 in Shandong 2000; the average is an assumption) and elderly 35 per
  1,000 (NBS 2022: 10.41 million deaths, 280 million aged 60+; 80% of deaths at
  60+ and a rural uplift are assumptions).  A working-age
  death removes the worker in the local job, a migrant or a worker at home in
  proportion to their numbers (the one draw decides which); a local job holder's
  death ends the match with the employer.

A household whose last member died is dissolved and its row re-used by a newly
formed household the same January (:mod:`model.demography`), so a household never
has zero members.  All events are shocks (``shock_u``): none in the neutral years
2019-2020 and in runs without shocks.
"""

from __future__ import annotations

import numpy as np


def birth(children, workers, u, rate, max_children):
    """Whether the household has a birth this year: probability ``min(rate * workers, 1)``, none at
    ``max_children`` (probabilities are capped at 1 so that a shock draw of 1.0 is never an event)."""
    return (children < max_children) & (u < np.minimum(rate * workers, 1.0))


def add_birth(children, schooling, born, pre_school_years, youngest=None):
    """A newborn joins the children; a first child is ``pre_school_years`` from school (negative schooling); the
    newborn is the youngest.  Returns (children, schooling) or, with ``youngest``, (children, schooling, youngest)."""
    first = born & (children <= 0)
    out = children + born, np.where(first, -pre_school_years, schooling)
    return out if youngest is None else (*out, np.where(born, -pre_school_years, youngest))


def dies(count, u, mortality):
    """Whether one member of a group of ``count`` dies this year (probability ``min(mortality * count, 1)``)."""
    return (count > 0) & (u < np.minimum(mortality * count, 1.0))


def child_death(children, schooling, died, youngest=None):
    """A child dies: with no child left, ``schooling`` returns to 0 (a younger child otherwise, the eldest
    stays in school; with one child left, it is both the eldest and the youngest).  Returns (children,
    schooling) or, with ``youngest``, (children, schooling, youngest)."""
    left = children - died
    new_schooling = np.where(died & (left <= 0), 0.0, schooling)
    if youngest is None:
        return left, new_schooling
    return left, new_schooling, np.where(died & (left <= 1), new_schooling, youngest)


def worker_death(workers, migrants, local_job, u, mortality, died):
    """A working-age member dies: the one in the local job if ``u < mortality * local_job``, else a migrant if
    ``u < mortality * (local_job + migrants)``, else a worker at home.  Returns (workers, migrants, whether the
    local job holder died: the match ends)."""
    job = died & (local_job > 0) & (u < mortality * local_job)
    migrant = died & ~job & (migrants > 0) & (u < mortality * (local_job + migrants))
    left = workers - died
    return left, np.minimum(migrants - migrant, left), job
