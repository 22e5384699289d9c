"""Bounded decompression of a response body: gzip and deflate in small steps."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import ClassVar

from worker.errors import PermanentError

INFLATE_STEP = 64 * 1024  # most bytes one decompression step may produce


class Inflater:
    """Decompresses gzip/deflate in steps of at most ``INFLATE_STEP`` output bytes."""

    WBITS: ClassVar[dict[str, int]] = {"gzip": 31, "x-gzip": 31, "deflate": 15}

    def __init__(self, coding: str) -> None:
        self._coding = coding
        self._first = True
        self._obj = zlib.decompressobj(self.WBITS[coding])

    def feed(self, data: bytes) -> Iterator[bytes]:
        """Yield the decompressed pieces of ``data``; a corrupt body is a ``PermanentError``."""
        try:
            yield from self._inflate(data)
        except zlib.error as exc:
            if not (self._first and self._coding == "deflate"):
                raise PermanentError(f"The compressed body is corrupt ({exc}).") from exc
            self._obj = zlib.decompressobj(-15)  # raw deflate, as some servers send it
            yield from self._inflate(data)
        self._first = False

    def _inflate(self, data: bytes) -> Iterator[bytes]:
        while data:
            yield self._obj.decompress(data, INFLATE_STEP)
            data = self._obj.unconsumed_tail
            if self._obj.eof and self._obj.unused_data.strip(b"\0"):
                data = self._obj.unused_data  # another gzip member follows
                self._obj = zlib.decompressobj(self.WBITS[self._coding])

    def finished(self) -> bool:
        """Whether the compressed stream reached its end (a cut-short body did not)."""
        return self._obj.eof
