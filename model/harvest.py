"""The harvest (June and October): weather, the enterprises' floor price, sale, and the books.

At each harvest (1) every village's weather is drawn and households bring in
their harvest; (2) each enterprise decides whether it will honour its
guaranteed floor price; (3) each cooperative buys its share of its members'
harvest at its advance price and sells it on, to its enterprise under contract
(订单农业) up to the contracted quantity and the rest on its own; (4) households
sell what the cooperative did not buy to traders (spot) and receive the
harvest-time programmes; (5) cooperatives book their purchases, enterprises
their contract purchases and processed sales.  Rules: :mod:`model.rules.cooperative`,
:mod:`model.rules.production`.  Amounts per cooperative or enterprise are handed
to the agents as lists in row order, so that each reads plain numbers.
"""

from __future__ import annotations

import numpy as np

from .agents import LeadingEnterprise, cooperative
from .environment import village_weather

BAD_HARVEST = 0.8  # a village harvest below 80% of normal counts as a harvest shock (for cause attribution)


def harvest(model, ctx, months: float) -> np.ndarray:
    """One harvest after ``months`` months of farm work; returns each household's income from it."""
    p, h, c = model.params, model.hh, model.coops
    enterprises = model.agents_by_type[LeadingEnterprise]
    weather = village_weather(model, ctx)
    model.bad_harvest |= weather < BAD_HARVEST
    quantity = model.households.harvest(ctx, months, weather)
    ecommerce = p.enterprise.ecommerce_premium * ctx.levels["ecommerce"]
    enterprises.do("floor_offered", ctx, ecommerce)  # each decides whether it honours its floor this harvest
    member = h.cooperative >= 0
    cid = np.where(member, h.cooperative, 0)
    offered = np.bincount(cid, weights=member * quantity, minlength=c.n)
    rows = np.arange(c.n)  # every cooperative sells as Cooperative.sell does, all at once
    contract_share, delivered, value = cooperative.sell_rows(model, rows, ctx, offered, ecommerce)
    terms = {"advance_price": c.advance * ctx.price, "buy_share": c.buy_share, "contract_share": contract_share}
    sale = model.households.sell_harvest(ctx, quantity, terms)
    cooperative.book_rows(model, rows, *(np.bincount(cid, weights=sale[flow], minlength=c.n)
                                         for flow in ("advances", "premium")))
    buyer = np.maximum(c.enterprise, 0)
    n = model.enterprises.n
    bought = np.bincount(buyer, weights=value, minlength=n)
    enterprises.do("book_purchases", ctx, bought.tolist(), np.bincount(buyer, weights=delivered, minlength=n).tolist(),
                   ecommerce)
    model.gov.support_contracts(ctx, bought)
    return sale["revenue"]
