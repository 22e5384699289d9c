"""Is a response what was asked for? Its declared type, and its first bytes, against the kind."""

from __future__ import annotations

import codecs
import re
from typing import Literal

from worker.errors import PermanentError

FetchKind = Literal["page", "feed", "any"]

PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/x-rss+xml",
        "application/feed+json",
    }
)
SNIFFED_TYPES = frozenset({"", "text/html", "text/plain", "application/octet-stream"})
_FEED_START = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(rss|feed|rdf:RDF|urlset|sitemapindex)\b", re.S
)
_BINARY_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive",
    b"\x1f\x8b": "gzip-compressed data",
    b"RIFF": "a media file",
}


def check_declared_type(url: str, mime: str, kind: FetchKind) -> None:
    """Refuse a response whose declared content type is not of the kind asked for."""
    if kind == "page" and mime and mime not in PAGE_TYPES:
        raise PermanentError(f"The address {url} is not a web page: the server says it is {mime}.")
    if kind == "feed" and mime and mime not in FEED_TYPES and mime not in SNIFFED_TYPES:
        raise PermanentError(
            f"The address {url} is not a feed or sitemap: the server says it is {mime}."
        )


def check_body(url: str, mime: str, body: bytes, kind: FetchKind) -> None:
    """Refuse a body that is binary, or that claims to be a feed but does not start like one."""
    if kind == "any":
        return
    binary = _binary_kind(body)
    if binary:
        said = f"it is {mime}" if mime else "nothing about its type"
        raise PermanentError(
            f"The address {url} sent {binary}, although the server said {said}; "
            "only text can be read."
        )
    if kind == "feed" and mime in SNIFFED_TYPES and not _FEED_START.match(body[:4096]):
        raise PermanentError(
            f"The address {url} is not a feed or sitemap: no RSS, Atom or sitemap document "
            "starts it."
        )


def _binary_kind(body: bytes) -> str | None:
    head = body[:1024]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    for magic, name in _BINARY_MAGIC.items():
        if head.startswith(magic):
            return name
    return "binary data" if b"\0" in head else None
