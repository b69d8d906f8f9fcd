"""Mechanism 9: the household side of the policy programmes (what a household is owed).

Each function gives the monthly amount one programme owes each household at
full intensity; the government scales it by the programme's level (schedule x
generosity), its targeting and its budget (:mod:`model.policy`,
:class:`model.agents.Government`).  Amounts and sources are listed with the
programmes in :mod:`model.policy`.
"""

from __future__ import annotations

import numpy as np


def direct_support(members, amount):
    """Unconditional support per person (各类到户补贴), monthly."""
    return members * amount / 12.0


def dibao_topup(assessed_pc_income, members, standard, weak_labour):
    """Minimum living guarantee (低保): monthly top-up of the gap to the standard, for households with weak labour."""
    gap = np.maximum(standard - assessed_pc_income, 0.0)
    return np.where(weak_labour, gap * members / 12.0, 0.0)


def weak_labour(workers, chronic, elderly, members):
    """Eligibility for dibao (weak labour capacity): less than one able worker, a chronically ill
    worker counting as half.  (``elderly`` and ``members`` are accepted for scenarios that widen the rule.)"""
    able = workers - 0.5 * chronic
    return able < 1.0


def education_support(children, schooling, amount, compulsory=9.0):
    """Cash for a child in school beyond compulsory schooling (雨露计划), monthly."""
    return np.where((children > 0) & (schooling >= compulsory), amount / 12.0, 0.0)


def pension(elderly, amount):
    """Rural basic pension per elderly member, monthly."""
    return elderly * amount / 12.0


def monitoring_support(assessed_pc_income, members, line, share):
    """Help for a flagged household: a share of its monthly gap to the monitoring line."""
    return np.maximum(line - assessed_pc_income, 0.0) * members / 12.0 * share


def guaranteed_purchase_topup(quantity, received_price, floor):
    """Government guaranteed purchase (保底收购): pays up to the floor on a targeted household's sales."""
    return quantity * np.maximum(floor - received_price, 0.0)


def industry_subsidy(output_value, rate):
    """Industry support to a producing household (产业奖补): a share of its farm output value."""
    return output_value * rate
