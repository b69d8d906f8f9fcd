"""The output directory of a subcommand: checked before the run, named when not given, and written
atomically, so a failed, interrupted or concurrent run never leaves a partial output nor destroys one.

What is guaranteed (see also the README):

* before anything is simulated, ``--out`` is checked: not a file, empty or absent (or, with ``--force``,
  an earlier output of the same command, recognised by its ``run.json``, ``compare.json``,
  ``validation.csv`` or ``fit.json``), and its parent (or the nearest existing ancestor) is writable;
* the files are written into ``.<name>.partial-<pid>-*`` beside ``--out`` and renamed into place while
  an OS lock (``flock`` on ``.<name>.lock`` beside it) is held, with a rename that never replaces a
  folder that appeared meanwhile (``renameat2(RENAME_NOREPLACE)`` on Linux): a second writer of the
  same ``--out`` gets a one-line error and deletes nothing;
* ``--force`` moves the earlier output aside (``.<name>.old-<pid>-*``) and deletes it only once the new
  one is in place, keeping the folder's permissions; a run killed midway leaves these folders behind,
  and the next run beside them removes them (restoring an earlier output that was moved aside) once
  the process named in them is gone.
"""

from __future__ import annotations

import ctypes
import datetime as _dt
import errno
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from .cli_options import CliError

#: What identifies an earlier output of each command (any one of the files).
MARKERS = {"run": ("run.json",), "compare": ("compare.json",), "validate": ("validation.csv",),
           "calibrate": ("fit.json",)}
ALL_MARKERS = tuple(m for ms in MARKERS.values() for m in ms)
LOCK_WAIT = 30.0  # seconds a writer waits for another writer of the same --out before giving up


def check_out(out: Path, force: bool, kind: str | None = None) -> None:
    """Refuse, before any work, an output path that is a file, a non-empty directory (unless ``force``
    and it is an earlier output of command ``kind``; of any command when ``kind`` is None), holds the
    cwd, or whose parent cannot be created or written."""
    if out.is_symlink():
        raise CliError(f"output path is a symbolic link: {out} (give the real directory)")
    if out.exists():
        if not out.is_dir():
            raise CliError(f"output path exists and is not a directory: {out}")
        cwd = Path.cwd().resolve()
        if out.resolve() == cwd or out.resolve() in cwd.parents:
            raise CliError(f"refusing to replace {out}: it contains the current directory")
        if any(out.iterdir()):
            if not force:
                raise CliError(f"output directory is not empty: {out} (use --force to replace it)")
            _check_replaceable(out, MARKERS[kind] if kind else ALL_MARKERS)
    check_parent(out.parent)
    _clean_stale(out, wait=False)


def check_parent(parent: Path) -> None:
    """The folder an output goes into must be writable, or creatable in a writable ancestor."""
    p = Path(parent)
    while not (p.exists() or p.is_symlink()):
        if p.parent == p:
            break
        p = p.parent
    if p.exists() and not p.is_dir():
        raise CliError(f"cannot create the output directory: {p} is not a directory")
    if not os.access(p, os.W_OK | os.X_OK):
        raise CliError(f"cannot write the output directory: no write permission in {p.resolve()}")


def _check_replaceable(out: Path, markers) -> None:
    if not any((out / m).is_file() for m in markers):
        names = " or ".join(markers)
        raise CliError(f"refusing to replace {out}: it is not an earlier output of this command (no {names}); "
                       "remove it yourself or choose another --out")


def default_out(name: str) -> Path:
    """``results/<name>-<YYYYmmdd-HHMMSS>``, with a suffix when that exists already."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "scenario"
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = Path("results") / f"{safe}-{stamp}"
    k = 1
    while out.exists():
        k += 1
        out = Path("results") / f"{safe}-{stamp}-{k}"
    return out


def write_atomically(out: Path, force: bool, write, kind: str | None = None) -> None:
    """Call ``write(tmp)`` on a fresh directory beside ``out``, then rename it to ``out``, holding the
    lock of ``out``; ``kind`` (else guessed from the files written) names the command whose earlier
    outputs ``force`` may replace."""
    parent = out.parent
    check_parent(parent)
    created = [p for p in reversed([parent, *parent.parents]) if not p.exists()]
    parent.mkdir(parents=True, exist_ok=True)
    lock = None
    tmp = old = None
    try:
        lock = _lock(out, wait=LOCK_WAIT)
        _clean_stale(out, wait=None)
        check_out(out, force, kind)  # again, under the lock: something may have appeared during the run
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-{os.getpid()}-", dir=parent))
        write(tmp)
        markers = MARKERS[kind] if kind else tuple(m for m in ALL_MARKERS if (tmp / m).is_file()) or ALL_MARKERS
        mode = 0o777 & ~_umask()
        if out.exists() or out.is_symlink():
            mode = out.stat().st_mode & 0o7777  # the folder replaced keeps its permissions
            if any(out.iterdir()):  # --force (checked above): move the earlier output aside
                old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-{os.getpid()}-", dir=parent))
                os.rename(out, old / "previous")
                if not any((old / "previous" / m).is_file() for m in markers):
                    _rename_noreplace(old / "previous", out)
                    _check_replaceable(out, markers)
            else:
                try:
                    out.rmdir()
                except OSError:
                    raise _raced(out) from None
        os.chmod(tmp, mode)
        _rename_noreplace(tmp, out)
        tmp = None
    except BaseException:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and (old / "previous").exists() and not (out.exists() or out.is_symlink()):
            os.rename(old / "previous", out)
        if old is not None and not (old / "previous").exists():
            shutil.rmtree(old, ignore_errors=True)
        _unlock(lock)
        lock = None
        for p in reversed(created):  # directories this run created, deepest first, if still empty
            try:
                p.rmdir()
            except OSError:
                break
        raise
    finally:
        _unlock(lock)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _raced(out: Path) -> CliError:
    return CliError(f"{out} appeared while this run was writing it (another run?); it was left as it is "
                    "and nothing was written")


# --- the lock ---------------------------------------------------------------------------------------

def _lock_path(out: Path) -> Path:
    return out.parent / f".{out.name}.lock"


def _lock(out: Path, wait: float | None):
    """An exclusive ``flock`` on ``.<name>.lock`` beside ``out``: (fd, path), or None when ``wait``
    is False and another process holds it. Raises CliError after waiting ``wait`` seconds."""
    import fcntl

    path = _lock_path(out)
    deadline = time.monotonic() + (wait or 0.0)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if wait is False or time.monotonic() > deadline:
                if wait is False:
                    return None
                raise CliError(f"another process is writing {out} (lock {path} held for {wait:.0f} s); "
                               "nothing was written") from None
            time.sleep(0.1)
            continue
        try:  # the lock file may have been removed by its previous holder: lock the one on disk
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                return fd, path
        except FileNotFoundError:
            pass
        os.close(fd)


def _unlock(lock) -> None:
    if lock is None:
        return
    fd, path = lock
    try:
        if os.path.exists(path) and os.stat(path).st_ino == os.fstat(fd).st_ino:
            os.unlink(path)  # while still holding it; waiters notice the file is gone and retry
    except OSError:
        pass
    os.close(fd)


def _clean_stale(out: Path, wait) -> None:
    """Remove ``.<name>.partial-<pid>-*`` and ``.<name>.old-<pid>-*`` folders beside ``out`` whose
    process is gone (restoring an earlier output moved aside by a run killed before it finished).
    ``wait=False``: only when the lock is free; ``wait=None``: the caller holds it already."""
    parent = out.parent
    if not parent.is_dir():
        return
    pattern = re.compile(rf"^\.{re.escape(out.name)}\.(partial|old)-(\d+)-")
    try:
        stale = [(p, m) for p in parent.iterdir() if (m := pattern.match(p.name)) and not _alive(int(m.group(2)))]
    except OSError:
        return
    if not stale:
        return
    fd = _lock(out, wait=False) if wait is False else None
    if wait is False and fd is None:
        return
    try:
        for p, m in stale:
            previous = p / "previous"
            if m.group(1) == "old" and previous.is_dir() and not (out.exists() or out.is_symlink()):
                try:
                    _rename_noreplace(previous, out)
                except (OSError, CliError):
                    continue
            shutil.rmtree(p, ignore_errors=True)
    finally:
        _unlock(fd)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- a rename that never replaces -------------------------------------------------------------------

_RENAME_NOREPLACE = 1
_AT_FDCWD = -100


def _renameat2():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return fn


_RENAMEAT2 = _renameat2()


def _rename_noreplace(src: Path, dst: Path) -> None:
    """Rename ``src`` to ``dst``, failing (CliError) if ``dst`` exists, even if it appeared just now."""
    if _RENAMEAT2 is not None:
        rc = _RENAMEAT2(_AT_FDCWD, os.fsencode(src), _AT_FDCWD, os.fsencode(dst), _RENAME_NOREPLACE)
        if rc == 0:
            return
        err = ctypes.get_errno()
        if err == errno.EEXIST:
            raise _raced(dst)
        if err not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):  # the file system cannot: fall back below
            raise OSError(err, os.strerror(err), str(dst))
    if dst.exists() or dst.is_symlink():
        raise _raced(dst)
    os.rename(src, dst)  # under the lock: only a process not using it can race here


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
