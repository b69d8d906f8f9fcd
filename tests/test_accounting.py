"""Accounting identities: every yuan is booked once on each side.

Checked over several seeds and policy configurations, at the end of a run
(December, before the January reset, so the annual accumulators hold the whole
last year).
"""

from __future__ import annotations

import numpy as np
import pytest

from ruralsim.model import RuralEconomy
from ruralsim.model.state import COOP_COLUMNS, ENTERPRISE_COLUMNS, HOUSEHOLD_COLUMNS

RTOL = 1e-9  # sums of ~10^3-10^4 floats of ~10^4 yuan: rounding is ~1e-12 relative


@pytest.mark.parametrize("seed", [0, 11])
def test_identities_hold(config, seed):
    name, scenario = config
    m = RuralEconomy(scenario, n_households=400, rng=seed, household_agents=False)
    df = m.run_years(3)
    h, c, e, gov = m.hh, m.coops, m.enterprises, m.gov

    # 1. each household's income is the sum of its sources
    np.testing.assert_allclose(h.income, h.wage + h.business + h.property + h.transfer, rtol=RTOL, atol=1e-6)

    # 2. what the government spent equals what households, cooperatives and enterprises received from it
    received = h.recv_gov.sum() + c.recv_gov.sum() + e.recv_gov.sum()
    spent = sum(gov.cost.values())
    assert spent == pytest.approx(received, rel=RTOL)
    assert gov.paid_to["households"] == pytest.approx(h.recv_gov.sum(), rel=RTOL)
    assert gov.paid_to["cooperatives"] == pytest.approx(c.recv_gov.sum(), rel=RTOL, abs=1e-6)
    assert gov.paid_to["enterprises"] == pytest.approx(e.recv_gov.sum(), rel=RTOL, abs=1e-6)
    assert df["fiscal_cost"].iloc[-1] == pytest.approx(spent, rel=RTOL)
    costs = df[[col for col in df.columns if col.startswith("cost_")]].iloc[-1].sum()
    assert costs == pytest.approx(spent, rel=RTOL)

    # 3. what enterprises and cooperatives pay equals what households receive from them
    assert e.wages.sum() == pytest.approx(h.recv_enterprise.sum(), rel=RTOL, abs=1e-6)
    assert c.paid_members.sum() == pytest.approx(h.recv_coop.sum(), rel=RTOL, abs=1e-6)

    # 4. no NaN or infinite value anywhere
    for table, spec in ((h, HOUSEHOLD_COLUMNS), (c, COOP_COLUMNS), (e, ENTERPRISE_COLUMNS)):
        for col in spec:
            assert np.all(np.isfinite(getattr(table, col).astype(float))), f"{col} not finite in {name}"
    assert np.all(np.isfinite(df.to_numpy(dtype=float))), f"annual metrics not finite in {name}"


def test_the_identities_can_fail():
    """A booking error must be caught: pay a household without telling the government."""
    m = RuralEconomy(None, n_households=200, rng=3, household_agents=False)
    m.run_years(1)
    m.hh.recv_gov[0] += 1.0
    received = m.hh.recv_gov.sum() + m.coops.recv_gov.sum() + m.enterprises.recv_gov.sum()
    assert sum(m.gov.cost.values()) != pytest.approx(received, rel=RTOL)
