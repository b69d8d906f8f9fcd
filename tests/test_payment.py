"""Programmes are paid by kind (model/payment.py): booking rules, the payment order, and a new cash
programme added with one declaration, paid and booked in both engines without engine changes."""

import numpy as np
import pytest

from ruralsim.model import RuralEconomy, payment, policy, programmes
from ruralsim.model.declared import Declared
from ruralsim.model.policy import Programme, baseline_programmes


def test_booking_follows_the_kind_and_the_conditional_switch():
    progs = baseline_programmes()
    b = {n: payment.booking(progs[n]) for n in payment.cash_programmes(progs)}
    assert b["direct_support"] == payment.Booking("unconditional", False)
    assert b["dibao"] == payment.Booking("unconditional", True)  # left out of its own means test
    assert b["education_support"] == payment.Booking("conditional", False)
    assert b["monitoring_support"] == payment.Booking("conditional", False)
    assert b["pension"] == payment.Booking(None, False)  # neither: paid for the elderly
    progs["direct_support"].conditional = True
    assert payment.booking(progs["direct_support"]).effort == "conditional"
    with pytest.raises(ValueError, match="'kind': expected one of income_transfer"):
        payment.booking(progs["medical_insurance"])  # not a cash transfer


def test_cash_programmes_in_paying_order():
    progs = baseline_programmes()
    assert payment.cash_programmes(progs) == ["pension", "direct_support", "dibao", "education_support",
                                              "monitoring_support"]
    assert [payment.is_yearly(progs[n]) for n in payment.cash_programmes(progs)] == [True, True, True, True, False]


def test_a_cash_programme_must_name_its_entitlement_rule():
    with pytest.raises(ValueError, match="names its entitlement rule"):
        programmes.ProgrammeDeclaration(name="x", kind="income_transfer", description="x", targeting=("all",),
                                        amount=Declared(value=1.0, low=0, description="x", source="x"))
    with pytest.raises(ValueError, match="names its entitlement rule"):
        programmes.ProgrammeDeclaration(name="x", kind="insurance", description="x", targeting=("all",),
                                        entitlement="per_member",
                                        amount=Declared(value=1.0, low=0, description="x", source="x"))


@pytest.fixture
def child_allowance(monkeypatch):
    """A new programme declared the way a contributor would add one: 120 yuan per member per year to
    every never-registered near-poor household, an income transfer with the existing per_member rule."""
    d = programmes.ProgrammeDeclaration(
        name="child_allowance", kind="income_transfer", description="a test programme", targeting=("near_poor",),
        entitlement="per_member",
        amount=Declared(value=120.0, low=0, unit="yuan/person/year", description="x", source="test"))
    monkeypatch.setitem(programmes.DECLARED, d.name, d)
    monkeypatch.setitem(policy._BASELINE, d.name, Programme(name=d.name, description=d.description, amount=120.0,
                                                            targeting=d.targeting, kind=d.kind))
    return d


def _run(engine, years=2):
    m = RuralEconomy(n_households=300, rng=11, engine=engine, household_agents=engine == "agents")
    m.run_years(years)
    return m


def test_a_new_cash_programme_is_paid_and_booked_without_engine_changes(child_allowance, monkeypatch):
    with_it = _run("vectorised")
    assert with_it.gov.cost["child_allowance"] > 0  # the last year's ledger
    with monkeypatch.context() as undo:  # the same county without the new programme (paired: same seed)
        undo.delitem(programmes.DECLARED, "child_allowance")
        undo.delitem(policy._BASELINE, "child_allowance")
        without = _run("vectorised")
    assert "child_allowance" not in without.gov.cost
    # 2021: the new programme adds to the fiscal cost and to the households' unconditional support
    assert with_it.annual_metrics().iloc[1]["fiscal_cost"] > without.annual_metrics().iloc[1]["fiscal_cost"]
    assert with_it.hh.unconditional.sum() > without.hh.unconditional.sum()


def test_a_new_cash_programme_docks(child_allowance):
    from test_docking import assert_docked as docked

    vec, agents = _run("vectorised"), _run("agents")
    assert vec.gov.cost["child_allowance"] > 0
    np.testing.assert_allclose(agents.gov.cost["child_allowance"], vec.gov.cost["child_allowance"], rtol=1e-9)
    docked(vec, agents, years=2)


def test_a_programme_paying_several_payees_in_a_month_stays_within_its_budget():
    # industry support pays households, cooperatives and enterprises in the same month: with a budget of 20 yuan
    # per household a year the whole year's spending stays within 20 x N (before, each payment had the whole
    # month's budget to itself)
    from ruralsim.model import RuralEconomy
    from ruralsim.model.scenario import Scenario
    m = RuralEconomy(Scenario(programme_changes={"industry_support": {"budget": 20.0}}), n_households=2000, rng=1,
                     household_agents=False)
    df = m.run_years(2)
    assert (df.loc[df.year >= 2021, "cost_industry_support"] <= 20.0 * 2000 * (1 + 1e-12)).all()
    assert (df.loc[df.year >= 2021, "cost_industry_support"] > 0.9 * 20.0 * 2000).all()  # and it binds
