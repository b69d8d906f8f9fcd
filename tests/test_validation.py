"""Validation targets: each statistic on a hand-made annual table, and the pass/fail logic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ruralsim.experiments.run import replicate_seeds
from ruralsim.experiments.validation import TARGETS, run_regimes, validate


def _table(scale=1.0):
    years = list(range(2020, 2031))
    df = pd.DataFrame({"year": years})
    df["mean_income"] = [12588.0 * 1.08 ** (y - 2020) * scale for y in years]
    for col in ("mean_income_ex_poor", "wage_share", "business_share", "property_share", "transfer_share",
                "transfer_share_bottom_quintile", "transfer_share_top_quintile", "falls_share_medical", "gini",
                "ex_poor_migrants_per_person", "coop_member_share", "coop_member_premium", "ever_monitored_share", "registered_share",
                "risk_eliminated_share"):
        df[col] = 0.0
    df["mean_income_ex_poor"] = 10740.0
    df["transfer_share_bottom_quintile"], df["transfer_share_top_quintile"] = 0.30, 0.10
    df["falls_share_medical"] = 0.4
    df["spell_1_persons"], df["spell_1_exits"] = 100.0, 40.0
    df["spell_5_persons"], df["spell_5_exits"] = 0.0, 0.0
    return df


def test_statistics_compute_what_they_say():
    stat = {t.key: t.statistic for t in TARGETS}
    df = _table()
    assert stat["mean_income"](df) == pytest.approx(12588.0)
    assert stat["real_income_growth"](df) == pytest.approx(0.08)  # 8% a year by construction
    assert stat["transfer_share_bottom_over_top"](df) == pytest.approx(3.0)
    assert stat["exit_rate_spell_1"](df) == pytest.approx(0.4)  # 40 of 100, pooled over years
    assert np.isnan(stat["exit_rate_spell_5"](df))  # nobody in a five-year spell: undefined, not zero
    # 2022's "one-year" spells may have begun before 2021 (left-censored): they are not pooled
    df.loc[df.year == 2022, ["spell_1_persons", "spell_1_exits"]] = [1000.0, 0.0]
    assert stat["exit_rate_spell_1"](df) == pytest.approx(0.4)
    df.loc[df.year == 2023, ["spell_1_persons", "spell_1_exits"]] = [1000.0, 0.0]
    assert stat["exit_rate_spell_1"](df) == pytest.approx(280.0 / 1700.0)  # but 2023's are: (0 + 7 x 40) / (1000 + 7 x 100)


def test_pass_and_fail_follow_the_tolerance_band():
    tables = {"baseline": [_table(1.0), _table(1.01)], "pre_targeting.yaml": [_table(), _table()]}
    v = validate(tables).set_index("target")
    assert v.loc["mean_income", "passed"]  # +0.5% on average
    assert v.loc["mean_income", "model_ci_low"] < v.loc["mean_income", "model_mean"] < v.loc["mean_income", "model_ci_high"]
    assert not v.loc["gini", "passed"]  # 0 is outside 0.35-0.40
    too_rich = validate({"baseline": [_table(1.2), _table(1.2)]}).set_index("target")
    assert not too_rich.loc["mean_income", "passed"]
    assert "exit_rate_spell_1" not in too_rich.index  # its regime was not run


def test_replicate_seeds_are_spawned_reproducibly():
    a, b = replicate_seeds(0, 5), replicate_seeds(0, 5)
    assert a == b and len(set(a)) == 5 and replicate_seeds(1, 5) != a


def test_validate_and_compare_simulate_the_same_counties(monkeypatch):
    """``ruralsim validate --seed S`` and ``ruralsim compare --seed S`` run replicate r with the same seed."""
    from ruralsim.experiments import arms, run

    seen = []

    def county(scenario, households, years, seed, on_year=None):
        seen.append(seed)
        n = 2
        return pd.DataFrame({"year": [2020]}), {"y": np.ones(n), "members": np.ones(n),
                                                "is_ex_poor": np.zeros(n, dtype=bool), "recv_gov": np.zeros(n)}

    monkeypatch.setattr(run, "run_county", county)
    monkeypatch.setattr(arms, "run_county", county)
    regimes = run_regimes(replicates=3, households=10, seed=7)
    validated, seen[:] = list(seen), []
    arms.run_arms(["baseline", "baseline"], replicates=3, households=10, years=1, seed=7)
    assert validated == replicate_seeds(7, 3) * len(regimes) and seen == replicate_seeds(7, 3) * 2


def test_roles_and_bands_are_declared_in_data_and_held_out_targets_never_enter_the_fit(tmp_path):
    import pandas as pd

    from ruralsim.experiments.calibration import distance
    from ruralsim.experiments.validation import ROLES_FILE, TARGETS, declared_targets

    declared = declared_targets()
    assert {t.key for t in TARGETS} == set(declared)
    assert {t.role for t in TARGETS} == {"fitted", "held_out"}
    for t in TARGETS:  # a band that can fail: never several times the observed value
        assert t.high <= 3.0 * abs(t.observed) + 1e-12, t.key
    # moving a held-out target's model value far off its band leaves the calibration distance unchanged
    rows = [{"target": t.key, "observed": t.observed, "model_mean": t.observed, "tolerance_low": t.low,
             "tolerance_high": t.high} for t in TARGETS]
    base = distance(pd.DataFrame(rows))
    held = next(r for r in rows if declared[r["target"]]["role"] == "held_out")
    held["model_mean"] = 100.0 * held["tolerance_high"] + 1.0
    assert distance(pd.DataFrame(rows)) == base
    fitted = next(r for r in rows if declared[r["target"]]["role"] == "fitted")
    fitted["model_mean"] = fitted["tolerance_high"] * 2.0
    assert distance(pd.DataFrame(rows)) > base
    # a bad role is a clear one-line error naming the file and the target
    bad = tmp_path / "targets.csv"
    bad.write_text(ROLES_FILE.read_text(encoding="utf-8").replace("mean_income,fitted", "mean_income,fited", 1))
    with pytest.raises(ValueError, match=r"targets.csv: 'mean_income': expected a role"):
        declared_targets(bad)


def test_every_calibrated_search_range_lies_within_the_parameters_bounds():
    """Nelder-Mead may go to either end of a search range: a range outside the declared bounds would stop the
    calibration with a scenario error half-way."""
    from ruralsim.experiments.calibration import FITTED
    from ruralsim.model.parameters import declaration

    for u in FITTED:
        d = declaration(u.key)
        assert d is not None, u.key
        assert d.problem(u.low) is None and d.problem(u.high) is None, (u.key, u.low, u.high)
