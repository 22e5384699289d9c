"""Extraction: fetched HTML or plain text to a cleaned ``ExtractedArticle``.

This is the only module that talks to trafilatura; it pins trafilatura's options in one place.
Language is detected with py3langid (the detector trafilatura itself uses) on the cleaned text,
falling back to the page's ``<html lang>`` when the text is too short to judge.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from copy import deepcopy
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import trafilatura
from dateutil import parser as dateparser
from lxml.etree import LxmlError, _Element
from lxml.html import HtmlElement, fragment_fromstring
from trafilatura.external import try_readability
from trafilatura.xml import xmltotxt

from corpus.pipeline_values import ExtractedArticle, FetchedPage
from worker import charset
from worker.canonical import canonical_url, same_site, site_name
from worker.clean import DATE_PATTERN, clean_text, normalise_title
from worker.errors import PermanentError
from worker.fetch.urls import MAX_URL_LENGTH
from worker.links import anchor_texts, drop_link_lines
from worker.merge import add_missing_paragraphs, trim_to_core

__all__ = [
    "NO_ARTICLE",
    "Extractor",
    "detect_language",
    "extract_file",
    "extract_html",
    "extract_text_document",
]

NO_ARTICLE = "no article text found on the page"

# Pinned trafilatura options. Comments are never article text; tables often carry the figures
# analysts want; images, links and formatting would only add markup to strip again (keeping
# links also changes what trafilatura extracts: recall fell 0.7 points on bench.extraction).
# Fallbacks stay on (``fast`` off): without them the held-out recall fell 0.7 points too.
# Precision mode is tried beside the default, see ``_PRECISION``.
_TRAFILATURA_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "include_formatting": False,
    "favor_precision": False,
    "favor_recall": False,
    "deduplicate": False,
    "with_metadata": True,
    "output_format": "python",
    "date_extraction_params": {
        "original_date": True,
        "extensive_search": True,
        "outputformat": "%Y-%m-%dT%H:%M:%S%z",
    },
}

# trafilatura's precision mode drops more boilerplate but sometimes body paragraphs too. Both
# runs are made; the precise one is kept when it has every word of prose the default has
# (bench.extraction: F1 +0.4 points on the tuning half, +0.4 on the held-out half).
# Only its text is used, so it skips the metadata search (dates above all), which reads the
# page without changing it: the text is the same either way.
_PRECISION: dict[str, Any] = {
    **_TRAFILATURA_OPTIONS,
    "favor_precision": True,
    "with_metadata": False,
}
_PROSE_SENTENCE_WORDS = 12
_TRIMMED_PROSE_SHARE = 0.5
# A readability paragraph with more link text than this is a teaser.
_MAX_SECOND_OPINION_LINKS = 0.3
# A JSON-LD articleBody written as HTML, its block elements, and Markdown links in one.
_HTML_BLOCK = re.compile(r"<(?:p|br|div|li|h[1-6]|blockquote)\b", re.IGNORECASE)
_BLOCK_TAGS = ("p", "br", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote")
# schema.org types of an article page.
_ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "BlogPosting",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "ReviewNewsArticle",
        "BackgroundNewsArticle",
        "Report",
        "TechArticle",
    }
)
_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\([^)\s]+\)")

# What counts as an article: some prose, not just a list of headlines or form labels.
_MIN_PROSE_WORDS = 30
_PROSE_LINE_WORDS = 8
_SENTENCE_END = re.compile(r"[.!?…。！？][\"”’)\]]?$")
# Scripts written without spaces between words; about two such characters make a word.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_CHARS_PER_UNSPACED_WORD = 2
_WRAPPED = re.compile(r"\s*\n\s*")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s")
_TRUNCATED = re.compile(r"(?:\.\.\.|…)\s*$")

# Plain-text documents whose first line is a section heading rather than a title.
_GENERIC_HEADINGS = frozenset(
    {"introduction", "intro", "overview", "background", "summary", "abstract", "executive summary"}
)
_TITLE_MAX_CHARS = 120
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})

_DATE_LINE = re.compile(
    r"(?:(?:published|updated|posted|last updated|first published)(?: on| at)?\s*[:：|\-–—]*\s*)?"
    r"(?P<date>" + DATE_PATTERN + r")(?:\s*(?:by|[|·•])\s*.{0,120})?",
    re.IGNORECASE,
)
_AUTHOR_LINE = re.compile(
    r"(?:(?:written |posted )?[Bb]y\s+(?=[A-Z])|(?i:author)\s*[:：\-–—]\s*)"
    r"(?P<name>[\w.'’ -]{2,60})"
)
_GLUED_AUTHOR = re.compile(
    r"(?<=[.!?\"”’])\s+(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3})\s*[–—-]\s*"
    r"(?i:(?:senior |former |independent |political |visiting )*(?:researcher|analyst|expert|"
    r"professor|journalist|correspondent|writer|editor|columnist|fellow|scholar|reporter))"
    r"[^.!?]{0,100}$"
)
_GENERIC_AUTHORS = frozenset(
    {"admin", "administrator", "staff", "editor", "editorial", "guest", "team"}
)
_HTML_LANG = re.compile(r"^[A-Za-z]{2,3}\b")
_BINARY_SAMPLE = 4096
_MAX_CONTROL_RATIO = 0.05


def _looks_binary(text: str) -> bool:
    sample = text[:_BINARY_SAMPLE]
    if not sample:
        return False
    controls = sum(1 for ch in sample if (ch < " " and ch not in "\t\n\r\f") or ch == "\ufffd")
    return controls / len(sample) > _MAX_CONTROL_RATIO


def _word_count(line: str) -> int:
    """Words in ``line``, counting runs of Chinese, Japanese or Korean script by characters."""
    unspaced = len(_UNSPACED.findall(line))
    spaced = len(_UNSPACED.sub(" ", line).split())
    return spaced + unspaced // _CHARS_PER_UNSPACED_WORD


def _body_text(body: _Element) -> str:
    """Return the extracted body's text as trafilatura writes it, one paragraph a line.

    Line breaks inside a paragraph's source (HTML wrapped at 80 columns) are only layout, so
    they become spaces; ``<br>`` and block elements still start new lines. When trafilatura fell
    back to the whole page's text in a single element, its line breaks separate blocks and stay.
    """
    if len(body) < 2:
        return xmltotxt(body, include_formatting=False)
    body = deepcopy(body)
    for element in body.iter():
        if element.tag == "code":
            continue
        if element.text and "\n" in element.text:
            element.text = _WRAPPED.sub(" ", element.text)
        if element.tail and "\n" in element.tail:
            element.tail = _WRAPPED.sub(" ", element.tail)
    return "\n".join(line.strip() for line in xmltotxt(body, include_formatting=False).split("\n"))


def _require_article(text: str, declared: bool = False) -> None:
    """Raise ``PermanentError`` unless ``text`` holds some prose.

    List items and excerpts cut off with an ellipsis do not count: a page made only of them is
    a listing (tag page, archive, search results), not an article. On a page that ``declared``
    itself an article (``_declares_article``) list items and short lines count too: a calendar
    or a results table is its article; excerpts still do not.
    """
    prose = 0
    for line in text.splitlines():
        words = _word_count(line)
        if _TRUNCATED.search(line):
            continue
        if declared:
            prose += words
            continue
        if _LIST_ITEM.match(line) or words < _PROSE_LINE_WORDS:
            continue
        if _SENTENCE_END.search(line) or words >= 2 * _PROSE_LINE_WORDS:
            prose += words
    if prose < _MIN_PROSE_WORDS:
        raise PermanentError(NO_ARTICLE)


@lru_cache(maxsize=1)
def _language_identifier() -> Any:
    from worker.langid_model import load_identifier

    return load_identifier(norm_probs=True)


def detect_language(text: str, fallback: str | None = None) -> str | None:
    """ISO 639-1 code of ``text`` (py3langid), or ``fallback`` when the text is short or unclear."""
    if len(text) >= 200:
        code, probability = _language_identifier().classify(text[:20000])
        if probability >= 0.5:
            return str(code)
    return fallback


def _parse_date(value: str | None) -> datetime | None:
    """Parse a timezone-aware datetime (UTC when the source gives no zone), or None."""
    if not value:
        return None
    try:
        parsed = dateparser.parse(value)
    except (ValueError, OverflowError):
        return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _author(value: str | None) -> str | None:
    if not value:
        return None
    value = " ".join(value.split()).strip(" .,;|-")
    if not value or value.casefold() in _GENERIC_AUTHORS:
        return None
    return value


def _canonical_or_none(url: str | None) -> str | None:
    if not url or not url.lower().startswith(("http://", "https://")):
        return None
    if len(url) > MAX_URL_LENGTH:
        return None
    try:
        return canonical_url(url)
    except ValueError:
        return None


def _page_canonical(declared: str | None, page_url: str) -> str | None:
    """Pick the canonical URL: the declared one if on the same site and not its root, else ours."""
    own = _canonical_or_none(page_url)
    claimed = _canonical_or_none(declared)
    if claimed and own and same_site(claimed, own) and claimed.rstrip("/").count("/") > 2:
        return claimed
    return own or claimed


def _prose_words(text: str) -> int:
    """Count the words of ``text``'s full sentences (lines long enough and ending one).

    A line repeated word for word counts once: a page that renders its body twice (a second
    copy for another layout) has no more prose than one that renders it once.
    """
    total = 0
    for line in dict.fromkeys(" ".join(raw.split()) for raw in text.splitlines()):
        words = _word_count(line)
        if words >= _PROSE_SENTENCE_WORDS and _SENTENCE_END.search(line.rstrip()):
            total += words
    return total


def _run_trafilatura(tree: HtmlElement, url: str, options: dict[str, Any]) -> tuple[Any, str]:
    document = trafilatura.bare_extraction(deepcopy(tree), url=url, **options)
    if not isinstance(document, trafilatura.settings.Document) or not document.text:
        return None, ""
    text = _body_text(document.body) if document.body is not None else document.text
    return document, text


def _extract_body(tree: HtmlElement, url: str) -> tuple[Any, list[str]]:
    """Run trafilatura as pinned and in precision mode; return the metadata and the texts to try.

    The precise text comes first when it loses no prose; otherwise the default text trimmed to
    the precise one's span (``worker.merge.trim_to_core``). Metadata always comes from the
    default run. Raise ``PermanentError`` when trafilatura finds no text at all.
    """
    document, text = _run_trafilatura(tree, url, _TRAFILATURA_OPTIONS)
    if document is None:
        raise PermanentError(NO_ARTICLE)
    _, precise = _run_trafilatura(tree, url, _PRECISION)
    if not precise or precise == text:
        return document, [text]
    if _prose_words(precise) >= _prose_words(text):
        return document, [precise, text]
    # Precision mode lost prose: keep the default text, trimmed to the span precision mode
    # found (bench.extraction: precision +0.16 points, recall unchanged), unless that span holds
    # too little of the prose: then precision mode found only a fragment.
    trimmed = trim_to_core(text, precise)
    if trimmed != text and _prose_words(trimmed) >= _TRIMMED_PROSE_SHARE * _prose_words(text):
        return document, [trimmed, text]
    return document, [text]


def _second_opinion(tree: HtmlElement) -> list[str]:
    """Return readability's paragraphs of the page (trafilatura's bundled port), in order.

    Paragraphs that are mostly link text are left out: they are teasers, not article.
    """
    summary = try_readability(deepcopy(tree))
    paragraphs = []
    for element in summary.iter("p", "li", "blockquote"):
        text = " ".join(element.text_content().split())
        if not text:
            continue
        links = sum(len(" ".join(a.text_content().split())) for a in element.iter("a"))
        if links / len(text) < _MAX_SECOND_OPINION_LINKS:
            paragraphs.append(text)
    return paragraphs


def _json_ld_objects(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    """Yield the objects of the page's JSON-LD scripts, nested ones included, in order."""
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "") or not script.text:
            continue
        try:
            stack: list[Any] = [json.loads(script.text)]
        except ValueError:
            continue
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                yield item
                stack.extend(v for v in item.values() if isinstance(v, list | dict))
            elif isinstance(item, list):
                stack.extend(item)


def _declared_bodies(tree: HtmlElement) -> list[str]:
    """Return the ``articleBody`` strings of the page's JSON-LD objects."""
    bodies = (item.get("articleBody") for item in _json_ld_objects(tree))
    return [body for body in bodies if isinstance(body, str) and body.strip()]


def _declares_article(tree: HtmlElement) -> bool:
    """Tell whether the page says it is an article: Open Graph type, JSON-LD or microdata."""
    og_types = tree.xpath("//meta[@property='og:type']/@content")
    if any(str(value).strip().lower() == "article" for value in og_types):
        return True
    if any(str(value).rsplit("/", 1)[-1] in _ARTICLE_TYPES for value in tree.xpath("//@itemtype")):
        return True
    for item in _json_ld_objects(tree):
        kinds = item.get("@type")
        if any(kind in _ARTICLE_TYPES for kind in (kinds if isinstance(kinds, list) else [kinds])):
            return True
    return False


def _declared_paragraphs(tree: HtmlElement) -> list[list[str]]:
    """Return the paragraphs of each article body the page declares in JSON-LD, in order.

    Sites write it as plain text with line breaks, as escaped HTML, or as Markdown; tags and
    Markdown links are reduced to their text, one block a line.
    """
    paragraphs: list[list[str]] = []
    for body in _declared_bodies(tree):
        body = html.unescape(body)
        if _HTML_BLOCK.search(body):
            try:
                fragment = fragment_fromstring(body, create_parent="div")
            except (ValueError, LxmlError):
                continue
            for element in fragment.iter(*_BLOCK_TAGS):
                element.tail = "\n" + (element.tail or "")
            body = fragment.text_content()
        body = _MARKDOWN_LINK.sub(r"\1", body)
        paragraphs.append([" ".join(line.split()) for line in body.splitlines() if line.strip()])
    return paragraphs


def _clean_body(texts: list[str], anchors: frozenset[str], document: Any, tree: HtmlElement) -> str:
    """Clean the first text that holds an article; raise ``PermanentError`` if none does.

    Before cleaning, prose paragraphs that trafilatura missed are added (``worker.merge``) from
    readability and from the body the page declares in JSON-LD (sites that render their article
    with scripts put it there whole), so the cleaner judges them like the rest.
    """
    second = _second_opinion(tree)
    declared = _declared_paragraphs(tree)
    is_article = _declares_article(tree)
    for index, text in enumerate(texts):
        merged = add_missing_paragraphs(text, second)
        for paragraphs in declared:
            # A declared body none of whose paragraphs is on the page is another article's.
            merged = add_missing_paragraphs(merged, paragraphs, anchored=True)
        body = clean_text(
            drop_link_lines(merged, anchors),
            title=document.title or None,
            site=document.sitename or None,
        )
        try:
            _require_article(body, is_article)
        except PermanentError:
            if index == len(texts) - 1:
                raise
            continue
        return body
    raise PermanentError(NO_ARTICLE)


def extract_html(html: str | bytes, url: str) -> ExtractedArticle:
    """Extract and clean the article in ``html``; raise ``PermanentError`` when there is none."""
    text = charset.decode(html) if isinstance(html, bytes) else html
    if not text.strip() or "\x00" in text[:_BINARY_SAMPLE] or _looks_binary(text):
        raise PermanentError(f"{NO_ARTICLE} (the content is not an HTML or text document)")
    tree: HtmlElement | None = trafilatura.load_html(text)
    if tree is None:
        raise PermanentError(f"{NO_ARTICLE} (the HTML could not be parsed)")
    lang_attr = tree.get("lang") or ""
    anchors = anchor_texts(tree)
    document, texts = _extract_body(tree, url)
    title = normalise_title(document.title or "")
    body = _clean_body(texts, anchors, document, tree)
    lang_match = _HTML_LANG.match(lang_attr)
    return ExtractedArticle(
        url=url,
        title=title or _title_from_body(body),
        text=body,
        author=_author(document.author),
        published=_parse_date(document.date),
        site=document.sitename or site_name(url),
        language=detect_language(body, lang_match.group(0).lower() if lang_match else None),
        canonical_url=_page_canonical(document.url, url),
    )


def _title_from_body(body: str) -> str:
    """Make a stand-in title: the first sentence of the first prose paragraph, cut at a word."""
    paragraphs = body.split("\n\n")
    first = next((p for p in paragraphs if len(p.split()) >= _PROSE_LINE_WORDS), paragraphs[0])
    sentence = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0]
    if len(sentence) <= _TITLE_MAX_CHARS:
        return sentence
    return sentence[:_TITLE_MAX_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _text_metadata(lines: list[str]) -> tuple[datetime | None, str | None]:
    """Date from a date line near the top; author from a byline or a glued credit."""
    published = None
    for line in lines[:6]:
        match = _DATE_LINE.fullmatch(line)
        if match:
            published = _parse_date(match.group("date"))
            break
    author = None
    for line in lines:
        byline = _AUTHOR_LINE.fullmatch(line)
        glued = _GLUED_AUTHOR.search(line)
        candidate = byline.group("name") if byline else glued.group("name") if glued else None
        author = _author(candidate)
        if author:
            break
    return published, author


def extract_text_document(text: str, url: str | None, title: str | None = None) -> ExtractedArticle:
    """Turn a plain-text article (title on the first line, like the shipped seeds) into an article.

    A date line near the top ('2023/01/29 | Economy, ...') becomes the published date and is not
    kept as body. When ``title`` is given the first line is body like any other.
    """
    lines = [" ".join(raw.split()) for raw in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise PermanentError(NO_ARTICLE)
    body_lines = lines
    if title is None:
        first = lines[0]
        if first.casefold().strip(" :.") in _GENERIC_HEADINGS:
            title = ""  # the first line is a heading of the body: keep it there
        else:
            title, body_lines = first, lines[1:]
    body = clean_text("\n".join(body_lines), title=title or None)
    title = normalise_title(title)
    _require_article(body)
    published, author = _text_metadata(body_lines)
    return ExtractedArticle(
        url=url or "",
        title=title or _title_from_body(body),
        text=body,
        author=author,
        published=published,
        site=site_name(url) if url else None,
        language=detect_language(body),
        canonical_url=_canonical_or_none(url),
    )


def extract_file(path: Path) -> ExtractedArticle:
    """Extract an article file: ``.html``/``.htm`` through trafilatura, anything else as text.

    The article's ``url`` is the file's ``file://`` URI; it has no canonical web address.
    """
    raw = path.read_bytes()
    uri = path.resolve().as_uri()
    if path.suffix.lower() in HTML_SUFFIXES:
        return extract_html(raw, uri)
    text = charset.decode(raw)
    if _looks_binary(text):
        raise PermanentError(f"{NO_ARTICLE} (the file is not a text document)")
    return extract_text_document(text, uri)


class Extractor:
    """``worker.protocols.Extractor``: a fetched page to a cleaned article."""

    def extract(self, page: FetchedPage) -> ExtractedArticle:
        """Decode the page and extract it as HTML, or as plain text when it is ``text/plain``."""
        if page.not_modified:
            raise ValueError(f"{page.url} was not modified: there is nothing new to extract")
        url = page.final_url or page.url
        text = charset.decode(page.content, page.encoding)
        if page.content_type.split(";")[0].strip().lower() == "text/plain":
            if _looks_binary(text):
                raise PermanentError(f"{NO_ARTICLE} (the content is not a text document)")
            return extract_text_document(text, url)
        return extract_html(text, url)
