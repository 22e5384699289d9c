"""``SafeFetcher``: fetch one URL over HTTP(S) safely and politely, on httpx.

Safety: every URL (and every redirect hop) passes ``check_url``; host names are resolved by us
and every resolved address is checked, then the socket connects to the checked address itself,
so DNS rebinding cannot slip another address in between. Bounds: connect/read timeouts, a total
deadline enforced on every socket operation, a body cap counted after decompression (which we
do ourselves, in bounded steps, so a gzip bomb cannot inflate in one go), and a redirect limit.

The parts beside it: ``transport`` (the checked sockets and the deadline), ``inflate``
(bounded decompression), ``sniffing`` (declared and actual content type) and ``retry_after``;
the body's encoding comes from ``worker.charset``.
"""

from __future__ import annotations

import contextvars
import ssl
import time
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from http import HTTPStatus
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from corpus.pipeline_values import FetchedPage
from corpus.settings import Settings
from worker.charset import detect_encoding
from worker.errors import HostUnreachable, PermanentError, TransientError
from worker.fetch.inflate import Inflater
from worker.fetch.politeness import HostLimiter
from worker.fetch.retry_after import parse_retry_after
from worker.fetch.robots import RobotsPolicy
from worker.fetch.sniffing import FetchKind, check_body, check_declared_type
from worker.fetch.transport import (
    DEADLINE,
    NAME_NOT_RESOLVED,
    CheckedNetworkBackend,
    CheckedTransport,
)
from worker.fetch.urls import Resolver, check_url, parse_networks, system_resolver

__all__ = ["FetchKind", "SafeFetcher", "detect_encoding", "parse_retry_after"]

ACCEPT = {
    "page": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.1",
    "feed": "application/rss+xml,application/atom+xml,application/xml;q=0.9,"
    "text/xml;q=0.9,*/*;q=0.1",
    "any": "*/*",
}
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
TRANSIENT_STATUSES = frozenset({408, 425, 429})


@dataclass(frozen=True, slots=True)
class _Redirect:
    location: str


class SafeFetcher:
    """Fetches pages, feeds and robots.txt files safely and politely (a ``Fetcher``).

    ``limiter`` spaces requests per host; ``robots`` is consulted before every request (pass
    None for the fetcher that reads robots.txt itself). ``allowed_networks`` lists addresses
    accepted even though private networks are not (e.g. one intranet host); ``resolver``
    replaces the system DNS resolver. ``kind`` is the default content expectation of ``fetch``;
    ``closing`` lists helper fetchers (the robots.txt one) closed together with this one;
    ``ssl_context`` replaces the default certificate checks (e.g. to trust a test CA).
    Waiting for a politeness slot is bounded by ``max_host_wait`` and is not part of the total
    deadline, which covers the network exchange from the first request to the last byte.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        limiter: HostLimiter | None = None,
        robots: RobotsPolicy | None = None,
        resolver: Resolver = system_resolver,
        allowed_networks: Iterable[str] = (),
        kind: FetchKind = "page",
        max_host_wait: float | None = 60.0,
        closing: Iterable[SafeFetcher] = (),
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self._settings = settings
        self._closing = tuple(closing)
        self._limiter = limiter
        self._robots = robots
        self._kind = kind
        self._max_host_wait = max_host_wait
        self._allow_private = settings.allow_private_networks
        self._allowed = parse_networks(allowed_networks)
        backend = CheckedNetworkBackend(self._allow_private, self._allowed, resolver)
        self._client = httpx.Client(
            transport=CheckedTransport(backend, httpx.Limits(max_connections=100), ssl_context),
            timeout=httpx.Timeout(
                settings.worker.fetch_read_timeout,
                connect=settings.worker.fetch_connect_timeout,
                pool=settings.worker.fetch_connect_timeout,
            ),
            follow_redirects=False,
            trust_env=False,
            headers={
                "User-Agent": settings.worker.effective_user_agent,
                "Accept-Encoding": "gzip, deflate",
            },
        )

    def close(self) -> None:
        """Close the connection pool (and those of the fetchers passed as ``closing``)."""
        self._client.close()
        for other in self._closing:
            other.close()

    def __enter__(self) -> SafeFetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        kind: FetchKind | None = None,
    ) -> FetchedPage:
        """Fetch ``url``; raise ``PermanentError``/``TransientError`` (with a reason) on failure.

        ``kind`` says what content is acceptable: ``"page"`` (HTML, XHTML, text), ``"feed"``
        (RSS, Atom, sitemaps and other XML) or ``"any"``. With ``etag``/``last_modified`` the
        request is conditional and an unchanged resource gives ``FetchedPage(not_modified=True)``.
        """
        kind = kind or self._kind
        start = check_url(url, allow_private=self._allow_private, allowed=self._allowed)
        current = start
        seen = {start}
        headers = {"Accept": ACCEPT[kind]}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        token: contextvars.Token[float | None] | None = None
        try:
            for _hop in range(self._settings.worker.fetch_max_redirects + 1):
                if self._robots is not None:
                    self._robots.check(current)
                with self._slot(current):
                    if token is None:  # the deadline starts with the first request
                        deadline = time.monotonic() + self._settings.worker.fetch_total_timeout
                        token = DEADLINE.set(deadline)
                    result = self._exchange(start, current, headers, kind)
                if isinstance(result, FetchedPage):
                    return result
                target = check_url(
                    urljoin(current, result.location),
                    allow_private=self._allow_private,
                    allowed=self._allowed,
                )
                if target in seen:
                    raise PermanentError(f"The address {start} redirects in a loop (via {target}).")
                seen.add(target)
                current = target
            raise PermanentError(
                f"The address {start} redirects more than "
                f"{self._settings.worker.fetch_max_redirects} times; giving up."
            )
        finally:
            if token is not None:
                DEADLINE.reset(token)

    def _slot(self, url: str) -> AbstractContextManager[None]:
        if self._limiter is None:
            return nullcontext()
        delay = self._robots.crawl_delay(url) if self._robots is not None else None
        return self._limiter.slot(
            urlsplit(url).hostname or "",
            min_interval=delay or 0.0,
            max_wait=self._max_host_wait,
        )

    def _exchange(
        self, start: str, url: str, headers: dict[str, str], kind: FetchKind
    ) -> FetchedPage | _Redirect:
        host = urlsplit(url).hostname or url
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                return self._answer(start, url, response, kind)
        except httpx.TimeoutException as exc:
            deadline = DEADLINE.get()
            if deadline is not None and time.monotonic() >= deadline - 0.05:
                raise TransientError(
                    f"The server at {host} took longer than "
                    f"{self._settings.worker.fetch_total_timeout:g} s in total to send {url}."
                ) from exc
            raise TransientError(f"The server at {host} did not answer in time ({exc}).") from exc
        except httpx.ConnectError as exc:
            raise HostUnreachable(_unreachable(host, exc)) from exc
        except httpx.TransportError as exc:
            raise TransientError(
                f"Could not connect to {host} or the connection broke: {exc}."
            ) from exc

    def _answer(
        self, start: str, url: str, response: httpx.Response, kind: FetchKind
    ) -> FetchedPage | _Redirect:
        status = response.status_code
        if status in REDIRECT_STATUSES:
            location = response.headers.get("Location")
            if not location:
                raise PermanentError(f"The server redirected {url} without saying where to.")
            return _Redirect(location)
        etag = response.headers.get("ETag")
        last_modified = response.headers.get("Last-Modified")
        if status == 304:  # a 304 need not repeat the validators; keep the ones we sent
            return FetchedPage(
                url=start,
                final_url=url,
                status=304,
                content=b"",
                etag=etag or response.request.headers.get("If-None-Match"),
                last_modified=last_modified or response.request.headers.get("If-Modified-Since"),
                not_modified=True,
            )
        if status in TRANSIENT_STATUSES or status >= 500:
            raise TransientError(
                f"The server answered {_status_words(response)} for {url}.",
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
            )
        if status >= 400 or status < 200:
            raise PermanentError(f"The server answered {_status_words(response)} for {url}.")
        content_type = response.headers.get("Content-Type", "")
        mime = content_type.split(";")[0].strip().lower()
        check_declared_type(url, mime, kind)
        body = self._read_body(url, response)
        check_body(url, mime, body, kind)
        return FetchedPage(
            url=start,
            final_url=url,
            status=status,
            content=body,
            content_type=content_type,
            encoding=detect_encoding(body, content_type),
            etag=etag,
            last_modified=last_modified,
        )

    def _read_body(self, url: str, response: httpx.Response) -> bytes:
        limit = self._settings.worker.fetch_max_bytes
        codings = [
            c.strip().lower()
            for c in response.headers.get("Content-Encoding", "").split(",")
            if c.strip() and c.strip().lower() != "identity"
        ]
        if len(codings) > 1 or (codings and codings[0] not in Inflater.WBITS):
            raise PermanentError(
                f"The server sent {url} with an unsupported content encoding "
                f"({', '.join(codings)})."
            )
        declared = response.headers.get("Content-Length", "")
        if not codings and declared.isdigit() and int(declared) > limit:
            raise PermanentError(f"The page {url} is larger than {_size(limit)}.")
        inflater = Inflater(codings[0]) if codings else None
        body = bytearray()
        for raw in response.iter_raw():
            pieces = inflater.feed(raw) if inflater else iter((raw,))
            for piece in pieces:
                body += piece
                if len(body) > limit:
                    raise PermanentError(f"The page {url} is larger than {_size(limit)}.")
        if inflater is not None and not inflater.finished():
            raise TransientError(f"The compressed body of {url} was cut short.")
        return bytes(body)


def _unreachable(host: str, exc: Exception) -> str:
    """Say that ``host`` cannot be reached, and how: refused, or a name that does not resolve."""
    detail = str(exc)
    if detail.startswith(NAME_NOT_RESOLVED):
        return f"The host {host} is unreachable: {detail}."
    if "refused" in detail.lower():
        return f"The host {host} is unreachable: it refused the connection ({detail})."
    return f"The host {host} is unreachable ({detail})."


def _status_words(response: httpx.Response) -> str:
    try:
        phrase = HTTPStatus(response.status_code).phrase
    except ValueError:
        phrase = response.reason_phrase
    return f"{response.status_code} {phrase}".strip()


def _size(limit: int) -> str:
    mb = limit / (1024 * 1024)
    if mb >= 1:
        return f"{mb:g} MB"
    return f"{limit} bytes"
