"""Computing the annual outcomes reads the state and never writes it; the poverty history moves on
in an explicit year-end step (model/rules/poverty_history.py)."""

import numpy as np

from ruralsim.model import RuralEconomy
from ruralsim.model.annual import annual_row
from ruralsim.model.rules import poverty_history


def _columns(model):
    return {f"{t}.{n}": getattr(getattr(model, t), n).copy() for t in ("hh", "coops", "enterprises")
            for n in getattr(model, t).names}


def test_annual_row_changes_no_state():
    m = RuralEconomy(n_households=400, rng=3, household_agents=False)
    m.run_years(2)
    before = _columns(m)
    row1, row2 = annual_row(m), annual_row(m)
    after = _columns(m)
    assert row1 == row2
    for name, values in before.items():
        assert np.array_equal(values, after[name]), name


def test_close_year_updates_history():
    """Hand-made county of three households, poverty line 4,000 yuan per person."""
    class H:
        pass

    h = H()
    h.income = np.array([3000.0, 9000.0, 4100.0])
    h.oop = np.array([0.0, 0.0, 200.0])  # the third is poor only net of medical spending
    h.members = np.array([1.0, 2.0, 1.0])
    h.dibao_received = np.array([500.0, 0.0, 0.0])
    h.ever_poor = np.array([False, True, False])
    h.ever_flagged = np.array([False, False, False])
    h.flagged_this_year = np.array([True, False, False])
    h.poor_spell = np.array([2.0, 3.0, 0.0])
    h.prev_pc_income = np.zeros(3)
    h.poor_last_year = np.zeros(3, dtype=bool)
    h.survey_log_income, h.survey_years = np.zeros(3), np.zeros(3)  # no survey income recorded yet
    h.survey_change_1, h.survey_change_2 = np.zeros(3), np.zeros(3)
    poverty_history.close_year(h, 4000.0, counting=True)  # no survey error: survey income is income
    assert h.ever_poor.tolist() == [True, True, True]
    assert h.ever_flagged.tolist() == [True, False, False]
    assert h.poor_spell.tolist() == [3.0, 0.0, 0.0]  # the third is not income-poor (survey definition)
    assert h.prev_pc_income.tolist() == [2500.0, 4500.0, 4100.0]
    assert h.poor_last_year.tolist() == [True, False, True]
    assert h.survey_years.tolist() == [1.0, 1.0, 1.0]
    np.testing.assert_allclose(h.survey_log_income, np.log([3000.0, 9000.0, 4100.0]))
    poverty_history.close_year(h, 4000.0, counting=False)  # before 2021: the history does not count
    assert h.poor_spell.tolist() == [3.0, 0.0, 0.0]
