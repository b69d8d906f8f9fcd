"""The calendar of a run and what every rule needs to know about the current month.

A step is one month.  Farm output is harvested twice a year, in June (the
summer harvest, after eight months of work since the last one) and October
(after four), each bringing half the year's output; cooperatives pay their
dividends and households invest in December.  Runs start with an unrecorded
burn-in year (2019) and the calibration year 2020 (see :mod:`model.model`).
"""

from __future__ import annotations

import numpy as np

START_YEAR = 2021
FIRST_T = -24  # the first month of a run: January of the burn-in year 2019 (t counts months from January 2021)
CALIBRATION_YEAR = 2020
HARVEST_MONTHS = {5: 8.0, 9: 4.0}  # month index -> months of work since the last harvest (Nov-Jun, Jul-Oct)
HARVEST_SHARE = 0.5  # each of the two harvests brings half the year's output
DECEMBER = 11


class Month:
    """What every rule needs to know about the current month (a read-only context).

    ``neutral`` months (the burn-in and calibration years, or a run without shocks) have no shocks:
    a shock draw is 1.0 (no event) and a shock size 0.0."""

    def __init__(self, model, t: int, neutral: bool):
        self.t = t
        self.year = START_YEAR + t // 12
        self.month = t % 12
        self.neutral = neutral
        self.levels = model.gov.levels
        self.price = float(np.exp(model.log_price))
        years = self.year - CALIBRATION_YEAR
        e = model.params.economy
        self.wage_index = (1.0 + e.wage_growth) ** years
        self.farm_index = (1.0 + e.farm_productivity_growth) ** years
        self.migrant_shock = model.migrant_shock
        self._s = model.streams

    def u(self, purpose: str, idx: np.ndarray | None = None) -> np.ndarray:
        """Household uniform draws (of households ``idx``) for a choice; drawn in the calibration year too."""
        return self._s.uniform(purpose, self.t, idx)

    def shock_u(self, purpose: str, idx: np.ndarray | None = None) -> np.ndarray:
        """Household uniform draws for a shock (of households ``idx``); 1.0 (no event) in the calibration year."""
        if self.neutral:
            return np.ones(self._s.terms.size if idx is None else idx.size)
        return self._s.uniform(purpose, self.t, idx)

    def shock_z(self, purpose: str, idx: np.ndarray | None = None) -> np.ndarray:
        """Household normal draws for a shock size (of households ``idx``); 0 in the calibration year."""
        if self.neutral:
            return np.zeros(self._s.terms.size if idx is None else idx.size)
        return self._s.normal(purpose, self.t, idx)
