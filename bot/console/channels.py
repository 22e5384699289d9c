"""Stable ids for the channels typed as ``#name`` in the console, and their names back."""

from __future__ import annotations

import json
import re
import zlib
from pathlib import Path

CHANNELS_FILE = "console-channels.json"  # in the data directory
_CHANNEL_BASE = 10**17  # console channel ids: this plus the name's CRC-32, like a snowflake
_CHANNEL_MENTION = re.compile(r"<#(\d+)>")


class ChannelDirectory:
    """Stable ids for the channels typed as ``#name``, and the names back for display.

    The id is a checksum of the name, so ``#analysts`` is the same channel in every run;
    the names are kept in ``path`` (when given) so a later run shows them too.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.names: dict[int, str] = {}
        if path is not None:
            try:
                stored = json.loads(path.read_text(encoding="utf-8"))
                self.names = {int(k): str(v) for k, v in stored.items()}
            except (OSError, ValueError, AttributeError):
                self.names = {}

    @staticmethod
    def id_for(name: str) -> int:
        """Return the channel id of ``name`` (the same in every process)."""
        return _CHANNEL_BASE + zlib.crc32(name.lower().encode("utf-8"))

    def channel_id(self, name: str) -> int:
        """Return the id of ``name``, remembering the name for display."""
        channel_id = self.id_for(name)
        if self.names.get(channel_id) != name:
            self.names[channel_id] = name
            self._save()
        return channel_id

    def _save(self) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(self.names, sort_keys=True), encoding="utf-8")
        except OSError:
            pass  # names are a convenience; the ids do not depend on them

    def named(self, text: str) -> str:
        """Replace the mentions of known channels in ``text`` with ``#name``."""

        def name(match: re.Match[str]) -> str:
            known = self.names.get(int(match.group(1)))
            return f"#{known}" if known else match.group(0)

        return _CHANNEL_MENTION.sub(name, text)
