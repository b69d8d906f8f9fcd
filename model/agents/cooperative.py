"""The farmers' professional cooperative (农民专业合作社), one per village: a firm that decides.

Each January, after the government has trained some leaders (带头人培训,
:meth:`model.agents.Government.train_leaders`), a :class:`Cooperative` sets the
advance price it will pay its members (a multiple of the market price at the
harvest) from last year's result and decides what share of its members' produce
it buys, limited by what it can market (its enterprise contract, 订单农业, and its
leader's reach) and by what its cash can finance.  At each harvest it buys that
share, delivers to its enterprise under contract up to the contracted quantity
and sells the rest on its own; it receives industry support per member (paid by
:meth:`model.agents.Government.support_cooperatives`).  In December it books its
running and fixed costs and the return on its collective assets, pays the
dividend on the fiscal funds held as shares by registered members first
(资产收益扶贫), then patronage dividends (二次分红, Farmers' Professional
Cooperatives Law 2017, art. 44: at least 60% of the surplus), reinvests part of
the rest and keeps the rest as cash.  It fails when its cash has run out or its
leader quits; a failed village cooperative may be refounded under a new leader.
The rules and their sources are in :mod:`model.rules.cooperative`; the defaults
in :mod:`model.parameters` (``cooperative.*``).

Each :class:`Cooperative` has its behaviour as methods (``plan``, ``sell``,
``close_accounts``, ``close_year``, ...); each method applies the rules of
:mod:`model.rules.cooperative` to its row through a ``*_rows`` function, and the
model calls those functions for every cooperative at once (one pass instead of
a Python call per cooperative, the same numbers).  What concerns all its member
households at once (their sales, their dividends) is aggregated per cooperative
with ``np.bincount`` and paid out over the household columns.
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
        """Open the year's accounts; last year's members' output and purchases are remembered for planning.
        (:func:`new_year_rows` for one cooperative.)"""
        new_year_rows(self.model, np.array([self.row]))

    def plan(self, ctx, ecommerce: float) -> None:
        """Decide the year (after the government's leader training): leader capacity moves (trained or
        depreciating); the advance price follows last year's result; the share of members' produce it buys
        is what it can market and finance at that advance (:mod:`model.rules.cooperative`)."""
        plan_rows(self.model, np.array([self.row]), ctx, ecommerce)

    # -- harvest ---------------------------------------------------------------------------
    def offer_prices(self, ctx, ecommerce: float) -> tuple[float, float, bool]:
        """(the price it obtains on its own, before e-commerce; the contract price; whether it sells under a
        contract).  Under a contract with an operating enterprise (订单农业) it is paid what the enterprise
        offers (:meth:`~model.agents.enterprise.LeadingEnterprise.contract_offer`: its floor unless it decided at
        this harvest to default, or this cooperative's own price plus the enterprise's premium, whichever is
        higher, raised by e-commerce sales).  (:func:`offer_rows` for one cooperative.)"""
        own, contract, contracted = offer_rows(self.model, np.array([self.row]), ctx, ecommerce)
        return float(own[0]), float(contract[0]), bool(contracted[0])

    def sell(self, ctx, offered, ecommerce: float) -> tuple[float, float, float]:
        """Buy its share of its members' harvest (``offered``: members' output per cooperative row, units) and
        sell it on: to its enterprise under contract up to the contracted quantity left, the rest on its own.
        Returns (share of its purchases delivered under contract, units delivered, their contract value).
        (:func:`sell_rows` for one cooperative.)"""
        share, deliver, value = sell_rows(self.model, np.array([self.row]), ctx, np.asarray(offered, dtype=float),
                                          ecommerce)
        return float(share[0]), float(deliver[0]), float(value[0])

    def book_purchases(self, advances, premium) -> None:
        """Book what it paid its members for their produce (``advances``) and the consumption-support premium
        it received for them and passed on (``premium``), per cooperative row.  (:func:`book_rows` for one.)"""
        book_rows(self.model, np.array([self.row]), np.asarray(advances, dtype=float), np.asarray(premium, dtype=float))

    def wind_up(self) -> float:
        """It failed: what cash is left goes to its members (returns the amount); a debt is written off."""
        left = max(self.cash, 0.0)
        self.paid_members += left
        self.cash = 0.0
        return left

    # -- December --------------------------------------------------------------------------
    def close_accounts(self, holders) -> float:
        """Book the return on its assets and its running costs, then the asset-income dividend on the fiscal
        funds held as shares (paid first, even after a loss); returns the dividend per share holder
        (``holders``: registered member households per cooperative row).  (:func:`close_accounts_rows` for one.)"""
        return float(close_accounts_rows(self.model, np.array([self.row]), np.asarray(holders, dtype=float))[0])

    def patronage(self) -> float:
        """The patronage dividend pool (二次分红) it pays out of this year's surplus."""
        return float(rules.patronage_pool(self.surplus, self.model.params.cooperative)) if self.alive else 0.0

    def close_year(self, ctx, paid, patronage, survival_draw, refound_draw, village_households) -> bool:
        """Book what was paid to members in December (``paid``, of which ``patronage`` dividends), reinvest
        part of the retained surplus, keep the rest as cash.  Then a working cooperative fails when its cash
        has run out or its leader quits (:func:`model.rules.cooperative.leader_quit_hazard`; not in neutral
        years), and one that failed earlier may be refounded under a new leader with its members' start
        capital.  All arguments are per cooperative row; returns whether it failed this year.
        (:func:`close_year_rows` for one cooperative.)"""
        return bool(close_year_rows(self.model, np.array([self.row]), ctx, *(np.asarray(x, dtype=float) for x in (
            paid, patronage, survival_draw, refound_draw, village_households)))[0])


def wind_up(model, failed: np.ndarray, member: np.ndarray, cid: np.ndarray) -> np.ndarray:
    """Cooperatives that failed this year (``failed``, per row) pay the cash they have left to their members, in
    proportion to what each sold to it this year (equally when nobody sold); a debt is written off (its creditors
    are not households of the county).  Returns what each household received."""
    h, c = model.hh, model.coops
    left = np.zeros(c.n)
    agents = list(model.agents_by_type[Cooperative])  # in row order
    for r in np.flatnonzero(failed):
        left[r] = agents[r].wind_up()
    leaving = np.flatnonzero(member & failed[cid])
    coop, sold = cid[leaving], h.coop_sales[leaving]
    sales = np.bincount(coop, weights=sold, minlength=c.n)
    heads = np.bincount(coop, minlength=c.n)
    share = np.where(sales[coop] > 0, sold / np.where(sales[coop] > 0, sales[coop], 1.0),
                     1.0 / np.maximum(heads[coop], 1.0))
    out = np.zeros(h.n)
    out[leaving] = left[coop] * share
    return out


def plan_rows(model, rows: np.ndarray, ctx, ecommerce: float) -> None:
    """The plan of :meth:`Cooperative.plan` for the operating cooperatives among ``rows`` (all at once: the
    rules of :mod:`model.rules.cooperative` apply to each row as to one cooperative)."""
    c, p, spot = model.coops, model.params.cooperative, model.params.economy.spot_price_factor
    rows = rows[c.alive[rows]]
    capacity = rules.leader_capacity(c.capacity[rows], c.trained[rows], p)
    buyer = c.enterprise[rows]  # a contract counts only with an operating enterprise
    contract = np.where((buyer >= 0) & model.enterprises.alive[np.maximum(buyer, 0)], c.contract_quantity[rows], 0.0)
    output, cash = c.member_output[rows], c.cash[rows]
    _, cash_binds = rules.buy_share(output, contract, cash, c.advance[rows] * ctx.price, capacity, p)
    advance = rules.next_advance(c.advance[rows], c.last_surplus[rows], c.last_bought[rows] * ctx.price, cash_binds,
                                 capacity, ecommerce, spot, p)
    share, _ = rules.buy_share(output, contract, cash, advance * ctx.price, capacity, p)
    c.capacity[rows], c.advance[rows], c.buy_share[rows] = capacity, advance, share


#: the year's flows, zero when a cooperative opens its accounts
YEARLY = ("surplus", "sales", "paid_members", "recv_gov", "recv_industry", "offered", "bought", "delivered", "purchases")


def new_year_rows(model, rows: np.ndarray) -> None:
    """:meth:`Cooperative.new_year` for the cooperatives ``rows`` at once."""
    c = model.coops
    c.member_output[rows] = c.offered[rows]
    c.last_bought[rows] = c.bought[rows]
    c.last_surplus[rows] = c.surplus[rows]
    for name in YEARLY:
        getattr(c, name)[rows] = 0.0
    c.trained[rows] = False


def close_year_rows(model, rows: np.ndarray, ctx, paid, patronage, survival_draw, refound_draw,
                    village_households) -> np.ndarray:
    """:meth:`Cooperative.close_year` for the cooperatives ``rows`` at once (arguments per cooperative row);
    returns which of them failed this year."""
    c, p = model.coops, model.params.cooperative
    c.paid_members[rows] += paid[rows]
    alive = c.alive[rows]
    a = rows[alive]
    c.cash[a] -= patronage[a]
    invest = rules.reinvestment(c.surplus[a] - patronage[a], p)
    c.cash[a] -= invest
    c.assets[a] += invest
    bought = c.purchases[a]
    c.dividend_rate[a] = np.where(bought > 0, patronage[a] / np.where(bought > 0, bought, 1.0), 0.0)
    c.loss_years[a] = np.where(c.surplus[a] < 0, c.loss_years[a] + 1.0, 0.0)
    quits = survival_draw[a] < rules.leader_quit_hazard(c.capacity[a], c.loss_years[a], p)
    fails = ((c.cash[a] < 0) | quits) & (not ctx.neutral)
    f = a[fails]
    c.alive[f] = False
    for name in ("asset_fund", "assets", "asset_dividend"):  # the fund is lost: nothing to publish to would-be members
        getattr(c, name)[f] = 0.0
    c.failed_year[f] = ctx.year
    failed = np.zeros(rows.size, dtype=bool)
    failed[alive] = fails
    dead = rows[~alive]  # failed in an earlier year: may be refounded under a new leader
    u = refound_draw[dead]
    new = dead[u < p.refound_prob]
    u = u[u < p.refound_prob]
    c.alive[new] = True
    c.capacity[new] = 0.2 + 0.6 * u / max(p.refound_prob, 1e-12)
    c.cash[new] = p.start_capital_per_household * village_households[new]
    c.advance[new] = rules.first_advance(c.capacity[new], p)
    for name in ("assets", "loss_years", "dividend_rate", "offered", "bought", "surplus"):
        getattr(c, name)[new] = 0.0
    c.failed_year[new] = -1
    return failed


def close_accounts_rows(model, rows: np.ndarray, holders: np.ndarray) -> np.ndarray:
    """:meth:`Cooperative.close_accounts` for the cooperatives ``rows`` at once; returns the dividend per share
    holder per row (0 for a cooperative not operating)."""
    c, p = model.coops, model.params.cooperative
    alive = c.alive[rows]
    live = rows[alive]
    n = holders[live]
    net = p.asset_return * c.assets[live] - p.cost_per_member * c.members_n[live] - p.fixed_cost
    c.asset_dividend[live] = p.asset_dividend_rate * c.asset_fund[live] / np.maximum(n, 1.0)
    pool = np.where(n > 0, p.asset_dividend_rate * c.asset_fund[live], 0.0)
    c.surplus[live] += net - pool
    c.cash[live] += net - pool
    out = np.zeros(rows.size)
    out[alive] = pool / np.maximum(n, 1.0)
    return out


def offer_rows(model, rows: np.ndarray, ctx, ecommerce: float):
    """:meth:`Cooperative.offer_prices` for the cooperatives ``rows`` at once: (own price, contract price,
    whether under a contract) per row."""
    c, e = model.coops, model.enterprises
    own = rules.coop_price(ctx.price, c.capacity[rows], model.params.cooperative)
    buyer = c.enterprise[rows]
    b = np.maximum(buyer, 0)
    floor = np.where(e.defaulting[b], 0.0, e.floor[b])
    linked = buyer >= 0
    contract = np.where(linked, production.contract_price(own, floor, e.premium[b], ecommerce), 0.0)
    return own, contract, linked & e.alive[b] & c.alive[rows]


def sell_rows(model, rows: np.ndarray, ctx, offered: np.ndarray, ecommerce: float):
    """:meth:`Cooperative.sell` for the cooperatives ``rows`` at once (``offered``: members' output per cooperative
    row); returns (contract share, units delivered, their contract value) per row."""
    c = model.coops
    own, contract, contracted = offer_rows(model, rows, ctx, ecommerce)
    off = offered[rows]
    c.offered[rows] += off
    q = np.where(c.alive[rows], c.buy_share[rows] * off, 0.0)
    deliver = np.where(contracted, np.minimum(np.maximum(c.contract_quantity[rows] - c.delivered[rows], 0.0), q), 0.0)
    revenue = deliver * contract + (q - deliver) * own * (1.0 + ecommerce)
    c.bought[rows] += q
    c.delivered[rows] += deliver
    for column in (c.sales, c.cash, c.surplus):
        column[rows] += revenue
    return np.where(q > 0, deliver / np.where(q > 0, q, 1.0), 0.0), deliver, deliver * contract


def book_rows(model, rows: np.ndarray, advances: np.ndarray, premium: np.ndarray) -> None:
    """:meth:`Cooperative.book_purchases` for the cooperatives ``rows`` at once (amounts per cooperative row)."""
    c = model.coops
    c.purchases[rows] += advances[rows]
    c.paid_members[rows] += advances[rows] + premium[rows]
    c.recv_gov[rows] += premium[rows]
    c.cash[rows] -= advances[rows]
    c.surplus[rows] -= advances[rows]


def plan_year(model, ctx) -> None:
    """January: the government trains leaders; every cooperative plans its year (:meth:`Cooperative.plan`,
    applied to all cooperatives at once)."""
    model.gov.train_leaders(ctx)
    ecommerce = model.params.enterprise.ecommerce_premium * ctx.levels["ecommerce"]
    plan_rows(model, np.arange(model.coops.n), ctx, ecommerce)


def pay_dividends(model, ctx) -> np.ndarray:
    """December: every cooperative closes its accounts and pays its members, asset-income dividends first,
    then patronage dividends (二次分红); then each may fail (it pays its members what cash it has left, and they
    then sell spot) or be refounded.
    Returns what each household received.  (The cooperatives' methods are applied to all of them at once by
    their ``*_rows`` functions, through the same rules.)"""
    h, c = model.hh, model.coops
    member = h.cooperative >= 0
    cid = np.where(member, h.cooperative, 0)
    holders = member & h.is_ex_poor
    # every cooperative closes its accounts (Cooperative.close_accounts, all at once)
    per_holder = close_accounts_rows(model, np.arange(c.n), np.bincount(cid, weights=holders, minlength=c.n))
    asset_dividend = holders * per_holder[cid]
    coop_sales = np.bincount(cid, weights=h.coop_sales, minlength=c.n)
    surplus = np.where(c.alive, c.surplus, 0.0)  # a cooperative not operating pays no patronage dividend
    patronage = member * rules.patronage_dividend(surplus[cid], model.params.cooperative.dividend_share, h.coop_sales,
                                                  coop_sales[cid])
    paid = asset_dividend + patronage
    h.property += paid
    h.recv_coop += paid
    h.coop_gain += paid
    streams = model.village_streams
    survival, refound = (np.ones(c.n) if ctx.neutral else streams.uniform(purpose, ctx.t)
                         for purpose in ("coop_survival", "coop_refound"))
    village_households = np.bincount(h.village, minlength=c.n)
    # every cooperative closes its year (Cooperative.close_year, all at once)
    failed = close_year_rows(model, np.arange(c.n), ctx, np.bincount(cid, weights=paid, minlength=c.n),
                             np.bincount(cid, weights=patronage, minlength=c.n), survival, refound,
                             village_households.astype(float))
    if failed.any():
        left = wind_up(model, failed, member, cid)
        h.property += left
        h.recv_coop += left
        paid = paid + left
    h.cooperative[:] = np.where(member & failed[cid], -1, h.cooperative)
    return paid
