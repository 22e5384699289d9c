"""Per-article analysis: sentences, summary, themes, key figures and topics."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from worker.analysis.analyse import analyse as analyse

__all__ = ["analyse"]


def __getattr__(name: str) -> Any:
    # Lazy so importing ``worker.analysis.sentences`` does not pull in the whole analysis stack.
    if name == "analyse":
        from worker.analysis.analyse import analyse

        return analyse
    raise AttributeError(name)
