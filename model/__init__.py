"""ruralsim: an agent-based model of rural household incomes after poverty alleviation (Mesa)."""

from .agents import Cooperative, Government, Household, LeadingEnterprise
from .model import RuralEconomy
from .parameters import Parameters
from .policy import Programme, Schedule, baseline_programmes
from .scenario import Scenario

__all__ = ["RuralEconomy", "Household", "Cooperative", "LeadingEnterprise", "Government", "Parameters",
           "Programme", "Schedule", "Scenario", "baseline_programmes"]
