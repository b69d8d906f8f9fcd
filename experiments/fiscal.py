"""Money: the fiscal cost of each reform by programme, and its cost per relapse averted."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .arms import BASELINE, FIRST_SIMULATED_YEAR, baseline_label, reform_labels

FISCAL_COLUMNS = ["scenario", "programme", "baseline_cost", "reform_cost", "diff"]
COST_PER_RELAPSE_COLUMNS = ["scenario", "extra_fiscal_cost", "ex_poor_persons", "relapses_averted",
                            "cost_per_relapse_averted", "note"]


def fiscal_costs(annual: pd.DataFrame) -> pd.DataFrame:
    """fiscal.csv: per reform and programme, the mean over replicates of the cost summed over
    the simulated years (2021 on); the last row per reform, ``total``, is ``fiscal_cost``."""
    costs = [c for c in annual.columns if c.startswith("cost_")] + ["fiscal_cost"]
    sim = annual[annual["year"] >= FIRST_SIMULATED_YEAR]
    sums = sim.groupby(["scenario", "replicate"], sort=False)[costs].sum()
    means = sums.groupby(level="scenario", sort=False).mean()
    base = means.loc[baseline_label(annual)]
    names = [c.removeprefix("cost_") for c in costs[:-1]] + ["total"]
    rows = []
    for label in reform_labels(annual):
        ref = means.loc[label]
        rows.append(pd.DataFrame({"scenario": label, "programme": names, "baseline_cost": base.to_numpy(),
                                  "reform_cost": ref.to_numpy(), "diff": (ref - base).to_numpy()}))
    return pd.concat(rows, ignore_index=True)[FISCAL_COLUMNS]


def cost_per_relapse_averted(annual: pd.DataFrame, households: pd.DataFrame) -> pd.DataFrame:
    """cost_per_relapse_averted.csv: extra fiscal cost of each reform over the run divided by the
    ex-poor persons it keeps from ever relapsing.

    relapses averted = (baseline - reform) mean cumulative relapse rate in the final
    year x mean number of ex-poor persons in the (baseline) county.  NaN, with a note,
    when the reform averts no relapse.
    """
    fiscal = fiscal_costs(annual)
    total = fiscal[fiscal["programme"] == "total"].set_index("scenario")["diff"]
    final = annual["year"].max()
    cum = annual[annual["year"] == final].groupby("scenario", sort=False)["cumulative_relapse_rate"].mean()
    base_hh = households[households["role"] == BASELINE]
    ex_poor = float(base_hh.loc[base_hh["is_ex_poor"], "members"].sum() / base_hh["replicate"].nunique())
    base_label = baseline_label(annual)
    rows = []
    for label in reform_labels(annual):
        extra = float(total[label])
        averted = float((cum[base_label] - cum[label]) * ex_poor)
        if averted > 0:
            cost = extra / averted
            note = ("the reform saves money and averts relapses" if extra < 0 else
                    "extra fiscal cost per ex-poor person kept from relapsing")
        else:
            cost = np.nan
            if averted == 0:
                note = "no relapse averted: the reform does not change cumulative relapse"
            else:
                note = f"no relapse averted: the reform adds {-averted:,.1f} relapses"
                if extra < 0:
                    note += f" and saves {money(-extra / -averted)} per added relapse"
        rows.append({"scenario": label, "extra_fiscal_cost": extra, "ex_poor_persons": ex_poor,
                     "relapses_averted": averted, "cost_per_relapse_averted": cost, "note": note})
    return pd.DataFrame(rows, columns=COST_PER_RELAPSE_COLUMNS)


def money(v: float) -> str:
    """Yuan in words a planner reads: '45.00 million yuan'."""
    if not np.isfinite(v):
        return "n/a"
    a = abs(v)
    for scale, unit in ((1e9, "billion"), (1e6, "million")):
        if a >= scale:
            return f"{v / scale:,.2f} {unit} yuan"
    return f"{v:,.0f} yuan"
