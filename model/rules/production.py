"""Mechanism 1: farm production and sale.

Farm output (net value, yuan at 2020 prices) follows a Cobb-Douglas production
function in land, productive assets and farm labour, scaled by the household's
skill and effort, the county's farm-productivity trend and the village weather.
There are two techniques, a non-convex technology as in the poverty-trap literature
(Carter & Barrett 2006 *J. Development Studies* 42(2); Banerjee & Newman 1993 *JPE*
101(2); Balboni, Bandiera, Burgess, Ghatak & Heil 2022 *QJE* 137(2)): the improved one
(a greenhouse 大棚, a herd of livestock) is open only to a household whose productive
assets reach a threshold, and is more productive (``finance.improved_productivity``)
at the same inputs.
A cooperative member sells the share of its harvest its cooperative buys at the
cooperative's advance price (:mod:`model.rules.cooperative`) and the rest, like a
non-member, to traders (收购商) at a discount on the market price.  The cooperative
sells on under an enterprise contract (订单农业) at the higher of the guaranteed
floor price (保底价) and its own price plus a contract premium, unless the
enterprise defaults (then the floor does not hold); e-commerce / live-stream sales
(直播带货) raise the contract price.

Defaults: elasticities 0.40/0.25/0.35 (land/assets/labour) are typical of
smallholder production-function estimates; ``farm_tfp`` is calibrated to the 2019
poverty-area business-income share (NBS 2020-02-03).  See ``parameters.py``.
"""

from __future__ import annotations

import numpy as np


def asset_factor(assets, econ, fin):
    """The productive assets' factor of output: ``(1 + assets/K)^b`` with the traditional technique, times
    ``improved_productivity`` with the improved one (assets at or above ``asset_threshold``)."""
    factor = np.power(1.0 + assets / econ.asset_scale, econ.asset_elasticity)
    return np.where(assets >= fin.asset_threshold, factor * fin.improved_productivity, factor)


def output_before_assets(land, farm_labour, skill, effort, tfp, econ):
    """Annual net farm output at price 1 without the assets' factor: ``tfp * land^a * L^c * skill * effort``."""
    labour = np.maximum(farm_labour, 0.0)
    return tfp * np.power(land, econ.land_elasticity) * np.power(labour, econ.labour_elasticity) * skill * effort


def farm_output(land, assets, farm_labour, skill, effort, tfp, econ, fin):
    """Annual net farm output at price 1: ``tfp * land^a * L^c * skill * effort * asset_factor``."""
    return output_before_assets(land, farm_labour, skill, effort, tfp, econ) * asset_factor(assets, econ, fin)


def weather_factor(z, disaster, econ):
    """Mean-one lognormal weather multiplier of a village's harvest, cut by a disaster."""
    s = econ.weather_sd
    return np.exp(s * z - 0.5 * s * s) * np.where(disaster, 1.0 - econ.disaster_loss, 1.0)


def contract_price(reference_price, floor, premium, ecommerce):
    """Enterprise contract price: max(floor, reference * (1 + premium)), raised by e-commerce; the
    reference is the price the cooperative would obtain on its own."""
    return np.maximum(floor, reference_price * (1.0 + premium)) * (1.0 + ecommerce)
