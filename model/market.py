"""Rationing of scarce places (local jobs, welfare posts) by priority, in one queue or within groups.

Places go to applicants in order of one or more sort keys (a priority, then a
random queue draw); applicants whose draws are closer than 2**-49 count as tied
and are served in row order.  :func:`ration` serves several groups at once (each
with its own number of places); :func:`serve` one queue, in the same order.
"""

from __future__ import annotations

import math

import numpy as np

_FRACTION_BITS = 49  # resolution of a [0, 1) key in the packed sort key


def _packed_key(keys: tuple[np.ndarray, ...], group: np.ndarray | None) -> np.ndarray | None:
    """One uint64 sort key equivalent to ``lexsort(keys + (group,))`` (``lexsort(keys)`` without a group),
    or None if it cannot be built.

    Possible when the least significant key is a draw in [0, 1) and the others are small
    non-negative integers: the integers fill the top bits and the draw the lower 49 bits.
    (Two draws closer than 2**-49 then count as tied; with 10**6 applicants that happens
    with probability ~1e-3 and is resolved by position, deterministically.)
    """
    first, ints = keys[0], (*keys[1:], group) if group is not None else keys[1:]
    if first.dtype.kind != "f" or first.size == 0 or first.min() < 0.0 or first.max() >= 1.0:
        return None
    packed = (first * float(2**_FRACTION_BITS)).astype(np.uint64)
    shift = _FRACTION_BITS
    for k in ints:
        if k.dtype.kind not in "biu" or k.min() < 0:
            return None
        bits = max(int(k.max()).bit_length(), 1)
        if shift + bits > 64:
            return None
        packed |= k.astype(np.uint64) << np.uint64(shift)
        shift += bits
    return packed


def ration(applicants: np.ndarray, group: np.ndarray, capacity: np.ndarray, *keys: np.ndarray) -> np.ndarray:
    """Give each group's ``capacity`` places to its applicants in priority order.

    ``keys`` are sort keys from least to most significant (numpy ``lexsort``
    order); smaller is served first.  Returns a boolean mask of those served.
    """
    idx = np.flatnonzero(applicants)
    served = np.zeros(applicants.shape, dtype=bool)
    if idx.size == 0:
        return served
    sub = tuple(k[idx] for k in keys)
    packed = _packed_key(sub, group[idx])
    order = np.argsort(packed, kind="stable") if packed is not None else np.lexsort(sub + (group[idx],))
    ranked = idx[order]
    g = group[ranked]
    rank = np.arange(ranked.size) - np.searchsorted(g, g, side="left")
    served[ranked[rank < capacity[g]]] = True
    return served


def serve(applicants: np.ndarray, places: float, *keys: np.ndarray) -> np.ndarray:
    """Give ``places`` places to the applicants in priority order: :func:`ration` for a single group.

    ``keys`` are sort keys from least to most significant; smaller is served first.  Returns a
    boolean mask of those served."""
    idx = np.flatnonzero(applicants)
    served = np.zeros(applicants.shape, dtype=bool)
    if idx.size == 0 or not places > 0:
        return served
    sub = tuple(k[idx] for k in keys)
    packed = _packed_key(sub, None)
    k = math.ceil(places)
    if packed is None:
        served[idx[np.lexsort(sub)[:k]]] = True
    elif k >= packed.size:
        served[idx] = True
    else:
        # the first k of the stable order, without sorting the rest: every key below the k-th smallest,
        # then keys equal to it in row order
        kth = np.partition(packed, k - 1)[k - 1]
        below = np.flatnonzero(packed < kth)
        tied = np.flatnonzero(packed == kth)[:k - below.size]
        served[idx[below]] = True
        served[idx[tied]] = True
    return served
