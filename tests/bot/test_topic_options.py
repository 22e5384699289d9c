"""The helpers extensions share, and the rule that extensions never import each other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import bot.extensions
from bot import errors
from bot.topic_options import known_topic
from bot.transactions import in_transaction
from corpus.topics import add_topic

EXTENSIONS = Path(bot.extensions.__file__).parent


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_extension_imports_another_extensions_modules() -> None:
    """An extension imports shared code from bot modules, never from a sibling extension."""
    crossings = []
    for path in sorted(EXTENSIONS.glob("*/*.py")):
        own = f"bot.extensions.{path.parent.name}"
        for module in _imported_modules(path):
            if module.startswith("bot.extensions.") and not module.startswith(own):
                crossings.append(f"{path.relative_to(EXTENSIONS)} imports {module}")
    assert crossings == []
    assert list(EXTENSIONS.glob("*/*.py"))


async def test_known_topic_resolves_an_alias_and_refuses_an_unknown_topic(sessions) -> None:
    """An alias stored through the shared session helper resolves to its slug."""
    await in_transaction(
        sessions, add_topic, "arctic", "Arctic", [["Norway"], ["Russia"]], aliases=["high-north"]
    )
    with sessions() as session:
        assert known_topic(session, "high-north") == "arctic"
        with pytest.raises(errors.UserError, match="/topics list"):
            known_topic(session, "atlantis")
