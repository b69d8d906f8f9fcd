"""The harvest (June and October): weather, the enterprises' floor price, sale, and the books.

At each harvest (1) every village's weather is drawn; (2) each enterprise
decides whether it will honour its guaranteed floor price, and each cooperative
sets its own price and, if it has a contract, the enterprise's contract price;
(3) households harvest and sell through their channel (spot, cooperative,
contract) and receive the harvest-time programmes; (4) cooperatives book their
members' sales and margin, enterprises their contract purchases and processed
sales.  See :mod:`model.rules.production` for the sale channels.  Amounts per
cooperative or enterprise are handed to the agents as lists in row order, so that each reads plain
numbers.
"""

from __future__ import annotations

import numpy as np

from .agents import Cooperative, LeadingEnterprise
from .environment import village_weather

BAD_HARVEST = 0.8  # a village harvest below 80% of normal counts as a harvest shock (for cause attribution)


def harvest(model, ctx, months: float) -> np.ndarray:
    """One harvest after ``months`` months of farm work; returns each household's income from it."""
    p, h = model.params, model.hh
    coops, enterprises = model.agents_by_type[Cooperative], model.agents_by_type[LeadingEnterprise]
    weather = village_weather(model, ctx)
    model.bad_harvest |= weather < BAD_HARVEST
    ecommerce = p.enterprise.ecommerce_premium * ctx.levels["ecommerce"]
    floors = enterprises.map("floor_offered", ctx, ecommerce)
    own_price, contract_price, contracted = zip(*coops.map("offer_prices", ctx, floors, ecommerce))
    own_price, contract_price, contracted = np.array(own_price), np.array(contract_price), np.array(contracted)
    buyers = np.maximum(model.coops.enterprise, 0)  # each enterprise's own terms (premium, floor)
    contract_price = np.where(contracted, [enterprises[b].contract_offer(o, ecommerce) for b, o in zip(buyers, own_price)],
                              contract_price)
    sale = model.households.harvest(ctx, months, weather, own_price, contract_price, contracted)

    cid = np.where(h.cooperative >= 0, h.cooperative, 0)
    n = model.coops.n
    coops.do("book_sales", *(np.bincount(cid, weights=sale[flow], minlength=n).tolist()
                             for flow in ("via_coop", "premium", "from_coop")))
    # the enterprise buys up to the quantity it contracted; beyond it the cooperative sells at its own price,
    # having paid its members the contract price
    c = model.coops
    offered, value = (np.bincount(cid, weights=sale[flow], minlength=n) for flow in ("contract_quantity", "contract_value"))
    taken = np.minimum(offered, np.maximum(c.contract_quantity - c.delivered, 0.0))
    c.delivered += taken
    c.surplus -= (offered - taken) * (contract_price - own_price)
    bought = value * np.divide(taken, offered, out=np.zeros(n), where=offered > 0)
    n = model.enterprises.n
    enterprises.do("book_purchases", ctx, *(np.bincount(buyers, weights=flow, minlength=n).tolist()
                                            for flow in (bought, taken)), ecommerce)
    return sale["revenue"]
