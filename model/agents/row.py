"""Agents whose attributes are one row of a table of numpy columns.

Households, cooperatives and enterprises keep their state in numpy columns
(:mod:`model.state`): one array per variable, one element per agent, so that the
vectorised engine can apply a rule to every household at once.  A
:class:`RowAgent` is an ordinary Mesa agent whose column attributes are
properties reading and writing its own row: ``h.income`` reads
``model.hh.income[h.row]``, ``h.savings = x`` writes it.  Mesa's AgentSet
(``select``, ``agg``, ``do``), the DataCollector and the dashboard therefore see
the agents as usual, and an agent's methods change the same state the
vectorised engine works on.
"""

from __future__ import annotations

from operator import attrgetter

import mesa


class RowAgent(mesa.Agent):
    """A Mesa agent whose column attributes are row ``row`` of the table ``model.<table_name>``."""

    table_name = ""
    columns: dict = {}

    def __init__(self, model, row: int):
        super().__init__(model)
        self.row = row
        #: the agent's table of columns (``model.hh``, ``model.coops`` or ``model.enterprises``)
        self.table = getattr(model, self.table_name)

    def state(self) -> dict:
        """This agent's whole state as a dict (for teaching and inspection)."""
        return {k: getattr(self, k) for k in self.columns}


def _column_property(name: str, doc: str) -> property:
    column = attrgetter(name)

    def read(self):
        return column(self.table).item(self.row)  # a Python float, int or bool

    def write(self, value):
        column(self.table)[self.row] = value

    return property(read, write, doc=doc)


def row_of(table_name: str, spec: dict):
    """Class decorator: one property per column of ``spec`` (name -> (dtype, meaning)), reading the agent's row."""

    def decorate(cls):
        cls.table_name = table_name
        cls.columns = spec
        for name, (_, doc) in spec.items():
            setattr(cls, name, _column_property(name, doc))
        return cls

    return decorate


def in_row_order(agents) -> bool:
    """Whether an AgentSet iterates over its agents in row order 0, 1, 2, ... (the order they were created in),
    so that a list of their claims lines up with the rows of their table."""
    return [a.row for a in agents] == list(range(len(agents)))
