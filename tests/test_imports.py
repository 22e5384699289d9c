"""Import rules for the tests and benchmarks: shared helpers live in ``testing/``, nowhere else."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    """Every module a file imports (at any depth), with its line; relative ones start with '.'."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            yield node.lineno, "." * node.level + (node.module or "")


def _offending(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        for line, module in _imports(path):
            top = module.split(".")[0]
            if module.startswith(".") or top in forbidden:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return found


def test_no_test_module_imports_another() -> None:
    """Modules under tests/ import no module of tests/; shared helpers come from testing/."""
    assert _offending("tests", ("tests",)) == []


@pytest.mark.parametrize("folder", ["bench", "testing"])
def test_bench_and_testing_do_not_import_tests(folder: str) -> None:
    """bench/ and testing/ import nothing from tests/ (relative imports included)."""
    assert _offending(folder, ("tests",)) == []


def test_testing_does_not_import_bench() -> None:
    """testing/ is beneath both its users: it imports nothing from bench/."""
    assert _offending("testing", ("bench",)) == []


def test_imports_are_found_at_any_depth(tmp_path: Path) -> None:
    """Imports inside functions and relative imports are seen too."""
    module = tmp_path / "m.py"
    module.write_text("import os\n\ndef f():\n    from tests.bot import x\n    from . import y\n")
    assert list(_imports(module)) == [(1, "os"), (4, "tests.bot"), (5, ".")]
