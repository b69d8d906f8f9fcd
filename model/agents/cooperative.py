"""The farmers' professional cooperative (农民专业合作社), one per village.

A cooperative sells its members' produce at a better price the more capable its
leader (带头人), keeps a margin, receives industry support per member (paid by
:meth:`model.agents.Government.support_cooperatives`), and in
December pays a dividend on the fiscal funds held as shares by registered members
(资产收益扶贫) and then returns part of its surplus to members in proportion to
what they sold through it (二次分红, Farmers' Professional Cooperatives Law 2017,
art. 44: at least 60%).  Weakly led or loss-making cooperatives fail; a failed
village cooperative may be refounded under a new leader.  The rules and their
sources are in :mod:`model.rules.cooperative`; the defaults in
:mod:`model.parameters` (``cooperative.*``).

Each :class:`Cooperative` acts through its own methods.  What concerns all its
member households at once (their sales, their dividends) is aggregated per
cooperative with ``np.bincount`` and paid out over the household columns.
"""

from __future__ import annotations

import numpy as np

from ..rules import cooperative as rules
from ..rules import production
from ..state import COOP_COLUMNS
from .row import RowAgent, row_of


@row_of("coops", COOP_COLUMNS)
class Cooperative(RowAgent):
    """A village cooperative; its attributes are its row of ``model.coops`` (:mod:`model.state`)."""

    # -- January ---------------------------------------------------------------------------
    def new_year(self) -> None:
        """Open the year's accounts."""
        self.surplus = 0.0
        self.sales = 0.0
        self.paid_members = 0.0
        self.recv_gov = 0.0

    def member_gain(self) -> float:
        """What membership adds per unit of output at market price 1: the price paid to members
        (the cooperative's price less its margin) over the spot price."""
        c, spot = self.model.params.cooperative, self.model.params.economy.spot_price_factor
        return rules.member_price(rules.coop_price(1.0, self.capacity, c), c) - spot

    def count_members(self, members) -> None:
        """Recount the member households (``members``: members per cooperative row)."""
        self.members_n = members[self.row]

    # -- harvest ---------------------------------------------------------------------------
    def offer_prices(self, ctx, floors, ecommerce: float) -> tuple[float, float, bool]:
        """(the price it obtains on its own, before its margin; the contract price; whether it sells under a
        contract).  Under a contract with an operating enterprise (订单农业) its members are paid the
        enterprise's floor (``floors``, per enterprise row; 0 when the enterprise defaults) or its own price
        plus the contract premium, whichever is higher, raised by e-commerce sales."""
        p = self.model.params
        own = rules.coop_price(ctx.price, self.capacity, p.cooperative)
        buyer = self.enterprise
        if buyer < 0:
            return own, 0.0, False
        contract = production.contract_price(own, floors[buyer], p.enterprise.contract_premium, ecommerce)
        return own, contract, bool(self.model.enterprises.alive[buyer]) and self.alive

    def book_sales(self, via_coop, premium, paid_on) -> None:
        """Book the harvest: members' sales through it, the consumption-support premium it received for
        them and what it paid them (arrays per cooperative row)."""
        r = self.row
        self.sales += via_coop[r]
        self.paid_members += paid_on[r]
        self.recv_gov += premium[r]
        self.surplus += via_coop[r] + premium[r] - paid_on[r]  # the cooperative's margin

    # -- December --------------------------------------------------------------------------
    def close_accounts(self, holders) -> float:
        """Deduct the running cost and the asset-income dividend pool from the surplus; returns the dividend
        per share holder (``holders``: registered member households per cooperative row)."""
        c = self.model.params.cooperative
        self.surplus -= c.cost_per_member * self.members_n
        n = holders[self.row]
        pool = c.asset_dividend_rate * self.asset_fund if (self.alive and n > 0) else 0.0
        self.surplus -= pool
        return pool / max(n, 1.0)

    def close_year(self, paid, patronage, hazard, survival_draw, refound_draw) -> bool:
        """Book what was paid to members (``paid``, of which ``patronage`` dividends); the rest of the surplus
        is retained.  Then a working cooperative may fail, with the yearly ``hazard`` it runs (higher under a
        weak leader or after a loss: :func:`model.rules.cooperative.failure_hazard`), and one that failed
        earlier may be refounded under a new leader.  All arguments are per cooperative row; returns whether
        it failed this year."""
        r, c = self.row, self.model.params.cooperative
        self.paid_members += paid[r]
        self.cash += self.surplus - patronage[r]
        if self.alive and survival_draw[r] < hazard[r]:
            self.alive = False
            self.asset_fund = 0.0
            return True
        u = refound_draw[r]
        if not self.alive and u < c.refound_prob:
            self.alive = True
            self.capacity = 0.2 + 0.6 * u / max(c.refound_prob, 1e-12)
            self.cash = 0.0
        return False


def pay_dividends(model, ctx) -> np.ndarray:
    """December: every cooperative closes its accounts and pays its members, asset-income dividends first,
    then patronage dividends (二次分红); then each may fail (its members then sell spot) or be refounded.
    Returns what each household received.  (Amounts per cooperative are handed over as lists, in row
    order, so that each cooperative reads plain numbers.)"""
    coops, h, c, cp = model.agents_by_type[Cooperative], model.hh, model.coops, model.params.cooperative
    member = h.cooperative >= 0
    cid = np.where(member, h.cooperative, 0)
    holders = member & h.is_ex_poor
    per_holder = np.array(coops.map("close_accounts", np.bincount(cid, weights=holders, minlength=c.n).tolist()))
    asset_dividend = holders * per_holder[cid]
    coop_sales = np.bincount(cid, weights=h.coop_sales, minlength=c.n)
    patronage = member * rules.patronage_dividend(c.surplus[cid], cp.dividend_share, h.coop_sales, coop_sales[cid])
    paid = asset_dividend + patronage
    h.property += paid
    h.recv_coop += paid
    hazard = rules.failure_hazard(c.capacity, c.surplus, cp)
    streams = model.village_streams  # no failure or refounding in neutral years
    survival, refound = (np.ones(c.n) if ctx.neutral else streams.uniform(purpose, ctx.t)
                         for purpose in ("coop_survival", "coop_refound"))
    failed = np.array(coops.map("close_year", np.bincount(cid, weights=paid, minlength=c.n).tolist(),
                                np.bincount(cid, weights=patronage, minlength=c.n).tolist(), hazard.tolist(),
                                survival.tolist(), refound.tolist()), dtype=bool)
    h.cooperative[:] = np.where(member & failed[cid], -1, h.cooperative)
    return paid
