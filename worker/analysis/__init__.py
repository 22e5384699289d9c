"""Per-article analysis: sentences, summary, themes, key figures and topics."""

from __future__ import annotations

# Bound after the submodule of the same name is imported, so the package attribute is the
# function, not the module.
from worker.analysis.analyse import analyse

__all__ = ["analyse"]
