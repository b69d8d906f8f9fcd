"""What happens to the "leading enterprise + cooperative + farmer" chain under a reform, in paired runs.

Two arms (the baseline and a reform) run side by side from the same seed, so that every household,
cooperative and enterprise meets the same shocks in both (common random numbers).  Until the reform
starts the arms are identical; at the end of ``fork_year`` (the last year before the reform) the chain
is read once: who is a contract farmer (a member of a cooperative holding an enterprise contract), who
holds a local enterprise or workshop job, and how much each cooperative and enterprise depended on
subsidies that year (support received per yuan of business).  Then both arms run on to ``end_year`` and
:func:`chain_effects` reports, per seed:

* the chain's size after the fork, reform minus baseline, as a share of the baseline: local jobs,
  workshop jobs, contract volume, cooperative purchases, member share, operating cooperatives and
  enterprises (means over the years after the fork);
* the income lost by contract farmers, enterprise workers and households outside the chain (mean per
  capita income over the years after the fork, baseline minus reform, as a share of the baseline);
* for cooperatives and for enterprises, the reform's effect among those that depended on subsidies
  (that would have made a loss in the fork year without the support they received) and among the
  others: the members a cooperative keeps and the jobs an enterprise keeps at ``end_year``, as a share of
  the fork year's, reform minus baseline (pooled over seeds by :func:`chain_effects`).

Used by ``tests/test_chain_patterns.py`` (directions, with a few seeds) and for the effect sizes reported
in ``docs/validation.md`` (more seeds, larger counties).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model.model import RuralEconomy
from ..model.scenario import as_scenario
from .validation import SCENARIOS

CHAIN_COLUMNS = ("local_jobs", "workshop_jobs", "contract_volume", "coop_purchases", "coop_member_share",
                 "coop_active", "enterprise_active")


def _year(models) -> None:
    for m in models:
        m.run_years(1)


def _groups(m) -> dict[str, np.ndarray]:
    """The chain at the end of the fork year, read from one arm (the arms are still identical)."""
    h, c, e = m.hh, m.coops, m.enterprises
    coop = np.maximum(h.cooperative, 0)
    buyer = c.enterprise[coop]
    contracted = (h.cooperative >= 0) & c.alive[coop] & (buyer >= 0) & e.alive[np.maximum(buyer, 0)]
    worker = h.employer >= 0
    return {"contract_farmers": contracted, "enterprise_workers": worker,
            "outside_chain": (h.cooperative < 0) & ~worker}


def _members(m) -> np.ndarray:
    h = m.hh
    return np.bincount(h.cooperative[h.cooperative >= 0], minlength=m.coops.n).astype(float)


def paired_run(reform, n: int, seed: int, fork_year: int = 2025, end_year: int = 2030) -> dict:
    """Run the baseline and ``reform`` side by side; returns the annual tables, the chain at the fork and the
    households' per capita incomes in each year after it (arrays ``years x households``)."""
    if end_year <= fork_year:
        raise ValueError(f"end_year ({end_year}) must come after fork_year ({fork_year})")
    arms = [RuralEconomy(None, n, rng=seed, household_agents=False),
            RuralEconomy(as_scenario(reform), n, rng=seed, household_agents=False)]
    while arms[0].year <= fork_year:
        _year(arms)
    base, ref = arms
    groups = _groups(base)
    c, e = base.coops, base.enterprises
    # dependent: would have made a loss this year without the industry support received (surplus and profit count it)
    fork = {"coop_dependent": c.alive & (c.surplus < c.recv_industry),
            "coop_other": c.alive & (c.surplus >= c.recv_industry),
            "coop_members": _members(base),
            "enterprise_dependent": e.alive & (e.profit < e.recv_gov),
            "enterprise_other": e.alive & (e.profit >= e.recv_gov),
            "enterprise_jobs": e.jobs + e.workshop_jobs}
    incomes = {0: [], 1: []}
    while base.year <= end_year:
        _year(arms)
        for i, m in enumerate(arms):
            incomes[i].append(m.hh.income / m.hh.members)
    out = {"base": base.annual_metrics(), "reform": ref.annual_metrics(), "groups": groups, "fork": fork,
           "income_base": np.array(incomes[0]), "income_reform": np.array(incomes[1]),
           "coop_members": (_members(base), _members(ref)),
           "enterprise_jobs": (base.enterprises.jobs + base.enterprises.workshop_jobs,
                               ref.enterprises.jobs + ref.enterprises.workshop_jobs),
           "fork_year": fork_year}
    for m in arms:
        m.close()
    return out


def summarise(run: dict) -> dict[str, float]:
    """One seed's effects (see the module docstring)."""
    base, ref, fork_year = run["base"], run["reform"], run["fork_year"]
    after_b = base[base.year > fork_year]
    after_r = ref[ref.year > fork_year]
    row: dict[str, float] = {}
    for col in CHAIN_COLUMNS:
        b, r = float(after_b[col].mean()), float(after_r[col].mean())
        row[f"change_{col}"] = (r - b) / b if b else float("nan")
    yb, yr = run["income_base"].mean(axis=0), run["income_reform"].mean(axis=0)
    for name, mask in run["groups"].items():
        row[f"income_loss_{name}"] = float((yb[mask] - yr[mask]).sum() / yb[mask].sum()) if mask.any() else float("nan")
    row.update(_kept(run))
    return row


def _kept(run) -> dict[str, float]:
    """Members kept by cooperatives and jobs kept by enterprises at the end, as sums over those dependent on
    support and the others (so that seeds can be pooled): ``<what>_<group>_<arm>`` and the fork year's base."""
    fork, out = run["fork"], {}
    for org, size in (("coop", "coop_members"), ("enterprise", "enterprise_jobs")):
        at_fork, (end_b, end_r) = fork[size], run[size]
        for group in ("dependent", "other"):
            mask = fork[f"{org}_{group}"]
            out[f"{org}_{group}_fork"] = float(at_fork[mask].sum())
            out[f"{org}_{group}_base"] = float(end_b[mask].sum())
            out[f"{org}_{group}_reform"] = float(end_r[mask].sum())
    return out


def kept_change(table: pd.DataFrame, org: str, group: str) -> float:
    """Pooled over the rows of ``table`` (seeds): what ``org`` ("coop": members, "enterprise": jobs) of ``group``
    ("dependent", "other") kept at the end under the reform minus under the baseline, as a share of the fork
    year's."""
    fork = table[f"{org}_{group}_fork"].sum()
    return float((table[f"{org}_{group}_reform"].sum() - table[f"{org}_{group}_base"].sum()) / fork) if fork else float("nan")


def chain_effects(reform="industry_support_end", n: int = 10_000, seeds=(1, 2, 3, 4), fork_year: int = 2025,
                  end_year: int = 2030) -> pd.DataFrame:
    """One row per seed of :func:`summarise` for ``reform`` (a scenario name, file or object) against the
    baseline; the last row, ``mean``, averages the seeds."""
    rows = {seed: summarise(paired_run(_scenario(reform), n, seed, fork_year, end_year)) for seed in seeds}
    table = pd.DataFrame.from_dict(rows, orient="index")
    pooled = {f"kept_{org}_{group}": kept_change(table, org, group)
              for org in ("coop", "enterprise") for group in ("dependent", "other")}
    table.loc["mean"] = table.mean()
    for name, value in pooled.items():
        table.loc[:, name] = np.nan
        table.loc["mean", name] = value
    return table


def _scenario(reform):
    """A scenario name (a file of the scenario library), a path or a Scenario."""
    if isinstance(reform, str) and not reform.endswith((".yaml", ".yml")):
        return SCENARIOS / f"{reform}.yaml"
    return reform
