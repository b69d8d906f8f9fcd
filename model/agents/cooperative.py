"""The farmers' professional cooperative (农民专业合作社), one per village.

A cooperative sells its members' produce at a better price the more capable its
leader (带头人), keeps a margin, receives industry support per member, and in
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

    # -- every month -----------------------------------------------------------------------
    def claim_industry_support(self, ctx) -> None:
        """Industry support (产业扶贫奖补) per member household, a twelfth of the year's each month."""
        support = self.model.gov.programmes["industry_support"]
        self.claim = (float(self.alive) * self.members_n * support.other["coop_per_member"] / 12.0
                      * ctx.levels["industry_support"])

    def receive_industry_support(self, factor: float) -> None:
        paid = self.claim * factor
        self.recv_gov += paid
        self.surplus += paid

    # -- harvest ---------------------------------------------------------------------------
    def set_prices(self, ctx, floors, ecommerce: float) -> None:
        """The price it obtains on its own (before its margin) and, under a contract with an operating
        enterprise (订单农业), the contract price: the enterprise's floor (``floors``, per enterprise row; 0
        when it defaults) or its own price plus the contract premium, whichever is higher, raised by
        e-commerce sales."""
        p = self.model.params
        self.own_price = rules.coop_price(ctx.price, self.capacity, p.cooperative)
        buyer = max(self.enterprise, 0)
        self.contract_price = production.contract_price(self.own_price, floors[buyer], p.enterprise.contract_premium,
                                                        ecommerce)
        self.contracted = self.enterprise >= 0 and bool(self.model.enterprises.alive[buyer]) and self.alive

    def book_sales(self, via_coop, premium, paid_on) -> None:
        """Book the harvest: members' sales through it, the consumption-support premium it received for
        them and what it paid them (arrays per cooperative row)."""
        r = self.row
        self.sales += via_coop[r]
        self.paid_members += paid_on[r]
        self.recv_gov += premium[r]
        self.surplus += via_coop[r] + premium[r] - paid_on[r]  # the cooperative's margin

    # -- December --------------------------------------------------------------------------
    def close_accounts(self, holders) -> None:
        """Deduct the running cost and the asset-income dividend pool; set the dividend per share holder
        (``holders``: registered member households per cooperative row)."""
        c = self.model.params.cooperative
        self.surplus -= c.cost_per_member * self.members_n
        n = holders[self.row]
        pool = c.asset_dividend_rate * self.asset_fund if (self.alive and n > 0) else 0.0
        self.surplus -= pool
        self.dividend_per_holder = pool / max(n, 1.0)

    def book_dividends(self, paid, patronage) -> None:
        """Book what was paid to members; the surplus not paid back as patronage dividends is retained."""
        self.paid_members += paid[self.row]
        self.cash += self.surplus - patronage[self.row]

    def survive_or_fail(self, ctx) -> None:
        """A working cooperative may fail (more likely under a weak leader or after a loss); a cooperative
        that failed earlier may be refounded under a new leader.  No failure in the calibration years."""
        c, t = self.model.params.cooperative, self.model.t
        streams = self.model.village_streams
        self.failed = False
        u = 1.0 if ctx.neutral else streams.uniform_one("coop_survival", t, self.row)
        if self.alive and u < rules.failure_hazard(self.capacity, self.surplus, c):
            self.failed = True
            self.alive = False
            self.asset_fund = 0.0
            return
        u = 1.0 if ctx.neutral else streams.uniform_one("coop_refound", t, self.row)
        if not self.alive and u < c.refound_prob:
            self.alive = True
            self.capacity = 0.2 + 0.6 * u / max(c.refound_prob, 1e-12)
            self.cash = 0.0


def pay_dividends(model, ctx) -> np.ndarray:
    """December: every cooperative closes its accounts and pays its members, asset-income dividends first,
    then patronage dividends (二次分红); then each may fail (its members then sell spot) or be refounded.
    Returns what each household received."""
    coops, h, c = model.agents_by_type[Cooperative], model.hh, model.coops
    member = h.cooperative >= 0
    cid = np.where(member, h.cooperative, 0)
    holders = member & h.is_ex_poor
    coops.do("close_accounts", np.bincount(cid, weights=holders, minlength=c.n))
    per_holder = np.array(coops.get("dividend_per_holder"))
    asset_dividend = holders * per_holder[cid]
    coop_sales = np.bincount(cid, weights=h.coop_sales, minlength=c.n)
    patronage = member * rules.patronage_dividend(c.surplus[cid], model.params.cooperative.dividend_share,
                                                  h.coop_sales, coop_sales[cid])
    paid = asset_dividend + patronage
    coops.do("book_dividends", np.bincount(cid, weights=paid, minlength=c.n),
             np.bincount(cid, weights=patronage, minlength=c.n))
    h.property += paid
    h.recv_coop += paid
    coops.do("survive_or_fail", ctx)
    failed = np.array(coops.get("failed"), dtype=bool)
    h.cooperative[:] = np.where(member & failed[cid], -1, h.cooperative)
    return paid
