"""Bytes to text, one way everywhere: fetched bodies, article files, home pages.

The encoding is the declared charset, else a byte-order mark, else the document's own
``<?xml encoding>`` or ``<meta charset>``, else UTF-8 when the bytes are valid UTF-8, else a guess.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")


def detect_encoding(body: bytes, content_type: str = "") -> str:
    """Name the text encoding of ``body``: declared charset, BOM, meta/XML declaration, guess."""
    declared = _charset_param(content_type)
    for candidate in (declared, _bom_encoding(body), _in_document_encoding(body)):
        name = _codec_name(candidate)
        if name:
            return name
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    return _guess_encoding(body[:200_000])


def decode(body: bytes, encoding: str | None = None) -> str:
    """Decode ``body`` in ``encoding`` when that codec decodes it, else in its detected encoding.

    ``encoding`` is a label from a header or a fetch (:attr:`FetchedPage.encoding`); bytes the
    detected encoding cannot decode are replaced, so this never raises.
    """
    if encoding:
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            pass
    return body.decode(detect_encoding(body), errors="replace")


def _guess_encoding(sample: bytes) -> str:
    matches = charset_normalizer.from_bytes(sample)
    best = matches.best()
    if best is None:
        return "cp1252"
    tied = {m.encoding for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)}
    if "cp1252" in tied:  # the web's default legacy encoding wins a tie (WHATWG Encoding)
        return "cp1252"
    return _codec_name(best.encoding) or "cp1252"


def _charset_param(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*\"?([^\s\";]+)", content_type, re.I)
    return match.group(1) if match else None


def _bom_encoding(body: bytes) -> str | None:
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _in_document_encoding(body: bytes) -> str | None:
    head = body[:4096]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def _codec_name(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    # Browsers read pages labelled Latin-1 or ASCII as windows-1252 (WHATWG Encoding).
    return "cp1252" if name in {"latin-1", "iso8859-1", "ascii"} else name
