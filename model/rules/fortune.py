"""Mechanism 11: persistent household fortune (持续性收入冲击).

Besides its fixed skill and the shocks that pass within a year (weather, a
hospital stay, a lost migrant job), a household's earning power moves with
shocks that last: a herd lost to disease, an injury that is never quite
healed, a contractor who stops calling, a plot that loses its water.  They
are summarised by one log productivity deviation per household that follows a
stationary AR(1) process from year to year,

    x_t = rho * x_(t-1) + sqrt(1 - rho^2) * sd * e_t,   e_t ~ N(0, 1),

and multiplies the household's productivity on the farm and in wage work.
The county starts in the stationary distribution (x ~ N(0, sd^2)), so the
spread of incomes does not drift as the process runs.  Income processes with
a persistent and a transitory part are the standard description of household
income dynamics (e.g. Meghir & Pistaferri 2004; for rural China,
Santaeulàlia-Llopis & Zheng 2018, AEJ: Macroeconomics 10(4)); about half of
rural Chinese poverty is transient and half chronic (Jalan & Ravallion 2000,
Journal of Development Studies 36(6)).  Without a persistent part every fall
into poverty would be undone within a year or two, far faster than the
poverty exits observed in CFPS panels.
"""

from __future__ import annotations

import numpy as np


def stationary(z, sd):
    """Starting deviations drawn from the stationary distribution N(0, sd^2) (``z`` standard normal)."""
    return sd * z


def next_year(x, z, persistence, sd):
    """Next year's deviations: AR(1) with the given persistence that keeps the variance at sd^2."""
    return persistence * x + np.sqrt(1.0 - persistence * persistence) * sd * z


def productivity_change(x_old, x_new):
    """Factor by which a household's productivity changes when its deviation moves from x_old to x_new."""
    return np.exp(x_new - x_old)
