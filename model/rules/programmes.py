"""Mechanism 9: the household side of the policy programmes (what a household is owed).

The entitlement rules of the cash transfers (named by each cash programme's declaration in
:mod:`model.programmes`; paid by kind, :mod:`model.payment`) and the other programmes'
household-side amounts.  Each function gives the monthly amount owed to each household at
full intensity; the government scales it by the programme's level (schedule x
generosity), its targeting and its budget (:mod:`model.policy`,
:class:`model.agents.Government`).  Amounts and sources are listed with the
programmes in :mod:`model.policy`.
"""

from __future__ import annotations

import numpy as np


def per_member(members, amount):
    """Entitlement ``per_member``: an amount per household member, monthly (direct support, 各类到户补贴)."""
    return members * amount / 12.0


def top_up_to_standard(assessed_pc_income, members, standard, weak_labour):
    """Entitlement ``top_up_to_standard``: the monthly gap of income per member to the standard, for eligible
    households (the minimum living guarantee 低保: households with weak labour)."""
    gap = np.maximum(standard - assessed_pc_income, 0.0)
    return np.where(weak_labour, gap * members / 12.0, 0.0)


def weak_labour(workers, chronic, elderly, members):
    """Eligibility for dibao (weak labour capacity): less than one able worker, a chronically ill
    worker counting as half.  (``elderly`` and ``members`` are accepted for scenarios that widen the rule.)"""
    able = workers - 0.5 * chronic
    return able < 1.0


def per_student(children, schooling, amount, compulsory=9.0):
    """Entitlement ``per_student``: cash for a household with a child in school beyond compulsory schooling
    (education support, 雨露计划), monthly."""
    return np.where((children > 0) & (schooling >= compulsory), amount / 12.0, 0.0)


def per_elderly(elderly, amount):
    """Entitlement ``per_elderly``: an amount per elderly member, monthly (the rural basic pension)."""
    return elderly * amount / 12.0


def share_of_gap_to_monitoring_line(assessed_pc_income, members, line, share):
    """Entitlement ``share_of_gap_to_monitoring_line``: a share of a household's monthly gap to the monitoring
    line (help for a household flagged by monitoring, 防止返贫监测帮扶)."""
    return np.maximum(line - assessed_pc_income, 0.0) * members / 12.0 * share


def guaranteed_purchase_topup(quantity, market_price, floor):
    """Government guaranteed purchase (保底收购): when the market price falls below the floor (both as multiples
    of the 2020 price), pays the difference on a targeted household's quantity sold outside a contract."""
    return quantity * np.maximum(floor - market_price, 0.0)


def industry_subsidy(output_value, rate):
    """Industry support to a producing household (产业奖补): a share of its farm output value."""
    return output_value * rate
