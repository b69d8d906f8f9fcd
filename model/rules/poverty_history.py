"""The household's poverty history, updated once a year after the year's accounts are closed.

Monitoring and the minimum living guarantee look back: dibao eligibility and targeting use last
year's income (上年度家庭人均纯收入), households found by monitoring stay known to the civil
affairs office (应保尽保), and poverty-dynamics statistics count how long a household has been
poor.  These are state changes, so they are a step of the model (December, after the annual
outcomes are recorded), not part of computing the outcomes.

* ``ever_poor``: poverty status (income net of out-of-pocket medical spending below the line, as
  relapse monitoring counts rigid spending) in any year since 2021;
* ``ever_flagged``: flagged by monitoring in any year since 2021;
* ``poor_spell``: consecutive years of *income* poverty (medical spending not deducted), the
  definition of household panels such as the China Family Panel Studies;
* ``prev_pc_income``: last year's income per member excluding dibao (the means test's income);
* ``poor_last_year``: poverty status last year (a fall is poverty this year and not last year).
"""

from __future__ import annotations

import numpy as np


def poverty_status(income, oop, members, poverty_line):
    """(poor, income_poor): net of medical spending, and on income alone (survey definition)."""
    poor = (income - oop) / members < poverty_line
    income_poor = income / members < poverty_line
    return poor, income_poor


def ever_since_2021(ever, now, counting: bool):
    """``ever | now`` from 2021 on (``counting``); unchanged in the burn-in and calibration years."""
    return ever | now if counting else ever


def spell_length(spell, income_poor, counting: bool):
    """Consecutive income-poor years: one more while poor, zero after a non-poor year (from 2021 on)."""
    return np.where(income_poor, spell + 1.0, 0.0) if counting else spell


def close_year(h, poverty_line: float, counting: bool) -> None:
    """Write this year's poverty history into the household columns ``h`` (December, after the outcomes)."""
    poor, income_poor = poverty_status(h.income, h.oop, h.members, poverty_line)
    h.ever_poor[:] = ever_since_2021(h.ever_poor, poor, counting)
    h.ever_flagged[:] = ever_since_2021(h.ever_flagged, h.flagged_this_year, counting)
    h.poor_spell[:] = spell_length(h.poor_spell, income_poor, counting)
    h.prev_pc_income[:] = (h.income - h.dibao_received) / h.members
    h.poor_last_year[:] = poor
