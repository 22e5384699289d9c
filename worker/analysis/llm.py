"""Optional LLM summaries through any OpenAI-compatible ``/v1/chat/completions`` endpoint.

Hosted APIs and local servers (llama.cpp, vLLM, Ollama) speak the same protocol, so one
small httpx client serves all. Every call is bounded: a timeout, a per-day cap on calls
counted in the ``llm_calls`` table, and a cache in that table keyed by the article text's
hash. A reply is used only if it is grounded — every number and proper name in it
appears in the article; otherwise the extractive summary is used and the reason logged.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime, time
from functools import lru_cache
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from corpus.db import transaction
from corpus.settings import LLMSettings
from corpus.tables import LlmCall
from worker.analysis.sentences import split_sentences
from worker.analysis.summary import ExtractiveSummariser
from worker.analysis.sumy_lib import get_stop_words
from worker.protocols import Summariser

log = logging.getLogger(__name__)

BACKEND = "llm"
MAX_ARTICLE_CHARS = 12_000
MAX_SENTENCES = 4
UNAVAILABLE = "unavailable: "  # prefix of a recorded failure that may be retried
SYSTEM_PROMPT = (
    "You summarise news articles for analysts. Write 2 to 4 plain sentences in English. "
    "State only facts given in the article. Copy every number and every name exactly as the "
    "article writes them; add no figures, names, dates or opinions of your own. "
    "No preamble, no headings, no bullet points."
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# A name as written: a letter first, then its dots and apostrophes too ("U.S.", "O’Neil’s").
_NAME_WORD = re.compile(r"[^\W\d_][\w’'.]*")
_POSSESSIVE = re.compile(r"[’']s$")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


def text_hash(text: str) -> str:
    """Return the SHA-256 of the article text, the cache key of its LLM summary."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _numbers(text: str) -> set[str]:
    out = set()
    for raw in _NUMBER.findall(text):
        value = raw.replace(",", "")
        out.add(value.rstrip("0").rstrip(".") if "." in value else value)
    return out


def _bare(word: str) -> str:
    return _POSSESSIVE.sub("", word).replace(".", "").strip("’'")


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    return frozenset(get_stop_words("english"))


def _article_words(text: str) -> tuple[set[str], set[str]]:
    """Return the article's words as written (dots removed) and its lower-case-only words."""
    words = [_bare(w) for w in _NAME_WORD.findall(text)]
    as_written = {w for w in words if w}
    lower = {w for w in as_written if w.islower()}
    return as_written, lower


def grounding_problems(summary: list[str], article: str) -> list[str]:
    """Return what in ``summary`` the article does not support: numbers and proper names.

    A name is a capitalised word; a sentence's first word counts only if it is not a common
    word and the article never uses it in lower case (so "They" passes, an invented "Zhao"
    does not). Dots are ignored
    so "US" matches "U.S.".
    """
    problems: list[str] = []
    known_numbers = _numbers(article)
    for number in sorted(_numbers(" ".join(summary)) - known_numbers):
        problems.append(f"the number {number} is not in the article")
    as_written, lower = _article_words(article)
    unknown: list[str] = []
    for sentence in summary:
        for i, raw in enumerate(_NAME_WORD.findall(sentence)):
            for part in raw.split("-"):
                word = _bare(part)
                if not word or not word[0].isupper() or word in as_written:
                    continue
                if i == 0 and (word.lower() in lower or word.lower() in _common_words()):
                    continue
                if word not in unknown:
                    unknown.append(word)
    problems.extend(f"the name {w!r} is not in the article" for w in unknown)
    return problems


def _sentences_of(reply: str) -> list[str]:
    lines = [_BULLET.sub("", line) for line in reply.splitlines()]
    cleaned = "\n".join(line for line in lines if line.strip())
    return [s.text for s in split_sentences(cleaned) if not s.is_heading][:MAX_SENTENCES]


def _start_of_day(now: datetime) -> datetime:
    return datetime.combine(now.astimezone(UTC).date(), time.min, tzinfo=UTC)


class LLMSummariser:
    """Summarise with a chat-completions endpoint; fall back to the extractive summary.

    ``client`` is an ``httpx.Client`` the caller owns; ``sessions`` reach the ``llm_calls``
    table. The daily cap counts distinct articles sent since midnight UTC.
    """

    def __init__(
        self,
        settings: LLMSettings,
        sessions: sessionmaker[Session],
        client: httpx.Client,
        *,
        fallback: Summariser | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if not settings.base_url:
            raise ValueError("LLM summaries need NEWSBRIEF_LLM__BASE_URL, e.g. http://host/v1.")
        self.settings = settings
        self.sessions = sessions
        self.client = client
        self.fallback = fallback or ExtractiveSummariser()
        self.now = now
        self.url = settings.base_url.rstrip("/") + "/chat/completions"

    def summarise(self, title: str, text: str) -> tuple[list[str], str]:
        """Return ``(sentences, "llm")`` for a grounded reply, else the fallback's result."""
        key = text_hash(text)
        try:
            cached, skip = self._reserve(key)
        except IntegrityError:
            skip = "another worker is summarising this article now"
            cached = None
        if cached is not None:
            return cached, BACKEND
        if skip:
            log.info("LLM summary not requested for %s: %s", key[:12], skip)
            return self.fallback.summarise(title, text)
        summary, reason = self._ask(title, text)
        if summary is not None and not reason:
            problems = grounding_problems(summary, f"{title}\n{text}")
            if problems:
                reason = "ungrounded: " + "; ".join(problems)
        with transaction(self.sessions) as session:
            row = session.get(LlmCall, (key, self.settings.model))
            if row is not None:
                row.summary = None if reason else summary
                row.rejected_reason = reason or None
        if reason or summary is None:
            log.warning("LLM summary not used for %s: %s", key[:12], reason)
            return self.fallback.summarise(title, text)
        return summary, BACKEND

    def _reserve(self, key: str) -> tuple[list[str] | None, str]:
        """Return a cached summary, or a reason not to call, or reserve a call under the cap."""
        model = self.settings.model
        with transaction(self.sessions) as session:
            row = session.get(LlmCall, (key, model))
            if row is not None and row.summary:
                return [str(s) for s in row.summary], ""
            if row is not None and not (row.rejected_reason or "").startswith(UNAVAILABLE):
                return None, f"rejected before ({row.rejected_reason})"
            if row is None:
                since = _start_of_day(self.now())
                calls = session.scalar(
                    select(func.count()).select_from(LlmCall).where(LlmCall.called_at >= since)
                )
                if (calls or 0) >= self.settings.daily_call_cap:
                    cap = self.settings.daily_call_cap
                    log.warning(
                        "LLM daily cap of %d calls reached; using extractive summaries", cap
                    )
                    return None, f"daily cap of {cap} calls reached"
                row = LlmCall(text_hash=key, model=model, called_at=self.now())
                session.add(row)
            else:
                row.called_at = self.now()
            # Recorded before the call, so a crash mid-call still counts against the cap
            # and the article can be retried later.
            row.rejected_reason = f"{UNAVAILABLE}call in progress"
        return None, ""

    def _payload(self, title: str, text: str) -> dict[str, Any]:
        return {
            "model": self.settings.model,
            "temperature": 0,
            "max_tokens": 400,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": f"Title: {title}\n\n{text[:MAX_ARTICLE_CHARS]}"},
            ],
        }

    def _ask(self, title: str, text: str) -> tuple[list[str] | None, str]:
        """Call the endpoint; return ``(sentences, "")`` or ``(None, reason)``."""
        headers = {"Content-Type": "application/json"}
        if self.settings.api_key is not None:
            headers["Authorization"] = f"Bearer {self.settings.api_key.get_secret_value()}"
        try:
            response = self.client.post(
                self.url,
                json=self._payload(title, text),
                headers=headers,
                timeout=httpx.Timeout(self.settings.timeout_seconds),
            )
        except httpx.TimeoutException:
            return None, f"{UNAVAILABLE}timed out after {self.settings.timeout_seconds:g} s"
        except httpx.HTTPError as exc:
            return None, f"{UNAVAILABLE}request failed ({exc.__class__.__name__}: {exc})"
        if response.status_code != httpx.codes.OK:
            return None, f"{UNAVAILABLE}HTTP {response.status_code} from {self.url}"
        try:
            content = response.json()["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            return None, "malformed reply: no choices[0].message.content"
        if not isinstance(content, str):
            return None, "malformed reply: content is not text"
        sentences = _sentences_of(content)
        if not sentences:
            return None, "empty reply"
        return sentences, ""


def summariser_from_settings(
    settings: LLMSettings, sessions: sessionmaker[Session], client: httpx.Client
) -> Summariser:
    """Return the LLM summariser when a base URL is configured, else the extractive one."""
    if settings.base_url:
        return LLMSummariser(settings, sessions, client)
    return ExtractiveSummariser()
