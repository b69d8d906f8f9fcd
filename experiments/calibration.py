"""Calibration by the method of simulated moments (McFadden 1989; Gourieroux & Monfort 1996).

A declared set of uncertain parameters is fitted so that the baseline's
validation statistics (:mod:`ruralsim.experiments.validation`) come as close as possible to the
observed targets.  Every evaluation runs the same replicate seeds (common
random numbers), so the objective is a deterministic function of the
parameters and small parameter changes give small changes in it.  The
distance of each statistic to its target is scaled by the half-width of its
tolerance band, so a value at the edge of a band centred on the observed value counts 1; targets whose
band is one-sided count only when outside it.  The optimiser is Nelder-Mead
on parameters rescaled to [0, 1] within their declared bounds; it starts from the current defaults.

Policy levers are never calibrated: only behavioural and economic parameters
whose values are not known from a published figure.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from ruralsim.model.parameters import SPEC
from .validation import TARGETS, run_regimes, validate


@dataclass(frozen=True)
class Uncertain:
    key: str
    low: float
    high: float
    why: str


#: The parameters fitted, their search ranges and the target each mainly speaks to.
FITTED = [
    Uncertain("economy.farm_tfp", 3000.0, 15000.0, "level of business income (business share)"),
    Uncertain("population.private_transfer_pc", 500.0, 4000.0, "transfer share"),
    Uncertain("population.skill_sd", 0.2, 1.2, "inequality (Gini)"),
    Uncertain("population.ex_poor_skill_gap", 0.0, 1.0, "ex-poor income in 2020"),
    Uncertain("labour.migration_cost", 0.0, 5.0, "the level of wage income (wage share)"),
    Uncertain("cooperative.price_premium", 0.1, 0.5, "the cooperative member income premium"),
    Uncertain("monitoring.detection", 0.0, 0.1, "persons ever flagged 2021-2025"),
    Uncertain("economy.weather_sd", 0.05, 0.5, "income shocks other than illness (share of falls caused by medical spending)"),
    Uncertain("monitoring.detection_sudden", 0.0, 1.0, "persons ever flagged and the share whose risk was eliminated"),
    Uncertain("dibao.coverage", 0.4, 0.95, "falls into poverty and their causes"),
    Uncertain("earnings.permanent_sd", 0.02, 0.3, "persistence of poverty (exit after a one-year spell) and inequality"),
    Uncertain("earnings.permanent_persistence", 0.8, 0.99, "persistence of poverty (exit after a one-year spell)"),
    Uncertain("earnings.transitory_sd", 0.0, 0.3, "transience of poverty (exit after a one-year spell)"),
    Uncertain("monitoring.assessment_error", 0.0, 0.6, "share of flagged persons whose risk was eliminated"),
]

#: Targets left out of the fit, as declared in data/validation_targets.csv: they are checked by validation only.
NOT_FITTED = {t.key for t in TARGETS if t.role == "held_out"}


def distance(table) -> float:
    """Sum of squared scaled deviations of the fitted targets (0 when every model mean hits its observed value)."""
    total = 0.0
    for _, r in table.iterrows():
        if r["target"] in NOT_FITTED or not np.isfinite(r["model_mean"]):
            continue
        lo, hi, obs, m = r["tolerance_low"], r["tolerance_high"], r["observed"], r["model_mean"]
        if np.isinf(hi) or np.isinf(lo):
            d = 0.0 if lo <= m <= hi else (lo - m if m < lo else m - hi) / max(abs(obs), 1e-9)
        else:
            d = (m - obs) / ((hi - lo) / 2.0)
        total += d * d
    return float(total)


def evaluate(values: dict, replicates: int, households: int, seed: int, years: int):
    table = validate(run_regimes(replicates, households, seed, years, overrides=values))
    return distance(table), table


def calibrate(replicates: int = 3, households: int = 10_000, seed: int = 0, years: int = 10,
              max_evaluations: int = 150, fitted=FITTED, log=print) -> dict:
    """Fit the declared parameters; returns the fitted values, the fit and the history."""
    start = np.array([(SPEC[k.split(".")[0]][k.split(".")[1]].value - u.low) / (u.high - u.low)
                      for u in fitted for k in [u.key]])
    history = []
    t0 = time.perf_counter()

    def to_values(x):
        x = np.clip(x, 0.0, 1.0)
        return {u.key: float(u.low + xi * (u.high - u.low)) for u, xi in zip(fitted, x)}

    def objective(x):
        values = to_values(x)
        d, _ = evaluate(values, replicates, households, seed, years)
        history.append({**values, "distance": d})
        if log and len(history) % 10 == 0:
            log(f"  evaluation {len(history)}: distance {d:.3f} (best {min(h['distance'] for h in history):.3f}, "
                f"{time.perf_counter() - t0:.0f} s)")
        return d

    d0 = objective(start)
    res = minimize(objective, start, method="Nelder-Mead",
                   options={"maxfev": max_evaluations, "xatol": 1e-3, "fatol": 1e-3, "initial_simplex": None})
    best = min(history, key=lambda h: h["distance"])
    values = {u.key: best[u.key] for u in fitted}
    d, table = evaluate(values, replicates, households, seed, years)
    return {"fitted": values, "distance": d, "start_distance": d0, "evaluations": len(history),
            "seconds": time.perf_counter() - t0, "settings": {"replicates": replicates, "households": households,
                                                             "seed": seed, "years": years},
            "converged": bool(res.success), "table": table.to_dict(orient="records"), "history": history}
