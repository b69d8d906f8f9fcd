"""ruralsim: an agent-based model of rural household incomes after poverty alleviation (Mesa).

The package has three layers, each importing only from the layers below it:

* :mod:`ruralsim.model`: the simulation (state, agents and their behaviour, rules, policy
  programmes, scenarios, outcomes);
* :mod:`ruralsim.experiments`: everything that runs the model more than once or analyses runs
  (one county run with provenance, replicate seeds, compare, sweeps, validation, calibration,
  reports and plots);
* :mod:`ruralsim.app`: the ``ruralsim`` command line and the dashboard.

A handful of verbs covers most uses, each returning a tidy table::

    import ruralsim
    annual = ruralsim.run("scenarios/withdrawal_cliff.yaml", households=2_000, years=10, seed=1)
    result = ruralsim.compare(["baseline", "scenarios/withdrawal_cliff.yaml"], replicates=5, households=2_000)
    result.comparison                      # paired differences with 95% intervals
    ruralsim.sweep("withdrawal_timing_pace_monitoring", "results/withdrawal", replicates=2)
    ruralsim.validate(ruralsim.run_regimes(replicates=2, households=5_000))

and the model itself is a Mesa model: ``ruralsim.RuralEconomy(scenario, n_households, rng)``.
"""

from __future__ import annotations

from importlib import import_module

# Every name is imported on first use, with absolute module names: ``import ruralsim.model`` stays light,
# and importing this file under another name (pytest imports the ``__init__.py`` of the folder a test
# suite sits in, under the folder's own name, to look for module-level set-up) loads nothing.
_EXPORTS = {
    **{name: ("ruralsim.model", name) for name in ("RuralEconomy", "Household", "Cooperative", "LeadingEnterprise",
                                                   "Government", "Parameters", "Programme", "Scenario",
                                                   "load_scenario")},
    "run": ("ruralsim.experiments.run", "run"),
    "run_county": ("ruralsim.experiments.run", "run_county"),
    "replicate_seeds": ("ruralsim.experiments.run", "replicate_seeds"),
    "compare": ("ruralsim.experiments.compare", "run_comparison"),
    "sweep": ("ruralsim.experiments.runner", "run_sweep"),
    "load_results": ("ruralsim.experiments.store", "load_results"),
    "run_regimes": ("ruralsim.experiments.validation", "run_regimes"),
    "validate": ("ruralsim.experiments.validation", "validate"),
    "calibrate": ("ruralsim.experiments.calibration", "calibrate"),
}

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        module, attr = _EXPORTS[name]
        value = getattr(import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ruralsim' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
