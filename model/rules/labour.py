"""Mechanism 2: labour allocation among the farm, local jobs, migrant work and welfare posts.

Each January a household decides how many workers migrate (外出务工): all who
can leave do so when the migrant income that reaches home, net of the
household's own cost of migrating (caring for dependants, distance; a fixed
household taste), beats what they would add on the farm.  One worker stays home
when there are children and no grandparent to look after them, or a chronic
illness to care for; children left with grandparents (留守儿童) and elderly
parents left on their own (空巢老人) do not keep a worker home.  Those
staying apply for a local job (enterprise or workshop 扶贫车间) when it pays
more than farming; jobs are rationed (registered and monitored households first,
then a random queue).  Public-welfare posts (公益岗位) go to targeted households
with nobody in off-farm work.  In any month a migrant may lose the job (more
often in a migrant-labour shock year) and return to the farm for the rest of the year.

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


def migrant_supply(workers, children, elderly, chronic, migrant_income, farm_return, taste, cost):
    """Number of migrants: every worker who can leave, if net migrant income beats the farm."""
    gain = migrant_income * (1.0 - cost * taste) > farm_return
    return np.where(gain, max_migrants(workers, children, elderly, chronic), 0.0)


def applies_local(stay_workers, local_income, farm_return):
    """A household with a worker at home applies for one local job if it pays more than farming."""
    return (stay_workers >= 1.0) & (local_income > farm_return)


def farm_labour(workers, migrants, local_job, post, elderly, chronic, sick, econ, chronic_loss):
    """Worker-equivalents left on the farm this month (a welfare post is half-time)."""
    own = workers - migrants - local_job - 0.5 * post - sick - chronic_loss * chronic
    return np.maximum(own, 0.0) + econ.elderly_farm_labour * elderly


def job_loss(migrants, u, separation):
    """One migrant of a household returns home when its draw falls below the separation rate."""
    return (migrants > 0) & (u < separation)
