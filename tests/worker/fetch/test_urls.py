"""URL and address safety: every SSRF trick is refused with a reason, ordinary URLs pass."""

from __future__ import annotations

import ipaddress

import pytest

from worker.errors import UnsafeURLError
from worker.fetch.urls import MAX_URL_LENGTH, check_address, check_url, resolve_checked

REFUSED = [
    # (url, words the reason must contain)
    ("ftp://example.com/file", "scheme ftp"),
    ("file:///etc/passwd", "scheme file"),
    ("gopher://example.com/", "scheme gopher"),
    ("javascript:alert(1)", "scheme javascript"),
    ("example.com/news", "no scheme"),
    ("http://user:secret@example.com/", "credentials"),
    ("http://user@example.com/", "credentials"),
    ("http://example.com\\@127.0.0.1/", "credentials"),
    ("http://[::1/", "malformed"),
    ("http://exa mple.com/", "malformed"),
    ("http://%31%32%37.0.0.1/", "malformed"),
    ("http://example.com:0/", "port 0"),
    ("http://example.com:99999/", "malformed"),
    ("http:///just-a-path", "no host"),
    ("http://exa\nmple.com/", "control characters"),
    ("http://256.1.1.1/", "not a valid IPv4"),
    ("http://1.2.3.4.5/", "not a valid IPv4"),
    ("http://127.0.0.1/", "loopback"),
    ("http://127.8.9.10:8080/", "loopback"),
    ("http://localhost/", "loopback"),
    ("http://LOCALHOST./", "loopback"),
    ("http://api.localhost/", "loopback"),
    ("http://[::1]/", "loopback"),
    ("http://10.0.0.1/", "private"),
    ("http://172.16.5.4/", "private"),
    ("http://192.168.1.1/", "private"),
    ("http://[fc00::1]/", "private"),
    ("http://169.254.1.1/", "link-local"),
    ("http://[fe80::1]/", "link-local"),
    ("http://[fe80::1%25eth0]/", "malformed"),
    ("http://100.64.0.1/", "carrier-grade NAT"),
    ("http://100.127.255.254/", "carrier-grade NAT"),
    ("http://224.0.0.1/", "multicast"),
    ("http://[ff02::1]/", "multicast"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://[::]/", "unspecified"),
    ("http://240.0.0.1/", "reserved"),
    ("http://169.254.169.254/latest/meta-data/", "metadata"),
    ("http://[fd00:ec2::254]/", "metadata"),
    ("http://100.100.100.200/", "metadata"),
    ("http://2130706433/", "127.0.0.1 in disguise"),
    ("http://0177.0.0.1/", "127.0.0.1 in disguise"),
    ("http://0x7f.1/", "127.0.0.1 in disguise"),
    ("http://0x7f000001/", "127.0.0.1 in disguise"),
    ("http://127.1/", "127.0.0.1 in disguise"),
    ("http://017700000001/", "127.0.0.1 in disguise"),
    ("http://0/", "0.0.0.0 in disguise"),
    ("http://3232235777/", "192.168.1.1 in disguise"),
    ("http://134744072/", "8.8.8.8 written in a disguised numeric form"),
    ("http://[::ffff:127.0.0.1]/", "127.0.0.1 (IPv4-mapped), a loopback"),
    ("http://[::ffff:7f00:1]/", "127.0.0.1 (IPv4-mapped), a loopback"),
    ("http://[::ffff:169.254.169.254]/", "metadata"),
    ("http://[::10.0.0.1]/", "10.0.0.1 (IPv4-compatible), a private"),
    ("http://[2002:7f00:1::]/", "127.0.0.1 (6to4), a loopback"),
    ("http://[2002:c0a8:101::1]/", "192.168.1.1 (6to4), a private"),
    ("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", "127.0.0.1 (Teredo client)"),
    ("http://[64:ff9b::a00:1]/", "10.0.0.1 (NAT64)"),
]


@pytest.mark.parametrize(("url", "words"), REFUSED, ids=[u for u, _ in REFUSED])
def test_refused_with_reason(url: str, words: str) -> None:
    """The URL is refused and the reason names what is wrong."""
    with pytest.raises(UnsafeURLError) as caught:
        check_url(url, allow_private=False)
    assert words.lower() in caught.value.reason.lower()


ACCEPTED = [
    ("https://example.com/news/1", "https://example.com/news/1"),
    ("HTTP://Example.COM:80/a b?q=1#top", "http://example.com/a%20b?q=1"),
    ("https://example.com:8443", "https://example.com:8443/"),
    ("https://bücher.de/x", "https://xn--bcher-kva.de/x"),
    ("http://8.8.8.8/", "http://8.8.8.8/"),
    ("http://1.1.1.1./", "http://1.1.1.1/"),
    ("http://[2606:4700:4700::1111]/", "http://[2606:4700:4700::1111]/"),
    ("https://news.example/2024/01/story.html", "https://news.example/2024/01/story.html"),
]


@pytest.mark.parametrize(("url", "expected"), ACCEPTED, ids=[u for u, _ in ACCEPTED])
def test_accepted_and_normalised(url: str, expected: str) -> None:
    """Ordinary public URLs pass and come back normalised."""
    assert check_url(url, allow_private=False) == expected


ADDRESS_ONLY = ["http://127.0.0.1:8080/x", "http://10.0.0.1/", "http://[::1]/", "http://localhost/"]


@pytest.mark.parametrize("url", ADDRESS_ONLY)
def test_allow_private_lifts_the_address_check(url: str) -> None:
    """With private networks allowed, private and loopback hosts pass."""
    assert check_url(url, allow_private=True).startswith("http://")


FORM_RULES = [
    ("ftp://127.0.0.1/", "scheme"),
    ("http://user:pw@127.0.0.1/", "credentials"),
    ("http://2130706433/", "disguised"),
    ("http://0x7f.1/", "disguised"),
]


@pytest.mark.parametrize(("url", "words"), FORM_RULES, ids=[u for u, _ in FORM_RULES])
def test_allow_private_keeps_the_other_rules(url: str, words: str) -> None:
    """Scheme, credential and numeric-form rules hold even with private networks allowed."""
    with pytest.raises(UnsafeURLError) as caught:
        check_url(url, allow_private=True)
    assert words in caught.value.reason


def test_allowed_network_admits_only_that_network() -> None:
    """An allowed network admits its addresses and nothing else."""
    loopback = (ipaddress.ip_network("127.0.0.1/32"),)
    assert check_url("http://127.0.0.1:81/", allow_private=False, allowed=loopback)
    with pytest.raises(UnsafeURLError):
        check_url("http://10.0.0.1/", allow_private=False, allowed=loopback)


def test_resolver_result_is_checked_in_check_url() -> None:
    """A name resolving to a private address is refused when a resolver is given."""
    with pytest.raises(UnsafeURLError) as caught:
        check_url(
            "http://intranet.example/", allow_private=False, resolver=lambda h, p: ["10.1.1.1"]
        )
    assert "intranet.example resolves to a refused address" in caught.value.reason


def test_one_bad_address_among_many_refuses_the_host() -> None:
    """A host resolving to a public and a private address is refused."""
    with pytest.raises(UnsafeURLError) as caught:
        resolve_checked("mixed.example", 80, False, (), lambda h, p: ["8.8.8.8", "127.0.0.1"])
    assert "loopback" in caught.value.reason


def test_resolved_public_addresses_pass() -> None:
    """Public resolved addresses come back parsed, in order."""
    addresses = ["8.8.8.8", "2001:4860::8888"]
    found = resolve_checked("ok.example", 80, False, (), lambda h, p: addresses)
    assert [str(a) for a in found] == addresses


def test_check_address_refuses_metadata() -> None:
    """check_address refuses the cloud metadata address and says so."""
    with pytest.raises(UnsafeURLError) as caught:
        check_address("169.254.169.254", allow_private=False)
    assert "metadata" in caught.value.reason


def test_check_address_with_zone_is_refused() -> None:
    """An IPv6 address with a zone id is local to this host and refused."""
    with pytest.raises(UnsafeURLError):
        check_address("fe80::1%eth0", allow_private=False)


def test_overlong_url_is_refused_before_parsing() -> None:
    """A URL longer than the 2048 characters the store keeps is refused, saying its length."""
    url = "https://example.com/" + "a" * 2040
    with pytest.raises(UnsafeURLError) as caught:
        check_url(url, allow_private=True)
    assert f"is {len(url)} characters long; at most 2048" in caught.value.reason
    assert check_url(url[:2048], allow_private=True) == url[:2048]


def test_url_limit_matches_the_store() -> None:
    """The limit is the length of the store's URL columns, so an accepted URL always fits."""
    from corpus.tables import Article, Source

    for column in (Article.url, Article.canonical_url, Source.url, Source.resolved_url):
        assert column.type.length == MAX_URL_LENGTH
