"""Mechanism 6: motivation (内生动力, 扶志).

Effort multiplies a household's farm output and wages.  Each December it moves
towards 1 (reversion), falls with the share of income that came as generous
unconditional transfers (the "等靠要" attitude, "waiting, relying, asking", that
poverty-alleviation work warns against), and
rises with conditional support or training received (扶志与扶智相结合).  The
``strength`` parameter scales both effects; zero turns the mechanism off so that
effort stays where it is.  Default strength is modest (no
published estimate; experiments should vary it).
"""

from __future__ import annotations

import numpy as np


def update_effort(effort, unconditional_share, conditioned, m):
    """Next year's effort from this year's unconditional transfer share and conditional support."""
    if m.strength == 0:
        return effort
    change = (m.reversion * (1.0 - effort)
              + m.strength * (m.conditional_gain * conditioned - m.unconditional_erosion * unconditional_share))
    return np.clip(effort + change, m.min_effort, m.max_effort)
