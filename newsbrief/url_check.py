"""The source URL check handed to the bot: the worker's safety rules, worded for an admin."""

from __future__ import annotations

from collections.abc import Callable

from corpus.settings import Settings
from corpus.sources import SourceError
from worker.errors import UnsafeURLError
from worker.fetch.urls import check_url, system_resolver


def source_url_checker(settings: Settings) -> Callable[[str], str]:
    """Return ``check(url) -> normalised url`` raising ``SourceError`` with the refusal reason.

    The host's addresses are checked when it resolves; a host that does not resolve now is
    accepted (the site need not be up) because every fetch checks the addresses again.
    """
    allow = settings.allow_private_networks

    def check(url: str) -> str:
        try:
            try:
                return check_url(url, allow_private=allow, resolver=system_resolver)
            except OSError:
                return check_url(url, allow_private=allow)
        except UnsafeURLError as exc:
            raise SourceError(exc.reason) from exc

    return check
