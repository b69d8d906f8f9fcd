"""The verification at exit (脱贫退出核查), December 2020: the county starts as the campaign left it.

By the end of 2020 every registered poor household (建档立卡) had been verified out of poverty:
its income above the national line and its basic needs guaranteed (两不愁三保障: food, clothing,
compulsory schooling, basic medical care, safe housing; the exit standard of the 2016 opinions on
the exit mechanism, 《关于建立贫困退出机制的意见》, General Offices of the CPC Central Committee and the
State Council, April 2016), and the rural poor population under the current standard was zero
(NBS, 2021-02-28 statistical communiqué: 5.51 million at the end of 2019).  The registry was kept up
to date each year (动态调整), so a household that fell below the line before 2020 was registered and
helped.

In the model the check is made on the measure the relapse rate uses: income per member net of
out-of-pocket medical spending (the guarantee of basic medical care is read as: medical bills left
after insurance and medical assistance do not push a verified household under the line).  In
December 2020 (the calibration year, which runs without shocks):

* a never-registered household below the line is registered (动态调整), when
  ``register_newly_poor`` holds;
* every registered household below the line receives the campaign's last support (兜底): a
  payment that brings its 2020 income net of medical spending to the line, booked as direct income
  support (an unconditional transfer);
* those households are the "unstable" ex-poor households (脱贫不稳定户) the monitoring system
  follows from its first month, January 2021: they start the transition period flagged.

So the 2020 row reads as the calibration year should: nobody registered is below the line, and the
first relapse can only happen in 2021.
"""

from __future__ import annotations

import numpy as np

#: the top-up brings income net of medical spending this far above the line (relative), so that
#: rounding in the annual accounts cannot leave a verified household a fraction of a yuan below it
MARGIN = 1e-9


def shortfall(income, oop, members, line):
    """Yuan a household lacks to reach the line on income net of medical spending (0 when above it)."""
    return np.maximum(line * (1.0 + MARGIN) * members - (income - oop), 0.0)


def below_line(income, oop, members, line):
    """Households whose income per member net of medical spending is below the line (the relapse test)."""
    return (income - oop) / members < line
