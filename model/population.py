"""The default county: an initial population lifted out of poverty by the end of 2020.

Generated for any number of households; villages, cooperatives and enterprises
scale with it.  Distributions are assumptions shaped by published figures
(household size and labour, schooling, land, illness of registered households);
their scale constants are set in :mod:`model.parameters` so that the county's
2020 figures match ``data/calibration_targets.csv`` (see ``docs/ODD.md``,
Initialisation).  The draws use a numpy Generator spawned from the run seed, so a
county is a pure function of (seed, number of households, parameters).
"""

from __future__ import annotations

import numpy as np
from scipy.stats import beta

from .rules import cooperative, fortune, health
from .state import COOP_COLUMNS, ENTERPRISE_COLUMNS, HOUSEHOLD_COLUMNS, Columns

# (non-poor, ex-poor) probabilities of 0, 1, 2, ... members of each kind.
WORKERS_P = ([0.03, 0.15, 0.52, 0.22, 0.08], [0.08, 0.30, 0.44, 0.14, 0.04])
CHILDREN_P = ([0.35, 0.35, 0.22, 0.08], [0.30, 0.33, 0.25, 0.12])
ELDERLY_P = ([0.45, 0.30, 0.25], [0.35, 0.30, 0.35])
CHRONIC_P = (0.10, 0.28)  # registered households: illness the main cause (LGOP 2013-2015)
EDU_MEAN = (8.5, 6.8)     # years of schooling of rural workers; assumption from CFPS-type figures
LAND_MEDIAN = (6.0, 3.5)  # mu per household; relocated households keep a fifth
ASSET_MEDIAN = (20000.0, 8000.0)
SAVINGS_MEDIAN = (8000.0, 2500.0)


def _choice(rng, probs_by_group, group):
    out = np.empty(group.size)
    for g, probs in enumerate(probs_by_group):
        idx = np.flatnonzero(group == g)
        out[idx] = rng.choice(len(probs), size=idx.size, p=probs)
    return out


def generate(n: int, seed: int, params) -> tuple[Columns, Columns, Columns]:
    """Households, cooperatives and enterprises of the default county."""
    if n < 1:
        raise ValueError(f"The number of households must be a positive integer. Got {n}.")
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 20201231]))
    pop, coop_p, ent_p = params.population, params.cooperative, params.enterprise
    hh = Columns(HOUSEHOLD_COLUMNS, n)

    n_villages = max(1, int(round(n / pop.households_per_village)))
    hh.village[:] = np.arange(n) * n_villages // n
    poor = rng.random(n) < pop.ex_poor_share
    g = poor.astype(int)
    hh.is_ex_poor[:] = poor
    hh.relocated[:] = poor & (rng.random(n) < pop.relocated_share)
    hh.workers[:] = _choice(rng, WORKERS_P, g)
    hh.children[:] = _choice(rng, CHILDREN_P, g)
    hh.elderly[:] = _choice(rng, ELDERLY_P, g)
    hh.elderly[(hh.workers + hh.children + hh.elderly) == 0] = 1.0
    hh.members[:] = hh.workers + hh.children + hh.elderly
    hh.edu[:] = np.clip(rng.normal(np.take(EDU_MEAN, g), 2.5), 0.0, 15.0)
    hh.schooling[:] = np.where(hh.children > 0, rng.integers(-6, 12, n), 0).astype(float)
    # the youngest child about three years behind each elder one, not before birth (six years before school)
    hh.youngest[:] = np.where(hh.children > 0, np.maximum(hh.schooling - 3.0 * (hh.children - 1.0), -6.0), 0.0)
    hh.chronic[:] = rng.random(n) < np.take(CHRONIC_P, g)
    hh.land[:] = np.take(LAND_MEDIAN, g) * np.exp(rng.normal(0.0, pop.land_sigma, n)) * np.where(hh.relocated, 0.2, 1.0)
    hh.assets[:] = np.take(ASSET_MEDIAN, g) * np.exp(rng.normal(0.0, pop.asset_sigma, n))
    hh.savings[:] = np.take(SAVINGS_MEDIAN, g) * np.exp(rng.normal(0.0, 1.0, n))
    hh.ability[:] = rng.normal(-pop.ex_poor_skill_gap * g, pop.skill_sd)  # fixed log productivity
    hh.effort[:] = 1.0
    hh.taste[:] = rng.exponential(1.0, n)
    s = pop.transfer_sigma  # mean-one lognormal
    hh.private_transfer[:] = pop.private_transfer_pc * hh.members * np.exp(rng.normal(-0.5 * s * s, s, n))
    hh.employer[:] = -1

    # One cooperative per village; members among households with land.
    coops = Columns(COOP_COLUMNS, n_villages)
    coops.village[:] = np.arange(n_villages)
    m = coop_p.leader_capacity_mean
    # inverse CDF of one uniform per cooperative: the number of draws must not depend on parameters,
    # or counties generated under different scenarios would stop being the same county after this point
    coops.capacity[:] = beta.ppf(rng.random(n_villages), 5.0 * m, 5.0 * (1.0 - m))
    coops.alive[:] = True
    coops.failed_year[:] = -1
    member = (rng.random(n) < pop.coop_member_share) & (hh.land > 0.5)
    hh.cooperative[:] = np.where(member, hh.village, -1)
    fund_holders = np.bincount(hh.village[member & poor], minlength=n_villages)
    coops.asset_fund[:] = coop_p.asset_fund_per_ex_poor * fund_holders
    coops.cash[:] = coop_p.start_capital_per_household * np.bincount(hh.village, minlength=n_villages)
    coops.advance[:] = cooperative.first_advance(coops.capacity, coop_p)

    n_ent = max(1, int(round(n / pop.households_per_enterprise)))
    ents = Columns(ENTERPRISE_COLUMNS, n_ent)
    area = coops.village * n_ent // n_villages  # the enterprise serving each village
    contracted = rng.random(n_villages) < ent_p.coops_per_enterprise_share
    coops.enterprise[:] = np.where(contracted, area, -1)
    ents.alive[:] = True
    ents.exit_year[:] = -1
    hh_area = hh.village * n_ent // n_villages
    ents.jobs[:] = params.labour.local_jobs_per_household * np.bincount(hh_area, minlength=n_ent)
    ents.workshop_jobs[:] = np.floor(params.labour.workshop_jobs_per_relocated
                                     * np.bincount(hh_area[hh.relocated], minlength=n_ent))
    ents.jobs[:] = np.floor(ents.jobs)
    ents.cash[:] = ent_p.cash_buffer_months * params.economy.local_wage * (ents.jobs + ents.workshop_jobs)
    # the persistent income component, from its stationary distribution (drawn last: the draws above do not
    # move); the chronically ill start at the chronic end of the health stock; productivity from its components
    e = params.earnings
    hh.fortune[:] = fortune.stationary(rng.normal(0.0, 1.0, n), e.permanent_persistence, e.permanent_sd)
    hh.ill_health[:] = np.where(hh.chronic, e.chronic_threshold, 0.0)
    hh.skill[:] = fortune.productivity(hh.ability, hh.fortune, hh.transitory,
                                       health.health_factor(hh.ill_health, e.health_productivity_loss), 1.0, e)
    # enterprises' productivity (mean one) and their first contract terms; contracts are open (no quantity
    # limit) in the burn-in year, when each enterprise sizes its plant (drawn after fortune: nothing above moves)
    sd = ent_p.productivity_sd
    ents.productivity[:] = np.exp(sd * rng.normal(0.0, 1.0, n_ent) - 0.5 * sd * sd)
    ents.premium[:] = ent_p.contract_premium
    ents.floor[:] = ent_p.floor_price
    coops.contract_quantity[:] = np.where(contracted, np.inf, 0.0)
    return hh, coops, ents
