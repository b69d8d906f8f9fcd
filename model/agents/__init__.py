"""The Mesa agents: Household, Cooperative, LeadingEnterprise and Government.

Households, cooperatives and enterprises keep their state in numpy columns
(:mod:`model.state`); each agent's attributes read and write its own row
(:mod:`.row`), so ``h.income``, ``h.members`` or ``c.alive`` behave like ordinary
attributes and Mesa's AgentSet, the DataCollector and the dashboard work as
usual.  Each agent acts through its own methods: a :class:`Household`'s
behaviour (:mod:`.household`) is run by the per-agent engine; cooperatives
(:mod:`.cooperative`), enterprises (:mod:`.enterprise`) and the government
(:mod:`.government`) act through theirs under either engine.
"""

from .cooperative import Cooperative
from .enterprise import LeadingEnterprise
from .government import Government
from .household import Household

__all__ = ["Household", "Cooperative", "LeadingEnterprise", "Government"]
