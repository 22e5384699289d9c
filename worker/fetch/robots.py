"""robots.txt rules (parsed by Protego), fetched through the safe fetcher and cached per site.

RFC 9309 outcomes: a robots.txt that answers 4xx (or cannot be fetched for a permanent reason)
allows everything; a 5xx, timeout or connection error means "disallow for now": the page is
retried later, and the failure is cached briefly so the site is not hammered.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from protego import Protego

from corpus.pipeline_values import FetchedPage
from worker import charset
from worker.errors import HostUnreachable, PermanentError, TransientError
from worker.fetch.politeness import LimiterUnavailable
from worker.protocols import Fetcher

MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309 2.5: parse at least the first 500 KiB


class RobotsPolicy(Protocol):
    """What the fetcher asks before each request."""

    def check(self, url: str) -> None:
        """Raise ``PermanentError`` if robots.txt forbids ``url``, ``TransientError`` if unknown."""
        ...

    def crawl_delay(self, url: str) -> float | None:
        """Return the Crawl-delay for the site of ``url`` (any URL on it), if one is set."""
        ...


@dataclass
class _Entry:
    rules: Protego | None  # None: robots.txt unavailable for now (transient failure)
    expires: float
    etag: str | None = None
    last_modified: str | None = None
    error: str = ""
    unreachable: bool = False  # the host itself cannot be reached, so neither can the page


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of ``url``, the unit robots.txt applies to."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


class RobotsCache:
    """robots.txt per site (scheme, host and port), cached for ``ttl`` seconds.

    ``fetcher`` must not itself consult robots.txt (pass a ``SafeFetcher`` built without one).
    """

    def __init__(
        self,
        fetcher: Fetcher,
        user_agent: str,
        *,
        ttl: float = 3600.0,
        error_ttl: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetcher = fetcher
        self._user_agent = user_agent
        self._ttl = ttl
        self._error_ttl = error_ttl
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()
        self._site_locks: dict[str, threading.Lock] = {}

    def allowed(self, url: str) -> bool:
        """Tell whether robots.txt lets us fetch ``url`` (False too while it is unavailable)."""
        entry = self._entry(origin_of(url))
        return entry.rules is not None and bool(entry.rules.can_fetch(url, self._user_agent))

    def check(self, url: str) -> None:
        """Raise ``PermanentError`` if forbidden, ``TransientError`` while robots.txt is unknown."""
        origin = origin_of(url)
        entry = self._entry(origin)
        if entry.rules is None:
            left = max(entry.expires - self._clock(), 1.0)
            if entry.unreachable:  # the page cannot be fetched either; robots.txt is not to blame
                raise HostUnreachable(entry.error, retry_after=left)
            raise TransientError(
                f"robots.txt of {origin} could not be read ({entry.error}); "
                "the page is not fetched until it can be.",
                retry_after=left,
            )
        if not entry.rules.can_fetch(url, self._user_agent):
            raise PermanentError(f"robots.txt of {origin} does not allow fetching {url}.")

    def crawl_delay(self, url: str) -> float | None:
        """Return the Crawl-delay robots.txt of the site of ``url`` asks for, if any."""
        entry = self._entry(origin_of(url))
        if entry.rules is None:
            return None
        delay = entry.rules.crawl_delay(self._user_agent)
        return float(delay) if delay is not None else None

    def _entry(self, origin: str) -> _Entry:
        with self._lock:
            entry = self._entries.get(origin)
            if entry is not None and entry.expires > self._clock():
                return entry
            site_lock = self._site_locks.setdefault(origin, threading.Lock())
        with site_lock:  # one fetch per site even when many threads ask at once
            with self._lock:
                entry = self._entries.get(origin)
                if entry is not None and entry.expires > self._clock():
                    return entry
            fresh = self._load(origin, entry)
            with self._lock:
                self._entries[origin] = fresh
            return fresh

    def _load(self, origin: str, previous: _Entry | None) -> _Entry:
        url = f"{origin}/robots.txt"
        now = self._clock()
        usable = previous if previous is not None and previous.rules is not None else None
        try:
            page = self._fetcher.fetch(
                url,
                etag=usable.etag if usable else None,
                last_modified=usable.last_modified if usable else None,
            )
        except LimiterUnavailable:
            raise  # our own Redis is down, not the site: remember nothing about the site
        except HostUnreachable as exc:
            return _Entry(None, now + self._error_ttl, error=exc.reason, unreachable=True)
        except TransientError as exc:
            return _Entry(None, now + self._error_ttl, error=exc.reason)
        except PermanentError:
            return _Entry(Protego.parse(""), now + self._ttl)  # missing or refused: allow all
        if page.not_modified and usable is not None:
            return _Entry(usable.rules, now + self._ttl, usable.etag, usable.last_modified)
        return _Entry(_parse(page), now + self._ttl, page.etag, page.last_modified)


def _parse(page: FetchedPage) -> Protego:
    text = charset.decode(page.content[:MAX_ROBOTS_BYTES], page.encoding)
    return Protego.parse(text)
