"""Mechanism 2: labour allocation among the farm, local jobs, migrant work and welfare posts.

Income follows the official household survey (NBS 住户收支与生活状况调查).  A
household's members include workers away for more than six months whose income
mainly comes home and who remain one economy with it (经济与本户连为一体); the
model's migrants (外出务工) are such members, so a migrant's full earnings are
household wage income, and the migrant's living costs at the place of work are
household consumption (a share ``living_cost_away`` of the earnings: out-migrants
earned 2,609 yuan a month in 2013 and spent 892 on living costs there, 34%: NBS,
2013年全国农民工监测调查报告).  Remittances of family members who are not household
members stay transfer income.  A local job's wage counts in full; the worker
lives at home.

Allocation.  Each January every worker in turn takes the option that adds most
to the household's resources over the year (:func:`allocate`):

* the own farm: the farm output the worker's labour adds (output falls by more
  with each worker who leaves: Cobb-Douglas in labour), valued at the traders'
  price; when nobody is left to farm the land is rented out (土地流转) and earns rent;
* a local job (enterprise or workshop 扶贫车间): the local wage, only when the
  household holds a job or is offered one;
* migrant work: earnings times the share of the year the migrant expects to stay
  employed (:func:`employed_share`, lower in a migrant-labour shock year), net of
  the living costs away, less the household's cost of being apart (caring for
  dependants, distance: ``migration_cost * taste`` times the earnings).  A worker
  must stay home to care for children without a grandparent at home or for a
  chronic illness (:func:`max_migrants`), but may take a local job, which is the
  purpose of the workshops (家门口就业).

Welfare posts (公益岗位) are assigned afterwards to targeted households whose
workers all stay on the farm; a post takes half of a worker's farm time.  In any
month a migrant may lose the job (more often in a shock year) and come home to
the farm for the rest of the year.

Defaults: migrant wage 4,000 yuan/month (NBS migrant report 2022, deflated);
return to schooling 0.07 (de Brauw & Rozelle 2008; Hou & Deng 2018).
"""

from __future__ import annotations

import numpy as np


def wage_factor(schooling, skill, effort, econ):
    """Mincerian wage multiplier ``exp(r * (schooling - ref)) * skill * effort``."""
    return np.exp(econ.return_to_schooling * (schooling - econ.reference_schooling)) * skill * effort


def max_migrants(workers, children, elderly, chronic):
    """Workers who can leave: all, or all but one carer for children without a grandparent at home,
    or for a chronic illness."""
    carer = ((children > 0) & (elderly == 0)) | chronic
    return np.maximum(workers - carer.astype(np.float64), 0.0)


def employed_share(separation):
    """Expected share of the year a migrant holds the job when each month it is lost with probability
    ``s`` before the month's pay: ``sum_{k=1..12} (1 - s)^k / 12 = (1 - s)(1 - (1 - s)^12) / (12 s)`` (1 at s = 0)."""
    s = np.asarray(separation, dtype=np.float64)
    stay = 1.0 - s
    safe = np.where(s > 0, s, 1.0)
    return np.where(s > 0, stay * (1.0 - stay ** 12) / (12.0 * safe), 1.0)


def migrant_net(earnings, employed, living_cost, cost, taste):
    """A migrant's annual net contribution: ``earnings * (employed * (1 - living_cost) - cost * taste)``
    (``earnings``: a year's full earnings)."""
    return earnings * (employed * (1.0 - living_cost) - cost * taste)


def farm_value(home, elderly, chronic, land, value_one, rent, econ, chronic_loss):
    """Annual value of the own farm with ``home`` workers farming: ``value_one * L ** labour_elasticity``,
    ``L`` the worker-equivalents on the farm (:func:`farm_labour`), or the land's rent ``land * rent`` when
    no worker and no elderly member is home (``value_one``: the value of the output of one worker)."""
    lab = np.maximum(home - chronic_loss * chronic, 0.0) + econ.elderly_farm_labour * elderly
    return np.where((home <= 0) & (elderly == 0), land * rent, value_one * lab ** econ.labour_elasticity)


def allocate(workers, can_leave, local_ok, net_local, net_migrant, value, first_loss=None):
    """Each worker in turn takes the option with the largest gain over staying on the farm: a local job
    (while the household has one it holds or is offered, ``local_ok``: 0 or 1) or migration (up to
    ``can_leave``), gain = the option's annual net value minus the farm value lost,
    ``value(home) - value(home - 1)``; a local job wins a tie with migration, the farm a tie with both.
    ``value(home, idx)``: the farm value of households ``idx`` with ``home`` workers at home; ``first_loss``
    (optional, per household): the first round's loss ``value(workers) - value(workers - 1)``, when the caller
    has it already.  Returns (migrants, local job).

    A household that places no worker in a round would place none in later rounds (nothing it compares has
    changed), so once few households are still placing workers, a round considers only them (before that, a
    round over every household gives the same result without gathering the columns)."""
    n = np.shape(workers)[0]
    workers, can_leave, local_ok, net_local, net_migrant = (
        np.broadcast_to(np.asarray(x, dtype=np.float64), (n,)) for x in (workers, can_leave, local_ok, net_local,
                                                                        net_migrant))
    migrants, local = np.zeros(n), np.zeros(n)
    placed = workers >= 1.0
    sel, placing = slice(None), int(np.count_nonzero(placed))
    first = first_loss is not None
    while placing:
        if isinstance(sel, slice) and placing < n // 4:
            sel = np.flatnonzero(placed)  # few households left: gather them
        mig, loc = migrants[sel], local[sel]
        home = workers[sel] - mig - loc
        loss = first_loss[sel] if first else value(home, sel) - value(home - 1.0, sel)
        first = False
        gain_local = np.where((home >= 1.0) & (loc < local_ok[sel]), net_local[sel] - loss, -np.inf)
        gain_migrant = np.where((home >= 1.0) & (mig < can_leave[sel]), net_migrant[sel] - loss, -np.inf)
        takes_local = (gain_local > 0) & (gain_local >= gain_migrant)
        takes_migrant = (gain_migrant > 0) & ~takes_local
        local[sel] = loc + takes_local
        migrants[sel] = mig + takes_migrant
        placed = takes_local | takes_migrant
        placing = int(np.count_nonzero(placed))
        if not isinstance(sel, slice):
            sel = sel[placed]
    return migrants, local


def separated(holds, workers, employer_alive, u, quit_prob):
    """A local job match ends (before the January allocation) when the employer has exited, the household
    has no worker left (retirement), or the worker quits for reasons outside the model (``u < quit_prob``)."""
    return holds & (~employer_alive | (workers < 1.0) | (u < quit_prob))


def farm_labour(workers, migrants, local_job, post, elderly, chronic, sick, econ, chronic_loss):
    """Worker-equivalents left on the farm this month (a welfare post is half-time)."""
    own = workers - migrants - local_job - 0.5 * post - sick - chronic_loss * chronic
    return np.maximum(own, 0.0) + econ.elderly_farm_labour * elderly


def job_loss(migrants, u, separation):
    """One migrant of a household returns home when its draw falls below the separation rate."""
    return (migrants > 0) & (u < separation)


def living_cost_away(migrant_pay, share):
    """A month's living costs of migrants at the place of work (consumption): ``share`` of their pay."""
    return share * migrant_pay
