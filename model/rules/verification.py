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
* every registered household below the line receives the campaign's last support: a payment that
  brings its 2020 income net of medical spending to the line, booked as direct income support (an
  unconditional transfer);
* what the campaign did for such a household lasts as far as the exit standard says it should
  (稳定超过, income *stably* above the line): a household with labour leaves 2020 with the earning
  power that would have carried its 2020 earned income (wages and farm income) over the line on its
  own (its ``ability`` rises by the log of one plus the shortfall over its earned income, at most
  doubling its earning power: the campaign's jobs, industry projects and training, not a windfall);
  a household without labour capacity is enrolled in the minimum living guarantee (兜底保障: by 2020
  the registered poor without labour capacity were covered by dibao or extreme-poverty support),
  its claim recognised whatever the exclusion errors of later years (``dibao_enrolled``).

So the 2020 row reads as the calibration year should: nobody registered is below the line, the first
relapse can only happen in 2021, and it happens because of what happens in 2021.  Monitoring finds
households at risk from January 2021 with its ordinary detection (there is no list handed over).
"""

from __future__ import annotations

import numpy as np

#: the top-up brings income net of medical spending this far above the line (relative), so that
#: rounding in the annual accounts cannot leave a verified household a fraction of a yuan below it
MARGIN = 1e-9


def shortfall(income, oop, members, line):
    """Yuan a household lacks to reach the line on income net of medical spending (0 when above it)."""
    return np.maximum(line * (1.0 + MARGIN) * members - (income - oop), 0.0)


#: the campaign's support at most doubles a household's earning power (a bound on what jobs, projects and
#: training did for one household in a year; it binds only for households with very little earned income)
MAX_GAIN = np.log(2.0)


def earning_power_gain(shortfall_, earned):
    """Rise of log ability that carries earned income (wages and farm income, yuan) over the shortfall:
    log(1 + shortfall / earned), at most :data:`MAX_GAIN`."""
    return np.minimum(np.log1p(shortfall_ / np.maximum(earned, 1.0)), MAX_GAIN)


def below_line(income, oop, members, line):
    """Households whose income per member net of medical spending is below the line (the relapse test)."""
    return (income - oop) / members < line
