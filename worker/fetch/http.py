"""``SafeFetcher``: fetch one URL over HTTP(S) safely and politely, on httpx.

Safety: every URL (and every redirect hop) passes ``check_url``; host names are resolved by us
and every resolved address is checked, then the socket connects to the checked address itself,
so DNS rebinding cannot slip another address in between. Bounds: connect/read timeouts, a total
deadline enforced on every socket operation, a body cap counted after decompression (which we
do ourselves, in bounded steps, so a gzip bomb cannot inflate in one go), and a redirect limit.
"""

from __future__ import annotations

import codecs
import contextvars
import re
import ssl
import time
import zlib
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from types import TracebackType
from typing import ClassVar, Literal
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import httpcore
import httpx

from corpus.records import FetchedPage
from corpus.settings import Settings
from worker.errors import HostUnreachable, PermanentError, TransientError, UnsafeURLError
from worker.fetch.politeness import HostLimiter
from worker.fetch.robots import RobotsPolicy
from worker.fetch.urls import (
    IPNetwork,
    Resolver,
    check_address,
    check_url,
    parse_networks,
    resolve_checked,
    system_resolver,
)

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
ACCEPT = {
    "page": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.1",
    "feed": "application/rss+xml,application/atom+xml,application/xml;q=0.9,"
    "text/xml;q=0.9,*/*;q=0.1",
    "any": "*/*",
}
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
TRANSIENT_STATUSES = frozenset({408, 425, 429})
_INFLATE_STEP = 64 * 1024  # most bytes one decompression step may produce
_FEED_START = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(rss|feed|rdf:RDF|urlset|sitemapindex)\b", re.S
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_BINARY_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive",
    b"\x1f\x8b": "gzip-compressed data",
    b"RIFF": "a media file",
}

_NAME_NOT_RESOLVED = "its name does not resolve"  # starts the ConnectError of a failed lookup

# The moment (time.monotonic) by which the current fetch must be over; read by the sockets.
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "fetch_deadline", default=None
)


def _capped(timeout: float | None, error: type[Exception]) -> float | None:
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("the total deadline of the fetch has passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read and write also stops at the fetch's total deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _capped(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _capped(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: object,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(
            ssl_context,  # type: ignore[arg-type]
            server_hostname,
            _capped(timeout, httpcore.ConnectTimeout),
        )
        return _DeadlineStream(inner)

    def get_extra_info(self, info: str) -> object:
        return self._inner.get_extra_info(info)


class CheckedNetworkBackend(httpcore.NetworkBackend):
    """Resolves host names itself, checks every address, and connects only to checked ones."""

    def __init__(
        self, allow_private: bool, allowed: Iterable[IPNetwork], resolver: Resolver
    ) -> None:
        self._allow_private = allow_private
        self._allowed = tuple(allowed)
        self._resolver = resolver
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        """Resolve ``host``, check every address, connect to the first checked one that answers."""
        try:
            addresses = resolve_checked(
                host, port, self._allow_private, self._allowed, self._resolver
            )
        except OSError as exc:
            raise httpcore.ConnectError(f"{_NAME_NOT_RESOLVED} ({exc})") from exc
        failure: Exception | None = None
        for address in addresses:
            try:
                stream = self._inner.connect_tcp(
                    str(address),
                    port,
                    timeout=_capped(timeout, httpcore.ConnectTimeout),
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            self._check_peer(stream)
            return _DeadlineStream(stream)
        assert failure is not None
        raise failure

    def _check_peer(self, stream: httpcore.NetworkStream) -> None:
        sock = stream.get_extra_info("socket")
        try:
            peer = sock.getpeername()[0]
            check_address(peer, self._allow_private, allowed=self._allowed)
        except UnsafeURLError:
            stream.close()
            raise

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        """Refuse: the worker never talks to local Unix sockets."""
        raise UnsafeURLError("Connections to local Unix sockets are refused.")

    def sleep(self, seconds: float) -> None:
        """Sleep (httpcore uses it between retries)."""
        time.sleep(seconds)


class _CheckedTransport(httpx.HTTPTransport):
    """httpx's transport with the connection pool built on ``CheckedNetworkBackend``."""

    def __init__(
        self,
        backend: httpcore.NetworkBackend,
        limits: httpx.Limits,
        ssl_context: ssl.SSLContext | None,
    ) -> None:
        super().__init__(limits=limits, trust_env=False)
        # httpx offers no public hook for the network backend, so the pool is rebuilt here.
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context or httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=backend,
        )


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
            transport=_CheckedTransport(backend, httpx.Limits(max_connections=100), ssl_context),
            timeout=httpx.Timeout(
                settings.fetch_read_timeout,
                connect=settings.fetch_connect_timeout,
                pool=settings.fetch_connect_timeout,
            ),
            follow_redirects=False,
            trust_env=False,
            headers={
                "User-Agent": settings.effective_user_agent,
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
            for _hop in range(self._settings.fetch_max_redirects + 1):
                if self._robots is not None:
                    self._robots.check(current)
                with self._slot(current):
                    if token is None:  # the deadline starts with the first request
                        deadline = time.monotonic() + self._settings.fetch_total_timeout
                        token = _DEADLINE.set(deadline)
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
                f"{self._settings.fetch_max_redirects} times; giving up."
            )
        finally:
            if token is not None:
                _DEADLINE.reset(token)

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
            deadline = _DEADLINE.get()
            if deadline is not None and time.monotonic() >= deadline - 0.05:
                raise TransientError(
                    f"The server at {host} took longer than "
                    f"{self._settings.fetch_total_timeout:g} s in total to send {url}."
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
        _check_declared_type(url, mime, kind)
        body = self._read_body(url, response)
        _check_body(url, mime, body, kind)
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
        limit = self._settings.fetch_max_bytes
        codings = [
            c.strip().lower()
            for c in response.headers.get("Content-Encoding", "").split(",")
            if c.strip() and c.strip().lower() != "identity"
        ]
        if len(codings) > 1 or (codings and codings[0] not in _Inflater.WBITS):
            raise PermanentError(
                f"The server sent {url} with an unsupported content encoding "
                f"({', '.join(codings)})."
            )
        declared = response.headers.get("Content-Length", "")
        if not codings and declared.isdigit() and int(declared) > limit:
            raise PermanentError(f"The page {url} is larger than {_size(limit)}.")
        inflater = _Inflater(codings[0]) if codings else None
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
    if detail.startswith(_NAME_NOT_RESOLVED):
        return f"The host {host} is unreachable: {detail}."
    if "refused" in detail.lower():
        return f"The host {host} is unreachable: it refused the connection ({detail})."
    return f"The host {host} is unreachable ({detail})."


class _Inflater:
    """Decompresses gzip/deflate in steps of at most ``_INFLATE_STEP`` output bytes."""

    WBITS: ClassVar[dict[str, int]] = {"gzip": 31, "x-gzip": 31, "deflate": 15}

    def __init__(self, coding: str) -> None:
        self._coding = coding
        self._first = True
        self._obj = zlib.decompressobj(self.WBITS[coding])

    def feed(self, data: bytes) -> Iterator[bytes]:
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
            yield self._obj.decompress(data, _INFLATE_STEP)
            data = self._obj.unconsumed_tail
            if self._obj.eof and self._obj.unused_data.strip(b"\0"):
                data = self._obj.unused_data  # another gzip member follows
                self._obj = zlib.decompressobj(self.WBITS[self._coding])

    def finished(self) -> bool:
        return self._obj.eof


def _check_declared_type(url: str, mime: str, kind: FetchKind) -> None:
    if kind == "page" and mime and mime not in PAGE_TYPES:
        raise PermanentError(f"The address {url} is not a web page: the server says it is {mime}.")
    if kind == "feed" and mime and mime not in FEED_TYPES and mime not in SNIFFED_TYPES:
        raise PermanentError(
            f"The address {url} is not a feed or sitemap: the server says it is {mime}."
        )


def _check_body(url: str, mime: str, body: bytes, kind: FetchKind) -> None:
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


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delay seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


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
