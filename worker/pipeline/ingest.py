"""Ingest ``.txt``/``.html``/``.jsonl`` files, folders of them and URLs through the stages."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from dateutil import parser as dateparser

from corpus.articles import discover, get_article
from corpus.db import transaction
from corpus.event_list import article_events
from corpus.pipeline_values import ExtractedArticle, FetchedPage
from corpus.tables import ArticleStatus
from worker.errors import PermanentError, PipelineError
from worker.events import recompose_due
from worker.fetch.urls import MAX_URL_LENGTH
from worker.pipeline.article import analyse_article, process_article, store_article
from worker.pipeline.stages import Stages, canonical_url, plural

INGEST_SUFFIXES = (".txt", ".html", ".htm", ".jsonl")


@dataclass
class IngestOutcome:
    """What became of one input (one line of a ``.jsonl`` file): ``newsbrief ingest --json``.

    ``status`` is ``stored``, ``duplicate``, ``already``, ``problem`` or ``skipped``;
    ``story_id`` is the event the article joined (None until it is in one); ``reason`` says
    why an input was a problem or skipped.
    """

    input: str
    url: str | None
    article_id: int | None
    status: str
    reason: str | None = None
    story_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the outcome as a JSON object, its keys in a fixed order."""
        return {
            "input": self.input,
            "url": self.url,
            "article_id": self.article_id,
            "story_id": self.story_id,
            "status": self.status,
            "reason": self.reason,
        }


@dataclass
class IngestReport:
    """What ``ingest_paths`` did, input by input."""

    stored: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    already: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files in a folder of no ingestible kind
    outcomes: list[IngestOutcome] = field(default_factory=list)  # in input order

    def problem(self, entry: str, reason: str, url: str | None = None) -> None:
        """Record that ``entry`` could not be ingested, and why."""
        self.problems.append(f"{entry}: {reason}")
        self.outcomes.append(IngestOutcome(entry, url, None, "problem", reason))

    def summary(self) -> str:
        """One line for the terminal."""
        line = (
            f"{len(self.stored)} stored, {plural(len(self.duplicates), 'duplicate')}, "
            f"{len(self.already)} already in the corpus, {plural(len(self.problems), 'problem')}"
        )
        if self.skipped:
            line += f", {len(self.skipped)} skipped (not .txt, .html or .jsonl)"
        return line


def _is_url(entry: str) -> bool:
    return entry.startswith(("http://", "https://"))


def _expand(inputs: Iterable[str], skipped: list[str]) -> Iterable[str]:
    for raw in inputs:
        if raw.startswith(("http://", "https://")):
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            files = [child for child in sorted(path.rglob("*")) if child.is_file()]
            children = [child for child in files if child.suffix.lower() in INGEST_SUFFIXES]
            skipped.extend(str(child) for child in files if child not in children)
            # An empty folder is passed on as itself so that it is reported, not skipped silently.
            yield from (str(child) for child in children) if children else (raw,)
        else:
            yield raw


def _record(
    report: IngestReport, entry: str, url: str, article_id: int, status: str, is_new: bool
) -> None:
    if not is_new and status != ArticleStatus.PENDING:
        report.already.append(article_id)
        outcome = "already"
    elif status == ArticleStatus.DUPLICATE:
        report.duplicates.append(article_id)
        outcome = "duplicate"
    elif status in (ArticleStatus.STORED, ArticleStatus.READY):
        report.stored.append(article_id)
        outcome = "stored"
    else:
        outcome = str(status)
    report.outcomes.append(IngestOutcome(entry, url, article_id, outcome))


def _add_stories(stages: Stages, report: IngestReport) -> None:
    """Fill in the event each ingested article joined."""
    ids = [o.article_id for o in report.outcomes if o.article_id is not None]
    if not ids:
        return
    with transaction(stages.sessions) as session:
        events = article_events(session, ids)
    for outcome in report.outcomes:
        if outcome.article_id is not None:
            outcome.story_id = events.get(outcome.article_id)


def _ingest_document(
    stages: Stages, report: IngestReport, entry: str, url: str, extracted: ExtractedArticle
) -> None:
    key = canonical_url(stages, extracted.canonical_url or url)
    with transaction(stages.sessions) as session:
        article_id, is_new = discover(session, key, url, None)
        ref = get_article(session, article_id)
    if ref is not None and ref.status in (ArticleStatus.PENDING, ArticleStatus.FAILED):
        if ref.status == ArticleStatus.FAILED:
            is_new = True
        result = store_article(stages, article_id, extracted)
        status = analyse_article(stages, article_id) if result.needs_analysis else result.status
        _record(report, entry, url, article_id, status, True)
        return
    _record(report, entry, url, article_id, ref.status if ref else "missing", is_new)


def _line_address(file_uri: str, record: dict[str, Any], number: int) -> str:
    """Return where a line without a ``url`` is stored: the file's URI and the line's id.

    ``#`` and the line's ``id`` when it has one, else ``#line-N``, so each line is its own
    article and ingesting the file again finds them all already stored.
    """
    ident = record.get("id")
    if isinstance(ident, (str, int)) and not isinstance(ident, bool) and str(ident).strip():
        return f"{file_uri}#{quote(str(ident).strip(), safe='')}"
    return f"{file_uri}#line-{number}"


def _jsonl_document(
    stages: Stages, record: dict[str, Any], where: str, fallback_url: str
) -> ExtractedArticle:
    url = record.get("url")
    if not url:
        url = fallback_url  # a line without a web address: stored under the file's, with its id
    elif not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
        raise PermanentError(f'{where} has a "url" that is not an http(s) address: {url!r}.')
    elif len(url) > MAX_URL_LENGTH:
        raise PermanentError(f'{where} has a "url" longer than {MAX_URL_LENGTH} characters.')
    if record.get("html"):
        extracted = stages.extract_html(str(record["html"]), url)
    elif record.get("text"):
        title = str(record.get("title") or "").strip() or None
        extracted = stages.extract_text(str(record["text"]), url, title)
    else:
        raise PermanentError(f'{where} has neither "text" nor "html".')
    published = extracted.published
    if record.get("date"):
        try:
            published = dateparser.parse(str(record["date"]))
        except (ValueError, OverflowError):
            date = record["date"]
            raise PermanentError(f"{where} has a date that cannot be read: {date!r}.") from None
    title = str(record.get("title") or "") or extracted.title
    site = record.get("site")
    outlet = site.strip() if isinstance(site, str) and site.strip() else extracted.site
    return replace(extracted, title=title, published=published, url=url, site=outlet)


def ingest_paths(stages: Stages, inputs: Sequence[str]) -> IngestReport:
    """Ingest ``.txt``/``.html``/``.jsonl`` files, folders of them and URLs through the stages.

    A bad input (or a bad line of a ``.jsonl`` file) is reported and the rest carries on;
    the files of a folder that are of none of these kinds are listed in ``skipped``.
    """
    report = IngestReport()
    # Each event's stored stories are composed once, after the batch, not at every article
    # that joins it; meanwhile briefs compose those events from their articles.
    batch = replace(stages, due_stories=set())
    try:
        for entry in _expand(inputs, report.skipped):
            try:
                _ingest_one(batch, report, entry)
            except PipelineError as exc:
                report.problem(entry, exc.reason, entry if _is_url(entry) else None)
            except OSError as exc:
                report.problem(entry, f"could not be read ({exc.strerror or exc}).")
    finally:
        recompose_due(stages.sessions, batch.due_stories or set())
    for skipped in report.skipped:
        reason = "not a .txt, .html or .jsonl file"
        report.outcomes.append(IngestOutcome(skipped, None, None, "skipped", reason))
    _add_stories(stages, report)
    return report


def _ingest_one(stages: Stages, report: IngestReport, entry: str) -> None:
    if entry.startswith(("http://", "https://")):
        stages.check_url(entry)
        with transaction(stages.sessions) as session:
            article_id, is_new = discover(session, canonical_url(stages, entry), entry, None)
        result = process_article(stages, article_id)
        if result.error and result.status in (ArticleStatus.FAILED, ArticleStatus.PENDING):
            report.problem(entry, result.error, entry)
            return
        _record(report, entry, entry, article_id, result.status, is_new)
        return
    path = Path(entry)
    suffix = path.suffix.lower()
    if not path.exists():
        raise PermanentError("could not be read (no such file or folder); check the path.")
    if path.is_dir():
        raise PermanentError("is a folder with no .txt, .html or .jsonl files in it.")
    if suffix not in INGEST_SUFFIXES:
        raise PermanentError("is not a .txt, .html or .jsonl file, a folder or an http(s) URL.")
    url = path.resolve().as_uri()
    if suffix == ".jsonl":
        try:
            # JSON Lines is UTF-8; a byte-order mark some editors write is tolerated.
            lines = path.read_bytes().decode("utf-8-sig").splitlines()
        except UnicodeDecodeError as exc:
            raise PermanentError(
                f"is not UTF-8 text (byte {exc.start} cannot be read); save it as UTF-8."
            ) from None
        if not any(line.strip() for line in lines):
            raise PermanentError("holds no lines; give one JSON object per line.")
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            where = f"line {number}"
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise PermanentError(f"{where} is not a JSON object.")
                document = _jsonl_document(
                    stages, record, where, _line_address(url, record, number)
                )
                _ingest_document(stages, report, entry, document.url, document)
            except json.JSONDecodeError as exc:
                report.problem(entry, f"{where} is not valid JSON ({exc.msg}).")
            except PipelineError as exc:
                reason = exc.reason if exc.reason.startswith(where) else f"{where}: {exc.reason}"
                report.problem(entry, reason)
        return
    # A file goes through the same extractor as a fetched page: its bytes are decoded by
    # declaration or sniffing (UTF-16, cp1252, ...) and binary content is refused.
    content_type = "text/plain" if suffix == ".txt" else "text/html"
    page = FetchedPage(url, url, 200, path.read_bytes(), content_type=content_type)
    _ingest_document(stages, report, entry, url, stages.extractor.extract(page))
