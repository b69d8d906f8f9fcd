"""Mechanism 10: dynamic monitoring to prevent relapse (防止返贫动态监测和帮扶).

Every ``interval`` months the government screens households.  A household is
at risk when its per capita income over the last twelve months net of
out-of-pocket medical spending over the same months is below the
monitoring line (1.5 x the poverty line: LGOP 2020), or when its rigid
out-of-pocket spending is large relative to income.  A household at risk is
found with probability ``detection_sudden`` when it is in sudden difficulty (a
large medical bill, a sharp fall in income) and ``detection`` otherwise, and is
helped after ``lag`` months.  A flagged
household gets targeted help until its risk is gone: after at least
``min_months`` of help, a screening that finds it above the line unflags it
(风险消除, "动态清零").  As the rules on risk elimination require, a household
without labour capacity stays flagged once its social protection is in place
(对无劳动能力的监测对象，落实社会保障措施后，暂不标注"风险消除"，持续跟踪监测; e.g. Hainan
Provincial Government, Q&A on risk elimination, December 2021), and
monitoring brings such households into the minimum living guarantee when they
are eligible (应保尽保): their dibao claim is recognised from the next January
(see :func:`dibao_recognised`).  Incomes are verified at home visits, which
record them with an error (:func:`verified_income`): rural income is hard to
measure, and means tests in rural China make large targeting errors for that
reason (Golan, Sicular & Umapathi 2017, World Development 93; Kakwani, Li, Wang
& Zhu 2019, China Economic Review 53).  MARA reports over 7 million people identified in
2021-2025 and 5.34 million with risk eliminated by November 2024.
"""

from __future__ import annotations

import numpy as np


def rolling(total, newest, oldest):
    """Twelve-month total of a monthly flow after the newest month replaces the oldest (updates ``total``)."""
    total += newest
    total -= oldest
    return total


def verified_income(assessed_income, z, error_sd):
    """Income as a home visit (入户核实) records it: the true twelve-month income times a mean-one lognormal
    error with log s.d. ``error_sd``, drawn afresh at each screening (``z`` standard normal)."""
    return assessed_income * np.exp(error_sd * z - 0.5 * error_sd * error_sd)


def at_risk(assessed_income, assessed_oop, members, line, rigid_share):
    """Risk test on last-12-month per capita income net of medical spending, or a large rigid expense."""
    net_pc = (assessed_income - assessed_oop) / members
    return (net_pc < line) | (assessed_oop > rigid_share * np.maximum(assessed_income, 0.0))


def sudden_difficulty(assessed_income, assessed_oop, last_year_income, rigid_share, drop):
    """Sudden difficulty (突发严重困难): a large rigid expense, or income over the last twelve months
    below ``drop`` times last year's."""
    return (assessed_oop > rigid_share * np.maximum(assessed_income, 0.0)) | (assessed_income < drop * last_year_income)


def detection_prob(sudden, detection, detection_sudden):
    """Households in sudden difficulty report it or are reported, so they are found far more often
    than households whose income has simply stayed low."""
    return np.where(sudden, detection_sudden, detection)


def detected(risk, flagged, pending, u, detection):
    """Households at risk, not yet flagged or pending, that this screening finds (``detection`` may be
    a number or one probability per household)."""
    return risk & ~flagged & ~pending & (u < detection)


def risk_eliminated(flagged, risk, months_flagged, min_months, weak_labour):
    """Flagged households with labour capacity no longer at risk after enough months of help are unflagged;
    households without labour capacity stay flagged (持续跟踪)."""
    return flagged & ~risk & (months_flagged >= min_months) & ~weak_labour


def dibao_recognised(takeup_draw, coverage, found):
    """Whose dibao claim is recognised when eligible: a fixed share of households (exclusion errors,
    ``takeup_draw < coverage``), and every household monitoring has found (应保尽保)."""
    return (takeup_draw < coverage) | found
