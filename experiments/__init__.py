"""Experiments: parameter sweeps and sensitivity designs over scenarios, on local cores or a Dask cluster.

An experiment definition (YAML, ``experiments/definitions/*.yaml``) names a base scenario, the
factors to vary (uncertainties and policy levers, each with values or a range and the scenario
keys it sets), a design (full factorial, Latin hypercube, Sobol', Saltelli or Morris), replicates,
horizon, county size and the outcomes to keep.  :func:`run_sweep` runs it on any
``concurrent.futures.Executor`` and streams a tidy results table to a Parquet store that
:func:`load_results` and friends read back::

    from ruralsim.experiments import run_sweep, load_results
    run_sweep("withdrawal_timing_pace_monitoring", "results/withdrawal", replicates=2, households=2_000)
    df = load_results("results/withdrawal")     # run_id, factors, replicate, seed, year, metrics

or from the shell: ``ruralsim sweep experiments/definitions/withdrawal_timing_pace_monitoring.yaml
--out results/withdrawal``.  Modules:

* one run and provenance: :mod:`~experiments.run` (one county run, the replicate seeds of every
  experiment), :mod:`~experiments.provenance` (versions, git commit, the JSON encoder);
* sweeps: :mod:`~experiments.spec` (definitions), :mod:`~experiments.checks` and
  :mod:`~experiments.points` (their validation), :mod:`~experiments.designs` (designs, run order),
  :mod:`~experiments.runner` (execution), :mod:`~experiments.executors` (local processes, Dask),
  :mod:`~experiments.store` (the Parquet store and its readers), :mod:`~experiments.manifest`;
* analysis of a sweep: :mod:`~experiments.analysis` (:mod:`~experiments.sweep_results`,
  :mod:`~experiments.sensitivity`, :mod:`~experiments.scenario_discovery`, :mod:`~experiments.bands`),
  :mod:`~experiments.sweep_plots`;
* reform against baseline: :mod:`~experiments.compare` (:mod:`~experiments.arms`,
  :mod:`~experiments.paired`, :mod:`~experiments.impacts`, :mod:`~experiments.fiscal`,
  :mod:`~experiments.plain_language`), :mod:`~experiments.report` (:mod:`~experiments.report_figures`,
  :mod:`~experiments.report_text`, :mod:`~experiments.report_render`), :mod:`~experiments.plots`;
* trust: :mod:`~experiments.validation`, :mod:`~experiments.calibration`.
"""

from .executors import SweepError, dask_executor
from .runner import SweepResult, run_sweep
from .spec import ExperimentSpec, SpecError, list_definitions, load_spec
from .store import StoreError, load_design, load_failures, load_lorenz, load_manifest, load_results, status

__all__ = [
    "load_spec", "run_sweep", "load_results", "load_lorenz", "load_manifest", "load_design", "load_failures",
    "status", "list_definitions", "dask_executor", "ExperimentSpec", "SweepResult", "SpecError", "SweepError",
    "StoreError",
]
