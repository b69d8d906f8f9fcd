"""The output directory of a subcommand: checked before the run, named when not given, and written
atomically (a temporary directory beside it, renamed into place), so a failed or interrupted run
leaves no partial output."""

from __future__ import annotations

import datetime as _dt
import os
import re
import shutil
import tempfile
from pathlib import Path

from .cli_options import CliError


def check_out(out: Path, force: bool) -> None:
    """Refuse an output path that is a file, a non-empty directory (unless ``force``) or holds the cwd."""
    if out.exists() or out.is_symlink():
        if not out.is_dir():
            raise CliError(f"output path exists and is not a directory: {out}")
        if any(out.iterdir()) and not force:
            raise CliError(f"output directory is not empty: {out} (use --force to replace it)")
        cwd = Path.cwd().resolve()
        if out.resolve() == cwd or out.resolve() in cwd.parents:
            raise CliError(f"refusing to replace {out}: it contains the current directory")


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


def write_atomically(out: Path, force: bool, write) -> None:
    """Call ``write(tmp)`` on a fresh directory beside ``out``, then rename it to ``out``."""
    check_out(out, force)  # again: something may have appeared during the run
    parent = out.parent
    created = []
    for p in reversed([parent, *parent.parents]):
        if not p.exists():
            created.append(p)
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=parent))
    old = None
    try:
        write(tmp)
        os.chmod(tmp, 0o777 & ~_umask())
        if out.exists() or out.is_symlink():
            if out.is_dir() and not out.is_symlink() and not any(out.iterdir()):
                out.rmdir()
            else:  # --force: move the old one aside, put the new one in place, then delete the old one
                old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=parent))
                os.rename(out, old / "previous")
        os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and (old / "previous").exists() and not out.exists():
            os.rename(old / "previous", out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        for p in reversed(created):  # directories this run created, deepest first, if still empty
            try:
                p.rmdir()
            except OSError:
                break
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
