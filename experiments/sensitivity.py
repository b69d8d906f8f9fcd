"""Global sensitivity of a sweep's outcomes: Sobol' indices (variance-based) and Morris screening.

One function per method in the manner of SALib (Herman & Usher 2017), each citing its paper and
returning a tidy :class:`pandas.DataFrame`; the estimators are SALib's.  The sweep's design must be
the matching SALib sample (``saltelli`` or ``morris``), its design points in SALib's order.

Herman, J., Usher, W. (2017). SALib: an open-source Python library for sensitivity analysis.
Journal of Open Source Software 2(9):97, doi:10.21105/joss.00097.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .sweep_results import factor_names, outcome_table


def _problem(names) -> dict:
    # SALib's analysers use only the names (and their number); the bounds are not read.
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def _design_matrix(results, manifest, outcome, year, method):
    got = manifest.get("design", {}).get("method")
    if got != method:
        raise ValueError(f"{method} analysis needs a {method} design; this experiment's design is {got!r}")
    names = [f for f in factor_names(manifest) if f in results]
    table = outcome_table(results, outcome, year, factors=names).sort_values("point")
    points = table["point"].to_numpy()
    expected = int(points.max()) + 1 if points.size else 0
    if manifest.get("runs") and manifest.get("replicates"):  # the whole design, finished or not
        expected = max(expected, int(manifest["runs"]) // int(manifest["replicates"]))
    if points.size < expected or not np.array_equal(points, np.arange(points.size)):
        missing = sorted(set(range(expected)) - set(points.tolist()))
        raise ValueError(f"{len(missing)} design points have no results (first: {missing[:5]}); "
                         "finish the sweep (ruralsim sweep --resume) before the sensitivity analysis")
    return names, table


def _is_second_order(X: np.ndarray, D: int, declared) -> bool:
    """Whether a Saltelli matrix holds the second-order rows (A, AB_1..AB_D, BA_1..BA_D, B per base row)."""
    if declared is not None:
        return bool(declared)
    n = len(X)
    candidates = [s for s, flag in ((2 * D + 2, True), (D + 2, False)) if n % s == 0]
    for size in candidates:
        blocks = X.reshape(n // size, size, D)
        b = blocks[:, -1, :]  # row B closes each block; AB_i takes column i from B
        if all((blocks[:, 1 + i, i] == b[:, i]).all() for i in range(D)):
            return size == 2 * D + 2
    raise ValueError(f"{n} design points do not form a Saltelli sample of {D} factors")


def sobol_indices(results: pd.DataFrame, manifest: dict, outcome: str, year=None, *,
                  num_resamples: int = 1000, conf_level: float = 0.95, seed: int = 20020101) -> pd.DataFrame:
    """Sobol' first-order and total-order indices of ``outcome`` in ``year``, with confidence intervals.

    Variance-based global sensitivity analysis: ``S1`` is the share of the outcome's variance over
    the factor ranges explained by a factor alone, ``ST`` the share it takes part in, interactions
    included.  Estimators of Saltelli (2002) for the design and Saltelli et al. (2010) for ``S1`` and
    ``ST`` as implemented by :func:`SALib.analyze.sobol.analyze`; ``*_conf`` is the half-width of the
    bootstrap confidence interval at ``conf_level`` (``num_resamples`` resamples, fixed ``seed``).

    The design must be ``saltelli``: its design points, in order, are SALib's sample matrix.  The
    outcome of each point is its mean over replicates, which removes most of the seed noise that
    would otherwise count as unexplained variance.  Returns columns ``factor, S1, S1_conf, ST, ST_conf``.

    Saltelli, A. (2002). Making best use of model evaluations to compute sensitivity indices.
    Computer Physics Communications 145(2):280-297, doi:10.1016/S0010-4655(02)00280-1.
    Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M., Tarantola, S. (2010). Variance
    based sensitivity analysis of model output. Computer Physics Communications 181(2):259-270,
    doi:10.1016/j.cpc.2009.09.018.
    """
    from SALib.analyze import sobol

    names, table = _design_matrix(results, manifest, outcome, year, "saltelli")
    X = table[names].to_numpy()
    second = _is_second_order(X, len(names), manifest.get("design", {}).get("calc_second_order"))
    Y = table[outcome].to_numpy(dtype=float)
    if not np.isfinite(Y).all():
        raise ValueError(f"{outcome} is not finite at every design point")
    if Y.std() == 0:
        return pd.DataFrame({"factor": names, "S1": 0.0, "S1_conf": 0.0, "ST": 0.0, "ST_conf": 0.0})
    si = sobol.analyze(_problem(names), Y, calc_second_order=second, num_resamples=num_resamples,
                       conf_level=conf_level, seed=seed or 1)  # SALib ignores seed 0
    return pd.DataFrame({"factor": names, **{k: np.asarray(si[k], dtype=float)
                                              for k in ("S1", "S1_conf", "ST", "ST_conf")}})


def morris_indices(results: pd.DataFrame, manifest: dict, outcome: str, year=None, *,
                   num_resamples: int = 1000, conf_level: float = 0.95, seed: int = 19910501) -> pd.DataFrame:
    """Morris elementary-effects screening of ``outcome`` in ``year``.

    ``mu_star`` is the mean absolute elementary effect (overall importance), ``sigma`` their standard
    deviation (non-linearity or interactions), ``mu_star_conf`` the bootstrap half-width of ``mu_star``
    at ``conf_level``.  Morris (1991) with the mu* measure of Campolongo et al. (2007), as implemented
    by :func:`SALib.analyze.morris.analyze`.  An elementary effect is the change in the outcome per
    step, divided by the step as a share of the factor's range, so effects are in outcome units per
    full range of the factor.  The design must be ``morris`` (points in order = SALib's trajectories;
    ``levels`` from the manifest, default 4); outcomes are means over replicates.  Columns:
    ``factor, mu, mu_star, mu_star_conf, sigma``.

    Morris, M. D. (1991). Factorial sampling plans for preliminary computational experiments.
    Technometrics 33(2):161-174, doi:10.1080/00401706.1991.10484804.
    Campolongo, F., Cariboni, J., Saltelli, A. (2007). An effective screening design for sensitivity
    analysis of large models. Environmental Modelling & Software 22(10):1509-1518,
    doi:10.1016/j.envsoft.2006.10.004.
    """
    from SALib.analyze import morris

    names, table = _design_matrix(results, manifest, outcome, year, "morris")
    specs = {f["name"]: f for f in manifest.get("factors", [])}
    cols = []
    for name in names:  # only the direction of each step is read from X; levels become their index
        col = table[name]
        if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
            order = list(specs.get(name, {}).get("values") or sorted(col.unique().tolist(), key=str))
            col = col.map({v: i for i, v in enumerate(order)})
        cols.append(col.to_numpy(dtype=float))
    X = np.column_stack(cols)
    Y = table[outcome].to_numpy(dtype=float)
    if len(Y) % (len(names) + 1):
        raise ValueError(f"{len(Y)} design points do not form Morris trajectories of {len(names)} factors")
    si = morris.analyze(_problem(names), X, Y, num_resamples=num_resamples, conf_level=conf_level,
                        num_levels=int(manifest.get("design", {}).get("levels", 4)), seed=seed)
    return pd.DataFrame({"factor": names, **{k: np.asarray(si[k], dtype=float)
                                              for k in ("mu", "mu_star", "mu_star_conf", "sigma")}})
