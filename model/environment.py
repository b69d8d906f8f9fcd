"""The county's environment: village weather at each harvest and the monthly crop price.

Both are exogenous processes.  A village's harvest is scaled by a mean-one
lognormal weather factor, cut by a natural disaster (自然灾害) with a small
probability a harvest; a stress test can force a disaster on every village in
one year.  The log crop price follows an AR(1) process month to month around the
2020 price.  Neither moves in the burn-in and calibration years (weather at its
mean, price at 1).  Rules and defaults: :mod:`model.rules.production`,
``economy.*`` and ``shocks.*`` in :mod:`model.parameters`.
"""

from __future__ import annotations

import numpy as np

from .rules import production


def village_weather(model, ctx) -> np.ndarray:
    """This harvest's weather factor of every village."""
    p, villages = model.params, model.coops.n
    forced = p.shocks.disaster_year == ctx.year  # a stress-test disaster strikes every village, shocks or not
    if ctx.neutral:
        return np.full(villages, 1.0 - p.economy.disaster_loss if forced else 1.0)
    streams = model.village_streams
    disaster = (streams.uniform("disaster", ctx.t) < p.economy.disaster_prob) | forced
    return production.weather_factor(streams.normal("weather", ctx.t), disaster, p.economy)


def next_log_price(model, ctx) -> float:
    """The log crop price at the end of this month (unchanged in neutral months)."""
    if ctx.neutral:
        return model.log_price
    e = model.params.economy
    z = model.village_streams.normal_one("price", ctx.t, 0)
    return e.price_persistence * model.log_price + e.price_volatility * z
