"""Mechanism 4b: health as a stock (健康存量): lasting damage from illness, recovery, chronic illness.

``ill_health`` is a household's health damage, 0 (healthy) to 1.  Each acute episode (a hospital
stay, :mod:`model.rules.illness`) adds a lasting damage; each January part of the damage heals.  Chronic
illness is the far end of the scale: a household becomes chronically ill when the damage reaches a
threshold (or, at a small base rate, from other causes), and then stays at least at the threshold
(chronic illness is never cured).  The damage lowers the household's productivity on the farm and in
wage work (``exp(-loss * ill_health)``) and raises its monthly risk of another acute episode, from the
healthy rate to the chronic rate at the threshold.

Health shocks leave lasting losses: in China a health shock lowers household income per capita by
12.8-13.1%, mostly through lower hourly wages, and households made poor by one still show lower income
mobility three to four years later (Liu, Qian & Zhang 2020, CCER E2020005 / SSRN 3576250, CHNS and CFPS);
an unexpected health shock costs about 6% of household income per capita a year over five years (Wang,
Jin & Yuan 2023, CHARLS/CFPS).  Illness lowers labour supply and earnings for years (Gertler & Gruber
2002, AER 92(1), Indonesia; Wagstaff 2007, J. Health Econ. 26(1), Vietnam).  The size of the damage per
episode, the recovery rate and the threshold are assumptions within that evidence.
"""

from __future__ import annotations

import numpy as np


def acute_risk(chronic, ill_health, acute_prob, acute_prob_chronic, threshold):
    """Monthly risk of an acute episode: the healthy rate, rising linearly with the damage to the chronic
    rate at the threshold; the chronic rate for the chronically ill."""
    share = np.minimum(ill_health / threshold, 1.0) if threshold > 0 else np.ones_like(ill_health)
    return np.where(chronic, acute_prob_chronic, acute_prob + (acute_prob_chronic - acute_prob) * share)


def damage(ill_health, damage_per_episode):
    """The stock after an acute episode: one more damage, at most 1."""
    return np.minimum(ill_health + damage_per_episode, 1.0)


def chronic_onset(chronic, ill_health, u, base_onset, threshold):
    """Chronic illness (January): already chronic, or the damage has reached the threshold, or a new case
    from other causes (draw below the base onset rate)."""
    return chronic | (ill_health >= threshold) | (u < base_onset)


def recover(ill_health, chronic, recovery, threshold):
    """A year's recovery: a share of the damage heals; the chronically ill stay at least at the threshold."""
    return np.maximum(ill_health * (1.0 - recovery), np.where(chronic, threshold, 0.0))


def health_factor(ill_health, loss):
    """Productivity factor of the health damage: exp(-loss * ill_health)."""
    return np.exp(-loss * ill_health)
