"""Mechanism 3: human capital (扶智): schooling, entry into work, retirement, training.

Each January the eldest child in school either continues another year or
leaves school and starts work.  The first nine years are compulsory (九年义务教育);
after that the child continues with a probability that is lower in ex-poor
households and higher with education support (雨露计划, 助学补贴).  A child who
leaves school becomes a worker whose schooling enters the household's mean
schooling, and so its wage through the return to schooling (6-10% a year:
de Brauw & Rozelle 2008; Hou & Deng 2018).  The next child, about three years
younger, then becomes the eldest in school.  Workers retire into the elderly
(working life ~35 years).

Vocational training (技能培训) and what members learn in a working cooperative build a human-capital
stock ``training`` (log productivity; 0 = none; productivity factor ``exp(training)``).  A course raises
it by ``gain x (1 - training / ceiling)``: the first course returns about 8% (returns to short vocational
courses of 5-10%: assumption), later ones less, and the stock never passes the ceiling (diminishing
returns to repeated training).  Cooperative learning raises it by ``coop_gain x leader capacity`` with the
same saturation.  Skills become obsolete: the stock depreciates by a share each year (skills
obsolescence; de Grip & van Loo 2002, "The economics of skills obsolescence", Research in Labor
Economics 21, review depreciation rates of a few to over ten percent a year; the rate here is an
assumption within that range).
"""

from __future__ import annotations

import numpy as np

COMPULSORY = 9.0
SIBLING_GAP = 3.0


def continuation_prob(ex_poor, supported, hc, support_level):
    """Probability the eldest child continues past compulsory school this year."""
    p = hc.continuation_base - hc.continuation_ex_poor_gap * ex_poor
    return np.clip(p + hc.continuation_support_gain * supported * support_level, 0.0, 1.0)


def school_year(children, schooling, u, p_continue, max_schooling):
    """Advance schooling one year; return (new schooling, child leaves school now)."""
    in_school = children > 0
    stays = in_school & ((schooling < COMPULSORY) | (u < p_continue)) & (schooling < max_schooling)
    leaves = in_school & ~stays
    return np.where(stays, schooling + 1.0, schooling), leaves


def age_youngest(children, schooling, youngest):
    """The youngest child is a year older (after the school year: an only child is the eldest)."""
    return np.where(children >= 2, youngest + 1.0, np.where(children > 0, schooling, 0.0))


def enter_work(workers, children, edu, schooling, leaves, youngest=None):
    """A school leaver becomes a worker: mean schooling is updated, the next child is younger: about three years
    (``SIBLING_GAP``), but no younger than the youngest child (the youngest itself when it is the only one left;
    without ``youngest``, three years younger and at school)."""
    new_workers = workers + leaves
    new_edu = np.where(leaves, (edu * workers + schooling) / np.maximum(new_workers, 1.0), edu)
    new_children = children - leaves
    if youngest is None:
        new_schooling = np.where(leaves, np.maximum(schooling - SIBLING_GAP, 0.0), schooling)
    else:
        nxt = np.where(new_children >= 2, np.maximum(schooling - SIBLING_GAP, youngest), youngest)
        new_schooling = np.where(leaves, np.where(new_children > 0, nxt, 0.0), schooling)
    return new_workers, new_children, new_edu, new_schooling


def retire(workers, elderly, u, prob):
    """With probability ``prob * workers`` one worker becomes elderly this year."""
    goes = (workers > 0) & (u < prob * workers)
    return workers - goes, elderly + goes


def training_gain(stock, gain, ceiling):
    """The training stock after a course (``gain`` 0 for households not trained): it rises by
    gain x (1 - stock / ceiling), so it approaches the ceiling and never passes it."""
    return stock + gain * np.maximum(1.0 - stock / ceiling, 0.0) if ceiling > 0 else stock


def training_depreciation(stock, rate):
    """A year's obsolescence of the training stock."""
    return stock * (1.0 - rate)


def training_factor(stock):
    """Productivity factor of the training stock: exp(stock)."""
    return np.exp(stock)
