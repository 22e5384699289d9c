"""On-demand benchmarks, never part of the test run; each runs as ``python -m bench.NAME``.

Every timing is printed beside a baseline measured in the same run, because absolute times
on a shared machine drift; compare the ratios.
"""

from __future__ import annotations

import math
import socket
from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """Return the ``q``-th percentile (0–100) of ``values``, by the nearest-rank method."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Format rows as a plain-text table with right-aligned columns."""
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cell(value: object) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "–"
        return f"{value:.2f}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)


def forbid_network() -> None:
    """Refuse every connection that would leave the machine (loopback stays allowed)."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else None
        if isinstance(host, str) and host not in ("127.0.0.1", "::1", "localhost"):
            raise OSError(f"benchmark network guard: refused connection to {host}")
        real_connect(self, address)  # type: ignore[arg-type]

    socket.socket.connect = guarded  # type: ignore[method-assign,assignment]
