"""The checked transport under ``SafeFetcher``: resolve, check and connect to safe addresses.

Host names are resolved here and every resolved address is checked, then the socket connects
to the checked address itself, so DNS rebinding cannot slip another address in between. Every
socket operation also stops at the fetch's total deadline (``DEADLINE``).
"""

from __future__ import annotations

import contextvars
import ssl
import time
from collections.abc import Iterable

import httpcore
import httpx

from worker.errors import UnsafeURLError
from worker.fetch.urls import IPNetwork, Resolver, check_address, resolve_checked

NAME_NOT_RESOLVED = "its name does not resolve"  # starts the ConnectError of a failed lookup

# The moment (time.monotonic) by which the current fetch must be over; read by the sockets.
DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "fetch_deadline", default=None
)


def _capped(timeout: float | None, error: type[Exception]) -> float | None:
    deadline = DEADLINE.get()
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
            raise httpcore.ConnectError(f"{NAME_NOT_RESOLVED} ({exc})") from exc
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


class CheckedTransport(httpx.HTTPTransport):
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
