"""HTTPS through the checked connection: the certificate is verified against the host name."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from testing.fetch_settings import LOOPBACK, make_settings
from testing.local_site import LocalSite, Paths
from worker.errors import TransientError
from worker.fetch.http import SafeFetcher


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    """A throwaway certificate authority."""
    return trustme.CA()


def tls_site(ca: trustme.CA, *names: str) -> LocalSite:
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*names).configure_cert(server)
    return LocalSite(ssl_context=server)


@pytest.fixture
def client_context(ca: trustme.CA) -> ssl.SSLContext:
    """A client context trusting only the throwaway CA."""
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


@pytest.fixture
def tls_fetcher(tmp_path: Path, client_context: ssl.SSLContext) -> Iterator[SafeFetcher]:
    """A strict fetcher resolving news.example to the loopback site and trusting the test CA."""
    settings = make_settings(tmp_path, allow_private_networks=False)
    with SafeFetcher(
        settings,
        resolver=lambda host, port: ["127.0.0.1"],
        allowed_networks=LOOPBACK,
        ssl_context=client_context,
    ) as fetcher:
        yield fetcher


def test_https_page_over_checked_connection(tls_fetcher: SafeFetcher, ca: trustme.CA) -> None:
    """An HTTPS page is fetched from the checked address, verified for its host name."""
    with tls_site(ca, "news.example") as site:
        page = tls_fetcher.fetch(site.url(Paths.HOME, host="news.example"))
        assert site.requests[0].host == f"news.example:{site.port}"
    assert page.status == 200 and page.final_url.startswith("https://news.example:")


def test_certificate_for_another_name_is_refused(tls_fetcher: SafeFetcher, ca: trustme.CA) -> None:
    """A certificate not issued for the host name fails, naming the certificate."""
    with tls_site(ca, "other.example") as site:
        with pytest.raises(TransientError) as caught:
            tls_fetcher.fetch(site.url(Paths.HOME, host="news.example"))
        assert site.requests == []
    assert "certificate" in caught.value.reason.lower()
