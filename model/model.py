"""RuralEconomy: the Mesa model and its monthly step.

One ``step()`` is one month.  The order of the step (mirrored in docs/ODD.md,
"Process overview and scheduling"):

Every month, first
    1. the government steps: it sets each programme's level for the month; on
       1 January it brings in the year's dated amounts and opens the year's ledger.

January, before the month's flows
    2. a migrant-labour shock year is drawn; forced stress tests start;
    3. households: schooling, school leavers start work, retirement, births and deaths, households dissolved
       and formed (:mod:`model.demography`); health and earning power move on;
    4. the government trains cooperative leaders; cooperatives set their advance price and how much they
       buy; households join or leave them; enterprises lay off workers beyond their jobs;
       households allocate their workers (keeping or quitting a local job, migrating) and
       apply for local jobs; enterprises fill their vacancies and the households hired
       settle their allocation; the government assigns welfare posts; training and microcredit.

Every month
    5. illness and medical costs; migrant job losses; wages; enterprises book their
       wage bill and receive their support;
    6. June and October: harvest; cooperatives buy their share of members' produce and sell it on
       (to their enterprise under contract, the rest on their own); members sell the rest spot;
    7. December: cooperatives close their accounts, pay dividends, reinvest, may fail or be refounded;
    8. transfers (in December 2020, the verification at exit: :mod:`model.rules.verification`); cooperatives
       receive their support; consumption, saving and debt;
       monitoring screening; the crop price moves for next month.

December, after the month's flows
    9. households invest, assets evolve, effort updates, cooperative training;
    10. enterprises book profit and may exit; the DataCollector records the year.

The households' phases run in one of two engines from the same state and the same
random draws: ``engine="vectorised"`` (:mod:`model.households`, every household at
once) or ``engine="agents"`` (:mod:`model.household_agents`, each Mesa
:class:`~model.agents.Household` through its own methods).  Cooperatives,
enterprises and the government act through their agents' methods in both (the cooperatives' methods all at
once, through their ``*_rows`` functions).

The first year recorded, 2020, is the calibration year: the initial county run
through 2020 without shocks (no illness, job loss, disaster, cooperative failure
or enterprise exit; weather and crop price at their means), so that the numbers
describe the state at the start.
It is preceded by one unrecorded burn-in year (2019, also without shocks) that
gives every household a last-year income (used by dibao and targeting) and fills
the monitoring window.
"""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd

from . import labour_market, population
from .agents import Cooperative, Government, Household, LeadingEnterprise
from .agents import cooperative, enterprise
from .agents.row import in_row_order
from .annual import METRIC_COLUMNS, annual_row, survey_log_error
from .environment import next_log_price
from .harvest import harvest
from .household_agents import HouseholdAgents
from .households import VectorHouseholds
from .month import CALIBRATION_YEAR, DECEMBER, FIRST_T, HARVEST_MONTHS, START_YEAR, Month
from .policy import baseline_programmes
from .rules import poverty_history
from .scenario import Scenario, as_scenario
from .state import ANNUAL
from .streams import Streams

__all__ = ["RuralEconomy", "ENGINES", "START_YEAR", "CALIBRATION_YEAR", "HARVEST_MONTHS"]

#: the household engines: name -> the class running the household phases
ENGINES = {"vectorised": VectorHouseholds, "agents": HouseholdAgents}


class RuralEconomy(mesa.Model):
    """A county of rural households after poverty alleviation (see module docstring for the step).

    Args:
        scenario: None (baseline), a :class:`model.scenario.Scenario`, or a path to a scenario file.
        n_households: number of households in the county.
        rng: run seed (int) or None; all randomness derives from it.
        household_agents: create a Mesa ``Household`` agent per household (default).  Runs
            used only for statistics may pass False; the vectorised engine runs on columns either way.
        shocks: False runs every year like the calibration year, without illness, job losses,
            disasters, failures or price movements (the forced price crash, disaster and
            enterprise exit of a stress test still apply): for teaching and for the behaviour
            tests, whose expected values are computed by hand.
        engine: ``"vectorised"`` (default) applies the household rules to all households at once;
            ``"agents"`` lets each Mesa ``Household`` act through its own methods (needs
            ``household_agents=True``; slower, the same numbers: for docking and teaching).

    The scenario in force is ``policy_scenario`` (in Mesa >= 3.5, ``scenario`` is Mesa's own
    experiment object, which this model does not use).
    """

    def __init__(self, scenario=None, n_households: int = 10_000, rng=None, household_agents: bool = True,
                 shocks: bool = True, engine: str = "vectorised"):
        if isinstance(rng, (bool, float)) or (rng is not None and not isinstance(rng, (int, np.integer))):
            raise ValueError(f"The 'rng' parameter of RuralEconomy must be an int seed or None. Got {rng!r}.")
        if isinstance(n_households, bool) or not isinstance(n_households, (int, np.integer)) or n_households < 1:
            raise ValueError(f"The 'n_households' parameter of RuralEconomy must be a positive int. Got {n_households!r}.")
        if not isinstance(engine, str) or engine not in ENGINES:
            raise ValueError(f"The 'engine' parameter of RuralEconomy must be one of {tuple(ENGINES)}. Got {engine!r}.")
        if engine == "agents" and not household_agents:
            raise ValueError("The 'agents' engine of RuralEconomy needs the Mesa household agents: pass "
                             "household_agents=True. Got household_agents=False.")
        super().__init__(rng=rng)
        self.seed = int(rng) if rng is not None else int(self.rng.integers(2**62))
        self.policy_scenario: Scenario = as_scenario(scenario)
        # The scenario's parameters hold from the start (they may shape the county itself); its
        # programme changes take effect on 1 January 2021, so 2019-2020 run under the baseline policy.
        self.params = self.policy_scenario.parameters()
        self.params.apply_year(START_YEAR - 2)  # the burn-in year
        self.n_households = int(n_households)
        self.shocks = bool(shocks)
        self.engine = engine

        self.hh, self.coops, self.enterprises = population.generate(self.n_households, self.seed, self.params)
        self.streams = Streams(self.seed, self.n_households)
        self.village_streams = Streams(self.seed, self.coops.n)
        self.enterprise_streams = Streams(self.seed, self.enterprises.n)
        self.policy_scenario.programmes()  # fails early on an inconsistent schedule
        self.gov = Government(self, baseline_programmes())
        for i in range(self.coops.n):
            Cooperative(self, i)
        #: the enterprises by row (an entrant takes over the row of an enterprise that exited)
        self.enterprise_agents = tuple(LeadingEnterprise(self, i) for i in range(self.enterprises.n))
        if household_agents:
            for i in range(self.n_households):
                Household(self, i)
        # cooperatives and enterprises hand the government their claims as lists in row order
        assert in_row_order(self.agents_by_type[Cooperative]) and in_row_order(self.agents_by_type[LeadingEnterprise])
        self.households = ENGINES[engine](self)
        self.payroll = labour_market.Payroll()

        self.log_price = 0.0
        self.migrant_shock = 0.0
        self.bad_harvest = np.zeros(self.coops.n, dtype=bool)
        self.t = FIRST_T  # months since January 2021: a burn-in year, then the calibration year 2020
        # The record of the run: one row a year, computed once in December by annual_row (model.annual)
        self.outcomes: dict = {}
        self.datacollector = mesa.DataCollector(
            model_reporters={c: (lambda m, c=c: m.outcomes[c]) for c in METRIC_COLUMNS})
        self._run_year()  # burn-in (2019): sets last year's income, the monitoring window, cash
        self._run_year()  # the calibration year 2020

    # -- public API ------------------------------------------------------------------------
    @property
    def poverty_line(self) -> float:
        return self.params.lines.poverty_line

    @property
    def monitoring_line(self) -> float:
        return self.params.lines.poverty_line * self.params.lines.monitoring_multiple

    @property
    def year(self) -> int:
        return START_YEAR + self.t // 12

    def run_years(self, n: int) -> pd.DataFrame:
        """Run until ``n`` more years have ended (a year under way counts) and return :meth:`annual_metrics`."""
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"The 'n' parameter of run_years must be a non-negative int. Got {n!r}.")
        for _ in range(int(n)):
            self.step()
            while self.t % 12:
                self.step()
        return self.annual_metrics()

    def annual_metrics(self) -> pd.DataFrame:
        """One row per year: 2020 (calibration year) then each simulated year (the DataCollector's table)."""
        return self.datacollector.get_model_vars_dataframe()

    @property
    def rows(self) -> list[dict]:
        """The recorded years as one dict per year (read from the DataCollector)."""
        table = self.datacollector.model_vars
        return [dict(zip(table, values)) for values in zip(*table.values())]

    def close(self) -> None:
        """Release the county's arrays once a run is finished (its annual table stays available).

        Mesa before 3.4 keeps every model alive in a class-level registry (mesa/mesa#3179), and a
        model and its agents refer to each other, so a finished county is otherwise freed only by a
        full garbage collection: runs in a loop would hold every county in memory."""
        ids = getattr(mesa.Agent, "_ids", None)
        if isinstance(ids, dict):
            ids.pop(self, None)
        for table in (self.hh, self.coops, self.enterprises):
            for name in table.names:
                setattr(table, name, np.empty(0, dtype=getattr(table, name).dtype))
        self.households = None
        self.streams = self.village_streams = self.enterprise_streams = None

    # -- the step ----------------------------------------------------------------------------
    def step(self) -> None:
        """One month, in the order of the module docstring."""
        year, month = self.year, self.t % 12
        neutral = self.t < 0 or not self.shocks
        if month == 0:
            self.params.apply_year(year)  # values dated by year take effect on 1 January
        self.agents_by_type[Government].do("step")
        if month == 0:
            self._january(neutral)
        ctx = Month(self, self.t, neutral)
        households = self.households
        oop = households.illness_month(ctx)
        wage, local_pay = households.work_month(ctx)
        enterprise.pay_month(self, ctx, local_pay)
        income = wage  # the month's income, added up as it comes in
        if month in HARVEST_MONTHS:
            income += harvest(self, ctx, HARVEST_MONTHS[month])
        if month == DECEMBER:
            income += cooperative.pay_dividends(self, ctx)
        transfer, rent = households.transfers_month(ctx)
        income += transfer
        income += rent
        if self.year == CALIBRATION_YEAR and month == DECEMBER:
            income += self.gov.verify_exit(income, self.params.population.register_newly_poor)
        self.gov.support_cooperatives(ctx)
        households.budget_month(ctx, income, oop)
        if ctx.levels["monitoring"] > 0 and self.t >= 0:  # monitoring starts in 2021
            households.screening(ctx, screen=(self.t + 1) % int(self.params.monitoring.interval) == 0)
        if month == DECEMBER:
            households.year_end(ctx, self.coops.capacity, self.coops.alive)
            enterprise.close_year(self, ctx)
            self._record(year)
        self.log_price = next_log_price(self, ctx)
        self.t += 1

    def _run_year(self) -> None:
        for _ in range(12):
            self.step()

    def _january(self, neutral: bool) -> None:
        """The January block: new accounts, the year's shocks, then households' and agents' yearly decisions."""
        h, s, year = self.hh, self.params.shocks, self.year
        for name in ANNUAL:
            getattr(h, name)[:] = 0.0
        h.flagged_this_year[:] = h.monitored
        enterprises = self.agents_by_type[LeadingEnterprise]
        cooperative.new_year_rows(self, np.arange(self.coops.n))  # every cooperative's new_year, at once
        enterprises.do("new_year")
        self.bad_harvest = np.zeros(self.coops.n, dtype=bool)
        shock = (not neutral) and self.village_streams.uniform_one("macro", self.t, 0) < self.params.labour.macro_shock_prob
        self.migrant_shock = float(shock or s.migrant_shock_year == year)
        if s.price_shock_year == year:
            self.log_price += float(s.price_shock_size)
        if s.enterprise_exit_year == year and self.enterprises.alive[0]:
            enterprises[0].close()
        ctx = Month(self, self.t, neutral)
        households = self.households
        households.demography(ctx)
        cooperative.plan_year(self, ctx)
        households.coop_choice(ctx)
        self.coops.members_n[:] = np.bincount(h.cooperative[h.cooperative >= 0], minlength=self.coops.n)  # recount
        labour_market.lay_off(self, ctx)
        labour_market.hire(self, ctx, households.labour_supply(ctx))
        households.take_jobs(ctx)
        self.gov.assign_posts(ctx, households.post_candidates(ctx))
        households.take_training_and_credit(ctx)

    def _record(self, year: int) -> None:
        """The year's outcomes (read-only) into the DataCollector, then the households' poverty history
        moves on a year."""
        log_error = survey_log_error(self)  # this year's survey errors, drawn once for both
        if year >= CALIBRATION_YEAR:
            self.outcomes = annual_row(self, log_error)
            self.datacollector.collect(self)
        poverty_history.close_year(self.hh, self.poverty_line, counting=self.t >= 0, log_error=log_error)
