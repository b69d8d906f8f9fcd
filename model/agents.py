"""The Mesa agents: Household, Cooperative, LeadingEnterprise and Government.

Households, cooperatives and enterprises keep their state in numpy columns
(:mod:`model.state`) so that rules run vectorised; each agent object is a view
that reads and writes its own row, so ``h.income``, ``h.members``,
``h.is_ex_poor`` or ``h.cooperative`` behave like ordinary attributes and Mesa's
AgentSet, DataCollector agent reporters and the dashboard work as usual.  The
government is an ordinary agent: it holds the programmes, pays, and keeps the
ledger of what it paid to whom.
"""

from __future__ import annotations

from collections import defaultdict

import mesa
import numpy as np

from .policy import target_mask
from .state import COOP_COLUMNS, ENTERPRISE_COLUMNS, HOUSEHOLD_COLUMNS


class _RowView(mesa.Agent):
    """A Mesa agent whose attributes are one row of a table of numpy columns."""

    _table_name = ""

    def __init__(self, model, row: int):
        super().__init__(model)
        self.row = row

    @property
    def _table(self):
        return getattr(self.model, self._table_name)


def _add_columns(cls, spec):
    for name, (_, doc) in spec.items():
        def getter(self, _n=name):
            return getattr(self._table, _n)[self.row].item()

        def setter(self, value, _n=name):
            getattr(self._table, _n)[self.row] = value

        setattr(cls, name, property(getter, setter, doc=doc))
    return cls


class Household(_RowView):
    """A rural household (农户). Attributes are its row of ``model.hh``; see :mod:`model.state`."""

    _table_name = "hh"

    @property
    def per_capita_income(self) -> float:
        return self.income / self.members

    def state(self) -> dict:
        """This household's whole state as a dict (for teaching and inspection)."""
        return {k: getattr(self, k) for k in HOUSEHOLD_COLUMNS}


class Cooperative(_RowView):
    """A farmers' professional cooperative (农民专业合作社); row of ``model.coops``."""

    _table_name = "coops"

    def state(self) -> dict:
        return {k: getattr(self, k) for k in COOP_COLUMNS}


class LeadingEnterprise(_RowView):
    """A leading agribusiness enterprise (龙头企业); row of ``model.enterprises``."""

    _table_name = "enterprises"

    def state(self) -> dict:
        return {k: getattr(self, k) for k in ENTERPRISE_COLUMNS}


_add_columns(Household, HOUSEHOLD_COLUMNS)
_add_columns(Cooperative, COOP_COLUMNS)
_add_columns(LeadingEnterprise, ENTERPRISE_COLUMNS)


class Government(mesa.Agent):
    """The county government: runs the programmes on their schedules, pays, keeps the ledger.

    Every payment goes through :meth:`pay`, which applies the programme's
    monthly budget (one twelfth of the yearly budget; requests are scaled down
    pro rata when it binds) and records the cost by programme and by payee.
    """

    PAYEES = ("households", "cooperatives", "enterprises")

    def __init__(self, model, programmes: dict):
        super().__init__(model)
        self.programmes = programmes
        self.levels: dict[str, float] = {}
        self.cost: dict[str, float] = defaultdict(float)
        self.paid_to: dict[str, float] = defaultdict(float)

    def update_levels(self, year: int, month: int) -> dict[str, float]:
        """Intensity x generosity of every programme this month."""
        self.levels = {n: p.level(year, month) for n, p in self.programmes.items()}
        return self.levels

    def targeted(self, name: str, ex_poor, monitored, near_poor) -> np.ndarray:
        return target_mask(self.programmes[name].targeting, ex_poor, monitored, near_poor)

    def pay_total(self, name: str, total: float, payee: str = "households") -> float:
        """Pay requests summing to ``total`` within the programme's monthly budget.

        Returns the factor (1.0 unless the budget binds) by which every request is paid."""
        budget = self.programmes[name].budget
        factor = 1.0
        if budget is not None and total > 0:
            factor = min(1.0, budget * self.model.n_households / 12.0 / total)
        self.cost[name] += total * factor
        self.paid_to[payee] += total * factor
        return factor

    def pay(self, name: str, request: np.ndarray, payee: str = "households") -> np.ndarray:
        """Pay a programme's requests (already scaled by its level) within its monthly budget."""
        factor = self.pay_total(name, float(request.sum()), payee)
        return request if factor == 1.0 else request * factor

    def reset_year(self) -> None:
        self.cost = defaultdict(float)
        self.paid_to = defaultdict(float)
