"""Errors raised by pipeline stages, split into permanent and transient failures."""

from __future__ import annotations


class PipelineError(Exception):
    """A stage failed; ``reason`` is a sentence a source admin can act on."""

    permanent: bool = True

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PermanentError(PipelineError):
    """Retrying will not help (404/410, not HTML, no article body, refused URL)."""

    permanent = True


class TransientError(PipelineError):
    """Worth retrying later (timeout, connection error, 408/429/5xx)."""

    permanent = False

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class HostUnreachable(TransientError):
    """The host refused the connection or its name does not resolve (the site, not us)."""


class UnsafeURLError(PermanentError):
    """The URL is refused: bad scheme, credentials, or a private/loopback address."""
