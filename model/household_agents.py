"""The per-agent engine (``engine="agents"``): the household phases of the step, one household at a time.

Each phase of the monthly step that concerns households (:mod:`model.model`)
lets every :class:`~model.agents.Household` agent act through its own methods,
with Mesa's AgentSet (``model.agents_by_type[Household]``): ``shuffle_do`` when
households act on their own (the order does not matter, since every draw is tied
to a household, a purpose and a month: :mod:`model.streams`), then the
government pays what they claimed, then ``do`` to let each household receive
its share.  A programme with a budget pays every claim in the same proportion,
so the government needs all of a month's claims before anybody is paid.

:class:`HouseholdAgents` has the phases of the vectorised engine
(:class:`model.households.VectorHouseholds`) and must give the same numbers
(``tests/test_docking.py``).  The phases hand arrays (one element per household,
in row order) to the cooperatives, enterprises and government, which are the
same in both engines.
"""

from __future__ import annotations

import numpy as np

from . import demography, payment
from .agents import Household
from .agents.row import in_row_order

#: harvest-time programmes in the order the government pays them, and who receives the payment
HARVEST_PROGRAMMES = {"consumption_support": "cooperatives", "guaranteed_purchase": "households",
                      "industry_support": "households"}


class HouseholdAgents:
    """The household phases of the monthly step, run through the Mesa household agents."""

    def __init__(self, model):
        self.model = model
        self.agents = model.agents_by_type[Household]
        if len(self.agents) != model.n_households or not in_row_order(self.agents):
            raise ValueError("The 'agents' engine needs one Household agent per household, created in row order.")

    # -- helpers ---------------------------------------------------------------------------
    def collect(self, attribute: str, dtype=np.float64) -> np.ndarray:
        """One attribute of every household, as an array in row order."""
        return np.array(self.agents.get(attribute), dtype=dtype)

    def settle(self, *programmes: str, payees: dict[str, str] | None = None) -> dict[str, float]:
        """The government pays the households' ``claims`` on each programme, in this order, within its budget;
        returns the share of each claim paid."""
        gov, payees = self.model.gov, payees or {}
        return {name: gov.pay_claims(name, [a.claims[name] for a in self.agents], payees.get(name, "households"))
                for name in programmes}

    def groups(self):
        """(ex_poor, monitored, near_poor) masks used by programme targeting."""
        return (self.collect("is_ex_poor", bool), self.collect("monitored", bool),
                np.array(self.agents.map("is_near_poor"), dtype=bool))

    def targeted(self, name: str) -> np.ndarray:
        """Households a programme's targeting selects this month."""
        return np.array(self.agents.map("is_targeted", name), dtype=bool)

    # -- January -------------------------------------------------------------------------
    def demography(self, ctx) -> None:
        self.agents.shuffle_do("new_year", ctx)
        demography.form_households(self.model, ctx, self.reset_rows)

    def reset_rows(self, rows, sources, scales) -> None:
        """Re-used household rows: each new household's agent resets what it keeps itself (its income window)."""
        for row, source, scale in zip(rows, sources, scales):  # a source is never a re-used row (but itself)
            self.agents[int(row)].start_household(self.agents[int(source)], float(scale))

    def coop_choice(self, ctx) -> None:
        c = self.model.coops
        terms = {name: getattr(c, name).tolist() for name in ("alive", "advance", "buy_share", "dividend_rate",
                                                               "asset_dividend")}
        self.agents.shuffle_do("consider_joining_cooperative", ctx, terms)

    def labour_supply(self, ctx) -> np.ndarray:
        """Migration decisions; returns the households applying for one local job."""
        self.agents.shuffle_do("choose_work", ctx)
        return self.collect("applies_for_local_job", bool)

    def take_jobs(self, ctx) -> None:
        self.agents.do("take_job")

    def post_candidates(self, ctx) -> np.ndarray:
        return np.array(self.agents.map("is_post_candidate"), dtype=bool)

    def take_training_and_credit(self, ctx) -> None:
        self.agents.shuffle_do("consider_training", ctx)
        self.agents.do("receive_training_and_consider_credit", ctx, self.settle("vocational_training"))

    # -- every month -----------------------------------------------------------------------
    def illness_month(self, ctx) -> np.ndarray:
        """Illness and medical bills; returns this month's out-of-pocket spending."""
        self.agents.shuffle_do("fall_ill", ctx)
        self.agents.do("pay_medical_bill", self.settle("medical_insurance", "health_protection"))
        return self.collect("oop_this_month")

    def work_month(self, ctx) -> tuple[np.ndarray, np.ndarray]:
        """Job losses, wages, farm labour; returns (wage income, wages paid by employers)."""
        self.agents.shuffle_do("maybe_lose_migrant_job", ctx)
        self.agents.do("claim_post_pay")
        self.agents.do("work", ctx, self.settle("welfare_posts"))
        return self.collect("wage_this_month"), self.collect("local_pay_this_month")

    def harvest(self, ctx, months, weather) -> np.ndarray:
        """Harvest; returns each household's output (units)."""
        self.agents.shuffle_do("harvest", ctx, months, weather)
        return self.collect("harvested")

    def sell_harvest(self, ctx, quantity, terms) -> dict[str, np.ndarray]:
        """Sale (to the cooperative at its terms, the rest spot); returns the household flows the cooperatives
        book.  (``quantity``, the harvest, is what each household set in :meth:`harvest`.)"""
        self.agents.shuffle_do("offer_harvest", ctx, {k: v.tolist() for k, v in terms.items()})
        self.agents.do("sell_harvest", ctx, self.settle(*HARVEST_PROGRAMMES, payees=HARVEST_PROGRAMMES))
        flows = self.agents.get("sale_flows")
        return {key: np.array([f[key] for f in flows]) for key in flows[0]}

    def transfers_month(self, ctx) -> tuple[np.ndarray, np.ndarray]:
        """Public and private transfers; returns (transfer income, property income)."""
        progs = self.model.gov.programmes
        cash = payment.cash_programmes(progs)  # once a month, in the order the government pays
        self.agents.shuffle_do("claim_transfers", ctx, cash)
        bookings = {name: payment.booking(progs[name]) for name in cash}
        self.agents.do("receive_transfers", self.settle(*cash, "microcredit"), bookings)
        return self.collect("transfer_this_month"), self.collect("rent_this_month")

    def budget_month(self, ctx, income, oop) -> None:
        self.agents.shuffle_do("spend_and_save", ctx, income, oop)

    def screening(self, ctx, screen: bool) -> None:
        self.agents.shuffle_do("be_monitored", ctx, screen)

    # -- December ------------------------------------------------------------------------
    def year_end(self, ctx, coop_capacity, coop_alive) -> None:
        self.agents.shuffle_do("end_year", ctx, coop_alive, coop_capacity)
