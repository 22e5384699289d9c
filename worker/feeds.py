"""Read feeds, sitemaps and home pages: the URLs of articles a source points to.

Every XML document first goes through defusedxml, which refuses entity declarations and
external references without expanding them; only then does feedparser (feeds) read it.
Sitemaps are read with defusedxml's ElementTree directly.
"""

from __future__ import annotations

import io
import re
import zlib
from calendar import timegm
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree as StdElementTree

import feedparser
from dateutil import parser as dateparser
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree

from worker.errors import PermanentError

MAX_FEED_ITEMS = 1000  # newest items taken from one feed or sitemap
MAX_SITEMAP_DEPTH = 3  # index → index → urlset
MAX_CHILD_SITEMAPS = 50  # child sitemaps read from one index tree
COMMON_FEED_PATHS = ("/feed", "/rss.xml", "/atom.xml", "/feed.xml", "/index.xml")

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/xml",
    "text/xml",
)

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_XML_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<", re.DOTALL)


class Kind(StrEnum):
    """What a fetched document turned out to be."""

    FEED = "feed"
    SITEMAP = "sitemap"
    SITEMAP_INDEX = "sitemap_index"
    HTML = "html"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Item:
    """One article URL found in a feed or sitemap."""

    url: str
    title: str | None = None
    published: datetime | None = None


@dataclass(frozen=True, slots=True)
class Listing:
    """What one feed or sitemap lists: article items, or child sitemaps for an index.

    ``total`` counts the items before the cap; ``warning`` describes a malformed feed
    that was read anyway.
    """

    kind: str
    items: tuple[Item, ...]
    total: int
    warning: str | None = None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def maybe_gunzip(content: bytes, limit: int) -> bytes:
    """Inflate a gzip-compressed sitemap (``.xml.gz``), refusing more than ``limit`` bytes."""
    if not content.startswith(b"\x1f\x8b"):
        return content
    inflater = zlib.decompressobj(31)
    try:
        data = inflater.decompress(content, limit + 1)
    except zlib.error as exc:
        raise PermanentError(f"The gzip-compressed sitemap is corrupt ({exc}).") from exc
    if len(data) > limit:
        raise PermanentError(
            f"The compressed sitemap inflates to more than {limit} bytes; it was not read."
        )
    return data


def check_xml_safe(content: bytes) -> None:
    """Refuse XML with entity declarations or external references, without expanding them.

    Malformed XML is not refused here: feedparser reads what it can of it afterwards.
    """
    try:
        SafeElementTree.parse(
            io.BytesIO(content), forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as exc:
        raise PermanentError(
            "The document declares XML entities or external references "
            f"({exc.__class__.__name__}); it was refused unread to avoid entity-expansion "
            "and external-entity attacks."
        ) from exc
    except SafeElementTree.ParseError:
        # Malformed: the parser may have stopped before a DTD further on, so look for one.
        if _ENTITY_DECL.search(content[:65536]):
            raise PermanentError(
                "The document is malformed and declares XML entities; it was refused unread."
            ) from None


def sniff(content: bytes, content_type: str = "") -> str:
    """Tell a feed, sitemap, sitemap index or HTML page apart by its content."""
    head = content[:4096].lstrip().lower()
    ctype = content_type.lower()
    if head.startswith(b"\x1f\x8b"):
        return Kind.SITEMAP
    if b"<urlset" in head:
        return Kind.SITEMAP
    if b"<sitemapindex" in head:
        return Kind.SITEMAP_INDEX
    if re.search(rb"<(rss|feed|rdf:rdf)[\s>]", head):
        return Kind.FEED
    if "html" in ctype or b"<html" in head or head.startswith(b"<!doctype html"):
        return Kind.HTML
    if _XML_START.match(content[:4096]) and any(t in ctype for t in ("xml", "rss", "atom")):
        return Kind.FEED
    return Kind.UNKNOWN


def _entry_time(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return datetime.fromtimestamp(timegm(value), UTC)
    return None


def newest_items(items: list[Item], cap: int = MAX_FEED_ITEMS) -> tuple[Item, ...]:
    """Return the ``cap`` newest items, newest first; undated ones follow in document order."""
    floor = datetime.min.replace(tzinfo=UTC)
    ranked = sorted(
        enumerate(items), key=lambda pair: (pair[1].published or floor, -pair[0]), reverse=True
    )
    return tuple(item for _, item in ranked[:cap])


def _entry_date(node: Any) -> datetime:
    for child in node:
        if _local(child.tag) in ("pubdate", "published", "updated", "date", "issued"):
            text = (child.text or "").strip()
            moment: datetime | None
            try:
                moment = parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                moment = _date(text)
            if moment is not None:
                return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.min.replace(tzinfo=UTC)


def _trim_entries(content: bytes, cap: int) -> tuple[bytes, int] | None:
    """Keep only the newest ``cap`` entries of a huge well-formed feed, before feedparser.

    feedparser takes seconds per ten thousand entries; trimming first bounds that cost.
    Returns ``(trimmed document, entries before trimming)``, or None when there is no need.
    """
    if content.count(b"<item") + content.count(b"<entry") <= cap:
        return None
    try:
        root = SafeElementTree.fromstring(
            content, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except SafeElementTree.ParseError:
        return None
    parents = [root, *[child for child in root if _local(child.tag) == "channel"]]
    entries = [
        (parent, node)
        for parent in parents
        for node in parent
        if _local(node.tag) in ("item", "entry")
    ]
    if len(entries) <= cap:
        return None
    ranked = sorted(
        enumerate(entries), key=lambda pair: (_entry_date(pair[1][1]), -pair[0]), reverse=True
    )
    dropped = {id(node) for _, (_, node) in ranked[cap:]}
    for parent in parents:
        parent[:] = [node for node in parent if id(node) not in dropped]
    return StdElementTree.tostring(root, encoding="utf-8"), len(entries)


def parse_feed(
    content: bytes,
    base_url: str,
    *,
    content_type: str = "application/xml",
    cap: int = MAX_FEED_ITEMS,
) -> Listing:
    """Read an RSS/Atom feed: its article links, newest ``cap`` of them.

    A malformed feed that still has entries is read, with the problem in ``warning``.
    """
    check_xml_safe(content)
    trimmed = _trim_entries(content, cap)
    if trimmed is not None:
        content, listed = trimmed
    parsed = feedparser.parse(
        content,
        response_headers={
            "content-location": base_url,
            "content-type": content_type or "application/xml",
        },
        resolve_relative_uris=False,
        sanitize_html=False,
    )
    problem = None
    exc = parsed.get("bozo_exception")
    # Encoding overrides and odd content types are how real feeds look; they lose nothing.
    harmless = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
    if parsed.get("bozo") and not isinstance(exc, harmless):
        problem = str(parsed.get("bozo_exception") or "unknown problem")
    if not parsed.entries:
        if problem:
            raise PermanentError(f"The feed could not be read and has no entries: {problem}.")
        version = parsed.get("version") or ""
        if not version:
            raise PermanentError("The document is not an RSS or Atom feed.")
        return Listing(Kind.FEED, (), 0)
    items: list[Item] = []
    for entry in parsed.entries:
        link = entry.get("link") or ""
        if not link:
            guid = entry.get("id") or ""
            link = guid if guid.startswith(("http://", "https://")) else ""
        if not link:
            continue
        items.append(
            Item(urljoin(base_url, link.strip()), entry.get("title") or None, _entry_time(entry))
        )
    warning = None
    if problem:
        warning = f"The feed is malformed ({problem}) but {len(items)} entries were read."
    total = listed if trimmed is not None else len(items)
    return Listing(Kind.FEED, newest_items(items, cap), total, warning)


def _date(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = dateparser.isoparse(text.strip())
    except (ValueError, OverflowError):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def parse_sitemap(
    content: bytes, base_url: str, *, cap: int = MAX_FEED_ITEMS, max_bytes: int = 50 * 1024 * 1024
) -> Listing:
    """Read a sitemap (``urlset``, incl. news sitemaps) or a sitemap index (child sitemaps)."""
    content = maybe_gunzip(content, max_bytes)
    check_xml_safe(content)
    try:
        root = SafeElementTree.fromstring(
            content, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except SafeElementTree.ParseError as exc:
        raise PermanentError(f"The sitemap is not well-formed XML ({exc}).") from exc
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise PermanentError(f"The document is not a sitemap (its root element is <{kind}>).")
    items: list[Item] = []
    for node in root:
        if _local(node.tag) not in ("url", "sitemap"):
            continue
        loc = lastmod = title = published = None
        for child in node.iter():
            name = _local(child.tag)
            text = (child.text or "").strip()
            if name == "loc":
                loc = text
            elif name == "lastmod":
                lastmod = text
            elif name == "publication_date":
                published = text
            elif name == "title":
                title = text
        if loc:
            when = _date(published) or _date(lastmod)
            items.append(Item(urljoin(base_url, loc), title or None, when))
    if kind == "sitemapindex":
        return Listing(Kind.SITEMAP_INDEX, tuple(items[:MAX_CHILD_SITEMAPS]), len(items))
    return Listing(Kind.SITEMAP, newest_items(items, cap), len(items))


class _AlternateLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "link":
            return
        values = {name.lower(): (value or "") for name, value in attrs}
        rels = values.get("rel", "").lower().split()
        kind = values.get("type", "").lower().split(";")[0].strip()
        if "alternate" in rels and kind in FEED_TYPES[:4] and values.get("href"):
            self.links.append(values["href"])


def feed_links(html: str, base_url: str) -> list[str]:
    """Return the feeds a home page announces with ``<link rel="alternate" type="…rss/atom…">``."""
    parser = _AlternateLinks()
    parser.feed(html)
    parser.close()
    return list(dict.fromkeys(urljoin(base_url, link.strip()) for link in parser.links))


def feed_candidates(html: str, base_url: str) -> list[str]:
    """Feed URLs to try for a site: announced feeds first, then the common paths."""
    parts = urlsplit(base_url)
    root = f"{parts.scheme}://{parts.netloc}"
    common = [root + path for path in COMMON_FEED_PATHS]
    return list(dict.fromkeys([*feed_links(html, base_url), *common]))


__all__ = [
    "COMMON_FEED_PATHS",
    "MAX_CHILD_SITEMAPS",
    "MAX_FEED_ITEMS",
    "MAX_SITEMAP_DEPTH",
    "Item",
    "Kind",
    "Listing",
    "check_xml_safe",
    "feed_candidates",
    "feed_links",
    "maybe_gunzip",
    "newest_items",
    "parse_feed",
    "parse_sitemap",
    "sniff",
]
