"""Common random numbers: counter-based random streams per household and purpose.

Every random draw in the model is a pure function of
``(run seed, purpose, entity id, month)``: a 64-bit integer hash of those four
numbers turned into a uniform number in [0, 1).  The same household therefore
meets the same illness, weather, price and job shocks in every policy arm of a
comparison, whatever the other households or the government do, and the draws
do not depend on the order in which agents are processed.  Reform-minus-baseline
differences are paired and far less noisy (common random numbers, Law & Kelton
2000, ch. 11).

The hash is the SplitMix64 output function (Steele, Lea & Flood 2014, "Fast
splittable pseudorandom number generators", OOPSLA), a bijective avalanche mixer
on 64-bit words, applied to ``id * golden + key(seed, purpose, month)``.  It is
vectorised over numpy ``uint64`` arrays (wrap-around multiplication is exact),
so no per-household Generator object is needed.  ``uniform_scalar`` computes
the identical bits with Python integers for the per-agent engine (the Mesa ``Household`` agents).
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri

MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB
_TO_UNIT = 2.0**-53

#: Purposes are fixed small integers so that adding a purpose never changes
#: the draws of the existing ones.
PURPOSES = {
    "illness": 1,
    "illness_cost": 2,
    "chronic": 3,
    "weather": 4,
    "price": 5,
    "migrant_job": 6,
    "migration_taste": 7,
    "job_queue": 8,
    "monitoring": 9,
    "school": 10,
    "coop_join": 11,
    "coop_survival": 12,
    "enterprise": 13,
    "macro": 14,
    "disaster": 15,
    "training": 16,
    "credit": 17,
    "retire": 18,
    "coop_refound": 19,
    "dibao_takeup": 20,
    "assessment": 22,
    # enterprises
    "enterprise_entry": 23,
    "enterprise_productivity": 24,
    # the labour market
    "job_quit": 31,
    "layoff": 32,
    # cooperatives
    "leader_training": 33,
    # demography: births, deaths, household formation (model/rules/demography.py, model/demography.py)
    "birth": 60,
    "death_child": 61,
    "death_worker": 62,
    "death_elderly": 63,
    "formation_parent": 64,
    "formation_spouse": 65,
    # the income process and survey measurement
    "permanent": 41,
    "transitory": 42,
    "survey_error": 43,
}

#: The month index used for draws fixed for a whole run (e.g. whether a household's dibao claim is
#: ever recognised): no simulated month uses it.
FIXED = -1000


def _mix_int(x: int) -> int:
    """SplitMix64 finaliser on a Python int (exact 64-bit arithmetic)."""
    x &= MASK
    x = ((x ^ (x >> 30)) * _M1) & MASK
    x = ((x ^ (x >> 27)) * _M2) & MASK
    return x ^ (x >> 31)


def stream_key(seed: int, purpose: str, month: int) -> int:
    """64-bit key of one (seed, purpose, month) triple; the entity id is added later."""
    k = _mix_int(int(seed) * GOLDEN + PURPOSES[purpose])
    return _mix_int(k + (int(month) + 1) * _M2)


def id_terms(ids: np.ndarray) -> np.ndarray:
    """Precomputed ``id * golden`` (mod 2**64) for an array of entity ids."""
    return np.asarray(ids, dtype=np.uint64) * np.uint64(GOLDEN)


_S30, _S27, _S31, _S11 = (np.uint64(k) for k in (30, 27, 31, 11))
_U1, _U2 = np.uint64(_M1), np.uint64(_M2)


def uniform(seed: int, purpose: str, month: int, terms: np.ndarray) -> np.ndarray:
    """Uniform [0, 1) draws for every entity whose ``id_terms`` are given."""
    x = terms + np.uint64(stream_key(seed, purpose, month))
    tmp = np.empty_like(x)
    x ^= np.right_shift(x, _S30, out=tmp)
    x *= _U1
    x ^= np.right_shift(x, _S27, out=tmp)
    x *= _U2
    x ^= np.right_shift(x, _S31, out=tmp)
    x >>= _S11
    u = x.astype(np.float64)
    u *= _TO_UNIT
    return u


def uniform_scalar(seed: int, purpose: str, month: int, entity: int) -> float:
    """The same draw as :func:`uniform` for one entity, in plain Python."""
    x = _mix_int(int(entity) * GOLDEN + stream_key(seed, purpose, month))
    return (x >> 11) * _TO_UNIT


def normal(seed: int, purpose: str, month: int, terms: np.ndarray) -> np.ndarray:
    """Standard normal draws by the inverse CDF of :func:`uniform` (never infinite)."""
    u = uniform(seed, purpose, month, terms)
    return ndtri(np.clip(u, _TO_UNIT, 1.0 - _TO_UNIT))


def normal_scalar(seed: int, purpose: str, month: int, entity: int) -> float:
    """The same draw as :func:`normal` for one entity."""
    u = uniform_scalar(seed, purpose, month, entity)
    return float(ndtri(min(max(u, _TO_UNIT), 1.0 - _TO_UNIT)))


class Streams:
    """The random streams of one run, bound to its seed and a set of entities."""

    def __init__(self, seed: int, n: int):
        self.seed = int(seed)
        self.terms = id_terms(np.arange(n))

    def uniform(self, purpose: str, month: int, idx: np.ndarray | None = None) -> np.ndarray:
        terms = self.terms if idx is None else self.terms[idx]
        return uniform(self.seed, purpose, month, terms)

    def normal(self, purpose: str, month: int, idx: np.ndarray | None = None) -> np.ndarray:
        terms = self.terms if idx is None else self.terms[idx]
        return normal(self.seed, purpose, month, terms)

    def uniform_one(self, purpose: str, month: int, entity: int) -> float:
        return uniform_scalar(self.seed, purpose, month, entity)

    def normal_one(self, purpose: str, month: int, entity: int) -> float:
        return normal_scalar(self.seed, purpose, month, entity)
