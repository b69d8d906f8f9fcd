"""The household's poverty history, updated once a year after the year's accounts are closed.

Monitoring and the minimum living guarantee look back: dibao eligibility and targeting use last
year's income (上年度家庭人均纯收入), households found by monitoring stay known to the civil
affairs office (应保尽保), and poverty-dynamics statistics count how long a household has been
poor.  These are state changes, so they are a step of the model (December, after the annual
outcomes are recorded), not part of computing the outcomes.

* ``ever_poor``: poverty status (income net of out-of-pocket medical spending below the line, as
  relapse monitoring counts rigid spending) in any year since 2021;
* ``ever_flagged``: flagged by monitoring in any year since 2021;
* ``poor_spell``: consecutive years of *income* poverty as a household panel such as the China Family
  Panel Studies would record it: on *survey* income (medical spending not deducted, and measured with
  error, below);
* ``prev_pc_income``: last year's income per member excluding dibao (the means test's income);
* ``poor_last_year``: poverty status last year (a fall is poverty this year and not last year);
* ``survey_log_income``, ``survey_years``, ``survey_change_1``, ``survey_change_2``: the household's
  log survey income last year, how many years in a row it has been recorded, and its last two yearly
  changes (for the autocovariances of income changes, :mod:`model.annual`).

Survey income.  Household surveys record income with error: survey income = income x exp(u), u ~ N(0,
sd^2) i.i.d. per household and year (classical error in logs), drawn each December from the household
streams (purpose ``survey_error``) by code both engines share.  Survey earnings have a reliability
(signal share of the variance) of 0.82 in a cross-section and 0.65 in first differences (Bound & Krueger
1991, JOLE 9(1)); errors of that size make poverty look more transient than it is, so the model's
poverty-dynamics statistics that are compared with household panels use survey income, and the
model's own outcomes (poverty rate, relapse, ...) true income.
"""

from __future__ import annotations

import numpy as np


def poverty_status(income, oop, members, poverty_line):
    """(poor, income_poor): net of medical spending, and on income alone (survey definition)."""
    poor = (income - oop) / members < poverty_line
    income_poor = income / members < poverty_line
    return poor, income_poor


def survey_error(streams, t: int, sd: float) -> np.ndarray:
    """Every household's log survey error this year (drawn in December, month ``t``): sd x N(0, 1)."""
    return sd * streams.normal("survey_error", t)


def survey_income(income, log_error):
    """Income as a household survey records it: income x exp(error)."""
    return income * np.exp(log_error)


def ever_since_2021(ever, now, counting: bool):
    """``ever | now`` from 2021 on (``counting``); unchanged in the burn-in and calibration years."""
    return ever | now if counting else ever


def spell_length(spell, income_poor, counting: bool):
    """Consecutive income-poor years: one more while poor, zero after a non-poor year (from 2021 on)."""
    return np.where(income_poor, spell + 1.0, 0.0) if counting else spell


def income_changes(survey, last_log, years):
    """(log survey income, its change since last year, whether that change is observed): a change needs a
    positive survey income this year and one recorded last year (``years`` > 0)."""
    positive = survey > 0
    log_y = np.log(np.where(positive, survey, 1.0))
    return log_y, log_y - last_log, positive & (years > 0)


def close_year(h, poverty_line: float, counting: bool, log_error=None) -> None:
    """Write this year's poverty history into the household columns ``h`` (December, after the outcomes);
    ``log_error``: this year's log survey errors (None: survey income is true income)."""
    poor, _ = poverty_status(h.income, h.oop, h.members, poverty_line)
    survey = h.income if log_error is None else survey_income(h.income, log_error)
    survey_poor = survey / h.members < poverty_line
    h.ever_poor[:] = ever_since_2021(h.ever_poor, poor, counting)
    h.ever_flagged[:] = ever_since_2021(h.ever_flagged, h.flagged_this_year, counting)
    h.poor_spell[:] = spell_length(h.poor_spell, survey_poor, counting)
    h.prev_pc_income[:] = (h.income - h.dibao_received) / h.members
    h.poor_last_year[:] = poor
    if counting:  # the survey panel starts in 2021
        log_y, change, observed = income_changes(survey, h.survey_log_income, h.survey_years)
        h.survey_change_2[:] = np.where(observed, h.survey_change_1, 0.0)
        h.survey_change_1[:] = np.where(observed, change, 0.0)
        h.survey_years[:] = np.where(survey > 0, h.survey_years + 1.0, 0.0)
        h.survey_log_income[:] = np.where(survey > 0, log_y, 0.0)
