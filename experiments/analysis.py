"""Analysis of a sweep's results store: outcome tables, Sobol and Morris indices, scenario discovery, bands.

A small functional API in the manner of SALib (one function per method, each citing its paper);
every function returns a tidy :class:`pandas.DataFrame`.  The store is the one ``ruralsim sweep``
writes (:mod:`ruralsim.experiments.store`)::

    DIR/manifest.json        name, spec_hash, design {method, ...}, factors [{name, kind, range|values}], ...
    DIR/design.parquet       run_id, one column per factor, replicate, seed
    DIR/parts/*.parquet      run_id, factors, replicate, seed, year, metric columns (model.annual.METRIC_COLUMNS)
    DIR/lorenz/*.parquet     run_id, population_share, income_share (final year's Lorenz curve)

The methods live in one module each, all importable from here:

* :mod:`~ruralsim.experiments.sweep_results`: :func:`read_store`, :func:`match_runs_to_points`,
  :func:`outcome_table` (one value per design point), :func:`factor_names`, :func:`lever_names`;
* :mod:`~ruralsim.experiments.sensitivity`: :func:`sobol_indices`, :func:`morris_indices`;
* :mod:`~ruralsim.experiments.scenario_discovery`: :func:`scenario_discovery`, :func:`box_mask`,
  :func:`rules_text`;
* :mod:`~ruralsim.experiments.bands`: :func:`bands`, :func:`quantile_bands`, :func:`mean_lorenz_curves`.

::

    from ruralsim.experiments.analysis import read_store, sobol_indices
    results, design, lorenz, manifest = read_store("results/gsa")
    sobol_indices(results, manifest, "relapse_rate", 2026)
"""

from __future__ import annotations

from .bands import as_levels, bands, mean_lorenz_curves, quantile_bands
from .scenario_discovery import box_mask, rules_text, scenario_discovery
from .sensitivity import morris_indices, sobol_indices
from .store import StoreError
from .sweep_results import (RUN_COLUMNS, factor_columns, factor_names, lever_names, match_runs_to_points,
                            outcome_table, read_store)

__all__ = ["RUN_COLUMNS", "StoreError", "read_store", "match_runs_to_points", "factor_names", "lever_names",
           "factor_columns", "outcome_table", "sobol_indices", "morris_indices", "scenario_discovery", "box_mask",
           "rules_text", "bands", "quantile_bands", "mean_lorenz_curves", "as_levels"]
