"""The seeds served by the test news site, fetched over real HTTP, extract to the golden texts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from corpus.settings import Settings
from tests.support.site import LocalSite, Paths, SiteArticle
from tests.worker.golden.chrome import seed_paths
from tests.worker.golden.regenerate import golden_path
from worker.errors import PermanentError
from worker.extract import NO_ARTICLE, Extractor
from worker.fetch import SafeFetcher


@pytest.fixture(scope="module")
def site() -> Iterator[LocalSite]:
    with LocalSite(oversized_bytes=1024, bomb_bytes=1024) as running:
        yield running


@pytest.fixture
def fetcher(settings: Settings) -> Iterator[SafeFetcher]:
    with SafeFetcher(settings) as safe:
        yield safe


def _expected(article: SiteArticle, index: int) -> str:
    """The golden text; the site makes a seed's first line its <h1>, so that line is the title."""
    paragraphs = golden_path(seed_paths()[index]).read_text(encoding="utf-8").strip().split("\n\n")
    return "\n\n".join(p for p in paragraphs if p != article.title)


@pytest.mark.parametrize("index", range(5))
def test_site_article_extracts_to_golden_text(site, fetcher, index) -> None:
    """Nav, byline, share bar, comment form, 'Latest' sidebar and footer all stay out."""
    article = site.articles[index]
    extracted = Extractor().extract(fetcher.fetch(site.url(article.path)))
    assert extracted.text == _expected(article, index)
    assert extracted.author == article.author
    assert extracted.published == article.published
    assert extracted.canonical_url == site.url(article.path)


@pytest.mark.parametrize("path", [Paths.LOGIN, Paths.TAG])
def test_site_pages_without_article_are_refused(site, fetcher, path) -> None:
    """The login page and the tag listing hold no article."""
    page = fetcher.fetch(site.url(path))
    with pytest.raises(PermanentError, match=NO_ARTICLE):
        Extractor().extract(page)


def test_undeclared_legacy_encoding_is_decoded(site, fetcher) -> None:
    """A cp1252 page with no charset anywhere decodes without mojibake."""
    page = fetcher.fetch(site.url(Paths.LEGACY_ENCODING))
    try:
        text = Extractor().extract(page).text
    except PermanentError:
        pytest.fail("the legacy page holds a short article and should extract")
    assert "Zoë Müller" in text and "5 €" in text
