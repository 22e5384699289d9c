"""The Celery layer imports in one direction: limits and holders, tasks, digest tasks, the app.

The import graph is read from the source (imports inside functions included), so a cycle
hidden behind a late import fails here too.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("corpus", "worker", "bot", "newsbrief")
CELERY_MODULES = (
    "worker.limits",
    "worker.per_process",
    "worker.tasks",
    "worker.digest_tasks",
    "worker.celery_app",
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The project modules ``path`` imports, anywhere in its body."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {module for module in found if module in modules and module != name}


def _import_graph() -> dict[str, set[str]]:
    paths = [p for package in PACKAGES for p in (ROOT / package).rglob("*.py")]
    paths = [p for p in paths if "migrations" not in p.parts]
    modules = {_module_name(p) for p in paths}
    return {_module_name(p): _imports(p, modules) for p in paths}


def _path_back(graph: dict[str, set[str]], start: str) -> list[str] | None:
    """An import path from ``start`` back to itself, or None."""
    stack = [(start, [start])]
    seen: set[str] = set()
    while stack:
        module, path = stack.pop()
        for imported in sorted(graph.get(module, ())):
            if imported == start:
                return [*path, start]
            if imported not in seen:
                seen.add(imported)
                stack.append((imported, [*path, imported]))
    return None


def test_no_celery_module_takes_part_in_an_import_cycle() -> None:
    """No worker Celery module imports, through any chain, a module that imports it back."""
    graph = _import_graph()
    cycles = {m: _path_back(graph, m) for m in CELERY_MODULES}
    assert {m: " -> ".join(p) for m, p in cycles.items() if p} == {}


def test_limits_and_holders_are_leaves_and_jobs_are_plain_data() -> None:
    """``worker.limits`` and ``worker.per_process`` import no worker module; jobs none at all."""
    graph = _import_graph()
    assert {m for m in graph["worker.limits"] if m.startswith("worker")} == set()
    assert {m for m in graph["worker.per_process"] if m.startswith("worker")} == set()
    assert graph["corpus.jobs"] == set()


@pytest.mark.parametrize("module", CELERY_MODULES)
def test_each_celery_module_imports_alone_in_a_fresh_interpreter(module: str) -> None:
    """Importing any one of them first works; the leaves load none of the others or celery."""
    code = (
        f"import json, sys, {module}\n"
        f"others = [m for m in {CELERY_MODULES!r} if m in sys.modules and m != {module!r}]\n"
        "print(json.dumps([others, 'celery' in sys.modules]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    others, celery_loaded = json.loads(done.stdout.splitlines()[-1])
    if module in ("worker.limits", "worker.per_process"):
        assert (others, celery_loaded) == ([], False)
