"""The policy programmes of the transition period (2021-2025), each declared once.

A programme's declaration says what it is (its :data:`KINDS` entry), what its ``amount`` means
(unit, bounds, source), which further amounts (``other``: the extras, e.g. dibao's indexation)
it has, whom it targets and whether it runs in the baseline.  The fields every programme has
(``generosity``, ``budget``, ``conditional``, ``targeting``, ...) and the fields of its schedule
are declared here too (:data:`FIELDS`, :data:`SCHEDULE_FIELDS`).  :func:`model.policy.baseline_programmes`
builds the baseline from these declarations; :mod:`model.validator` checks every change against them.

**Kinds.** What a programme is, in a small vocabulary (validated, shown as ``Programme.kind``; a
scenario cannot change it).  The engine pays a programme by its kind (:mod:`model.payment`): the four
cash-transfer kinds are paid every month by one code path, each household receiving what the
programme's declared ``entitlement`` rule says it is owed, and booked by kind (as transfer income; as
unconditional or conditional support, which moves effort; a means-tested transfer is left out of the
income its own test counts).  The other kinds are paid by the process they belong to (insurance when
a medical bill arrives, price support at the harvest, ...).

* ``income_transfer``: cash per person or per member of a group, whatever the household's income
  (direct_support); unconditional support unless the programme is made ``conditional``;
* ``means_tested_transfer``: cash that tops a household's income up towards a line (dibao);
* ``conditional_transfer``: cash paid on a condition the household meets: a child in school beyond
  compulsory schooling (education_support, 雨露计划), or being flagged by monitoring and helped
  (monitoring_support, 帮扶);
* ``old_age_pension``: a benefit per elderly member (pension); it does not bear on the effort of the
  working members;
* ``insurance``: a share of medical costs reimbursed (medical_insurance, health_protection);
* ``in_kind_service``: training paid per trainee (vocational_training);
* ``producer_subsidy``: a subsidy to producers: farm households per yuan of output, cooperatives per
  member, enterprises per job or for their online sales (industry_support, ecommerce);
* ``job_programme``: public-welfare posts paid a wage (welfare_posts);
* ``credit``: loans whose interest the government pays (microcredit);
* ``price_support``: a better price for farm produce, a floor or a premium (guaranteed_purchase,
  consumption_support);
* ``switch``: pays nothing; turns an activity on while its level is positive (monitoring).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from .declared import Declared

KINDS = ("income_transfer", "means_tested_transfer", "conditional_transfer", "old_age_pension", "insurance",
         "in_kind_service", "producer_subsidy", "job_programme", "credit", "price_support", "switch")
#: The kinds paid as cash every month through the programmes' entitlement rules.
CASH_KINDS = ("income_transfer", "means_tested_transfer", "conditional_transfer", "old_age_pension")
#: What a household is owed per month by a cash transfer at full level (rules in :mod:`model.rules.programmes`):
#: the amount per member; per elderly member; the gap of last year's income per member to the (indexed)
#: standard, for eligible households; per household with a child in school beyond compulsory schooling;
#: a share of the gap of the last twelve months' income per member to the monitoring line, while monitoring runs.
ENTITLEMENTS = ("per_member", "per_elderly", "top_up_to_standard", "per_student", "share_of_gap_to_monitoring_line")
SHAPES = ("none", "cliff", "linear", "stepped")
TARGETS = ("ex_poor", "monitored", "near_poor", "all")
LEVER = "scenario lever"

#: Fields every programme has (its ``amount`` is declared with the programme, below).
FIELDS = {
    "generosity": Declared(value=1.0, low=0, high=100, unit="x the programme's level", dated=True, source=LEVER,
                           why="100x any programme's level is beyond any policy, still finite",
                           description="multiplies what the programme pays; 0 switches it off, above 1 pays more"),
    "budget": Declared(value=None, low=0, high=10_000_000, nullable=True, dated=True, source=LEVER,
                       why="ten million yuan per household a year: no cap binds above it",
                       unit="yuan per household of the county per year",
                       description="yearly cap; payments are scaled down pro rata when it binds; null: no cap"),
    "conditional": Declared(value=False, type="flag", source=LEVER,
                            description="paid only to households working, farming or training (扶志)"),
    "targeting": Declared(value=("ex_poor",), type="groups", choices=TARGETS, source=LEVER,
                          description="the groups paid (their union)"),
    "description": Declared(value="", type="text", source="documentation", description="what the programme does"),
    "kind": Declared(value="income_transfer", type="choice", choices=KINDS, source="each programme's declaration",
                     description="what the programme is (declared; a scenario cannot change it)"),
}
#: Fields of a programme's schedule (see :class:`model.policy.Schedule` for their meaning and the rule
#: that binds them together).
SCHEDULE_FIELDS = {
    "start": Declared(value=2016, type="year", unit="year", source=LEVER,
                      description="first year in force, from 1 January (the baseline's programmes run from 2016)"),
    "end": Declared(value=None, type="year", nullable=True, unit="year", source=LEVER,
                    description="last year in force, to 31 December (cliff and linear shapes); null: never ends"),
    "shape": Declared(value="none", type="choice", choices=SHAPES, source=LEVER, description="how it ends"),
    "phase_out_start": Declared(value=None, type="year", nullable=True, unit="year", source=LEVER,
                                description="first year of a linear phase-out; null: the end year"),
    "steps": Declared(value=1.0, low=0, high=1, why="a share", unit="share of full intensity", source=LEVER,
                      description="a stepped schedule's intensity from 1 January of each year named"),
}


#: The upper bound of an amount or extra not bounded by its meaning: a multiple of its default (every number a
#: scenario sets is bounded, so that what ``check`` accepts runs to finite outputs).
TIMES_DEFAULT = 1000


def _why(value, low, high) -> tuple[float, str]:
    if high is not None:
        return high, "a share" if (low, high) == (0, 1) else "by its meaning"
    return max(TIMES_DEFAULT * value, 10.0), f"{TIMES_DEFAULT}x the default: beyond any policy, still finite"


def _amount(value, unit: str, source: str, description: str, high=None) -> Declared:
    high, why = _why(value, 0, high)
    return Declared(value=value, unit=unit, source=source, description=description, low=0, high=high, dated=True,
                    why=why)


def _extra(value, unit: str, description: str, source: str, low=0, high=None) -> Declared:
    high, why = _why(value, low, high)
    return Declared(value=value, unit=unit, description=description, source=source, low=low, high=high, why=why)


class ProgrammeDeclaration(BaseModel):
    """One programme's declaration: what it is, what it pays, its extras, whom it targets."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    kind: Literal["income_transfer", "means_tested_transfer", "conditional_transfer", "old_age_pension", "insurance",
                  "in_kind_service", "producer_subsidy", "job_programme", "credit", "price_support", "switch"]
    entitlement: Literal["per_member", "per_elderly", "top_up_to_standard", "per_student",
                         "share_of_gap_to_monitoring_line"] | None = None  # cash kinds only
    description: str
    amount: Declared
    unit: str = ""  # the amount's unit as ``Programme.unit`` gives it, with what it implies; default amount.unit
    targeting: tuple[str, ...]
    other: dict[str, Declared] = {}
    on: bool = True  # runs in the baseline (generosity 1); False: generosity 0 until a scenario switches it on

    @model_validator(mode="after")
    def _coherent(self) -> "ProgrammeDeclaration":
        if FIELDS["targeting"].problem(self.targeting):
            raise ValueError(f"targeting: expected {FIELDS['targeting'].expected()}; got {self.targeting!r}")
        if self.amount.type != "number" or any(d.type != "number" for d in self.other.values()):
            raise ValueError("a programme's amount and extras are numbers")
        if (self.kind in CASH_KINDS) != (self.entitlement is not None):
            raise ValueError(f"{self.name}: a cash transfer ({', '.join(CASH_KINDS)}) names its entitlement rule, "
                             f"and only a cash transfer does; got kind {self.kind!r}, entitlement {self.entitlement!r}")
        return self


def _programme(name: str, kind: str, description: str, amount: Declared, targeting, other=None,
               on: bool = True, unit: str | None = None, entitlement: str | None = None) -> ProgrammeDeclaration:
    return ProgrammeDeclaration(name=name, kind=kind, description=description, amount=amount,
                                unit=amount.unit if unit is None else unit, targeting=tuple(targeting),
                                other=other or {}, on=on, entitlement=entitlement)


_INDUSTRY = "assumption; 产业奖补 practice"
_DIBAO = "MCA via Xinhua 2020-12-28 (rural average 2020) and 2021-05-08"
_DECLARED = [
    _programme(
        "direct_support", "income_transfer", "unconditional cash support to registered households (各类到户补贴)",
        _amount(600.0, "yuan/person/year",
                "assumption; order of magnitude of per-household subsidies in poverty counties",
                "cash per member of a targeted household"),
        ("ex_poor",), entitlement="per_member"),
    _programme(
        "industry_support", "producer_subsidy",
        "industry subsidies: to households per yuan of farm output, to cooperatives per member, "
        "to enterprises per job held by an ex-poor worker and per yuan bought under contract (产业扶贫奖补)",
        _amount(0.10, "share of farm output", _INDUSTRY, "subsidy to a targeted household per yuan of farm output",
                high=1),
        ("ex_poor", "monitored"),
        unit="share of farm output (households); coops 200 yuan/member, enterprises 3,000 yuan/job and 3% of "
             "what they buy under contract",
        other={
            "coop_per_member": _extra(200.0, "yuan/member/year", "subsidy to a cooperative per member", _INDUSTRY),
            "enterprise_per_job": _extra(3000.0, "yuan/job/year",
                                         "subsidy to an enterprise per job held by a targeted worker", _INDUSTRY),
            "enterprise_per_contract": _extra(0.03, "share of contract purchases",
                                              "subsidy to an enterprise per yuan of produce it buys from cooperatives "
                                              "under contract (订单农业 rewards to enterprises that bring farmers along)",
                                              _INDUSTRY, high=1)}),
    _programme(
        "dibao", "means_tested_transfer",
        "minimum living guarantee (低保): top-up to the standard for households with weak labour",
        _amount(5842.0, "yuan/person/year", _DIBAO, "the standard in 2020: income per member is topped up to it"),
        ("all",),
        unit="yuan/person/year (standard, indexed +2.8% a year in real terms: 6,046 nominal in 2021 = 6,004 at "
             "2020 prices)",
        other={
            "indexation": _extra(0.028, "per year (real)", "yearly real growth of the standard from 2020",
                                 "MCA via Xinhua 2020-12-28 and 2021-05-08: 5,842 (2020) to 6,046 nominal (2021) = "
                                 "6,004 at 2020 prices", low=-0.2, high=0.3)},
        entitlement="top_up_to_standard"),
    _programme(
        "health_protection", "insurance",
        "serious-illness insurance and medical assistance (三重保障) above basic insurance",
        _amount(0.80, "share of medical cost covered in total", "NHSA: ex-poor inpatient reimbursement ~80% in 2020",
                "share of a medical bill covered, basic insurance included", high=1),
        ("ex_poor", "monitored")),
    _programme(
        "education_support", "conditional_transfer",
        "education support for children beyond compulsory school (雨露计划, 助学)",
        _amount(3000.0, "yuan/child/year", "雨露计划 3,000 yuan/year per student",
                "support per household with a child in school beyond nine years"),
        ("ex_poor", "monitored"), entitlement="per_student"),
    _programme(
        "vocational_training", "in_kind_service", "vocational training (技能培训), conditional on participation",
        _amount(0.10, "share of targeted households trained per year", "assumption",
                "chance a targeted household with a worker is trained in a year", high=1),
        ("ex_poor", "monitored"),
        other={
            "cost_per_trainee": _extra(2000.0, "yuan/trainee", "what the government pays per trainee", "assumption")}),
    _programme(
        "welfare_posts", "job_programme", "public-welfare posts (公益岗位) for workers who cannot migrate",
        _amount(600.0, "yuan/month per post", "local practice 500-800 yuan/month", "monthly pay of a post"),
        ("ex_poor", "monitored"),
        other={
            "posts_per_household": _extra(0.03, "posts/household", "posts in the county per household", "assumption",
                                          high=1)}),
    _programme(
        "microcredit", "credit", "interest-free small loans (扶贫小额信贷) for productive investment",
        _amount(20000.0, "yuan per loan", "policy: up to 50,000, 3 years, interest subsidy", "size of a loan"),
        ("ex_poor", "monitored"),
        unit="yuan per loan (interest cost 4.35%/year borne by government)",
        other={
            "take_up": _extra(0.15, "share per year", "chance a targeted household without a loan takes one in a year",
                              "assumption", high=1),
            "interest": _extra(0.0435, "per year", "interest rate the government pays on a loan",
                               "PBoC one-year benchmark lending rate, 4.35% from October 2015", high=1),
            "months": _extra(36.0, "months", "term of a loan, repaid in equal monthly instalments",
                             "policy: loans of up to 3 years", low=1)}),
    _programme(
        "guaranteed_purchase", "price_support", "government guaranteed purchase (保底收购) at the floor price",
        _amount(0.95, "x 2020 price (floor)", "assumption", "the floor price the government tops sales up to"),
        ("ex_poor",), on=False),
    _programme(
        "ecommerce", "producer_subsidy",
        "e-commerce and live-stream promotion (电商扶贫, 直播带货) through enterprises",
        _amount(20000.0, "yuan/enterprise/year", "assumption", "funding per enterprise"),
        ("all",), on=False),
    _programme(
        "consumption_support", "price_support",
        "east-west paired assistance and consumption support (东西部协作, 消费帮扶)",
        _amount(0.05, "price premium on cooperative sales", "assumption",
                "premium on the price of targeted members' sales through a cooperative"),
        ("all",)),
    _programme(
        "leader_training", "in_kind_service",
        "training of cooperative leaders (带头人培训, e.g. the 乡村产业振兴带头人培育 \"头雁\" project)",
        _amount(0.20, "share of operating cooperatives' leaders trained per year", "assumption",
                "chance an operating cooperative's leader is trained in a year", high=1),
        ("all",),
        other={
            "cost_per_leader": _extra(5000.0, "yuan/leader", "what the government pays per leader trained",
                                      "assumption")}),
    _programme(
        "monitoring_support", "conditional_transfer", "help for households flagged by monitoring (防止返贫监测帮扶)",
        _amount(0.5, "share of the gap to the monitoring line paid", "assumption",
                "share of a flagged household's gap to the monitoring line paid", high=1),
        ("monitored",), entitlement="share_of_gap_to_monitoring_line"),
    _programme(
        "pension", "old_age_pension", "rural basic pension for the elderly (城乡居民基础养老金)",
        _amount(2040.0, "yuan/elderly/year", "MOHRSS minimum 170 yuan/month in 2020",
                "basic pension per elderly member"),
        ("all",), entitlement="per_elderly"),
    _programme(
        "medical_insurance", "insurance", "basic medical insurance (基本医保) reimbursement",
        _amount(0.50, "share of medical cost", "NHSA effective inpatient reimbursement",
                "share of a medical bill reimbursed", high=1),
        ("all",)),
]
#: Switches that are not money programmes but are scheduled the same way.
MONITORING = "monitoring"
_SWITCHES = [
    _programme(
        MONITORING, "switch", "dynamic monitoring (防止返贫动态监测)",
        _amount(0.0, "", "transition-period policy 2021-2025",
                "none: a switch pays nothing (monitoring_support pays the help to flagged households)", high=0),
        ("all",)),
]
#: Priority hiring of targeted workers by enterprises and workshops (a switch: it pays nothing).
PRIORITY_HIRING = "priority_hiring"
_SWITCHES.append(
    _programme(
        PRIORITY_HIRING, "switch",
        "priority hiring (优先吸纳) of registered and monitored workers for local enterprise and workshop jobs",
        _amount(0.0, "", "transition-period policy: enterprises and workshops 带贫 hire poor workers first",
                "none: a switch pays nothing (enterprises hire targeted applicants first while it runs)", high=0),
        ("ex_poor", "monitored")))
#: Every programme, money programmes first, by name.
DECLARED: dict[str, ProgrammeDeclaration] = {p.name: p for p in (*_DECLARED, *_SWITCHES)}
#: The money programmes (those with a cost column), in the order of the outcome table.
PROGRAMME_NAMES = tuple(p.name for p in _DECLARED)
