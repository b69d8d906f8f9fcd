"""The house rules: three layers under one namespace, imports going one way, small modules.

``ruralsim.model`` (the simulation) imports nothing from ``ruralsim.experiments`` or ``ruralsim.app``;
``ruralsim.experiments`` imports nothing from ``ruralsim.app``.  Every import is read from the source
with :mod:`ast` (also imports inside functions), so a test fails as soon as an import goes up.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = {"model": 0, "experiments": 1, "app": 2}  # folder -> rank: a module imports only ranks <= its own
MAX_LINES = 400


def _modules():
    for folder in LAYERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield folder, path


def _imported(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in a file; relative imports resolved."""
    rel = path.relative_to(ROOT).with_suffix("")
    package = ["ruralsim", *rel.parts[:-1]] if rel.name != "__init__" else ["ruralsim", *rel.parts[:-1]]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            out.append((node.lineno, name))
            out += [(node.lineno, f"{name}.{a.name}") for a in node.names if name == "ruralsim"]
    return out


def _layer_of(module: str):
    parts = module.split(".")
    if parts[0] in LAYERS:  # a bare top-level `model` / `experiments` / `app`: not the installed namespace
        return "bare", parts[0]
    if parts[0] == "ruralsim" and len(parts) > 1 and parts[1] in LAYERS:
        return "ruralsim", parts[1]
    return None, None


def test_imports_go_one_way_under_one_namespace():
    problems = []
    for folder, path in _modules():
        for line, module in _imported(path):
            kind, layer = _layer_of(module)
            where = f"{path.relative_to(ROOT)}:{line} imports {module}"
            if kind == "bare":
                problems.append(f"{where} (import it as ruralsim.{module})")
            elif kind == "ruralsim" and LAYERS[layer] > LAYERS[folder]:
                problems.append(f"{where} ({folder} is below {layer})")
    assert not problems, "\n".join(problems)


def test_the_layer_check_catches_an_upward_import(tmp_path):
    """The checker itself: a model module importing the experiments layer is reported."""
    fake = ROOT / "model" / "_layer_probe.py"
    try:
        fake.write_text("from ruralsim.experiments import compare\nfrom ..app import cli\n", encoding="utf-8")
        found = [m for _, m in _imported(fake)]
        assert "ruralsim.experiments" in found and "ruralsim.app" in found
        with pytest.raises(AssertionError, match="model is below experiments"):
            test_imports_go_one_way_under_one_namespace()
    finally:
        fake.unlink()


def test_modules_are_small():
    """One concept per file: no module over about 400 lines (Mesa's core files median about 190)."""
    long = [f"{p.relative_to(ROOT)}: {n} lines" for _, p in _modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert not long, "\n".join(long)


def test_installed_package_has_no_generic_top_level_name(tmp_path):
    """Outside the repository, `import ruralsim` works and `import model` / `import experiments` do not."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    code = ("import importlib.util, ruralsim, ruralsim.model, ruralsim.experiments, ruralsim.app;"
            "print([importlib.util.find_spec(n) is None for n in ('model', 'experiments', 'app')])")
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[True, True, True]"


def test_verbs():
    import ruralsim

    for verb in ("RuralEconomy", "load_scenario", "run", "compare", "sweep", "validate", "calibrate",
                 "replicate_seeds"):
        assert callable(getattr(ruralsim, verb)), verb
    with pytest.raises(AttributeError):
        ruralsim.no_such_verb  # noqa: B018


def test_package_root_imports_nothing_under_another_name():
    """pytest imports the ``__init__.py`` of the checkout's folder under the folder's own name (which
    may not be a Python name, e.g. ``rural-sim``): that must neither fail nor load a second copy."""
    import importlib.util

    before = set(sys.modules)
    spec = importlib.util.spec_from_file_location("rural-sim", ROOT / "__init__.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert not {m for m in set(sys.modules) - before if m.startswith("rural-sim")}
    assert callable(module.run)  # the verbs still resolve, through the installed namespace
