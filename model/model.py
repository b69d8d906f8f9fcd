"""RuralEconomy: the Mesa model and its monthly step.

One ``step()`` is one month.  The order of the step (mirrored in docs/ODD.md,
"Process overview and scheduling"):

January, before the month's flows
    1. the government sets each programme's level for the month (every month);
    2. a migrant-labour shock year is drawn; forced stress tests start;
    3. households: schooling, school leavers start work, retirement, chronic illness;
    4. cooperatives take new members; households choose migration, apply for local
       jobs (rationed by enterprises), get welfare posts, training and microcredit.

Every month
    5. illness and medical costs; migrant job losses; wages;
    6. June and October: harvest and sale (spot, cooperative, enterprise contract),
       cooperatives and enterprises book their trade;
    7. December: cooperatives pay dividends, may fail or be refounded;
    8. transfers; consumption, saving and debt; monitoring screening; the crop price
       moves for next month.

December, after the month's flows
    9. households invest, assets evolve, effort updates, cooperative training;
    10. enterprises book profit and may exit; the year's metrics are recorded.

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

from . import population
from .agents import Cooperative, Government, Household, LeadingEnterprise
from .annual import METRIC_COLUMNS, annual_row
from .households import HARVEST_SHARE, VectorHouseholds
from .market import ration
from .rules import cooperative as coop_rules
from .rules import enterprise as ent_rules
from .rules import poverty_history, production
from .policy import baseline_programmes
from .scenario import Scenario, as_scenario
from .state import ANNUAL
from .streams import Streams

START_YEAR = 2021
CALIBRATION_YEAR = 2020
HARVEST_MONTHS = {5: 8.0, 9: 4.0}  # month index -> months of work since the last harvest (Nov-Jun, Jul-Oct)
DECEMBER = 11
BAD_HARVEST = 0.8  # a village harvest below 80% of normal counts as a harvest shock (for cause attribution)


class Month:
    """What every rule needs to know about the current month (a read-only context)."""

    def __init__(self, model, t: int, neutral: bool):
        self.t = t
        self.year = START_YEAR + t // 12
        self.month = t % 12
        self.neutral = neutral
        self.levels = model.gov.levels
        self.price = float(np.exp(model.log_price))
        years = self.year - CALIBRATION_YEAR
        e = model.params.economy
        self.wage_index = (1.0 + e.wage_growth) ** years
        self.farm_index = (1.0 + e.farm_productivity_growth) ** years
        self.migrant_shock = model.migrant_shock
        self._s = model.streams

    def u(self, purpose: str, idx: np.ndarray | None = None) -> np.ndarray:
        """Household uniform draws (of households ``idx``) for a choice; drawn in the calibration year too."""
        return self._s.uniform(purpose, self.t, idx)

    def shock_u(self, purpose: str, idx: np.ndarray | None = None) -> np.ndarray:
        """Household uniform draws for a shock (of households ``idx``); 1.0 (no event) in the calibration year."""
        if self.neutral:
            return np.ones(self._s.terms.size if idx is None else idx.size)
        return self._s.uniform(purpose, self.t, idx)

    def shock_z(self, purpose: str, idx: np.ndarray | None = None) -> np.ndarray:
        """Household normal draws for a shock size (of households ``idx``); 0 in the calibration year."""
        if self.neutral:
            return np.zeros(self._s.terms.size if idx is None else idx.size)
        return self._s.normal(purpose, self.t, idx)


class RuralEconomy(mesa.Model):
    """A county of rural households after poverty alleviation (see module docstring for the step).

    Args:
        scenario: None (baseline), a :class:`model.scenario.Scenario`, or a path to a scenario file.
        n_households: number of households in the county.
        rng: run seed (int) or None; all randomness derives from it.
        household_agents: create a Mesa ``Household`` agent per household (default).  Runs
            used only for statistics may pass False; the rules run on columns either way.
        shocks: False runs every year like the calibration year, without illness, job losses,
            disasters, failures or price movements (the forced price crash, disaster and
            enterprise exit of a stress test still apply): for teaching and for the behaviour
            tests, whose expected values are computed by hand.

    The scenario in force is ``policy_scenario`` (in Mesa >= 3.5, ``scenario`` is Mesa's own
    experiment object, which this model does not use).
    """

    households_class = VectorHouseholds

    def __init__(self, scenario=None, n_households: int = 10_000, rng=None, household_agents: bool = True,
                 shocks: bool = True):
        if isinstance(rng, (bool, float)) or (rng is not None and not isinstance(rng, (int, np.integer))):
            raise ValueError(f"The 'rng' parameter of RuralEconomy must be an int seed or None. Got {rng!r}.")
        if isinstance(n_households, bool) or not isinstance(n_households, (int, np.integer)) or n_households < 1:
            raise ValueError(f"The 'n_households' parameter of RuralEconomy must be a positive int. Got {n_households!r}.")
        super().__init__(rng=rng)
        self.seed = int(rng) if rng is not None else int(self.rng.integers(2**62))
        self.policy_scenario: Scenario = as_scenario(scenario)
        # The scenario's parameters hold from the start (they may shape the county itself); its
        # programme changes take effect on 1 January 2021, so 2019-2020 run under the baseline policy.
        self.params = self.policy_scenario.parameters()
        self.params.apply_year(START_YEAR - 2)  # the burn-in year
        self.n_households = int(n_households)
        self.shocks = bool(shocks)

        self.hh, self.coops, self.enterprises = population.generate(self.n_households, self.seed, self.params)
        self.streams = Streams(self.seed, self.n_households)
        self.village_streams = Streams(self.seed, self.coops.n)
        self.enterprise_streams = Streams(self.seed, self.enterprises.n)
        self.policy_scenario.programmes()  # fails early on an inconsistent schedule
        self.gov = Government(self, baseline_programmes())
        self.households = self.households_class(self)
        for i in range(self.coops.n):
            Cooperative(self, i)
        for i in range(self.enterprises.n):
            LeadingEnterprise(self, i)
        if household_agents:
            for i in range(self.n_households):
                Household(self, i)

        self.log_price = 0.0
        self.migrant_shock = 0.0
        self._payroll = (None, None, None)
        self.t = -24  # months since January 2021: a burn-in year, then the calibration year 2020
        self.rows: list[dict] = []
        self.datacollector = mesa.DataCollector(
            model_reporters={c: (lambda m, c=c: m.rows[-1][c]) for c in METRIC_COLUMNS})
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

    def step(self) -> None:
        """One month."""
        self._month(neutral=self.t < 0 or not self.shocks)

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
        """One row per year: 2020 (calibration year) then each simulated year."""
        return pd.DataFrame(self.rows)

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
    def _run_year(self) -> None:
        for _ in range(12):
            self.step()

    def _month(self, neutral: bool) -> None:
        year, month = START_YEAR + self.t // 12, self.t % 12
        if self.t == 0:
            self._start_scenario()
        if month == 0:  # values dated by year take effect on 1 January
            self.params.apply_year(year)
            for prog in self.gov.programmes.values():
                prog.apply_year(year)
        self.gov.update_levels(year, month)
        if self.gov.levels["monitoring"] <= 0 and (self.hh.monitored.any() or self.hh.pending.any()):
            self.hh.monitored[:] = False  # monitoring has stopped: nobody is flagged any more
            self.hh.pending[:] = False
        if month == 0:
            self._january(neutral)
        ctx = Month(self, self.t, neutral)
        hh = self.households
        oop = hh.illness_month(ctx)
        wage, local_pay = hh.work_month(ctx)
        self._enterprises_month(ctx, local_pay)
        income = wage
        if month in HARVEST_MONTHS:
            income = income + self._harvest(ctx, HARVEST_MONTHS[month])
        if month == DECEMBER:
            income = income + self._cooperatives_year_end(ctx)
        transfer, rent = hh.transfers_month(ctx)
        income = income + transfer + rent
        self._cooperatives_month(ctx)
        hh.budget_month(ctx, income, oop)
        if ctx.levels["monitoring"] > 0 and self.t >= 0:  # monitoring starts in 2021
            hh.screening(ctx, screen=(self.t + 1) % int(self.params.monitoring.interval) == 0)
        if month == DECEMBER:
            hh.year_end(ctx, self.coops.capacity, self.coops.alive)
            self._enterprises_year_end(ctx)
            self._record(year)
        self._move_price(ctx)
        self.t += 1

    def _start_scenario(self) -> None:
        """1 January 2021: the scenario's programme changes take effect."""
        programmes = self.policy_scenario.programmes()
        self.gov.programmes.clear()
        self.gov.programmes.update(programmes)

    def _january(self, neutral: bool) -> None:
        h, s, year = self.hh, self.params.shocks, self.year
        for name in ANNUAL:
            getattr(h, name)[:] = 0.0
        h.flagged_this_year[:] = h.monitored
        for name in ("surplus", "sales", "paid_members", "recv_gov"):
            getattr(self.coops, name)[:] = 0.0
        for name in ("purchases", "quantity", "sales_value", "wages", "recv_gov"):
            getattr(self.enterprises, name)[:] = 0.0
        self.gov.reset_year()
        self.bad_harvest = np.zeros(self.coops.n, dtype=bool)
        shock = (not neutral) and self.village_streams.uniform_one("macro", self.t, 0) < self.params.labour.macro_shock_prob
        self.migrant_shock = float(shock or s.migrant_shock_year == year)
        if s.price_shock_year == year:
            self.log_price += float(s.price_shock_size)
        if s.enterprise_exit_year == year and self.enterprises.alive[0]:
            self._close_enterprises(np.array([0]))
        ctx = Month(self, self.t, neutral)
        hh = self.households
        hh.demography(ctx)
        c = self.coops
        gain = (coop_rules.member_price(coop_rules.coop_price(1.0, c.capacity, self.params.cooperative),
                                        self.params.cooperative) - self.params.economy.spot_price_factor)
        hh.coop_choice(ctx, c.alive, gain)
        c.members_n[:] = np.bincount(h.cooperative[h.cooperative >= 0], minlength=c.n)
        applies = hh.labour_supply(ctx)
        self._hire(ctx, applies)
        self._assign_posts(ctx, hh.post_candidates(ctx))
        hh.take_training_and_credit(ctx)

    def _hire(self, ctx, applies) -> None:
        """Enterprises fill workshop jobs with relocated applicants, then other jobs, by priority."""
        h, e = self.hh, self.enterprises
        area = h.village * e.n // self.coops.n
        alive = e.alive[area]
        u = ctx.u("job_queue")
        workshop = ration(applies & alive & h.relocated, area, e.workshop_jobs * e.alive, u)
        prio = (~(h.is_ex_poor | h.monitored)).astype(np.int64)
        general = ration(applies & alive & ~workshop, area, e.jobs * e.alive, u, prio)
        hired = workshop | general
        h.local_job[:] = hired
        h.employer[:] = np.where(hired, area, -1)

    def _assign_posts(self, ctx, candidates) -> None:
        gov = self.gov
        prog = gov.programmes["welfare_posts"]
        n_posts = np.floor(prog.other["posts_per_household"] * self.n_households
                           * ctx.levels["welfare_posts"])
        served = ration(candidates, np.zeros(self.n_households, dtype=np.int64), np.array([n_posts]),
                        ctx.u("job_queue"), self.hh.prev_pc_income)
        self.hh.post[:] = served

    def _harvest(self, ctx, months: float) -> np.ndarray:
        p, c, e, h = self.params, self.coops, self.enterprises, self.hh
        vs = self.village_streams
        s = p.shocks
        forced = s.disaster_year == ctx.year  # a stress-test disaster strikes every village, shocks or not
        if ctx.neutral:
            weather = np.full(c.n, 1.0 - p.economy.disaster_loss if forced else 1.0)
        else:
            disaster = (vs.uniform("disaster", self.t) < p.economy.disaster_prob) | forced
            weather = production.weather_factor(vs.normal("weather", self.t), disaster, p.economy)
        self.bad_harvest |= weather < BAD_HARVEST
        ecom = p.enterprise.ecommerce_premium * ctx.levels["ecommerce"]
        cp = coop_rules.coop_price(ctx.price, c.capacity, p.cooperative)
        ent_of = np.maximum(c.enterprise, 0)
        has_contract = (c.enterprise >= 0) & e.alive[ent_of] & c.alive
        # Will the enterprise honour the floor this harvest?
        floor = p.enterprise.floor_price
        full = production.contract_price(ctx.price, floor, p.enterprise.contract_premium, ecom)
        bill = full * e.last_quantity * HARVEST_SHARE  # expected bill from last year's volume
        e.defaulting[:] = ent_rules.defaults_on_floor(ctx.price, floor, e.cash, bill, p.enterprise.default_gap)
        ent_floor = np.where(e.defaulting, 0.0, floor)
        # per cooperative: the enterprise pays over what the cooperative would get on its own, with the floor
        contract_price = production.contract_price(cp, ent_floor[ent_of], p.enterprise.contract_premium, ecom)
        sale = self.households.harvest(ctx, months, weather, cp, contract_price, has_contract)
        cid = np.where(h.cooperative >= 0, h.cooperative, 0)
        premium = np.bincount(cid, weights=sale["premium"], minlength=c.n)
        via_coop = np.bincount(cid, weights=sale["via_coop"], minlength=c.n)
        from_coop = np.bincount(cid, weights=sale["from_coop"], minlength=c.n)
        c.sales += via_coop
        c.paid_members += from_coop
        c.recv_gov += premium
        c.surplus += via_coop + premium - from_coop  # the cooperative's margin
        e.purchases += np.bincount(ent_of[cid], weights=sale["contract_value"], minlength=e.n)
        quantity = np.bincount(ent_of[cid], weights=sale["contract_quantity"], minlength=e.n)
        e.quantity += quantity
        e.sales_value += quantity * ctx.price * (1.0 + p.enterprise.value_added) * (1.0 + ecom)
        return sale["revenue"]

    def _enterprises_month(self, ctx, local_pay) -> None:
        e, h, gov = self.enterprises, self.hh, self.gov
        if self._payroll[0] != (ctx.year, ctx.t if ctx.levels["industry_support"] > 0 else None):
            # employment is fixed from January to December; targeted jobs may change with monitoring
            staff = np.flatnonzero(h.employer >= 0)
            emp = h.employer[staff]
            targeted = self.gov.targeted("industry_support", *self.households.groups())[staff]
            self._payroll = ((ctx.year, ctx.t if ctx.levels["industry_support"] > 0 else None),
                             np.bincount(emp, weights=local_pay[staff], minlength=e.n),
                             np.bincount(emp, weights=targeted, minlength=e.n))
        _, bill, held = self._payroll
        e.wages += bill
        ind = gov.programmes["industry_support"]
        sub = gov.pay("industry_support", e.alive * held * ind.other["enterprise_per_job"] / 12.0
                      * ctx.levels["industry_support"], payee="enterprises")
        ecom = gov.pay("ecommerce", e.alive * gov.programmes["ecommerce"].amount / 12.0 * ctx.levels["ecommerce"],
                       payee="enterprises")
        e.recv_gov += sub + ecom

    def _cooperatives_month(self, ctx) -> None:
        c, gov = self.coops, self.gov
        ind = gov.programmes["industry_support"]
        sub = gov.pay("industry_support", c.alive * c.members_n * ind.other["coop_per_member"] / 12.0
                      * ctx.levels["industry_support"], payee="cooperatives")
        c.recv_gov += sub
        c.surplus += sub

    def _cooperatives_year_end(self, ctx) -> np.ndarray:
        """Dividends (asset-income first, then 二次分红), failure and refounding. Returns household income."""
        c, h, cp = self.coops, self.hh, self.params.cooperative
        member = (h.cooperative >= 0)
        cid = np.where(member, h.cooperative, 0)
        c.surplus -= cp.cost_per_member * c.members_n
        holders = member & h.is_ex_poor
        n_holders = np.bincount(cid, weights=holders, minlength=c.n)
        pool = np.where(c.alive & (n_holders > 0), cp.asset_dividend_rate * c.asset_fund, 0.0)
        c.surplus -= pool
        asset_div = holders * (pool / np.maximum(n_holders, 1.0))[cid]
        coop_sales = np.bincount(cid, weights=h.coop_sales, minlength=c.n)
        patronage = member * coop_rules.patronage_dividend(c.surplus[cid], cp.dividend_share, h.coop_sales,
                                                           coop_sales[cid])
        paid = asset_div + patronage
        c.paid_members += np.bincount(cid, weights=paid, minlength=c.n)
        c.cash += c.surplus - np.bincount(cid, weights=patronage, minlength=c.n)
        h.property += paid
        h.recv_coop += paid
        # failure and refounding
        hazard = coop_rules.failure_hazard(c.capacity, c.surplus, cp)
        u = np.ones(c.n) if ctx.neutral else self.village_streams.uniform("coop_survival", self.t)
        fails = c.alive & (u < hazard)
        c.alive &= ~fails
        c.asset_fund[fails] = 0.0
        h.cooperative[:] = np.where(member & fails[cid], -1, h.cooperative)
        u2 = np.ones(c.n) if ctx.neutral else self.village_streams.uniform("coop_refound", self.t)
        refound = ~c.alive & ~fails & (u2 < cp.refound_prob)
        c.alive |= refound
        c.capacity[:] = np.where(refound, 0.2 + 0.6 * u2 / max(cp.refound_prob, 1e-12), c.capacity)
        c.cash[refound] = 0.0
        return paid

    def _enterprises_year_end(self, ctx) -> None:
        e, p = self.enterprises, self.params.enterprise
        fixed = p.fixed_cost_per_job * (e.jobs + e.workshop_jobs) * e.alive
        e.profit[:] = ent_rules.profit(e.sales_value + p.labour_value * e.wages, e.purchases, e.wages, fixed, e.recv_gov)
        e.cash += e.profit
        e.loss_years[:] = np.where(e.profit < 0, e.loss_years + 1.0, 0.0)
        e.last_quantity[:] = e.quantity
        u = np.ones(e.n) if ctx.neutral else self.enterprise_streams.uniform("enterprise", self.t)
        self._close_enterprises(np.flatnonzero(e.alive & ent_rules.exits(e.loss_years, u, p)))

    def _close_enterprises(self, which: np.ndarray) -> None:
        if which.size == 0:
            return
        e, h = self.enterprises, self.hh
        e.alive[which] = False
        laid_off = np.isin(h.employer, which)
        h.local_job[laid_off] = 0.0
        h.employer[laid_off] = -1

    def _move_price(self, ctx) -> None:
        if ctx.neutral:
            return
        e = self.params.economy
        z = self.village_streams.normal_one("price", self.t, 0)
        self.log_price = e.price_persistence * self.log_price + e.price_volatility * z

    # -- metrics -----------------------------------------------------------------------------
    def _record(self, year: int) -> None:
        """The year's outcomes (read-only), then the households' poverty history moves on a year."""
        if year >= CALIBRATION_YEAR:
            self.rows.append(annual_row(self))
            self.datacollector.collect(self)
        poverty_history.close_year(self.hh, self.poverty_line, counting=self.t >= 0)
