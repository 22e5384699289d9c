"""SafeFetcher against the local test site: success, error mapping, bounds and safety."""

from __future__ import annotations

import gzip
import socket
import tracemalloc
import zlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from testing.fetch_settings import LOOPBACK, make_settings
from testing.local_site import MB, PRIVATE_REDIRECT_TARGET, LocalSite, Paths, gzip_bomb
from worker.errors import HostUnreachable, PermanentError, TransientError, UnsafeURLError
from worker.fetch.http import SafeFetcher, detect_encoding, parse_retry_after


def test_fetches_an_article_page(fetcher: SafeFetcher, test_site: LocalSite) -> None:
    """An article comes back with its bytes, type, encoding and validators."""
    article = test_site.articles[0]
    page = fetcher.fetch(test_site.url(article.path))
    assert page.status == 200
    assert article.title.encode() in page.content
    assert (page.encoding, page.content_type) == ("utf-8", "text/html; charset=utf-8")
    assert page.etag and page.last_modified


def test_sends_the_configured_user_agent(fetcher: SafeFetcher, test_site: LocalSite) -> None:
    """Requests carry the user agent naming the project and its contact URL."""
    fetcher.fetch(test_site.url(Paths.HOME))
    [request] = test_site.requests_for(Paths.HOME)
    assert request.header("User-Agent") == "newsbrief/0.1 (+https://github.com/newsbrief/newsbrief)"


def test_404_is_permanent(fetcher: SafeFetcher, test_site: LocalSite) -> None:
    """A 404 is a permanent failure saying so in words."""
    with pytest.raises(PermanentError) as caught:
        fetcher.fetch(test_site.url(Paths.MISSING))
    assert "The server answered 404 Not Found" in caught.value.reason


def test_410_is_permanent(fetcher: SafeFetcher, test_site: LocalSite) -> None:
    """A 410 is a permanent failure."""
    with pytest.raises(PermanentError) as caught:
        fetcher.fetch(test_site.url(Paths.GONE))
    assert "410 Gone" in caught.value.reason


def test_other_4xx_is_permanent(fetcher: SafeFetcher, test_site: LocalSite) -> None:
    """A 403 is permanent too."""
    test_site.add_page("/forbidden", "no", status=403)
    with pytest.raises(PermanentError) as caught:
        fetcher.fetch(test_site.url("/forbidden"))
    assert "403 Forbidden" in caught.value.reason


def test_503_is_transient_with_retry_after_seconds(
    fetcher: SafeFetcher, test_site: LocalSite
) -> None:
    """A 503 is transient and carries the Retry-After delay."""
    with pytest.raises(TransientError) as caught:
        fetcher.fetch(test_site.url(Paths.UNAVAILABLE))
    assert "503 Service Unavailable" in caught.value.reason
    assert caught.value.retry_after == 120.0


@pytest.mark.parametrize("status", [408, 429, 500, 502, 504])
def test_retryable_statuses_are_transient(
    fetcher: SafeFetcher, test_site: LocalSite, status: int
) -> None:
    """408, 429 and 5xx answers are transient."""
    test_site.add_page("/flaky", "later", status=status)
    with pytest.raises(TransientError) as caught:
        fetcher.fetch(test_site.url("/flaky"))
    assert str(status) in caught.value.reason


def test_429_retry_after_as_http_date(fetcher: SafeFetcher, test_site: LocalSite) -> None:
    """A Retry-After given as an HTTP date becomes seconds from now."""
    when = datetime.now(UTC) + timedelta(seconds=300)
    test_site.add_page(
        "/throttled", "slow down", status=429, headers={"Retry-After": format_datetime(when, True)}
    )
    with pytest.raises(TransientError) as caught:
        fetcher.fetch(test_site.url("/throttled"))
    assert caught.value.retry_after is not None
    assert 250 <= caught.value.retry_after <= 300


def test_parse_retry_after_forms() -> None:
    """Retry-After parses seconds, HTTP dates (past dates give 0) and ignores junk."""
    now = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("42", now) == 42.0
    assert parse_retry_after("Wed, 01 May 2024 12:01:00 GMT", now) == 60.0
    assert parse_retry_after("Wed, 01 May 2024 11:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None


def test_redirect_chain_is_followed(fetcher: SafeFetcher, test_site: LocalSite) -> None:
    """A two-hop redirect chain ends at the article, remembering where it started."""
    page = fetcher.fetch(test_site.url(Paths.REDIRECT_CHAIN))
    assert page.final_url == test_site.url(test_site.articles[0].path)
    assert page.url == test_site.url(Paths.REDIRECT_CHAIN)
    assert len(test_site.requests) == 3


def test_redirect_loop_is_refused(fetcher: SafeFetcher, test_site: LocalSite) -> None:
    """An endless redirect loop is a permanent failure."""
    with pytest.raises(PermanentError) as caught:
        fetcher.fetch(test_site.url(Paths.REDIRECT_LOOP))
    assert "loop" in caught.value.reason


def test_too_many_redirects_are_refused(tmp_path: Path, test_site: LocalSite) -> None:
    """More redirects than fetch_max_redirects is a permanent failure, without extra requests."""
    for hop in range(5):
        test_site.add_redirect(f"/hop/{hop}", f"/hop/{hop + 1}")
    with SafeFetcher(make_settings(tmp_path, fetch_max_redirects=3)) as safe:
        with pytest.raises(PermanentError) as caught:
            safe.fetch(test_site.url("/hop/0"))
    assert "more than 3 times" in caught.value.reason
    assert len(test_site.requests) == 4


def test_redirect_to_private_address_refused_before_connecting(
    strict_fetcher: SafeFetcher, test_site: LocalSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A redirect to 10.0.0.1 is refused with a reason, and no socket ever connects there."""
    attempted: list[object] = []
    real_connect = socket.socket.connect  # the autouse network guard

    def recording_connect(self: socket.socket, address: object) -> None:
        attempted.append(address)
        real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", recording_connect)
    with pytest.raises(UnsafeURLError) as caught:
        strict_fetcher.fetch(test_site.url(Paths.REDIRECT_PRIVATE))
    assert "10.0.0.1" in caught.value.reason and "private" in caught.value.reason
    assert PRIVATE_REDIRECT_TARGET.startswith("http://10.0.0.1")
    assert all(a[0] == "127.0.0.1" for a in attempted)  # type: ignore[index]
    assert len(test_site.requests_for(Paths.REDIRECT_PRIVATE)) == 1


def test_name_resolving_to_private_address_refused_at_connect(
    tmp_path: Path, test_site: LocalSite
) -> None:
    """A host name passing the URL check but resolving to a refused address is not connected."""
    settings = make_settings(tmp_path, allow_private_networks=False)
    with SafeFetcher(settings, resolver=lambda host, port: ["127.0.0.1"]) as safe:
        with pytest.raises(UnsafeURLError) as caught:
            safe.fetch(test_site.url(Paths.HOME, host="rebind.example"))
    assert "rebind.example resolves to a refused address" in caught.value.reason
    assert test_site.requests == []


def test_connects_to_the_resolved_address(tmp_path: Path, test_site: LocalSite) -> None:
    """A name resolved by our resolver is connected at the checked address, Host kept."""
    settings = make_settings(tmp_path, allow_private_networks=False)
    resolver_calls: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        resolver_calls.append(host)
        return ["127.0.0.1"]

    with SafeFetcher(settings, resolver=resolver, allowed_networks=LOOPBACK) as safe:
        page = safe.fetch(test_site.url(Paths.HOME, host="news.example"))
    assert page.status == 200 and resolver_calls == ["news.example"]
    assert test_site.requests[0].host == f"news.example:{test_site.port}"


def test_unresolvable_host_is_transient(tmp_path: Path) -> None:
    """A name that does not resolve is a transient connection failure."""

    def resolver(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    with SafeFetcher(make_settings(tmp_path), resolver=resolver) as safe:
        with pytest.raises(TransientError) as caught:
            safe.fetch("http://nowhere.example/")
    assert caught.value.reason == (
        "The host nowhere.example is unreachable: its name does not resolve "
        "(Name or service not known)."
    )
    assert isinstance(caught.value, HostUnreachable)


def test_refused_connection_is_transient(fetcher: SafeFetcher) -> None:
    """A port nobody listens on gives a transient failure."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(TransientError) as caught:
        fetcher.fetch(f"http://127.0.0.1:{port}/")
    assert caught.value.reason.startswith(
        "The host 127.0.0.1 is unreachable: it refused the connection"
    )


def test_unsafe_start_url_refused_without_request(
    strict_fetcher: SafeFetcher, test_site: LocalSite
) -> None:
    """The start URL itself is checked: credentials are refused before any request."""
    with pytest.raises(UnsafeURLError):
        strict_fetcher.fetch(f"http://user:pw@127.0.0.1:{test_site.port}/")
    assert test_site.requests == []


def test_slow_endpoint_stops_at_the_total_deadline(tmp_path: Path, test_site: LocalSite) -> None:
    """A server dripping one byte a second is cut off at the total deadline, as transient."""
    settings = make_settings(tmp_path, fetch_total_timeout=2.0, fetch_read_timeout=10.0)
    with SafeFetcher(settings) as safe:
        with pytest.raises(TransientError) as caught:
            safe.fetch(test_site.url(Paths.SLOW))
    assert "longer than 2 s in total" in caught.value.reason


def test_silent_server_stops_at_the_read_timeout(tmp_path: Path) -> None:
    """A server that stops sending for longer than the read timeout is a transient failure."""
    settings = make_settings(tmp_path, fetch_total_timeout=30.0, fetch_read_timeout=0.3)
    with LocalSite(slow_bytes=3, slow_interval=5.0) as site, SafeFetcher(settings) as safe:
        with pytest.raises(TransientError) as caught:
            safe.fetch(site.url(Paths.SLOW))
    assert "did not answer in time" in caught.value.reason


def test_oversized_body_is_aborted(tmp_path: Path) -> None:
    """A body beyond the cap is refused as too large, before all of it is read."""
    with LocalSite(oversized_bytes=8 * MB) as site:
        with SafeFetcher(make_settings(tmp_path, fetch_max_bytes=1 * MB)) as safe:
            with pytest.raises(PermanentError) as caught:
                safe.fetch(site.url(Paths.OVERSIZED))
    assert "larger than 1 MB" in caught.value.reason


def test_declared_oversized_body_is_refused_early(tmp_path: Path, test_site: LocalSite) -> None:
    """A Content-Length above the cap is refused without reading the body."""
    test_site.add_page("/large", b"x" * (2 * MB))
    with SafeFetcher(make_settings(tmp_path, fetch_max_bytes=1 * MB)) as safe:
        with pytest.raises(PermanentError) as caught:
            safe.fetch(test_site.url("/large"))
    assert "larger than 1 MB" in caught.value.reason


def test_default_cap_is_20_mb(fetcher: SafeFetcher, test_site: LocalSite) -> None:
    """With the default settings the 25 MB body is refused as larger than 20 MB."""
    with pytest.raises(PermanentError) as caught:
        fetcher.fetch(test_site.url(Paths.OVERSIZED))
    assert "larger than 20 MB" in caught.value.reason


def test_gzip_bomb_is_aborted_with_bounded_memory(tmp_path: Path) -> None:
    """A 25 MB gzip bomb is stopped at a 1 MB cap without inflating much past it."""
    gzip_bomb(25 * MB)  # built (and cached) before memory is traced
    with LocalSite(bomb_bytes=25 * MB) as site:
        with SafeFetcher(make_settings(tmp_path, fetch_max_bytes=1 * MB)) as safe:
            tracemalloc.start()
            try:
                with pytest.raises(PermanentError) as caught:
                    safe.fetch(site.url(Paths.GZIP_BOMB))
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
    assert "larger than 1 MB" in caught.value.reason
    assert peak < 6 * MB


@pytest.mark.parametrize(
    ("coding", "compress"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data, wbits=-15)),  # raw deflate
    ],
    ids=["gzip", "deflate-zlib", "deflate-raw"],
)
def test_compressed_body_is_decompressed(
    fetcher: SafeFetcher, test_site: LocalSite, coding: str, compress: Callable[[bytes], bytes]
) -> None:
    """A compressed page under the cap comes back decompressed."""
    html = b"<html><body><p>Trade between Russia and China grew.</p></body></html>"
    test_site.add_page("/packed", compress(html), headers={"Content-Encoding": coding})
    assert fetcher.fetch(test_site.url("/packed")).content == html


def test_unknown_content_encoding_is_refused(fetcher: SafeFetcher, test_site: LocalSite) -> None:
    """A content encoding we did not offer is a permanent failure naming it."""
    test_site.add_page("/brotli", b"\x1b\x00", headers={"Content-Encoding": "br"})
    with pytest.raises(PermanentError) as caught:
        fetcher.fetch(test_site.url("/brotli"))
    assert "unsupported content encoding (br)" in caught.value.reason


def test_binary_served_as_html_is_refused(fetcher: SafeFetcher, test_site: LocalSite) -> None:
    """Binary bytes labelled text/html are refused, naming what they look like."""
    with pytest.raises(PermanentError) as caught:
        fetcher.fetch(test_site.url(Paths.BINARY_AS_HTML))
    assert "PNG image" in caught.value.reason


def test_non_utf8_page_without_charset_is_decoded(
    fetcher: SafeFetcher, test_site: LocalSite
) -> None:
    """A cp1252 page with no declared charset is detected as cp1252."""
    page = fetcher.fetch(test_site.url(Paths.LEGACY_ENCODING))
    assert page.encoding == "cp1252"
    text = page.content.decode(page.encoding)
    assert "naïve façade" in text and "5 €" in text and "Zoë Müller" in text


def test_encoding_from_meta_and_bom() -> None:
    """Meta charset, XML declaration and BOM name the encoding when the header does not."""
    assert detect_encoding(b'<html><meta charset="koi8-r"><p>x') == "koi8-r"
    assert detect_encoding(b'<?xml version="1.0" encoding="ISO-8859-1"?><rss/>') == "cp1252"
    assert detect_encoding(b"\xef\xbb\xbf<p>x</p>") == "utf-8-sig"
    assert detect_encoding(b"<p>x</p>", "text/html; charset=Shift_JIS") == "shift_jis"


def test_feed_is_not_a_page(fetcher: SafeFetcher, test_site: LocalSite) -> None:
    """Asking for a page and getting an RSS document is a permanent failure."""
    with pytest.raises(PermanentError) as caught:
        fetcher.fetch(test_site.url(Paths.RSS), kind="page")
    assert "application/rss+xml" in caught.value.reason


def test_feeds_and_sitemaps_accepted_as_feeds(fetcher: SafeFetcher, test_site: LocalSite) -> None:
    """RSS, Atom, sitemaps and a sitemap index are all accepted as feeds."""
    for path in (Paths.RSS, Paths.ATOM, Paths.SITEMAP, Paths.NEWS_SITEMAP, Paths.SITEMAP_INDEX):
        assert fetcher.fetch(test_site.url(path), kind="feed").status == 200


def test_feed_served_as_html_is_sniffed(fetcher: SafeFetcher, test_site: LocalSite) -> None:
    """An RSS document mislabelled text/html is still accepted as a feed."""
    rss = test_site.render_rss(test_site.article_items())
    test_site.add_page("/mislabelled", rss, content_type="text/html")
    page = fetcher.fetch(test_site.url("/mislabelled"), kind="feed")
    assert page.content.startswith(b"<?xml")


def test_html_page_is_not_a_feed(fetcher: SafeFetcher, test_site: LocalSite) -> None:
    """A web page asked for as a feed is a permanent failure."""
    with pytest.raises(PermanentError) as caught:
        fetcher.fetch(test_site.url(Paths.HOME), kind="feed")
    assert "not a feed" in caught.value.reason


def test_image_is_not_a_page(fetcher: SafeFetcher, test_site: LocalSite) -> None:
    """A declared image type is refused for a page."""
    test_site.add_page("/photo.jpg", b"\xff\xd8\xff\xe0", content_type="image/jpeg")
    with pytest.raises(PermanentError) as caught:
        fetcher.fetch(test_site.url("/photo.jpg"))
    assert "image/jpeg" in caught.value.reason


def test_conditional_get_by_etag_is_not_modified(
    fetcher: SafeFetcher, test_site: LocalSite
) -> None:
    """Sending the ETag back gives not_modified and an empty body."""
    first = fetcher.fetch(test_site.url(Paths.RSS), kind="feed")
    again = fetcher.fetch(test_site.url(Paths.RSS), kind="feed", etag=first.etag)
    assert again.not_modified and again.content == b"" and again.status == 304
    assert test_site.requests[-1].header("If-None-Match") == first.etag


def test_conditional_get_by_date_is_not_modified(
    fetcher: SafeFetcher, test_site: LocalSite
) -> None:
    """Sending Last-Modified back gives not_modified."""
    first = fetcher.fetch(test_site.url(Paths.ATOM), kind="feed")
    again = fetcher.fetch(test_site.url(Paths.ATOM), kind="feed", last_modified=first.last_modified)
    assert again.not_modified


def test_conditional_get_after_change_returns_content(
    fetcher: SafeFetcher, test_site: LocalSite
) -> None:
    """After the feed changes, the old ETag brings the new content."""
    first = fetcher.fetch(test_site.url(Paths.RSS), kind="feed")
    test_site.add_article("Breaking", ["Something happened today in Beijing."])
    again = fetcher.fetch(test_site.url(Paths.RSS), kind="feed", etag=first.etag)
    assert not again.not_modified and b"Breaking" in again.content


def test_not_modified_keeps_the_sent_validators(fetcher: SafeFetcher, test_site: LocalSite) -> None:
    """A bare 304 without validators still returns the ETag and date that were sent."""
    test_site.add_page("/bare-304", b"", status=304)
    sent = ('"v1"', "Mon, 01 Jan 2024 00:00:00 GMT")
    page = fetcher.fetch(test_site.url("/bare-304"), etag=sent[0], last_modified=sent[1])
    assert page.not_modified and (page.etag, page.last_modified) == sent


def test_redirect_to_another_scheme_is_refused(fetcher: SafeFetcher, test_site: LocalSite) -> None:
    """A redirect to file: is refused even with private networks allowed."""
    test_site.add_redirect("/to-file", "file:///etc/passwd")
    with pytest.raises(UnsafeURLError) as caught:
        fetcher.fetch(test_site.url("/to-file"))
    assert "scheme file" in caught.value.reason


def test_redirect_to_metadata_address_is_refused(
    strict_fetcher: SafeFetcher, test_site: LocalSite
) -> None:
    """A redirect to the cloud metadata address is refused and nothing is requested there."""
    test_site.add_redirect("/to-metadata", "http://169.254.169.254/latest/meta-data/")
    with pytest.raises(UnsafeURLError) as caught:
        strict_fetcher.fetch(test_site.url("/to-metadata"))
    assert "metadata" in caught.value.reason


def test_relative_redirect_is_resolved(fetcher: SafeFetcher, test_site: LocalSite) -> None:
    """A relative Location is resolved against the current URL."""
    article = test_site.articles[1]
    test_site.add_redirect("/section/old/story", "../../" + article.path.lstrip("/"))
    page = fetcher.fetch(test_site.url("/section/old/story"))
    assert page.final_url == test_site.url(article.path)
