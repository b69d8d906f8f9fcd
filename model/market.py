"""Rationing of scarce places (local jobs, welfare posts) by priority within groups."""

from __future__ import annotations

import numpy as np


def ration(applicants: np.ndarray, group: np.ndarray, capacity: np.ndarray, *keys: np.ndarray) -> np.ndarray:
    """Give each group's ``capacity`` places to its applicants in priority order.

    ``keys`` are sort keys from least to most significant (numpy ``lexsort``
    order); smaller is served first.  Returns a boolean mask of those served.
    """
    idx = np.flatnonzero(applicants)
    served = np.zeros(applicants.shape, dtype=bool)
    if idx.size == 0:
        return served
    order = np.lexsort(tuple(k[idx] for k in keys) + (group[idx],))
    ranked = idx[order]
    g = group[ranked]
    rank = np.arange(ranked.size) - np.searchsorted(g, g, side="left")
    served[ranked[rank < capacity[g]]] = True
    return served
