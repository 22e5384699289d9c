"""The source URL check handed to the bot: the worker's safety rules, worded for an admin."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corpus.settings import Settings


def canonical_source_url(url: str) -> str:
    """Return a checked source URL in the canonical form article URLs take.

    ``?utm_source=x`` and ``#fragment`` spellings of one feed are then one source.
    """
    from worker.canonical import canonical_url  # courlan: loaded only when a source is added

    try:
        return canonical_url(url)
    except ValueError:
        return url


class SourceUrlChecker:
    """``check(url) -> canonical url``, raising ``SourceError`` with the refusal reason.

    The host's addresses are checked when it resolves; a host that does not resolve now is
    accepted (the site need not be up) because every fetch checks the addresses again.
    """

    def __init__(self, *, allow_private: bool) -> None:
        self.allow_private = allow_private

    def __call__(self, url: str) -> str:
        """Return ``url`` normalised, or raise ``SourceError`` saying why it is refused."""
        # Imported on first use: ``worker.fetch`` loads the HTTP stack, which the bot and
        # the console need only when a source is added.
        from corpus.sources import SourceError
        from worker.errors import UnsafeURLError
        from worker.fetch.urls import check_url, system_resolver

        try:
            try:
                checked = check_url(url, allow_private=self.allow_private, resolver=system_resolver)
            except OSError:
                checked = check_url(url, allow_private=self.allow_private)
        except UnsafeURLError as exc:
            raise SourceError(exc.reason) from exc
        return canonical_source_url(checked)


def source_url_checker(settings: Settings) -> SourceUrlChecker:
    """Return the URL check for ``settings`` (private networks allowed only when configured)."""
    return SourceUrlChecker(allow_private=settings.allow_private_networks)
