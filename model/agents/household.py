"""The rural household (农户) as a Mesa agent, with its behaviour.

A :class:`Household` is an ordinary Mesa agent with one small method per thing a
household does: ``new_year`` (school, work, retirement, chronic illness),
``choose_work``, ``fall_ill``, ``work``, ``harvest``, ``sell_harvest``,
``receive_transfers``, ``spend_and_save``, ``be_monitored``, ``end_year``, ...
They are written in plain Python, one household at a time, as a Mesa tutorial
would write them, in five parts by domain: :mod:`.family` (schooling, ageing),
:mod:`.health` (illness, fortune), :mod:`.livelihood` (cooperative, jobs, farm, harvest),
:mod:`.welfare` (transfers and monitoring) and :mod:`.budget` (spending, saving,
investment).  ``RuralEconomy(..., engine="agents")`` runs the households through
these methods with Mesa's AgentSet (:mod:`model.household_agents`).

The default engine (``engine="vectorised"``, :mod:`model.households`) applies the
rules of :mod:`model.rules` to all households at once.  The methods here do not
call those rule functions: they are a second, independent implementation of the
same model, and the two engines must give the same numbers from the same state
and the same random draws (``tests/test_docking.py``; "docking", Axtell, Axelrod,
Epstein & Cohen 1996, *Computational and Mathematical Organization Theory* 1(2)).
Arithmetic is written in the order of the vectorised rules, so they agree to
about 1e-14 relative (floating-point sums are taken in another order).

State.  A household's attributes (``self.savings``, ``self.workers``,
``self.monitored``, ...) are its row of the household columns ``model.hh``
(:mod:`model.state`, via :mod:`.row`), and the methods read and write those
properties directly rather than a local copy.  That keeps a method readable
(``self.savings = self.savings + surplus`` means what it says) and leaves one
state, the columns, which cooperatives, enterprises, the government, the annual
outcomes and the vectorised engine read and write too: nothing has to be copied
in before a phase and back after it, and nothing can be forgotten.  The price is
speed (each attribute access reads a numpy element), which matters little for an
engine used for docking and teaching.  The only state kept in the agent itself
is the last twelve months of income and medical spending that monitoring looks
at, and what it claims or earns within one month (``claims``, ``oop_this_month``,
...), which the engine collects.

Random draws come from the counter-based streams (:mod:`model.streams`) with the
household's row as its id, so both engines meet the same shocks whatever the
order in which households act; in the burn-in and calibration years
(``ctx.neutral``) a shock draw is 1.0 (no event) and a shock size 0.0.
"""

from __future__ import annotations

import math

from ..policy import target_one
from ..state import HOUSEHOLD_COLUMNS
from .budget import HouseholdBudget
from .family import FamilyLife
from .health import Health
from .livelihood import Livelihood
from .row import RowAgent, row_of
from .welfare import Welfare


@row_of("hh", HOUSEHOLD_COLUMNS)
class Household(FamilyLife, Health, Livelihood, Welfare, HouseholdBudget, RowAgent):
    """A rural household (农户). Attributes are its row of ``model.hh``; see :mod:`model.state`."""

    def __init__(self, model, row: int):
        super().__init__(model, row)
        # the last twelve months of income and out-of-pocket medical spending (the monitoring window)
        self.income_by_month = [0.0] * 12
        self.oop_by_month = [0.0] * 12

    @property
    def params(self):
        return self.model.params

    @property
    def gov(self):
        return self.model.gov

    @property
    def per_capita_income(self) -> float:
        return self.income / self.members

    # -- random draws ------------------------------------------------------------------------
    def draw(self, ctx, purpose: str) -> float:
        """A uniform draw for a behavioural choice this month."""
        return self.model.streams.uniform_one(purpose, ctx.t, self.row)

    def shock_draw(self, ctx, purpose: str) -> float:
        """A uniform draw for a shock this month (1.0, no event, in neutral months)."""
        return 1.0 if ctx.neutral else self.model.streams.uniform_one(purpose, ctx.t, self.row)

    def shock_size(self, ctx, purpose: str) -> float:
        """A standard normal draw for the size of a shock (0.0 in neutral months)."""
        return 0.0 if ctx.neutral else self.model.streams.normal_one(purpose, ctx.t, self.row)

    # -- who the programmes reach --------------------------------------------------------------
    def has_weak_labour(self) -> bool:
        """Less than one able worker, a chronically ill worker counting as half (dibao eligibility; no
        risk elimination for such households)."""
        return self.workers - (0.5 if self.chronic else 0.0) < 1.0

    def is_near_poor(self) -> bool:
        """Last year's per capita income between the poverty line and the monitoring line."""
        return self.model.poverty_line <= self.prev_pc_income < self.model.monitoring_line

    def is_targeted(self, programme: str) -> bool:
        """Does this programme's targeting (ex-poor, monitored, near-poor, all) select us?"""
        targeting = self.gov.programmes[programme].targeting
        return target_one(targeting, self.is_ex_poor, self.monitored, self.is_near_poor())

    # -- production and wages --------------------------------------------------------------------
    def farm_output(self, farm_labour: float, tfp: float, assets: float | None = None) -> float:
        """Annual farm output at price 1 (Cobb-Douglas in land, assets and labour), with the improved technique
        (more productive) when our productive assets (or ``assets``, if given) reach its threshold."""
        e, f = self.params.economy, self.params.finance
        assets = self.assets if assets is None else assets
        labour = max(farm_labour, 0.0)
        technique = (1.0 + assets / e.asset_scale) ** e.asset_elasticity
        if assets >= f.asset_threshold:
            technique = technique * f.improved_productivity
        return (tfp * self.land ** e.land_elasticity * labour ** e.labour_elasticity * self.skill * self.effort
                * technique)

    def farm_labour(self, sick_at_home: float = 0.0) -> float:
        """Worker-equivalents on the farm: workers not away, half of a welfare-post worker, elderly help."""
        e, chronic_loss = self.params.economy, self.params.illness.chronic_labour_loss
        own = self.workers - self.migrants - self.local_job - 0.5 * self.post - sick_at_home
        if self.chronic:
            own = own - chronic_loss
        return max(own, 0.0) + e.elderly_farm_labour * self.elderly

    def wage_factor(self) -> float:
        """Mincerian wage multiplier: return to schooling times skill times effort."""
        e = self.params.economy
        return math.exp(e.return_to_schooling * (self.edu - e.reference_schooling)) * self.skill * self.effort

    def farm_value(self, ctx, home: float) -> float:
        """The annual value of our farm with ``home`` workers farming: its output at the traders' price, or
        the land's rent when nobody is left to farm it (土地流转)."""
        e = self.params.economy
        if home <= 0 and self.elderly == 0:
            return self.land * e.land_rent
        labour = home - self.params.illness.chronic_labour_loss * self.chronic
        labour = max(labour, 0.0) + e.elderly_farm_labour * self.elderly
        value_one = self.farm_output(1.0, e.farm_tfp * ctx.farm_index) * ctx.price * e.spot_price_factor
        return value_one * labour ** e.labour_elasticity

    def wage_incomes(self, ctx) -> tuple[float, float]:
        """(a year's full migrant earnings, a year's local wage) of one worker."""
        e = self.params.economy
        wf = self.wage_factor()
        return 12.0 * e.migrant_wage * ctx.wage_index * wf, 12.0 * e.local_wage * ctx.wage_index * wf

    # -- December ------------------------------------------------------------------------------
    def end_year(self, ctx, coop_alive, coop_capacity) -> None:
        """Default, age assets and invest, update effort, learn from a working cooperative (arrays per
        cooperative)."""
        self.default_and_invest(ctx)
        self.update_effort()
        c = max(self.cooperative, 0)
        self.cooperative_training(bool(coop_alive[c]), float(coop_capacity[c]))
