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
    commits/part-<first run_id>.json
                         the commit record of one batch: its run ids, its failures, and the size and
                         sha256 of its results and Lorenz parts

A batch is a fixed set of consecutive runs in the execution order (``batch_size`` of them), so
its part holds the same runs whatever the number of workers, and identical inputs give
byte-identical part files (no wall-clock times or host names are stored in them).  A batch is
committed by writing its Lorenz part, its results part, then (if it had failures) ``failures.parquet``,
each to a temporary file renamed into place, and last its commit record, which marks the batch as
done: a sweep killed at any moment resumes with whole batches.  Only parts that match their commit
record count (:func:`committed`): a resumed sweep runs a batch whose part is truncated, damaged or
missing again, ignores files of no batch (and says so), and rebuilds ``failures.parquet`` from the
records; :func:`status` and the loaders read verified parts only.  Only the coordinating process
writes; workers only compute.  Every reader (the analysis of :mod:`~ruralsim.experiments.analysis`,
``ruralsim plot``, a resumed sweep) goes through the loaders at the end of this module, and every
problem with a directory is one :class:`StoreError`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

FORMAT = 2  # 2: every batch has a commit record with the size and sha256 of its parts
MANIFEST, DESIGN, FAILURES, PARTS, LORENZ, COMMITS, LOCK = (
    "manifest.json", "design.parquet", "failures.parquet", "parts", "lorenz", "commits", ".lock")
INT_METRICS = ("year", "coop_active", "enterprise_active", "local_jobs", "workshop_jobs", "coop_failures",
               "enterprise_exits", "income_change_n", "income_change_autocov1_n", "income_change_autocov2_n")
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
    for folder in (out, out / PARTS, out / LORENZ, out / COMMITS):
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
    df = _read(_store(out) / DESIGN).to_pandas()
    return df.sort_values("run_id", kind="stable").reset_index(drop=True)


def _read(path: Path, columns=None) -> pa.Table:
    try:
        return pq.read_table(path, columns=columns)
    except (OSError, pa.ArrowException) as exc:
        raise StoreError(f"cannot read {path}: {' '.join(str(exc).split())}") from None


def _read_parts(files: list[Path], schema: pa.Schema, columns=None) -> pd.DataFrame:
    tables = [_read(f, columns) for f in files]
    if not tables:
        empty = schema if columns is None else pa.schema([schema.field(c) for c in columns])
        return empty.empty_table().to_pandas()
    return pa.concat_tables(tables).to_pandas()


def load_results(out, columns=None) -> pd.DataFrame:
    """The tidy annual table of every finished run (run_id, factors, replicate, seed, year, metrics),
    sorted by run_id then year.  ``columns`` reads only those columns (run_id and year always); names
    the store does not hold are left out, so ``name in table`` tells whether it has them.  Only verified
    parts are read (see :func:`committed`)."""
    out = _store(out)
    files = [out / PARTS / name for name in committed(out)]
    try:
        schema = pq.read_schema(files[0]) if files else pa.schema([("run_id", pa.int64()), ("year", pa.int64())])
    except (OSError, pa.ArrowException) as exc:
        raise StoreError(f"cannot read {files[0]}: {' '.join(str(exc).split())}") from None
    if columns is not None:
        columns = [c for c in dict.fromkeys(["run_id", "year", *columns]) if c in schema.names]
    df = _read_parts(files, schema, columns)
    return df.sort_values(["run_id", "year"], kind="stable").reset_index(drop=True)


def load_lorenz(out) -> pd.DataFrame:
    """Final-year Lorenz curves of the finished runs: run_id, population_share, income_share."""
    out = _store(out)
    files = [out / LORENZ / name for name in committed(out) if (out / LORENZ / name).is_file()]
    df = _read_parts(files, LORENZ_SCHEMA)
    return df.sort_values(["run_id", "population_share"], kind="stable").reset_index(drop=True)


def load_failures(out) -> pd.DataFrame:
    """Runs that raised: run_id, error (empty when none failed)."""
    path = _store(out) / FAILURES
    df = _read(path).to_pandas() if path.is_file() else FAILURES_SCHEMA.empty_table().to_pandas()
    return df.sort_values("run_id", kind="stable").reset_index(drop=True)


def status(out) -> dict:
    """How far a sweep has got: runs, done (finished or failed), failed, parts, batches, complete; only
    verified parts count."""
    manifest = load_manifest(out)
    out = Path(out)
    runs, size = int(manifest["runs"]), int(manifest["batch_size"])
    batches = manifest["batches"]
    records = committed(out, manifest)
    if int(manifest.get("format", 1)) >= 2:
        done = sum(len(r["run_ids"]) for r in records.values())
        failed = sum(len(r["failures"]) for r in records.values())
    else:  # written before parts were checksummed: every part counts
        done = len(records) * size
        if batches["count"] and part_name(batches["last_first_run_id"], runs) in records:
            done -= size - int(batches["last_runs"])
        failed = len(load_failures(out))
    return {"runs": runs, "done": done, "failed": failed, "parts": len(records),
            "batches": int(batches["count"]), "complete": len(records) == int(batches["count"])}


# -- commit records: what makes a part count ----------------------------------------------------------
def digest(path: Path) -> dict:
    """Size and sha256 of a file."""
    data = Path(path).read_bytes()
    return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def record_path(out: Path, name: str) -> Path:
    return Path(out) / COMMITS / name.replace(".parquet", ".json")


def write_record(out: Path, name: str, run_ids, failures: dict) -> None:
    """Commit a batch whose parts are written: its run ids, failures, and the size and sha256 of its parts."""
    out = Path(out)
    files = {f"{folder}/{name}": digest(out / folder / name) for folder in (PARTS, LORENZ)}
    write_json({"part": name, "run_ids": [int(r) for r in run_ids],
                "failures": {str(int(r)): failures[r] for r in sorted(failures) if r in set(map(int, run_ids))},
                "files": files}, record_path(out, name))


def check_batch(out: Path, name: str) -> tuple[dict | None, str | None]:
    """``(record, None)`` if batch ``name`` is committed and its parts match their record; else
    ``(None, why)`` (``why`` None when the batch was simply never committed)."""
    out = Path(out)
    path = record_path(out, name)
    if not path.is_file():
        return None, None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        files, run_ids, failures = record["files"], record["run_ids"], record["failures"]
        whole = record["part"] == name and isinstance(run_ids, list) and isinstance(failures, dict)
    except (OSError, ValueError, KeyError, TypeError):
        whole = False
    if not whole:  # checked without assert, which python -O removes
        return None, f"{path} is unreadable or incomplete"
    for rel, want in files.items():
        f = out / rel
        if not f.is_file():
            return None, f"{f} is missing"
        got = digest(f)
        if got["bytes"] != want.get("bytes"):
            return None, f"{f} has {got['bytes']} bytes, its commit record says {want.get('bytes')}"
        if got["sha256"] != want.get("sha256"):
            return None, f"{f} does not match the sha256 in its commit record (damaged)"
    return record, None


def committed(out, manifest: dict | None = None) -> dict[str, dict]:
    """The batches whose parts are verified, by part name (stores of format 1, written before parts had
    commit records: every part present)."""
    out = Path(out)
    manifest = manifest if manifest is not None else load_manifest(out)
    if int(manifest.get("format", 1)) < 2:
        return {p.name: {} for p in _parts(out / PARTS)}
    names = sorted(p.stem + ".parquet" for p in (out / COMMITS).glob("part-*.json")) if (out / COMMITS).is_dir() else []
    runs, seen, good = int(manifest.get("runs", 0)), set(), {}
    for n in names:  # a record of runs outside the sweep, or of runs another record holds, is not counted
        r = check_batch(out, n)[0]
        ids = set(r["run_ids"]) if r is not None else set()
        if r is not None and not ids & seen and all(isinstance(i, int) and 0 <= i < runs for i in ids):
            good[n] = r
            seen |= ids
    return good


def strays(out: Path, names: set[str]) -> list[Path]:
    """Files in the part folders that belong to no batch of the sweep (``names``: its part names)."""
    out = Path(out)
    found = [p for folder in (PARTS, LORENZ) for p in _parts(out / folder) if p.name not in names]
    if (out / COMMITS).is_dir():
        found += [p for p in sorted((out / COMMITS).glob("part-*.json")) if p.stem + ".parquet" not in names]
    return found


read_table = _read  # a Parquet file of the store, or a StoreError naming it
