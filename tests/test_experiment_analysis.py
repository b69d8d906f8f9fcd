"""Tests for the analysis and plots of sweep results (experiments/analysis.py, experiments/sweep_plots.py,
app/cli_plot.py), on small synthetic results stores that follow the store's layout:
manifest.json, design.parquet, parts/*.parquet, lorenz/*.parquet."""
import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

pytest.importorskip("SALib")
pytest.importorskip("sklearn")

from ruralsim.experiments import analysis as A  # noqa: E402
from ruralsim.experiments import sweep_plots as P  # noqa: E402

YEARS = list(range(2020, 2028))


# -- synthetic stores --------------------------------------------------------------------------------
def write_store(root: Path, manifest: dict, points: pd.DataFrame, metrics, *, replicates=1, years=YEARS,
                lorenz=True, interleave=True, parts=2) -> Path:
    """Write a store: every design point run once per replicate; ``metrics(frame, rng) -> dict of columns``.

    run_id interleaves replicates (point * R + r) when ``interleave``, else replicate-major, so both
    orders the sweep may use are exercised.
    """
    root.mkdir(parents=True, exist_ok=True)
    P_ = len(points)
    rows = []
    for r in range(replicates):
        d = points.copy()
        d["replicate"] = r
        d["seed"] = 1000 + r
        d["run_id"] = np.arange(P_) * replicates + r if interleave else r * P_ + np.arange(P_)
        rows.append(d)
    design = pd.concat(rows).sort_values("run_id").reset_index(drop=True)
    design = design[["run_id", *points.columns, "replicate", "seed"]]
    design.to_parquet(root / "design.parquet")
    rng = np.random.default_rng(5)
    annual = design.loc[design.index.repeat(len(years))].reset_index(drop=True)
    annual["year"] = np.tile(years, len(design))
    for col, values in metrics(annual, rng).items():
        annual[col] = values
    (root / "parts").mkdir(exist_ok=True)
    ids = design["run_id"].to_numpy()
    for i, chunk in enumerate(np.array_split(rng.permutation(ids), parts)):  # parts in finishing order
        annual[annual["run_id"].isin(chunk)].to_parquet(root / "parts" / f"part-{i:05d}.parquet")
    if lorenz:
        (root / "lorenz").mkdir(exist_ok=True)
        p = np.linspace(0, 1, 21)
        g = 1.0 + 0.5 * (design["pace"] == "cliff").to_numpy() if "pace" in design else np.ones(len(design))
        lz = pd.DataFrame({"run_id": np.repeat(ids, 21), "population_share": np.tile(p, len(ids)),
                           "income_share": np.tile(p, len(ids)) ** np.repeat(1 + g, 21)})
        lz.to_parquet(root / "lorenz" / "part-00000.parquet")
    manifest = {"spec_hash": "0" * 64, "seed": 0, "replicates": replicates, "years": len(years) - 1,
                "households": 1000, "runs": len(design), **manifest}
    (root / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return root


def withdrawal_metrics(df, rng):
    """Relapse rises after a cliff withdrawal, less after a linear one; noise per run."""
    after = (df["year"] >= df["withdrawal_year"]).to_numpy()
    jump = np.where(df["pace"] == "cliff", 0.05, 0.015) * after
    n = len(df)
    relapse = 0.02 + jump + 0.3 * df["price_volatility"].to_numpy() * 0.05 + rng.normal(0, 0.003, n)
    return {"relapse_rate": relapse, "poverty_rate": 0.03 + 0.5 * jump + rng.normal(0, 0.002, n),
            "gini": 0.35 + 0.2 * jump + rng.normal(0, 0.003, n), "mean_income": 15000 + rng.normal(0, 200, n)}


WITHDRAWAL = {
    "name": "withdrawal-test", "design": {"method": "full_factorial"},
    "factors": [{"name": "withdrawal_year", "kind": "lever", "values": [2022, 2023, 2024, 2025], "integer": True},
                {"name": "pace", "kind": "lever", "values": ["cliff", "linear"], "integer": False},
                {"name": "price_volatility", "kind": "uncertainty", "values": [0.1, 0.2], "integer": False}],
}


def withdrawal_points() -> pd.DataFrame:
    idx = pd.MultiIndex.from_product([[2022, 2023, 2024, 2025], ["cliff", "linear"], [0.1, 0.2]],
                                     names=["withdrawal_year", "pace", "price_volatility"])
    return idx.to_frame(index=False)


@pytest.fixture(scope="module")
def withdrawal_store(tmp_path_factory):
    return write_store(tmp_path_factory.mktemp("wd") / "store", WITHDRAWAL, withdrawal_points(),
                       withdrawal_metrics, replicates=3)


ISHIGAMI_S1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}  # a = 7, b = 0.1 (Ishigami & Homma 1990)
ISHIGAMI_ST = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}


def saltelli_store(root, n, *, second_order=True, replicates=2):
    """Ishigami outcome on SALib's Saltelli sample; replicates add +e / -e noise, so their mean is exact."""
    from SALib.sample import sobol as sobol_sample
    from SALib.test_functions import Ishigami

    names = ["x1", "x2", "x3"]
    problem = {"num_vars": 3, "names": names, "bounds": [[-np.pi, np.pi]] * 3}
    X = sobol_sample.sample(problem, n, calc_second_order=second_order, seed=7)
    Y = Ishigami.evaluate(X)
    noise = np.random.default_rng(3).normal(0, 0.5, len(Y))
    points = pd.DataFrame(X, columns=names)
    value = dict(zip(map(tuple, X), zip(Y, noise)))

    def metrics(df, rng):
        keys = map(tuple, df[names].to_numpy())
        sign = np.where(df["replicate"].to_numpy() == 0, 1.0, -1.0)
        y = np.array([value[k][0] for k in keys])
        e = np.array([value[k][1] for k in map(tuple, df[names].to_numpy())])
        drift = 0.01 * (df["year"].to_numpy() - 2020)
        return {"relapse_rate": y + sign * e + drift, "poverty_rate": y, "gini": 0.3 + 0 * y}

    manifest = {"name": "ishigami", "design": {"method": "saltelli", "samples": n},
                "factors": [{"name": x, "kind": "uncertainty", "range": [-np.pi, np.pi], "integer": False}
                            for x in names]}
    return write_store(root, manifest, points, metrics, replicates=replicates, years=[2020, 2021], lorenz=False)


def morris_store(root, trajectories=40, replicates=2):
    """f = 5 x1 + 3 x2^2 + 0 x3 on SALib's Morris sample (x3 irrelevant), replicate noise cancels."""
    from SALib.sample import morris as morris_sample

    names = ["x1", "x2", "x3"]
    problem = {"num_vars": 3, "names": names, "bounds": [[0, 1]] * 3}
    X = morris_sample.sample(problem, trajectories, num_levels=4, seed=11)
    points = pd.DataFrame(X, columns=names)

    def metrics(df, rng):
        f = 5 * df["x1"] + 3 * df["x2"] ** 2 + 0 * df["x3"]
        sign = np.where(df["replicate"] == 0, 1.0, -1.0)
        return {"relapse_rate": f.to_numpy() + sign * 0.25, "poverty_rate": f.to_numpy(), "gini": 0.3 + 0 * f}

    manifest = {"name": "morris-test", "design": {"method": "morris", "trajectories": trajectories, "levels": 4},
                "factors": [{"name": x, "kind": "uncertainty", "range": [0, 1], "integer": False} for x in names]}
    return write_store(root, manifest, points, metrics, replicates=replicates, years=[2020, 2021], lorenz=False,
                       interleave=False)


# -- loading and outcome tables ----------------------------------------------------------------------
def test_read_store_and_outcome_table(withdrawal_store):
    results, design, lorenz, manifest = A.read_store(withdrawal_store)
    assert len(results) == 16 * 3 * len(YEARS) and results["run_id"].is_monotonic_increasing
    assert set(design["point"]) == set(range(16)) and len(lorenz) == 48 * 21
    # every replicate of a design point gets the same point number
    assert (design.groupby("point")[["withdrawal_year", "pace", "price_volatility"]].nunique() == 1).all().all()
    table = A.outcome_table(results, "relapse_rate")
    assert len(table) == 16 and (table["n"] == 3).all()
    assert list(table.columns) == ["point", "withdrawal_year", "pace", "price_volatility", "relapse_rate", "n"]
    final = results[results["year"] == 2027].groupby("point")["relapse_rate"].mean()
    np.testing.assert_allclose(table.set_index("point")["relapse_rate"], final)
    after = A.outcome_table(results, "relapse_rate", year_after="withdrawal_year", by_run=True)
    assert (after.merge(results, on=["run_id", "relapse_rate"])["year"]
            == after.merge(results, on=["run_id", "relapse_rate"])["withdrawal_year_x"] + 1).all()


def test_store_errors(tmp_path):
    with pytest.raises(A.StoreError, match="results directory not found"):
        A.read_store(tmp_path / "nope")
    with pytest.raises(A.StoreError, match="no manifest.json"):
        A.read_store(tmp_path)
    (tmp_path / "manifest.json").write_text(json.dumps(WITHDRAWAL))
    with pytest.raises(A.StoreError, match="no results yet"):
        A.read_store(tmp_path)


# -- Sobol and Morris --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ishigami(tmp_path_factory):
    return A.read_store(saltelli_store(tmp_path_factory.mktemp("sobol") / "store", 1024))


def test_sobol_recovers_ishigami_indices(ishigami):
    """Ishigami (a=7, b=0.1): S1 = 0.314, 0.442, 0; ST = 0.558, 0.442, 0.244.

    Tolerance: each analytic value must lie inside SALib's 95% bootstrap interval (half-width
    ``*_conf``), and the intervals must be narrow (< 0.1) so the check is not vacuous.  At N = 1024
    (8,192 design points) the half-widths are about 0.03-0.09; the design, noise and bootstrap seeds
    are fixed, so the test is deterministic.  The replicates carry +e and -e noise (sd 0.5) and
    run_ids interleave replicates, so the check also proves replicate means are taken per design
    point in SALib's order (unaveraged, the noise would lower every index).
    """
    results, _, _, manifest = ishigami
    idx = A.sobol_indices(results, manifest, "relapse_rate", 2021).set_index("factor")
    assert list(idx.columns) == ["S1", "S1_conf", "ST", "ST_conf"]
    for name in ISHIGAMI_S1:
        s = idx.loc[name]
        assert abs(s.S1 - ISHIGAMI_S1[name]) <= s.S1_conf < 0.1, (name, s.S1, s.S1_conf)
        assert abs(s.ST - ISHIGAMI_ST[name]) <= s.ST_conf < 0.1, (name, s.ST, s.ST_conf)


def test_sobol_first_order_design_and_errors(tmp_path, ishigami):
    results, _, _, manifest = A.read_store(saltelli_store(tmp_path / "s1", 256, second_order=False, replicates=1))
    idx = A.sobol_indices(results, manifest, "poverty_rate").set_index("factor")  # (D + 2) N rows, inferred
    assert idx.loc["x2", "S1"] > idx.loc["x1", "S1"] > idx.loc["x3", "S1"]
    with pytest.raises(ValueError, match="needs a saltelli design"):
        A.sobol_indices(results, {**manifest, "design": {"method": "lhs"}}, "poverty_rate")
    partial = results[results["point"] != 17]  # one design point not run yet
    with pytest.raises(ValueError, match="design points have no results"):
        A.sobol_indices(partial, manifest, "poverty_rate")


def test_morris_ranks_irrelevant_factor_last(tmp_path):
    results, _, _, manifest = A.read_store(morris_store(tmp_path / "m"))
    idx = A.morris_indices(results, manifest, "relapse_rate").set_index("factor")
    assert list(idx.columns) == ["mu", "mu_star", "mu_star_conf", "sigma"]
    assert idx["mu_star"].idxmin() == "x3" and idx.loc["x3", "mu_star"] < 1e-9
    assert idx.loc["x1", "mu_star"] > idx.loc["x2", "mu_star"] > 0
    assert idx.loc["x1", "sigma"] < 1e-9 < idx.loc["x2", "sigma"]  # x1 linear, x2 not
    np.testing.assert_allclose(idx.loc["x1", "mu_star"], 5.0)  # effect per full range


# -- scenario discovery ------------------------------------------------------------------------------
def test_discovery_recovers_planted_box():
    rng = np.random.default_rng(42)
    n = 600
    x = rng.uniform(0, 1, (n, 3))
    inside = (x[:, 0] > 0.6) & (x[:, 1] < 0.3)
    df = pd.DataFrame({"run_id": np.arange(n), "x1": x[:, 0], "x2": x[:, 1], "x3": x[:, 2], "replicate": 0,
                       "seed": 1, "year": 2030, "relapse_rate": np.where(inside, 0.10, 0.02) + rng.normal(0, 0.01, n)})
    manifest = {"name": "box", "design": {"method": "lhs"},
                "factors": [{"name": f, "kind": "uncertainty", "range": [0, 1]} for f in ("x1", "x2", "x3")]}
    boxes = A.scenario_discovery(df, manifest, "relapse_rate", 2030, 0.05)
    best = boxes.iloc[0]
    assert best["density"] > 0.9 and best["coverage"] > 0.9
    assert abs(best["x1_lo"] - 0.6) < 0.05 and best["x1_hi"] == np.inf
    assert abs(best["x2_hi"] - 0.3) < 0.05 and best["x2_lo"] == -np.inf
    assert best["x3_lo"] == -np.inf and best["x3_hi"] == np.inf
    line = A.rules_text(boxes)[0]
    assert line.startswith("relapse_rate > 0.05 when x1 > 0.") and " and x2 <= 0." in line and "x3" not in line
    assert f"({best['n']} design points)" in line


def test_discovery_categorical_rules(withdrawal_store):
    results, _, _, manifest = A.read_store(withdrawal_store)
    boxes = A.scenario_discovery(results, manifest, "relapse_rate", 2023, 0.05)
    assert len(boxes) == 1
    box = boxes.iloc[0]
    assert box["pace"] == ("cliff",) and box["withdrawal_year_hi"] == 2023.5 and box["density"] == 1.0
    assert A.rules_text(boxes) == ["relapse_rate > 0.05 when withdrawal_year <= 2023.5 and pace = cliff: "
                                   "density 1.00, coverage 1.00 (4 design points)"]
    nothing = A.scenario_discovery(results, manifest, "relapse_rate", 2023, 1.0)
    assert nothing.empty and A.rules_text(nothing) == ["relapse_rate > 1 in 0 of 16 design points: no box found"]


# -- bands -------------------------------------------------------------------------------------------
def test_bands_contain_planted_means():
    from scipy import stats

    offsets = np.array([-1.0, -0.5, 0.0, 0.0, 0.5, 1.0]) * 0.01  # symmetric: sample mean = planted mean
    planted = {("cliff", 2021): 0.03, ("cliff", 2022): 0.08, ("linear", 2021): 0.03, ("linear", 2022): 0.05}
    rows = [{"run_id": i, "pace": pace, "year": year, "relapse_rate": mu + o}
            for (pace, year), mu in planted.items() for i, o in enumerate(offsets)]
    b = A.bands(pd.DataFrame(rows), "pace", "relapse_rate")
    assert list(b.columns) == ["year", "pace", "mean", "lo", "hi", "sd", "n"] and len(b) == 4
    half = stats.t.ppf(0.975, 5) * np.std(offsets, ddof=1) / np.sqrt(6)
    for r in b.itertuples():
        mu = planted[(r.pace, r.year)]
        assert r.lo < mu < r.hi and r.mean == pytest.approx(mu)
        assert r.hi - r.mean == pytest.approx(half)
    pooled = A.bands(pd.DataFrame(rows), None, "relapse_rate")
    assert set(pooled["group"]) == {"all runs"} and (pooled["n"] == 12).all()


def test_bands_over_store(withdrawal_store):
    results, *_ = A.read_store(withdrawal_store)
    b = A.bands(results, "pace", "relapse_rate").set_index(["year", "pace"])
    assert (b["n"] == 24).all()  # 4 withdrawal years x 2 volatilities x 3 replicates
    assert b.loc[(2027, "cliff"), "lo"] > b.loc[(2027, "linear"), "hi"]  # cliff relapse clearly higher


# -- plots -------------------------------------------------------------------------------------------
def _check_files(paths):
    assert [p.suffix for p in paths] == [".png", ".svg"]
    png, svg = (p.read_bytes() for p in paths)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5_000
    assert b"<svg" in svg[:1000] and len(svg) > 5_000


def test_every_plot_function(tmp_path, withdrawal_store, ishigami):
    from matplotlib.figure import Figure

    results, design, lorenz, manifest = A.read_store(withdrawal_store)
    sres, _, _, sman = ishigami
    mres, _, _, mman = A.read_store(morris_store(tmp_path / "m"))
    figures = {
        "trajectories": P.trajectories(results, "pace", manifest=manifest),
        "trajectories_pooled": P.trajectories(results, None),
        "fan": P.fan_chart(results, "relapse_rate", manifest=manifest),
        "heatmap": P.heatmap(results, "withdrawal_year", "pace", "relapse_rate", year_after="withdrawal_year",
                             manifest=manifest),
        "heatmap_year": P.heatmap(results, "withdrawal_year", "price_volatility", "gini", 2025),
        "lorenz": P.lorenz_curves(lorenz, design, "pace", manifest=manifest),
        "sobol": P.sobol_bars(A.sobol_indices(sres, sman, "relapse_rate"), "relapse_rate", 2021, manifest=sman),
        "morris": P.morris_plot(A.morris_indices(mres, mman, "relapse_rate"), "relapse_rate", manifest=mman),
        "discovery": P.discovery_boxes(results, manifest, "relapse_rate", 0.05, 2023),
        "discovery_numeric": P.discovery_boxes(mres, mman, "relapse_rate", 3.0, 2021),
    }
    for name, fig in figures.items():
        assert isinstance(fig, Figure)
        _check_files(P.save(fig, tmp_path / "figs" / name, ("png", "svg")))
    cap = P.caption(manifest)
    assert "experiment: withdrawal-test" in cap and "design: full factorial" in cap
    assert "48 runs" in cap and "3 replicates" in cap


# -- the plot command --------------------------------------------------------------------------------
def _main(argv, monkeypatch):
    """``ruralsim ARGV`` in process, with ``plot`` registered if app/cli.py does not register it yet."""
    from ruralsim.app import cli
    from ruralsim.app.cli_plot import add_parsers

    original = cli.build_parser

    def build_parser():
        parser = original()
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        if "plot" not in sub.choices:
            add_parsers(sub)
        return parser

    monkeypatch.setattr(cli, "build_parser", build_parser)
    monkeypatch.delenv("RURALSIM_TRACEBACK", raising=False)
    return cli.main(argv)


def test_plot_command_factorial(withdrawal_store, tmp_path, monkeypatch, capsys):
    out = tmp_path / "figs"
    assert _main(["plot", str(withdrawal_store), "--out", str(out)], monkeypatch) == 0
    stems = ["trajectories", "fan_relapse_rate", "heatmap_relapse_rate", "lorenz_curves", "discovery_relapse_rate"]
    expected = {f"{s}.{ext}" for s in stems for ext in ("png", "svg")} | {"figures.md"}
    assert {p.name for p in out.iterdir()} == expected
    printed = capsys.readouterr().out.split()
    assert {Path(p).name for p in printed} == expected
    md = (out / "figures.md").read_text(encoding="utf-8")
    assert md.startswith("# Figures: withdrawal-test") and md.count("## ") == len(stems)
    assert "![" in md and "relapse_rate > " in md and "the year after withdrawal_year" in md
    for s in stems:
        _check_files([out / f"{s}.png", out / f"{s}.svg"])


@pytest.mark.parametrize("kind", ["saltelli", "morris"])
def test_plot_command_sensitivity(kind, tmp_path, monkeypatch, capsys):
    store = saltelli_store(tmp_path / "s", 64) if kind == "saltelli" else morris_store(tmp_path / "m", 10)
    assert _main(["plot", str(store), "--format", "png", "--threshold", "1.0"], monkeypatch) == 0
    names = {p.name for p in (store / "figures").iterdir()}
    stem = "sobol" if kind == "saltelli" else "morris"
    assert names == {"trajectories.png", "fan_relapse_rate.png", f"{stem}_relapse_rate.png",
                     "discovery_relapse_rate.png", "figures.md"}
    md = (store / "figures" / "figures.md").read_text(encoding="utf-8")
    assert "| factor |" in md and "Threshold 1 (given)" in md


def test_plot_command_errors(tmp_path, withdrawal_store, monkeypatch, capsys):
    def error(argv):
        code = _main(argv, monkeypatch)
        err = capsys.readouterr().err
        assert code != 0 and err.count("\n") == 1 and err.startswith("ruralsim: error: "), err
        assert "Traceback" not in err
        return err

    assert "results directory not found" in error(["plot", str(tmp_path / "missing")])
    (tmp_path / "empty").mkdir()
    assert "no manifest.json" in error(["plot", str(tmp_path / "empty")])
    (tmp_path / "empty" / "manifest.json").write_text(json.dumps(WITHDRAWAL))
    assert "no results yet" in error(["plot", str(tmp_path / "empty")])
    assert "unknown outcome 'nope'" in error(["plot", str(withdrawal_store), "--outcome", "nope"])
    assert "year 1999 is not in the results" in error(["plot", str(withdrawal_store), "--year", "1999"])
    assert "--format" in error(["plot", str(withdrawal_store), "--format", "gif"])


def test_sensitivity_refuses_unfinished_sweep(tmp_path):
    """Points missing at the end of the design are noticed too (from the manifest's runs / replicates)."""
    results, _, _, manifest = A.read_store(morris_store(tmp_path / "m", 10))
    last = results["point"].max()
    with pytest.raises(ValueError, match="1 design points have no results"):
        A.morris_indices(results[results["point"] != last], manifest, "relapse_rate")


def test_box_mask_matches_box_counts(withdrawal_store):
    results, _, _, manifest = A.read_store(withdrawal_store)
    boxes = A.scenario_discovery(results, manifest, "relapse_rate", 2023, 0.05)
    table = A.outcome_table(results, "relapse_rate", 2023)
    for _, box in boxes.iterrows():
        inside = A.box_mask(table, box)
        assert inside.sum() == box["n"] and (table["relapse_rate"][inside] > 0.05).sum() == box["n_above"]
