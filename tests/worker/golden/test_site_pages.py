"""The seeds served by the test news site, fetched over real HTTP, extract to the golden texts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from corpus.settings import Settings
from testing.golden_texts import golden_path
from testing.local_site import Paths, SiteArticle
from testing.page_chrome import seed_paths
from worker.errors import PermanentError
from worker.extract import NO_ARTICLE, Extractor
from worker.fetch import SafeFetcher

pytestmark = pytest.mark.site(oversized_bytes=1024, bomb_bytes=1024)


@pytest.fixture
def fetcher(settings: Settings) -> Iterator[SafeFetcher]:
    with SafeFetcher(settings) as safe:
        yield safe


def _expected(article: SiteArticle, index: int) -> str:
    """The golden text; the site makes a seed's first line its <h1>, so that line is the title."""
    paragraphs = golden_path(seed_paths()[index]).read_text(encoding="utf-8").strip().split("\n\n")
    return "\n\n".join(p for p in paragraphs if p != article.title)


@pytest.mark.parametrize("index", range(5))
def test_site_article_extracts_to_golden_text(test_site, fetcher, index) -> None:
    """Nav, byline, share bar, comment form, 'Latest' sidebar and footer all stay out."""
    article = test_site.articles[index]
    extracted = Extractor().extract(fetcher.fetch(test_site.url(article.path)))
    assert extracted.text == _expected(article, index)
    assert extracted.author == article.author
    assert extracted.published == article.published
    assert extracted.canonical_url == test_site.url(article.path)


@pytest.mark.parametrize("path", [Paths.LOGIN, Paths.TAG])
def test_site_pages_without_article_are_refused(test_site, fetcher, path) -> None:
    """The login page and the tag listing hold no article."""
    page = fetcher.fetch(test_site.url(path))
    with pytest.raises(PermanentError, match=NO_ARTICLE):
        Extractor().extract(page)


def test_undeclared_legacy_encoding_is_decoded(test_site, fetcher) -> None:
    """A cp1252 page with no charset anywhere decodes without mojibake."""
    page = fetcher.fetch(test_site.url(Paths.LEGACY_ENCODING))
    try:
        text = Extractor().extract(page).text
    except PermanentError:
        pytest.fail("the legacy page holds a short article and should extract")
    assert "Zoë Müller" in text and "5 €" in text
