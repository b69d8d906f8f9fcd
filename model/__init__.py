"""The simulation: state, agents and their behaviour, rules, policy programmes, scenarios, outcomes.

Nothing here runs the model more than once or writes files: that is :mod:`ruralsim.experiments`.
"""

from .agents import Cooperative, Government, Household, LeadingEnterprise
from .model import RuralEconomy
from .parameters import Parameters
from .policy import Programme, Schedule, baseline_programmes
from .scenario import Scenario
from .scenario_file import load_scenario

__all__ = ["RuralEconomy", "Household", "Cooperative", "LeadingEnterprise", "Government", "Parameters",
           "Programme", "Schedule", "Scenario", "baseline_programmes", "load_scenario"]
