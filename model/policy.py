"""Policy engine: programmes with dated schedules, targeting, generosity and budgets.

A programme's *intensity* at a date is a number in [0, 1] given by its
schedule; payments are ``intensity * generosity * rule amount`` to the
households its targeting selects, scaled down pro rata when a yearly budget
binds.  The baseline (:func:`baseline_programmes`) is the transition-period
policy of 2021-2025 ("摘帽不摘责任、不摘政策、不摘帮扶、不摘监管") kept
indefinitely: every programme on, schedule shape ``none``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np

SHAPES = ("none", "cliff", "linear", "stepped")
TARGETS = ("ex_poor", "monitored", "near_poor", "all")


@dataclass
class Schedule:
    """When a programme runs and how it is phased out.

    ``start``/``end`` are years (the programme runs from 1 January of ``start``);
    ``end`` None means it never ends.  Shapes:

    * ``none``: full intensity from ``start`` on; ``end`` is ignored.
    * ``cliff``: full intensity until 31 December of ``end``, then zero.
    * ``linear``: full until ``phase_out_start`` (a year), then falls by equal
      monthly steps, the first in January of ``phase_out_start``, reaching zero in
      December of ``end`` (a 2026-2028 phase-out pays 35/36 in January 2026).
    * ``stepped``: full until the first step; ``steps`` maps a year to the
      intensity in force from 1 January of that year (last one on or before now).
    """

    start: int = 2016
    end: int | None = None
    shape: str = "none"
    phase_out_start: int | None = None
    steps: dict[int, float] = field(default_factory=dict)

    def __post_init__(self):
        if self.shape not in SHAPES:
            raise ValueError(f"The 'shape' of a schedule must be one of {SHAPES}. Got {self.shape!r}.")
        if self.shape in ("cliff", "linear") and self.end is None:
            raise ValueError(f"A '{self.shape}' schedule needs an 'end' year. Got None.")
        if self.end is not None and self.end < self.start - 1:
            raise ValueError(f"The 'end' of a schedule must not precede its 'start' ({self.start}). Got {self.end}.")
        if self.shape == "linear":
            first = self.phase_out_start if self.phase_out_start is not None else self.end
            if not self.start <= first <= self.end:
                raise ValueError(f"The 'phase_out_start' of a linear schedule must lie in [start, end] = "
                                 f"[{self.start}, {self.end}]. Got {first}.")
        for year, level in self.steps.items():
            if not 0.0 <= float(level) <= 1.0:
                raise ValueError(f"A stepped schedule's levels must be in [0, 1]. Got {level!r} for {year}.")

    def intensity(self, year: int, month: int = 0) -> float:
        """Intensity in [0, 1] in ``month`` (0-11) of ``year``."""
        if year < self.start:
            return 0.0
        if self.shape == "none":
            return 1.0
        if self.shape == "cliff":
            return 1.0 if year <= self.end else 0.0
        if self.shape == "linear":
            first = self.phase_out_start if self.phase_out_start is not None else self.end
            t = (year - first) * 12 + month  # months since the phase-out began
            span = (self.end + 1 - first) * 12
            return float(min(1.0, max(0.0, 1.0 - (t + 1) / span))) if t >= 0 else 1.0
        if self.shape == "stepped":
            level = 1.0
            for y in sorted(self.steps):
                if y <= year:
                    level = float(self.steps[y])
            return level
        raise ValueError(f"unknown schedule shape '{self.shape}'; expected one of {SHAPES}")


@dataclass
class Programme:
    """One policy programme: what it pays, to whom, when, how generously, within what budget."""

    name: str
    description: str
    schedule: Schedule = field(default_factory=Schedule)
    targeting: tuple[str, ...] = ("ex_poor",)
    generosity: float = 1.0
    budget: float | None = None  # yuan per household of the county per year; None = unlimited
    amount: float = 0.0  # programme-specific unit amount (see each programme)
    unit: str = ""
    source: str = ""
    conditional: bool = False  # paid only to households working or training (扶志); counts as conditional support
    other: dict[str, float] = field(default_factory=dict)  # further amounts (other payees, indexation, ...)
    dated: dict[str, dict[int, float]] = field(default_factory=dict)  # field -> {year: value in force from then}

    def apply_year(self, year: int) -> None:
        """Set each dated field (generosity, amount, budget) to the value in force in ``year``:
        the last one dated on or before it (OpenFisca style); before the first date, the first value."""
        for name, values in self.dated.items():
            setattr(self, name, value_in_force(values, year))

    def level(self, year: int, month: int = 0) -> float:
        return self.schedule.intensity(year, month) * self.generosity


def value_in_force(values: dict[int, float], year: int):
    """The value dated on or before ``year`` with the latest date; the earliest value if all are later."""
    years = sorted(values)
    current = values[years[0]]
    for y in years:
        if y <= year:
            current = values[y]
    return current


def _check_targeting(targeting) -> None:
    for t in targeting:
        if t not in TARGETS:
            raise ValueError(f"unknown targeting '{t}'; expected one of {TARGETS}")


def target_mask(targeting, ex_poor, monitored, near_poor) -> np.ndarray:
    """Boolean mask of households selected by a targeting rule (union of groups)."""
    _check_targeting(targeting)
    mask = np.zeros(ex_poor.shape, dtype=bool)
    for t in targeting:
        if t == "all":
            return np.ones(ex_poor.shape, dtype=bool)
        if t == "ex_poor":
            mask |= ex_poor
        elif t == "monitored":
            mask |= monitored
        elif t == "near_poor":
            mask |= near_poor
        else:
            raise ValueError(f"unknown targeting '{t}'; expected one of {TARGETS}")
    return mask


def target_one(targeting, ex_poor: bool, monitored: bool, near_poor: bool) -> bool:
    """:func:`target_mask` for one household (used by the per-agent reference)."""
    _check_targeting(targeting)
    groups = {"all": True, "ex_poor": ex_poor, "monitored": monitored, "near_poor": near_poor}
    return any(groups[t] for t in targeting)


def _p(name, description, amount, unit, source, targeting=("ex_poor",), **other):
    return Programme(name=name, description=description, amount=amount, unit=unit,
                     source=source, targeting=tuple(targeting), other=dict(other))


_BASELINE = [
    _p("direct_support", "unconditional cash support to registered households (各类到户补贴)", 600.0,
       "yuan/person/year", "assumption; order of magnitude of per-household subsidies in poverty counties"),
    _p("industry_support", "industry subsidies: to households per yuan of farm output, to cooperatives per member, "
       "to enterprises per job held by an ex-poor worker (产业扶贫奖补)", 0.10,
       "share of farm output (households); coops 200 yuan/member, enterprises 3,000 yuan/job",
       "assumption; 产业奖补 practice", targeting=("ex_poor", "monitored"),
       coop_per_member=200.0, enterprise_per_job=3000.0),
    _p("dibao", "minimum living guarantee (低保): top-up to the standard for households with weak labour", 5842.0,
       "yuan/person/year (standard, indexed +2.8% a year in real terms: 6,046 nominal in 2021 = 6,004 at 2020 prices)",
       "MCA via Xinhua 2020-12-28 (rural average 2020) and 2021-05-08", targeting=("all",),
       indexation=0.028),
    _p("health_protection", "serious-illness insurance and medical assistance (三重保障) above basic insurance", 0.80,
       "share of medical cost covered in total", "NHSA: ex-poor inpatient reimbursement ~80% in 2020",
       targeting=("ex_poor", "monitored")),
    _p("education_support", "education support for children beyond compulsory school (雨露计划, 助学)", 3000.0,
       "yuan/child/year", "雨露计划 3,000 yuan/year per student", targeting=("ex_poor", "monitored")),
    _p("vocational_training", "vocational training (技能培训), conditional on participation", 0.10,
       "share of targeted households trained per year", "assumption", targeting=("ex_poor", "monitored"),
       cost_per_trainee=2000.0),
    _p("welfare_posts", "public-welfare posts (公益岗位) for workers who cannot migrate", 600.0,
       "yuan/month per post", "local practice 500-800 yuan/month", targeting=("ex_poor", "monitored"),
       posts_per_household=0.03),
    _p("microcredit", "interest-free small loans (扶贫小额信贷) for productive investment", 20000.0,
       "yuan per loan (interest cost 4.35%/year borne by government)", "policy: up to 50,000, 3 years, interest subsidy",
       targeting=("ex_poor", "monitored"), take_up=0.15, interest=0.0435, months=36.0),
    _p("guaranteed_purchase", "government guaranteed purchase (保底收购) at the floor price", 0.95,
       "x 2020 price (floor)", "assumption", targeting=("ex_poor",)),
    _p("ecommerce", "e-commerce and live-stream promotion (电商扶贫, 直播带货) through enterprises", 20000.0,
       "yuan/enterprise/year", "assumption", targeting=("all",)),
    _p("consumption_support", "east-west paired assistance and consumption support (东西部协作, 消费帮扶)", 0.05,
       "price premium on cooperative sales", "assumption", targeting=("all",)),
    _p("monitoring_support", "help for households flagged by monitoring (防止返贫监测帮扶)", 0.5,
       "share of the gap to the monitoring line paid", "assumption", targeting=("monitored",)),
    _p("pension", "rural basic pension for the elderly (城乡居民基础养老金)", 2040.0,
       "yuan/elderly/year", "MOHRSS minimum 170 yuan/month in 2020", targeting=("all",)),
    _p("medical_insurance", "basic medical insurance (基本医保) reimbursement", 0.50,
       "share of medical cost", "NHSA effective inpatient reimbursement", targeting=("all",)),
]
# Off in the baseline: only the guaranteed-purchase and e-commerce scenarios switch them on.
_OFF_IN_BASELINE = {"guaranteed_purchase", "ecommerce"}

PROGRAMME_NAMES = tuple(p.name for p in _BASELINE)
#: Switches that are not money programmes but are scheduled the same way.
MONITORING = "monitoring"


def baseline_programmes() -> dict[str, Programme]:
    """The transition-period policy kept indefinitely (a fresh copy each call)."""
    progs = {p.name: copy.deepcopy(p) for p in _BASELINE}
    for name in _OFF_IN_BASELINE:
        progs[name].generosity = 0.0
    progs[MONITORING] = Programme(name=MONITORING, description="dynamic monitoring (防止返贫动态监测)",
                                  targeting=("all",), source="transition-period policy 2021-2025")
    return progs
