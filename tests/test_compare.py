"""Tests for ``ruralsim compare`` and experiments/compare.py (paired reform-vs-baseline comparisons)."""
import contextlib
import io
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ruralsim.app import cli  # noqa: E402
from ruralsim.experiments import compare as cmp  # noqa: E402
from ruralsim.model.annual import METRIC_COLUMNS  # noqa: E402
from ruralsim.model.scenario import Scenario  # noqa: E402

R, N, Y, SEED = 3, 300, 3, 5
SMALL = ["--replicates", str(R), "--households", str(N), "--years", str(Y), "--seed", str(SEED)]
WITHDRAWAL = """name: direct_support_cliff_2021
description: Direct support ends abruptly at the end of 2021.
programmes: {direct_support: {schedule: {shape: cliff, end: 2021}}}
"""
FILES = {"comparison.csv", "deciles.csv", "winners_losers.csv", "fiscal.csv", "cost_per_relapse_averted.csv",
         "runs.csv", "compare.json", "report.md", "report.html", "figures"}
COLUMNS = {
    "comparison.csv": ["metric", "year", "scenario", "baseline_mean", "reform_mean", "diff_mean", "diff_ci_low",
                       "diff_ci_high"],
    "deciles.csv": ["scenario", "decile", "baseline_mean_income", "reform_mean_income", "change", "change_pct"],
    "winners_losers.csv": ["scenario", "share_gain_over_5pct", "share_loss_over_5pct", "share_within_5pct"],
    "fiscal.csv": ["scenario", "programme", "baseline_cost", "reform_cost", "diff"],
    "cost_per_relapse_averted.csv": ["scenario", "extra_fiscal_cost", "ex_poor_persons", "relapses_averted",
                                     "cost_per_relapse_averted", "note"],
    "runs.csv": ["scenario", "role", "replicate", "seed", *METRIC_COLUMNS],
}


def _main(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One comparison: baseline against itself and against a direct-support withdrawal at the end of 2021."""
    tmp = tmp_path_factory.mktemp("compare")
    wd = tmp / "withdrawal.yaml"
    wd.write_text(WITHDRAWAL, encoding="utf-8")
    out = tmp / "results" / "cmp"
    code, stdout, stderr = _main(["compare", "baseline", "baseline", str(wd), *SMALL, "--out", str(out)])
    assert code == 0, stderr
    tables = {name: pd.read_csv(out / name) for name in COLUMNS}
    return {"out": out, "stdout": stdout, "stderr": stderr, "wd": wd, **tables}


def _one_line_error(code, err):
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ruralsim: error: "), err
    assert "Traceback" not in err


def test_files_and_exact_columns(run):
    out = run["out"]
    assert {p.name for p in out.iterdir()} == FILES
    assert not [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]  # no temporary leftovers
    for name, cols in COLUMNS.items():
        assert list(run[name].columns) == cols, name
    for png in ("rates.png", "differences.png", "inequality.png", "deciles.png", "fiscal.png"):
        data = (out / "figures" / png).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5_000
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 5  # self-contained: no external files or links
    assert not any(tag in html for tag in ('src="http', "<link", "<script", 'src="figures'))
    c = run["comparison.csv"]
    metrics = METRIC_COLUMNS[1:]  # every numeric column except year
    assert list(dict.fromkeys(c["metric"])) == metrics
    assert len(c) == 2 * len(metrics) * (Y + 1)
    assert set(c["scenario"]) == {"baseline-2", "direct_support_cliff_2021"}
    assert sorted(c["year"].unique()) == list(range(2020, 2021 + Y))
    assert list(run["deciles.csv"]["decile"]) == [*range(1, 11)] * 2

    seeds = [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(SEED).spawn(R)]
    meta = json.loads((out / "compare.json").read_text(encoding="utf-8"))
    assert meta["seeds"] == seeds == cmp.replicate_seeds(SEED, R)
    assert meta["arguments"] == {"replicates": R, "households": N, "years": Y, "seed": SEED, "level": 0.95}
    import hashlib
    sc = meta["scenarios"]
    assert [s["role"] for s in sc] == ["baseline", "reform", "reform"]
    assert sc[2]["sha256"] == hashlib.sha256(run["wd"].read_bytes()).hexdigest()
    assert {"ruralsim", "mesa", "numpy", "pandas", "scipy", "python"} <= set(meta["versions"])
    runs = run["runs.csv"]
    assert len(runs) == 3 * R * (Y + 1)
    for label, g in runs.groupby("scenario"):  # every arm uses the same seeds
        assert sorted(set(zip(g["replicate"], g["seed"]))) == list(enumerate(seeds)), label


def test_baseline_against_itself_is_exactly_zero(run):
    c = run["comparison.csv"]
    same = c[c["scenario"] == "baseline-2"]
    assert (same["diff_mean"] == 0).all()
    assert (same["diff_ci_low"] == 0).all() and (same["diff_ci_high"] == 0).all()
    assert (same["baseline_mean"] == same["reform_mean"]).all()
    d = run["deciles.csv"]
    assert (d.loc[d["scenario"] == "baseline-2", "change"] == 0).all()
    w = run["winners_losers.csv"].set_index("scenario").loc["baseline-2"]
    assert w["share_within_5pct"] == 1.0 and w["share_gain_over_5pct"] == 0 and w["share_loss_over_5pct"] == 0
    f = run["fiscal.csv"]
    assert (f.loc[f["scenario"] == "baseline-2", "diff"] == 0).all()


def test_withdrawal_saves_the_direct_support_paid_after_2021(run):
    f = run["fiscal.csv"].set_index(["scenario", "programme"]).loc["direct_support_cliff_2021"]
    assert f.loc["total", "diff"] < 0 and f.loc["total", "reform_cost"] < f.loc["total", "baseline_cost"]
    runs = run["runs.csv"]
    base = runs[(runs["role"] == "baseline") & (runs["year"] >= 2022)]
    saved = base.groupby("replicate")["cost_direct_support"].sum().mean()
    assert saved > 0
    assert f.loc["direct_support", "diff"] == pytest.approx(-saved, rel=1e-9)
    reform = runs[(runs["scenario"] == "direct_support_cliff_2021") & (runs["year"] >= 2022)]
    assert (reform["cost_direct_support"] == 0).all()
    # deciles: baseline income rises with the decile; nobody gains from losing support
    d = run["deciles.csv"][lambda t: t["scenario"] == "direct_support_cliff_2021"]
    assert d["baseline_mean_income"].is_monotonic_increasing
    assert run["winners_losers.csv"].set_index("scenario").loc["direct_support_cliff_2021",
                                                               "share_loss_over_5pct"] > 0


def test_paired_intervals_are_narrower_than_unpaired(run):
    runs, c = run["runs.csv"], run["comparison.csv"]
    label = "direct_support_cliff_2021"
    t = stats.t.ppf(0.975, R - 1)
    for year in (2022, 2023):
        b = runs[(runs["role"] == "baseline") & (runs["year"] == year)].sort_values("replicate")["mean_income"]
        r = runs[(runs["scenario"] == label) & (runs["year"] == year)].sort_values("replicate")["mean_income"]
        d = r.to_numpy() - b.to_numpy()
        row = c[(c["scenario"] == label) & (c["metric"] == "mean_income") & (c["year"] == year)].iloc[0]
        half = t * d.std(ddof=1) / np.sqrt(R)
        assert row["diff_mean"] == pytest.approx(d.mean(), rel=1e-9)
        assert row["diff_ci_high"] - row["diff_ci_low"] == pytest.approx(2 * half, rel=1e-6)
        pooled = np.sqrt((b.var(ddof=1) + r.var(ddof=1)) / R)  # independent samples, equal sizes
        unpaired = 2 * stats.t.ppf(0.975, 2 * R - 2) * pooled
        assert 0 < row["diff_ci_high"] - row["diff_ci_low"] < unpaired


def test_summary_names_the_scenario_with_the_numbers_of_comparison_csv(run):
    text = run["stdout"]
    assert "direct_support_cliff_2021" in text and "Direct support ends abruptly at the end of 2021" in text
    c = run["comparison.csv"]
    c = c[c["scenario"] == "direct_support_cliff_2021"].set_index(["metric", "year"])
    # support ends in December 2021: the largest policy change is 2022, the summary talks about 2023
    rel = c.loc[("relapse_rate", 2023)]
    assert (f"from {100 * rel['baseline_mean']:.2f}% to {100 * rel['reform_mean']:.2f}% in 2023" in text
            or rel["diff_mean"] == 0)
    assert f"paired difference {100 * rel['diff_mean']:+.2f} points" in text
    assert f"95% interval {100 * rel['diff_ci_low']:+.2f} to {100 * rel['diff_ci_high']:+.2f}" in text
    cum = c.loc[("cumulative_relapse_rate", 2023)]
    assert f"{100 * cum['reform_mean']:.2f}% of ex-poor persons" in text
    f = run["fiscal.csv"].set_index(["scenario", "programme"]).loc[("direct_support_cliff_2021", "total")]
    assert f"costs {cmp.money(abs(f['diff']))} less over 2021-2023" in text
    inc = c.loc[("mean_income", 2023)]
    assert f"{inc['reform_mean']:,.0f} yuan against {inc['baseline_mean']:,.0f}" in text
    jobs, coops = c.loc[("local_jobs", 2023)], c.loc[("coop_active", 2023)]
    assert (f"chain in 2023: local enterprise jobs {jobs['reform_mean']:,.0f} against {jobs['baseline_mean']:,.0f}"
            in text)
    assert f"operating cooperatives {coops['reform_mean']:,.1f} against {coops['baseline_mean']:,.1f}" in text
    assert text.split("\n\nWrote")[0].strip().split("\n\n")[1] in (run["out"] / "report.md").read_text("utf-8")


@pytest.mark.parametrize("content,fragment", [
    ("programmes: {no_such_programme: {generosity: 1}}\n", "no_such_programme"),
    ("name: [unclosed\n  - {{{\n", "YAML"),
    (None, "not found"),
])
def test_bad_scenario_file_fails_before_anything_runs(tmp_path, monkeypatch, content, fragment):
    called = []
    monkeypatch.setattr(cmp, "run_comparison", lambda *a, **k: called.append(1))
    good = tmp_path / "good.yaml"
    good.write_text(WITHDRAWAL, encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    out = tmp_path / "parent" / "out"
    code, stdout, stderr = _main(["compare", "baseline", str(good), str(bad), *SMALL, "--out", str(out)])
    _one_line_error(code, stderr)
    assert fragment in stderr and "bad.yaml" in stderr
    assert stdout == "" and not called and not (tmp_path / "parent").exists()


def test_one_replicate_gives_nan_intervals_and_says_so(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = _main(["compare", "baseline", "baseline", "-r", "1", "-n", "150", "-y", "1", "-q"])
    assert code == 0, stderr
    assert stdout == "" and stderr == ""  # --quiet
    (out,) = (tmp_path / "results").iterdir()  # the default output directory
    assert out.name.startswith("compare-") and len(out.name) == len("compare-20250101-120000")
    c = pd.read_csv(out / "comparison.csv")
    assert c["diff_ci_low"].isna().all() and c["diff_ci_high"].isna().all()
    assert (c["diff_mean"] == 0).all()
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "With one replicate no interval can be computed" in report
    assert "no interval with one replicate" in report


def test_refuses_non_empty_output(tmp_path):
    out = tmp_path / "full"
    out.mkdir()
    (out / "keep.txt").write_text("x")
    code, _, err = _main(["compare", "baseline", "baseline", "-r", "1", "-n", "50", "-y", "1", "-q", "--out", str(out)])
    _one_line_error(code, err)
    assert "not empty" in err and [p.name for p in out.iterdir()] == ["keep.txt"]


def test_executor_gives_the_same_runs():
    arms = cmp.make_arms([None, Scenario(name="wd", programme_changes={
        "direct_support": {"schedule": {"shape": "cliff", "end": 2021}}})])
    serial = cmp.run_arms(arms, replicates=2, households=120, years=2, seed=3)
    with ThreadPoolExecutor(2) as ex:
        parallel = cmp.run_arms(arms, replicates=2, households=120, years=2, seed=3, executor=ex)
    pd.testing.assert_frame_equal(serial.annual, parallel.annual)
    pd.testing.assert_frame_equal(serial.households, parallel.households)
    assert set(serial.households["scenario"]) == {"baseline", "wd"}
    assert len(serial.households) == 2 * 2 * 120


def test_focus_year_is_the_year_after_the_largest_policy_change():
    years = range(2020, 2031)
    cliff = Scenario(programme_changes={"direct_support": {"schedule": {"shape": "cliff", "end": 2025}}})
    assert cmp.focus_year(Scenario(), cliff, years) == 2027
    assert cmp.focus_year(Scenario(), cliff, range(2020, 2027)) == 2026  # capped at the final year
    params_only = Scenario(parameters_overrides={"monitoring.lag": 0})
    assert cmp.focus_year(Scenario(), params_only, years) == 2030


def _synthetic(cum_reform: float, extra: float):
    """Two arms, two replicates, two years; 10 ex-poor persons per county."""
    rows = []
    for role, label, cost, cum in (("baseline", "b", 100.0, 0.2), ("reform", "r", 100.0 + extra / 2, cum_reform)):
        for rep in (0, 1):
            for year in (2020, 2021, 2022):
                rows.append({"scenario": label, "role": role, "replicate": rep, "seed": rep, "year": year,
                             "cumulative_relapse_rate": cum if year == 2022 else 0.0,
                             "cost_direct_support": cost if year >= 2021 else 0.0,
                             "fiscal_cost": cost if year >= 2021 else 0.0})
    annual = pd.DataFrame(rows)
    hh = pd.DataFrame([{"scenario": label, "role": role, "replicate": rep, "seed": rep, "household": i,
                        "y": 5000.0, "members": 5.0, "is_ex_poor": i < 2, "recv_gov": 0.0}
                       for role, label in (("baseline", "b"), ("reform", "r")) for rep in (0, 1) for i in range(4)])
    return annual, hh


def test_cost_per_relapse_averted_formula():
    annual, hh = _synthetic(cum_reform=0.1, extra=1000.0)  # 10% of 10 ex-poor persons = 1 relapse averted
    k = cmp.cost_per_relapse_averted(annual, hh).iloc[0]
    assert k["extra_fiscal_cost"] == pytest.approx(1000.0)
    assert k["ex_poor_persons"] == 10.0
    assert k["relapses_averted"] == pytest.approx(1.0)
    assert k["cost_per_relapse_averted"] == pytest.approx(1000.0)
    annual, hh = _synthetic(cum_reform=0.3, extra=-1000.0)
    k = cmp.cost_per_relapse_averted(annual, hh).iloc[0]
    assert np.isnan(k["cost_per_relapse_averted"]) and "no relapse averted" in k["note"]
