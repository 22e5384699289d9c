"""The URL check the bot receives refuses unsafe addresses with the worker's reason."""

from __future__ import annotations

import pytest

from corpus.settings import Settings
from corpus.sources import SourceError
from newsbrief.url_check import source_url_checker


def _settings(allow: bool) -> Settings:
    return Settings(_env_file=None, allow_private_networks=allow)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    "url,words",
    [
        ("http://10.1.2.3/feed.xml", "private network"),
        ("http://127.0.0.1:8080/rss", "127.0.0.1"),
        ("ftp://example.org/feed", "only http and https"),
        ("https://user:pw@example.org/", "credentials"),
    ],
)
def test_unsafe_urls_are_refused_with_a_reason(url: str, words: str) -> None:
    """Each refusal is a SourceError whose reason says what is wrong."""
    with pytest.raises(SourceError) as caught:
        source_url_checker(_settings(False))(url)
    assert words in caught.value.reason


def test_private_addresses_pass_when_allowed() -> None:
    """With private networks allowed (tests, a LAN deployment) a local URL is accepted."""
    assert source_url_checker(_settings(True))("http://127.0.0.1:8080/rss").startswith("http://")


def test_unresolvable_host_is_accepted_for_a_later_check() -> None:
    """A host that does not resolve now is stored; every fetch checks its addresses again."""
    url = "https://no-such-host.invalid/feed.xml"
    assert source_url_checker(_settings(False))(url) == url


def test_the_bot_is_given_this_check(settings) -> None:
    """`newsbrief bot` hands the bot this check, so /sources add refuses what the CLI refuses."""
    from newsbrief.commands.bot import make_resources
    from newsbrief.runtime import open_runtime

    runtime = open_runtime(settings.model_copy(update={"allow_private_networks": False}))
    try:
        with pytest.raises(SourceError, match="private network"):
            make_resources(runtime).check_url("http://10.0.0.8/rss")
    finally:
        runtime.engine.dispose()


def test_tracking_parameters_and_fragments_are_dropped_like_article_urls() -> None:
    """A source URL is canonical: utm_* parameters and the fragment go, the host is lowercased."""
    check = source_url_checker(_settings(True))
    assert check("http://127.0.0.1:9/Feed.xml?utm_source=x&b=2&a=1#frag") == (
        "http://127.0.0.1:9/Feed.xml?a=1&b=2"
    )
