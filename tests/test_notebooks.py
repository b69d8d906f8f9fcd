"""The teaching notebooks: stored clean, and run top to bottom.

Every notebook in ``notebooks/`` is checked for the conventions of the series (outputs cleared, a
"you will learn" statement, two or three exercises at the end) and executed with nbclient in a
fresh kernel of *this* interpreter (a kernel spec written to a temporary directory, so a user's
own ``python3`` kernel pointing at another Python is never used).  A notebook fails on any
error, and must finish within the CI limit of 3 minutes.

Run only these tests with ``python -m pytest tests/test_notebooks.py -v -s`` (``-s`` prints the
time each notebook takes).
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
EXPECTED = [  # the series, in its teaching order (notebooks/README.md)
    "01_first_run", "02_how_the_model_works", "03_withdrawing_support",
    "04_enterprise_cooperative_farmer_chain", "05_education_and_motivation", "06_experiments",
    "07_inequality",
]
LIMIT_S = 180  # per notebook, so that CI runs them all in a few minutes
KERNEL = "ruralsim-test"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _markdown(nb: dict) -> list[str]:
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb["cells"] if c["cell_type"] == "markdown"]


def test_every_notebook_of_the_series_exists_and_is_listed_in_the_readme():
    names = [p.stem for p in PATHS]
    missing = [n for n in EXPECTED if n not in names]
    assert not missing, f"notebooks/ lacks {missing} (the series)"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Notebooks", 1)
    assert len(section) == 2, "README.md has no '## Notebooks' section"
    unlisted = [n for n in names if f"{n}.ipynb" not in section[1]]
    assert not unlisted, f"README.md's Notebooks section does not list {unlisted}"


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_is_stored_clean_and_follows_the_conventions(path):
    nb = _read(path)
    assert nb.get("nbformat") == 4
    dirty = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
             and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, f"{path.name}: cells {dirty} have stored outputs or execution counts; clear them"
    md = _markdown(nb)
    assert any(re.search(r"you will learn", text, re.IGNORECASE) for text in md), \
        f"{path.name}: no markdown cell says what 'you will learn'"
    heading = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "markdown"
               and re.search(r"^#+\s*Exercises", "".join(c["source"]), re.MULTILINE)]
    assert heading, f"{path.name}: no '## Exercises' section"
    tail = nb["cells"][heading[-1]:]
    assert all(c["cell_type"] == "markdown" for c in tail), f"{path.name}: code after the exercises"
    items = re.findall(r"^\s*\d+\.\s", "\n".join("".join(c["source"]) for c in tail), re.MULTILINE)
    assert 2 <= len(items) <= 3, f"{path.name}: {len(items)} numbered exercises; every notebook ends with two or three"
    assert nb["metadata"].get("kernelspec", {}).get("language") == "python"


def _require(name: str):
    """Import a package the notebook tests need; fail (not skip) without it: the test extra declares it."""
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]' (it runs the notebooks)")


@pytest.fixture(scope="module")
def kernel_manager_class(tmp_path_factory):
    """A kernel manager class whose only kernel spec, 'ruralsim-test', runs the test's own interpreter.

    The spec lives in a temporary directory, so neither a user's ``python3`` kernel (which may point
    at another Python) nor any other installed kernel is used.  nbclient creates (and therefore shuts
    down) the kernel itself."""
    _require("ipykernel")
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    kernels = tmp_path_factory.mktemp("kernels")
    spec_dir = kernels / KERNEL
    spec_dir.mkdir()
    spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": f"ruralsim tests ({sys.executable})", "language": "python"}
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")

    class OwnKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("kernel_spec_manager", KernelSpecManager(kernel_dirs=[str(kernels)]))
            super().__init__(**kwargs)

    return OwnKernelManager


@pytest.mark.slow
@pytest.mark.timeout(LIMIT_S + 120)
@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_runs_top_to_bottom(path, kernel_manager_class, tmp_path, monkeypatch):
    nbformat, nbclient = _require("nbformat"), _require("nbclient")

    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    monkeypatch.setenv("MPLBACKEND", "Agg")  # the notebooks switch to inline themselves
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))  # no user profile or startup files
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # anything a notebook leaves in the temp folder stays in pytest's
    client = nbclient.NotebookClient(nb, kernel_name=KERNEL, kernel_manager_class=kernel_manager_class,
                                     timeout=LIMIT_S, allow_errors=False,
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    start = time.perf_counter()
    client.execute()  # raises CellExecutionError (naming the cell) on any error
    elapsed = time.perf_counter() - start
    print(f"\n{path.name}: {elapsed:.1f} s")
    assert elapsed < LIMIT_S, f"{path.name} took {elapsed:.0f} s; the limit is {LIMIT_S} s"
    images = sum(1 for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                 if "image/png" in o.get("data", {}))
    assert images > 0, f"{path.name} ran but showed no figure (is '%matplotlib inline' in its first cell?)"
