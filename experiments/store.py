"""The results store of a sweep: Parquet parts streamed to disk, a manifest, and loaders.

Layout of ``DIR``::

    manifest.json        spec hash, resolved spec, design (method, options, SALib problem), factors
                         with kinds and ranges or values, seeds (root and replicate seeds), runs,
                         package versions, git commit
    design.parquet       run_id, one column per factor, replicate, seed (every run of the sweep)
    parts/part-<first run_id>.parquet
                         the tidy annual table of one batch of runs: run_id, factors, replicate,
                         seed, year, then the outcome metrics
    lorenz/part-<first run_id>.parquet
                         run_id, population_share, income_share: 21 points of each run's final-year
                         person-weighted Lorenz curve
    failures.parquet     run_id, error: runs that raised (the sweep went on)

A batch is a fixed set of consecutive runs in the execution order (``batch_size`` of them), so
its part holds the same runs whatever the number of workers, and identical inputs give
byte-identical part files (no wall-clock times or host names are stored in them).  A batch is
committed by writing its Lorenz part, then (if it had failures) ``failures.parquet``, then its
results part, each to a temporary file renamed into place; the results part marks the batch as
done, so a sweep killed at any moment resumes with whole batches.  Only the coordinating process
writes; workers only compute.  Every reader (the analysis of :mod:`~ruralsim.experiments.analysis`,
``ruralsim plot``, a resumed sweep) goes through the loaders at the end of this module, and every
problem with a directory is one :class:`StoreError`.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

FORMAT = 1
MANIFEST, DESIGN, FAILURES, PARTS, LORENZ, LOCK = (
    "manifest.json", "design.parquet", "failures.parquet", "parts", "lorenz", ".lock")
INT_METRICS = ("year", "coop_active", "enterprise_active")
LORENZ_POINTS = 21
_TYPES = {"int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_(), "string": pa.string()}


class StoreError(Exception):
    """A directory is not a usable results store (one-line message)."""


# -- writing ---------------------------------------------------------------------------------------
def _replace(tmp: Path, path: Path) -> None:
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _temporary(path: Path) -> Path:
    """A hidden name beside ``path`` that no reader globbing ``*.parquet`` or ``part-*`` picks up."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write ``table`` to ``path`` atomically (a temporary file beside it, then a rename)."""
    path = Path(path)
    tmp = _temporary(path)
    pq.write_table(table, tmp, compression="zstd")
    _replace(tmp, path)


def write_json(obj, path: Path) -> None:
    path = Path(path)
    tmp = _temporary(path)
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(obj, fh, indent=2, ensure_ascii=False, sort_keys=False)
        fh.write("\n")
    _replace(tmp, path)


def remove_temporary(out: Path) -> None:
    """Delete temporary files left by a killed sweep."""
    for folder in (out, out / PARTS, out / LORENZ):
        if folder.is_dir():
            for p in folder.glob(".*.tmp"):
                p.unlink(missing_ok=True)


def part_name(first_run_id: int, n_runs: int) -> str:
    width = max(6, len(str(max(n_runs - 1, 0))))
    return f"part-{first_run_id:0{width}d}.parquet"


# -- schemas and tables --------------------------------------------------------------------------------
def factor_fields(spec) -> list[pa.Field]:
    return [pa.field(f.name, _TYPES[f.column_type]) for f in spec.factors]


def design_schema(spec) -> pa.Schema:
    return pa.schema([pa.field("run_id", pa.int64()), *factor_fields(spec), pa.field("replicate", pa.int64()),
                      pa.field("seed", pa.int64())])


def results_schema(spec) -> pa.Schema:
    metrics = [pa.field(m, pa.int64() if m in INT_METRICS else pa.float64()) for m in spec.outcomes]
    return pa.schema([*design_schema(spec), pa.field("year", pa.int64()), *metrics])


LORENZ_SCHEMA = pa.schema([pa.field("run_id", pa.int64()), pa.field("population_share", pa.float64()),
                           pa.field("income_share", pa.float64())])
FAILURES_SCHEMA = pa.schema([pa.field("run_id", pa.int64()), pa.field("error", pa.string())])


def design_table(spec, points: list[dict], seeds: list[int]) -> pa.Table:
    """Every run: run_id = point * replicates + replicate, sorted by run_id."""
    r = spec.replicates
    n = len(points) * r
    point = np.arange(n) // r
    cols = {"run_id": np.arange(n, dtype=np.int64)}
    for f in spec.factors:
        cols[f.name] = [points[p][f.name] for p in point]
    cols["replicate"] = np.tile(np.arange(r, dtype=np.int64), len(points))
    cols["seed"] = np.array([seeds[k] for k in cols["replicate"]], dtype=np.int64)
    return pa.table(cols, schema=design_schema(spec))


def results_table(spec, runs: list[dict]) -> pa.Table:
    """The tidy rows of finished runs (each a dict: run_id, values, replicate, seed, columns)."""
    schema = results_schema(spec)
    data = {name: [] for name in schema.names}
    for run in sorted(runs, key=lambda x: x["run_id"]):
        cols = run["columns"]
        k = len(cols["year"])
        data["run_id"].extend([run["run_id"]] * k)
        for f in spec.factors:
            data[f.name].extend([run["values"][f.name]] * k)
        data["replicate"].extend([run["replicate"]] * k)
        data["seed"].extend([run["seed"]] * k)
        for m in ("year", *spec.outcomes):
            data[m].extend(np.asarray(cols[m]).tolist())
    arrays = []
    for fld in schema:
        values = data[fld.name]
        if pa.types.is_floating(fld.type):
            values = np.asarray(values, dtype=np.float64)
        elif pa.types.is_integer(fld.type) and fld.name in INT_METRICS:
            values = np.asarray(values, dtype=np.int64)
        arrays.append(pa.array(values, type=fld.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def lorenz_table(runs: list[dict]) -> pa.Table:
    runs = sorted(runs, key=lambda x: x["run_id"])
    grid = np.linspace(0.0, 1.0, LORENZ_POINTS)
    return pa.Table.from_arrays([
        pa.array(np.repeat([r["run_id"] for r in runs], LORENZ_POINTS).astype(np.int64), pa.int64()),
        pa.array(np.tile(grid, len(runs)), pa.float64()),
        pa.array(np.concatenate([np.asarray(r["lorenz"], dtype=np.float64) for r in runs]) if runs
                 else np.zeros(0), pa.float64()),
    ], schema=LORENZ_SCHEMA)


def failures_table(failures: dict[int, str]) -> pa.Table:
    ids = sorted(failures)
    return pa.Table.from_arrays([pa.array(ids, pa.int64()), pa.array([failures[i] for i in ids], pa.string())],
                                schema=FAILURES_SCHEMA)


# -- a lock, so that two sweeps never write into one directory ---------------------------------------
@contextlib.contextmanager
def locked(out: Path):
    """Hold an exclusive lock on ``out/.lock`` (released when the process ends, even by SIGKILL)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    fh = open(Path(out) / LOCK, "a+")
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise StoreError(f"another sweep is writing to {out}; wait for it to finish") from None
        yield
    finally:
        fh.close()


# -- reading -----------------------------------------------------------------------------------------
def _store(out) -> Path:
    out = Path(out)
    if not out.is_dir():
        raise StoreError(f"results directory not found: {out}")
    if not (out / MANIFEST).is_file():
        raise StoreError(f"not a sweep results directory (no {MANIFEST}): {out}")
    return out


def _parts(folder: Path) -> list[Path]:
    return sorted(folder.glob("part-*.parquet")) if folder.is_dir() else []


def load_manifest(out) -> dict:
    """The sweep's ``manifest.json`` as a dict."""
    path = _store(out) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"cannot read {path}: {exc}") from None


def load_design(out) -> pd.DataFrame:
    """Every run of the sweep (finished or not): run_id, factors, replicate, seed; sorted by run_id."""
    return pd.read_parquet(_store(out) / DESIGN).sort_values("run_id", kind="stable").reset_index(drop=True)


def _read_parts(files: list[Path], schema: pa.Schema, columns=None) -> pd.DataFrame:
    tables = [pq.read_table(f, columns=columns) for f in files]
    if not tables:
        empty = schema if columns is None else pa.schema([schema.field(c) for c in columns])
        return empty.empty_table().to_pandas()
    return pa.concat_tables(tables).to_pandas()


def load_results(out, columns=None) -> pd.DataFrame:
    """The tidy annual table of every finished run (run_id, factors, replicate, seed, year, metrics),
    sorted by run_id then year.  ``columns`` reads only those columns (run_id and year always); names
    the store does not hold are left out, so ``name in table`` tells whether it has them."""
    out = _store(out)
    files = _parts(out / PARTS)
    schema = pq.read_schema(files[0]) if files else pa.schema([("run_id", pa.int64()), ("year", pa.int64())])
    if columns is not None:
        columns = [c for c in dict.fromkeys(["run_id", "year", *columns]) if c in schema.names]
    df = _read_parts(files, schema, columns)
    return df.sort_values(["run_id", "year"], kind="stable").reset_index(drop=True)


def load_lorenz(out) -> pd.DataFrame:
    """Final-year Lorenz curves of the finished runs: run_id, population_share, income_share."""
    out = _store(out)
    done = {p.name for p in _parts(out / PARTS)}
    files = [p for p in _parts(out / LORENZ) if p.name in done]  # a batch counts once its results are in
    df = _read_parts(files, LORENZ_SCHEMA)
    return df.sort_values(["run_id", "population_share"], kind="stable").reset_index(drop=True)


def load_failures(out) -> pd.DataFrame:
    """Runs that raised: run_id, error (empty when none failed)."""
    path = _store(out) / FAILURES
    df = pq.read_table(path).to_pandas() if path.is_file() else FAILURES_SCHEMA.empty_table().to_pandas()
    return df.sort_values("run_id", kind="stable").reset_index(drop=True)


def status(out) -> dict:
    """How far a sweep has got: runs, done (finished or failed), failed, parts, batches, complete."""
    manifest = load_manifest(out)
    out = Path(out)
    runs, size = int(manifest["runs"]), int(manifest["batch_size"])
    batches = manifest["batches"]
    names = {p.name for p in _parts(out / PARTS)}
    done = len(names) * size
    if batches["count"] and part_name(batches["last_first_run_id"], runs) in names:
        done -= size - int(batches["last_runs"])
    return {"runs": runs, "done": done, "failed": len(load_failures(out)), "parts": len(names),
            "batches": int(batches["count"]), "complete": len(names) == int(batches["count"])}
