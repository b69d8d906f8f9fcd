"""Tests of the policy engine (model/policy.py) and of Government.pay (model/agents/government.py).

Schedule intensities are checked at dates before the start, during, at the
boundaries and after, with the expected numbers worked out by hand from the
formulas in ``Schedule.intensity``.
"""
import itertools
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ruralsim import model  # noqa: E402
from ruralsim.model import policy  # noqa: E402
from ruralsim.model.policy import Programme, Schedule, baseline_programmes, target_mask, target_one  # noqa: E402


# ----------------------------------------------------------------------- Schedule
def test_shape_none_ignores_end():
    s = Schedule(start=2021, end=2023, shape="none")
    assert s.intensity(2020, 11) == 0.0  # before start
    assert s.intensity(2021, 0) == 1.0  # first month
    assert s.intensity(2023, 11) == 1.0
    assert s.intensity(2024, 0) == 1.0  # end is ignored
    assert s.intensity(2040, 6) == 1.0


def test_shape_cliff():
    s = Schedule(start=2016, end=2025, shape="cliff")
    assert s.intensity(2015, 11) == 0.0  # before start
    assert s.intensity(2016, 0) == 1.0
    assert s.intensity(2020, 5) == 1.0
    assert s.intensity(2025, 0) == 1.0
    assert s.intensity(2025, 11) == 1.0  # through December of the end year
    assert s.intensity(2026, 0) == 0.0  # zero from January after
    assert s.intensity(2030, 6) == 0.0


def test_shape_linear_by_hand():
    # phase_out_start 2026, end 2027: span = (2027 + 1 - 2026) * 12 = 24 months
    # intensity = 1 - (t + 1)/24 with t = months since January 2026
    s = Schedule(start=2016, end=2027, shape="linear", phase_out_start=2026)
    assert s.intensity(2015, 0) == 0.0  # before start
    assert s.intensity(2020, 0) == 1.0  # during, before phase-out
    assert s.intensity(2025, 11) == 1.0  # t = -1: still full
    assert s.intensity(2026, 0) == pytest.approx(23 / 24)  # t = 0:  1 - 1/24
    assert s.intensity(2026, 11) == pytest.approx(0.5)  # t = 11: 1 - 12/24
    assert s.intensity(2027, 5) == pytest.approx(0.25)  # t = 17: 1 - 18/24
    assert s.intensity(2027, 10) == pytest.approx(1 / 24)  # t = 22: 1 - 23/24
    assert s.intensity(2027, 11) == 0.0  # t = 23: 1 - 24/24 = 0 in December of the end year
    assert s.intensity(2028, 0) == 0.0  # t = 24: clipped at 0
    assert s.intensity(2035, 3) == 0.0
    # monthly decline is linear: successive differences are all 1/24 over the phase-out
    vals = [s.intensity(2026 + m // 12, m % 12) for m in range(24)]
    np.testing.assert_allclose(np.diff(vals), -1 / 24, rtol=1e-12)


def test_shape_linear_without_phase_out_start_uses_end_year():
    # first = end = 2025, span 12: January 2025 -> 11/12, June (m=5) -> 1 - 6/12 = .5, December -> 0
    s = Schedule(start=2016, end=2025, shape="linear")
    assert s.intensity(2024, 11) == 1.0
    assert s.intensity(2025, 0) == pytest.approx(11 / 12)
    assert s.intensity(2025, 5) == pytest.approx(0.5)
    assert s.intensity(2025, 11) == 0.0
    assert s.intensity(2026, 0) == 0.0


def test_invalid_schedules_are_rejected_when_built():
    # a phase-out needs an end; the phase-out must start within the schedule; levels are in [0, 1]
    with pytest.raises(ValueError, match="'end': expected a year when the shape is 'linear'"):
        Schedule(start=2016, end=None, shape="linear", phase_out_start=2026)
    with pytest.raises(ValueError, match="phase_out_start"):
        Schedule(start=2016, end=2027, shape="linear", phase_out_start=2029)
    with pytest.raises(ValueError, match=r"'end': expected a year on or after the start \(2016\)"):
        Schedule(start=2016, end=2010, shape="cliff")
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        Schedule(shape="stepped", steps={2026: 1.5})
    with pytest.raises(ValueError, match="one of"):
        Schedule(shape="sudden")


def test_target_one_rejects_unknown_groups_like_target_mask():
    from ruralsim.model.policy import target_one
    with pytest.raises(ValueError, match="expected a list of groups among"):
        target_one(("all", "bogus"), True, False, False)
    with pytest.raises(ValueError, match="expected a list of groups among"):
        target_mask(("all", "bogus"), EX, MON, NEAR)


def test_shape_stepped_last_step_on_or_before_year():
    # insertion order is deliberately unsorted
    s = Schedule(start=2016, end=2030, shape="stepped", steps={2030: 0.0, 2026: 0.5, 2028: 0.25})
    assert s.intensity(2015, 0) == 0.0  # before start
    assert s.intensity(2025, 11) == 1.0  # before the first step
    assert s.intensity(2026, 0) == 0.5  # step year itself, from January
    assert s.intensity(2027, 6) == 0.5
    assert s.intensity(2028, 0) == 0.25
    assert s.intensity(2029, 11) == 0.25
    assert s.intensity(2030, 0) == 0.0
    assert s.intensity(2045, 0) == 0.0
    # stepped works without an end too
    s2 = Schedule(start=2016, shape="stepped", steps={2026: 0.5})
    assert s2.intensity(2025) == 1.0 and s2.intensity(2026) == 0.5


def test_unknown_shape_raises():
    with pytest.raises(ValueError):
        Schedule(start=2016, end=2025, shape="wobbly").intensity(2020)


def test_programme_level_is_intensity_times_generosity():
    # linear as above, December 2026: intensity .5; generosity .5 -> level .25
    s = Schedule(start=2016, end=2027, shape="linear", phase_out_start=2026)
    p = Programme(name="x", description="x", schedule=s, generosity=0.5)
    assert p.level(2026, 11) == pytest.approx(0.25)
    assert p.level(2020, 0) == pytest.approx(0.5)  # full intensity * .5
    assert p.level(2015, 0) == 0.0  # before start
    assert Programme(name="y", description="y", schedule=s, generosity=0.0).level(2020) == 0.0


# ----------------------------------------------------------------------- targeting
EX = np.array([True, False, False, False, True])
MON = np.array([False, True, False, False, True])
NEAR = np.array([False, False, True, False, False])


@pytest.mark.parametrize("targeting, expected", [
    (("ex_poor",), [1, 0, 0, 0, 1]),
    (("monitored",), [0, 1, 0, 0, 1]),
    (("near_poor",), [0, 0, 1, 0, 0]),
    (("ex_poor", "monitored"), [1, 1, 0, 0, 1]),
    (("monitored", "near_poor"), [0, 1, 1, 0, 1]),
    (("ex_poor", "monitored", "near_poor"), [1, 1, 1, 0, 1]),
    (("all",), [1, 1, 1, 1, 1]),
    (("ex_poor", "all"), [1, 1, 1, 1, 1]),
    ((), [0, 0, 0, 0, 0]),
])
def test_target_mask_unions(targeting, expected):
    np.testing.assert_array_equal(target_mask(targeting, EX, MON, NEAR), np.array(expected, dtype=bool))


def test_target_mask_unknown_raises():
    with pytest.raises(ValueError):
        target_mask(("bogus",), EX, MON, NEAR)
    with pytest.raises(ValueError):
        target_mask(("ex_poor", "bogus"), EX, MON, NEAR)


def test_target_one_agrees_with_target_mask_on_all_combinations():
    combos = list(itertools.product([False, True], repeat=3))  # 8 (ex_poor, monitored, near_poor)
    ex, mon, near = (np.array(c) for c in zip(*combos))
    rules = [()] + [t for r in range(1, 5) for t in itertools.combinations(policy.TARGETS, r)]
    assert len(rules) == 16
    for targeting in rules:
        mask = target_mask(targeting, ex, mon, near)
        one = [target_one(targeting, *c) for c in combos]
        assert list(mask) == one, targeting


# ----------------------------------------------------------------------- baseline
def test_baseline_has_every_programme_and_monitoring():
    progs = baseline_programmes()
    assert set(progs) == set(policy.PROGRAMME_NAMES) | {"monitoring", "priority_hiring"}
    assert policy.MONITORING == "monitoring"
    for name, p in progs.items():
        assert p.name == name
        assert p.schedule.shape == "none"


def test_baseline_guaranteed_purchase_and_ecommerce_off_others_on():
    progs = baseline_programmes()
    assert progs["guaranteed_purchase"].generosity == 0.0
    assert progs["ecommerce"].generosity == 0.0
    assert progs["guaranteed_purchase"].level(2025, 6) == 0.0
    assert progs["ecommerce"].level(2030, 0) == 0.0
    for name, p in progs.items():
        if name not in ("guaranteed_purchase", "ecommerce"):
            assert p.generosity == 1.0, name
            assert p.level(2025, 6) == 1.0, name


def test_baseline_returns_fresh_copies():
    a = baseline_programmes()
    a["dibao"].amount = 0.0
    a["dibao"].other["indexation"] = 9.9
    a["dibao"].schedule.end = 2000
    a["dibao"].schedule.shape = "cliff"
    a["direct_support"].generosity = 3.0
    a["industry_support"].other["coop_per_member"] = -1.0
    a["guaranteed_purchase"].generosity = 1.0
    del a["pension"]
    b = baseline_programmes()
    assert b["dibao"].amount == 5842.0
    assert b["dibao"].other["indexation"] == 0.028
    assert b["dibao"].schedule.end is None and b["dibao"].schedule.shape == "none"
    assert b["direct_support"].generosity == 1.0
    assert b["industry_support"].other["coop_per_member"] == 200.0
    assert b["guaranteed_purchase"].generosity == 0.0
    assert "pension" in b
    assert a["dibao"].schedule is not b["dibao"].schedule


# ----------------------------------------------------------------------- Government.pay
@pytest.fixture(scope="module")
def gov():
    m = model.RuralEconomy(n_households=50, rng=1)
    return m.gov


def test_pay_scales_pro_rata_to_monthly_budget(gov):
    gov.reset_year()
    gov.programmes["pension"].budget = 120.0  # yuan per household per year
    # monthly cap = 120 * 50 / 12 = 500; request 1000 -> scaled by 500/1000 = .5
    paid = gov.pay("pension", np.array([300.0, 200.0, 500.0]))
    np.testing.assert_allclose(paid, [150.0, 100.0, 250.0])
    assert gov.cost["pension"] == pytest.approx(500.0)
    assert gov.paid_to["households"] == pytest.approx(500.0)
    # the month's budget is spent: a second payment in the same month gets nothing
    np.testing.assert_allclose(gov.pay("pension", np.array([100.0, 100.0])), [0.0, 0.0])
    assert gov.cost["pension"] == pytest.approx(500.0)
    # next month: 100 + 100 = 200 <= 500 -> paid in full; ledger 500 + 200 = 700
    gov.month_paid.clear()  # as the government's step does each month
    paid2 = gov.pay("pension", np.array([100.0, 100.0]))
    np.testing.assert_allclose(paid2, [100.0, 100.0])
    assert gov.cost["pension"] == pytest.approx(700.0)
    assert gov.paid_to["households"] == pytest.approx(700.0)


def test_pay_unlimited_budget_records_by_programme_and_payee(gov):
    gov.reset_year()
    gov.programmes["industry_support"].budget = None
    paid = gov.pay("industry_support", np.array([1000.0, 2000.0]), payee="cooperatives")
    np.testing.assert_allclose(paid, [1000.0, 2000.0])
    gov.pay("industry_support", np.array([400.0]), payee="enterprises")
    gov.pay("direct_support", np.array([50.0, 50.0]))
    assert gov.cost["industry_support"] == pytest.approx(3400.0)
    assert gov.cost["direct_support"] == pytest.approx(100.0)
    assert gov.paid_to["cooperatives"] == pytest.approx(3000.0)
    assert gov.paid_to["enterprises"] == pytest.approx(400.0)
    assert gov.paid_to["households"] == pytest.approx(100.0)


def test_pay_zero_budget_pays_nothing(gov):
    gov.reset_year()
    gov.programmes["dibao"].budget = 0.0  # cap 0 -> everything scaled to 0
    paid = gov.pay("dibao", np.array([10.0, 20.0]))
    np.testing.assert_array_equal(paid, [0.0, 0.0])
    assert gov.cost["dibao"] == 0.0
    # a budget of 24/household/year -> cap 24 * 50 / 12 = 100; request 100 exactly -> unchanged
    gov.programmes["dibao"].budget = 24.0
    np.testing.assert_allclose(gov.pay("dibao", np.array([60.0, 40.0])), [60.0, 40.0])
    assert gov.cost["dibao"] == pytest.approx(100.0)
