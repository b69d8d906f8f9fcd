"""How long falls into poverty last, by the kind of shock behind them.

A fall is a household poor this year (income per member net of out-of-pocket medical spending below
the line, as the relapse rate counts it) and not last year.  Each fall is classed by what hit the
household in the year it fell:

* **lasting**: a shock that leaves a trace in the household's state: a chronic illness that began this
  year, productive assets lost (at least ``ASSET_LOSS`` of them), or informal debt that grew past a year's
  income this year;
* **transitory**: none of those, but a shock that passes: a hospital episode, a lost migrant job, a bad
  harvest in the village;
* **other**: neither (e.g. a fall of the crop price or the end of support).

For each fall the table says whether the household is still poor a year later and how many years it
stayed poor (censored at the end of the run).  The pattern the model should reproduce (poverty-trap
literature: Carter & Barrett 2006; Dercon 2004, "Growth and shocks", J. Development Economics 74) is
that falls after lasting shocks last longer than falls after transitory ones.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: share of productive assets lost in a year that counts as a lasting shock
ASSET_LOSS = 0.3


def _poor(model) -> np.ndarray:
    h = model.hh
    return (h.income - h.oop) / h.members < model.poverty_line


def track_falls(model, years: int) -> pd.DataFrame:
    """Run ``model`` for ``years`` more years and return one row per fall into poverty: household, year, class,
    poor a year later (NaN when the run ends first), years poor from the fall and whether that is censored."""
    h = model.hh
    poor_before = _poor(model)
    history, falls = [], []
    for _ in range(int(years)):
        chronic, assets, debt = h.chronic.copy(), h.assets.copy(), h.debt.copy()
        model.run_years(1)
        poor = _poor(model)
        income = np.maximum(h.income, 1.0)
        lasting = ((h.chronic & ~chronic) | (h.assets < (1.0 - ASSET_LOSS) * assets)
                   | ((h.debt > income) & (debt <= income)))
        transitory = ~lasting & ((h.illness_episodes > 0) | (h.jobs_lost > 0) | model.bad_harvest[h.village])
        fell = np.flatnonzero(poor & ~poor_before)
        kind = np.where(lasting[fell], "lasting", np.where(transitory[fell], "transitory", "other"))
        falls.append(pd.DataFrame({"household": fell, "year": model.year - 1, "kind": kind, "t": len(history)}))
        history.append(poor)
        poor_before = poor
    table = pd.concat(falls, ignore_index=True)
    poor = np.array(history)  # years x households
    n_years = poor.shape[0]
    later, length, censored = [], [], []
    for hh, t in zip(table["household"].to_numpy(), table["t"].to_numpy()):
        run = poor[t:, hh]
        stays = int(np.argmin(run)) if not run.all() else run.size
        length.append(stays)
        censored.append(bool(run.all()))
        later.append(float(poor[t + 1, hh]) if t + 1 < n_years else np.nan)
    return table.assign(poor_next_year=later, years_poor=length, censored=censored).drop(columns="t")


def persistence_by_kind(falls: pd.DataFrame) -> pd.DataFrame:
    """Per class of shock: falls observed, share still poor a year later, mean years poor (censored spells count
    to the end of the run: a lower bound)."""
    known = falls.dropna(subset=["poor_next_year"])
    return pd.DataFrame({
        "falls": falls.groupby("kind").size(),
        "still_poor_next_year": known.groupby("kind")["poor_next_year"].mean(),
        "mean_years_poor": falls.groupby("kind")["years_poor"].mean(),
    })
