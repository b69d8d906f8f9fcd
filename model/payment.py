"""How the engine pays a programme, by its kind.

A programme declares what it is (:data:`model.programmes.KINDS`).  The four cash-transfer kinds
(:data:`model.programmes.CASH_KINDS`) are paid every month by one code path in each engine: the
household is owed what the programme's entitlement rule says (:mod:`model.rules.programmes`),
times the programme's level, if its targeting selects the household (and, for a programme made
``conditional``, if the household works, farms or trains: 扶志); the government pays every claim
within the programme's budget; the household books what it received as this function says.  So a
new cash programme is one declaration (its kind and entitlement rule), plus a rule only when no
existing entitlement rule fits.

Booking (how a payment counts once received):

* every cash transfer is transfer income (转移净收入 in the household survey's definition of
  disposable income, National Bureau of Statistics) and is recorded as received from government;
* effort (扶志, :mod:`model.rules.motivation`) falls with the share of income from *unconditional*
  support and rises with *conditional* support: an income transfer is unconditional unless the
  programme is conditional; a means-tested transfer is unconditional; a conditional transfer is
  conditional; an old-age pension is neither (it is paid for the elderly, not the working members);
* a means-tested transfer is left out of the income its own test counts next year (the minimum
  living guarantee tests last year's income without the guarantee itself).
"""

from __future__ import annotations

from dataclasses import dataclass

from .programmes import CASH_KINDS, DECLARED

#: The order the government pays the cash transfers each month (programmes whose entitlement is fixed
#: for the year first, as declared here; any other cash programme after them, in declaration order).
PAYMENT_ORDER = ("pension", "direct_support", "dibao", "education_support", "monitoring_support")
#: Entitlement rules whose amounts are fixed for the year once January's state is known (the others
#: change every month: the monitoring gap follows the last twelve months' income).
YEARLY_ENTITLEMENTS = ("per_member", "per_elderly", "top_up_to_standard", "per_student")


@dataclass(frozen=True)
class Booking:
    """How a cash transfer counts once received."""

    effort: str | None  # "unconditional", "conditional" or None: how it moves effort
    means_tested: bool  # left out of the income its own means test counts


def booking(programme) -> Booking:
    """How a cash programme's payments are booked, from its kind and its ``conditional`` switch."""
    kind = programme.kind
    if kind not in CASH_KINDS:
        raise ValueError(f"Programme {programme.name!r}: 'kind': expected one of {', '.join(CASH_KINDS)} "
                         f"(a cash transfer); found {kind!r}")
    if programme.conditional or kind == "conditional_transfer":
        effort = "conditional"
    elif kind in ("income_transfer", "means_tested_transfer"):
        effort = "unconditional"
    else:
        effort = None
    return Booking(effort, kind == "means_tested_transfer")


def entitlement(programme) -> str:
    """The entitlement rule of a declared cash programme."""
    declared = DECLARED.get(programme.name)
    if declared is None or declared.entitlement is None:
        raise ValueError(f"Programme {programme.name!r}: 'entitlement': expected the rule of a declared cash "
                         f"transfer; found None")
    return declared.entitlement


def cash_programmes(programmes: dict) -> list[str]:
    """The cash-transfer programmes in force, in the order they are paid."""
    cash = [name for name, p in programmes.items() if p.kind in CASH_KINDS]
    first = [name for name in PAYMENT_ORDER if name in cash]
    return first + [name for name in cash if name not in first]


def is_yearly(programme) -> bool:
    """Is what it owes fixed for the year (computed in January)?"""
    return entitlement(programme) in YEARLY_ENTITLEMENTS
