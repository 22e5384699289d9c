"""Extraction: metadata and refusing pages that hold no article."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml.etree import fromstring

from corpus.pipeline_values import FetchedPage
from testing.golden_texts import golden_path
from testing.page_chrome import seed_page, seed_paths
from worker.errors import PermanentError
from worker.extract import (
    NO_ARTICLE,
    Extractor,
    _body_text,
    detect_language,
    extract_html,
    extract_text_document,
)
from worker.protocols import Extractor as ExtractorProtocol

URL = "https://monitor.example.org/analysis/china-russia"
SEED = seed_paths()[0]

LOGIN_PAGE = """<html><head><title>Sign in</title></head><body>
<header><nav><a href="/">Home</a></nav></header>
<main><h1>Sign in</h1><form><label>Email</label><input name="email">
<label>Password</label><input type="password" name="password">
<label><input type="checkbox"> Remember me</label><button>Sign in</button></form>
<p><a href="/forgot">Forgot your password?</a></p>
<p>New here? <a href="/join">Create an account</a></p>
</main><footer>&copy; 2024 Example</footer></body></html>"""

TAG_PAGE = """<html><head><title>Tag: Russia | Example</title></head><body>
<main><h1>Russia</h1><ul class="archive">
<li><h2><a href="/a/1">Putin meets Xi in Beijing</a></h2>
  <p>The two leaders met on Monday and...</p></li>
<li><h2><a href="/a/2">Gas pipeline talks stall</a></h2>
  <p>Negotiators failed to agree on...</p></li>
<li><h2><a href="/a/3">Arctic route opens early</a></h2>
  <p>Shipping companies said the ice...</p></li>
<li><h2><a href="/a/4">Trade hits new record</a></h2>
  <p>Customs data released on Friday...</p></li>
</ul><nav class="pagination"><a href="?page=2">Next page</a></nav></main></body></html>"""


def test_html_metadata_is_extracted() -> None:
    """Title, author, timezone-aware date, site, language and canonical URL come from the page."""
    article = extract_html(seed_page(SEED, url=URL), URL + "?utm_source=feed")
    assert article.title == "Prospects of China – Russia Cooperation"
    assert article.author == "Jane Analyst"
    assert article.published == datetime(2024, 3, 5, 9, 30, tzinfo=UTC)
    assert article.site == "Example Monitor"
    assert article.language == "en"
    assert article.canonical_url == URL
    assert article.url == URL + "?utm_source=feed"


def test_html_bytes_are_accepted() -> None:
    """Bytes are decoded before extraction."""
    page = seed_page(SEED, url=URL).encode("utf-8")
    assert extract_html(page, URL).text == extract_html(page.decode("utf-8"), URL).text


def test_canonical_link_to_another_site_is_ignored() -> None:
    """A page cannot claim another site's URL as its canonical one."""
    page = seed_page(SEED, url="https://other.example.net/story")
    assert extract_html(page, URL).canonical_url == URL


def test_overlong_canonical_link_is_ignored() -> None:
    """A declared canonical URL longer than the store keeps gives way to the page's own."""
    long_url = URL.rstrip("/") + "/" + "a" * 2100
    assert extract_html(seed_page(SEED, url=long_url), URL).canonical_url == URL


@pytest.mark.parametrize(
    ("page", "why"),
    [
        (LOGIN_PAGE, "a login form"),
        (TAG_PAGE, "a tag listing"),
        ("<html><body><nav>Home | News</nav></body></html>", "navigation only"),
        ("", "an empty body"),
    ],
)
def test_page_without_article_is_refused(page: str, why: str) -> None:
    """Pages with no article body raise PermanentError with a plain reason."""
    with pytest.raises(PermanentError) as raised:
        extract_html(page, URL)
    assert raised.value.reason.startswith(NO_ARTICLE), why


CALENDAR = "".join(
    f"<li>Round {n}: {day} March – {track}</li>"
    for n, day, track in [(1, 10, "Interlagos"), (2, 17, "Curitiba"), (3, 24, "Velopark")] * 3
)


def test_declared_article_made_of_a_list_is_not_refused() -> None:
    """A page that says it is an article (og:type) may be a calendar: short lines count."""
    page = (
        '<html><head><meta property="og:type" content="article"></head><body><article>'
        f"<h1>Stock car calendar</h1><ul>{CALENDAR}</ul></article></body></html>"
    )
    assert "Round 2: 17 March – Curitiba" in extract_html(page, URL).text
    with pytest.raises(PermanentError):
        extract_html(page.replace('"article"', '"website"'), URL)


def test_declared_article_of_excerpts_is_refused() -> None:
    """Excerpts cut off with an ellipsis never count, even on a page calling itself an article."""
    page = TAG_PAGE.replace("<head>", '<head><meta property="og:type" content="article">')
    with pytest.raises(PermanentError):
        extract_html(page, URL)


def test_article_in_unspaced_script_is_not_refused() -> None:
    """A Japanese article (no spaces between words) counts as prose by its characters."""
    sentence = (
        "政府は火曜日、新しいエネルギー協定に署名したと発表し、関係者は今後の交渉に期待を示した。"
    )
    paragraphs = f"<p>{sentence * 2}</p><p>{sentence}</p>"
    page = f"<html><body><article><h1>協定</h1>{paragraphs}</article></body></html>"
    assert sentence in extract_html(page, URL).text


def test_paragraphs_only_in_the_declared_json_ld_body_are_merged() -> None:
    """A script-rendered article's rest, declared in JSON-LD as HTML, joins the shown part."""
    shown = (
        "Russia and China signed a new energy agreement on Tuesday in Moscow, officials said, "
        "after talks that lasted for most of the week and covered gas, oil and nuclear power."
    )
    hidden = (
        "The deal covers gas deliveries through a second pipeline across Mongolia from 2030, and "
        "its price formula, which negotiators had argued about for more than a decade, will stay "
        "secret, according to two people who took part in the talks."
    )
    declared = json.dumps(
        {"@graph": [{"@type": "NewsArticle", "articleBody": f"<p>{shown}</p><p>{hidden}</p>"}]}
    )
    page = (
        f'<html><head><script type="application/ld+json">{declared}</script></head><body>'
        f"<article><h1>Energy deal</h1><p>{shown}</p><p>{shown[:90]}.</p></article></body></html>"
    )
    text = extract_html(page, URL).text
    assert text.index(shown) < text.index(hidden)


def test_line_wrapped_paragraph_is_one_paragraph() -> None:
    """Line breaks inside a paragraph of the extracted body are layout; paragraphs stay apart.

    trafilatura keeps them when it falls back to another algorithm (a Blogger page did).
    """
    body = fromstring(
        "<body><p>\nPhotos\n which were released online, \nshow the actress.</p>"
        "<p>\nShe flaunted her bag.</p></body>"
    )
    assert _body_text(body).splitlines() == [
        "Photos which were released online, show the actress.",
        "She flaunted her bag.",
    ]


def test_single_block_fallback_keeps_its_line_breaks() -> None:
    """When the whole page's text sits in one element, its line breaks separate blocks."""
    assert _body_text(fromstring("<body><p>Home\nWorld\nLog in</p></body>")).splitlines() == [
        "Home",
        "World",
        "Log in",
    ]


def test_binary_junk_is_refused() -> None:
    """Bytes that are not text (an image, a zip) are refused, not parsed."""
    junk = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20
    with pytest.raises(PermanentError, match=NO_ARTICLE):
        extract_html(junk, URL)


def test_text_document_takes_title_and_date_line() -> None:
    """The seed's first line is the title and its date line the published date, not body."""
    article = extract_text_document(SEED.read_text(encoding="utf-8"), None)
    assert article.title == "Prospects of China – Russia Cooperation"
    assert article.published == datetime(2023, 1, 29, tzinfo=UTC)
    assert "2023/01/29" not in article.text
    assert article.author == "Hossein Sayyahi"
    assert article.language == "en"
    assert article.url == ""
    assert article.canonical_url is None


def test_text_document_title_drops_section_label() -> None:
    """'Title | Political News' gives the title alone."""
    article = extract_text_document(seed_paths()[1].read_text(encoding="utf-8"), None)
    assert article.title == "Why do China and Russia strengthen relations?"
    assert article.author is None  # 'Author: admin' names no one


def test_text_document_whose_first_line_is_a_heading_keeps_it_in_the_body() -> None:
    """'Introduction' is a heading, not a title: it stays, and the title comes from the lede."""
    article = extract_text_document(seed_paths()[3].read_text(encoding="utf-8"), None)
    assert article.text.startswith("Introduction\n\n")
    assert article.title.startswith("Beijing a world increasingly defined")


def test_text_document_with_given_title_and_url() -> None:
    """An explicit title is used as is; the URL is canonicalised."""
    text = SEED.read_text(encoding="utf-8")
    article = extract_text_document(text, "https://Example.org/a/?utm_source=x", title="Given")
    assert article.title == "Given"
    assert article.canonical_url == "https://example.org/a"
    assert article.site == "example.org"


def test_text_document_too_short_is_refused() -> None:
    """A text with no prose is not an article."""
    with pytest.raises(PermanentError, match=NO_ARTICLE):
        extract_text_document("Title\n\nLoading\n\nLeave a Reply", None)


def test_detect_language_needs_enough_text() -> None:
    """Short text falls back to the given hint; long text is classified."""
    assert detect_language("Hola", "es") == "es"
    russian = "Россия и Китай подписали новое соглашение о поставках газа на тридцать лет. " * 5
    assert detect_language(russian) == "ru"


def test_extractor_implements_the_protocol_for_html_and_text() -> None:
    """The Extractor turns FetchedPages (HTML in any charset, or text/plain) into articles."""
    extractor: ExtractorProtocol = Extractor()
    html = seed_page(SEED, url=URL)
    page = FetchedPage(
        url=URL,
        final_url=URL,
        status=200,
        content=html.encode("utf-16"),
        content_type="text/html; charset=utf-16",
        encoding="utf-16",
    )
    expected = golden_path(SEED).read_text(encoding="utf-8").rstrip("\n")
    assert extractor.extract(page).text == expected
    text_page = FetchedPage(
        url=URL + ".txt",
        final_url=URL + ".txt",
        status=200,
        content=SEED.read_bytes(),
        content_type="text/plain; charset=utf-8",
        encoding="utf-8",
    )
    article = extractor.extract(text_page)
    assert article.text == expected
    assert article.canonical_url == URL + ".txt"


def test_not_modified_page_is_not_extracted() -> None:
    """A 304 answer carries no page; extracting it is a caller error, said plainly."""
    page = FetchedPage(url=URL, final_url=URL, status=304, content=b"", not_modified=True)
    with pytest.raises(ValueError, match="not modified"):
        Extractor().extract(page)


@pytest.mark.parametrize(
    ("library", "adapter"),
    [("trafilatura", "worker/extract.py"), ("courlan", "worker/canonical.py")],
)
def test_big_library_is_wrapped_by_one_module(library: str, adapter: str) -> None:
    """Only the adapter module imports the library, so its options are pinned in one place."""
    root = Path(__file__).resolve().parents[2]
    importers = {
        path.relative_to(root).as_posix()
        for package in ("corpus", "worker", "bot", "newsbrief")
        for path in (root / package).rglob("*.py")
        if re.search(rf"^\s*(?:import|from) {library}\b", path.read_text(encoding="utf-8"), re.M)
    }
    assert importers == {adapter}


def test_prose_words_count_only_full_sentences() -> None:
    """The precise run is judged by the words of its full sentences: labels and links count 0."""
    from worker.extract import _prose_words

    sentence = "Russia and China signed a new energy agreement on Tuesday, officials said."
    assert _prose_words(f"{sentence}\nShare this\nMore") == len(sentence.split())
    assert _prose_words("Share this\nRead more stories from our team") == 0
    assert _prose_words(f"{sentence}\n{sentence}") == len(sentence.split())


def test_language_model_is_py3langids_own() -> None:
    """The identifier with mapped tables has py3langid's tables and classifies as it does."""
    import numpy as np
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from corpus.shipped import sample_paths
    from worker.langid_model import load_identifier

    ours = load_identifier(norm_probs=True)
    theirs = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    assert isinstance(ours.tk_nextmove, memoryview) and not ours.nb_ptc.flags.owndata
    assert ours.tk_nextmove == theirs.tk_nextmove and ours.tk_row == theirs.tk_row
    assert ours.tk_output == theirs.tk_output and ours.nb_classes == theirs.nb_classes
    assert np.array_equal(ours.nb_ptc, theirs.nb_ptc) and np.array_equal(ours.nb_pc, theirs.nb_pc)
    texts = [path.read_text(encoding="utf-8") for path in sample_paths()]
    texts += ["Russia and China signed a trade deal on Monday.", "Le traité a été signé hier."]
    texts += ["Россия и Китай подписали соглашение.", "中国和俄罗斯签署了贸易协定。", "", "12 34"]
    for text in texts:
        assert ours.classify(text) == theirs.classify(text)
        assert ours.rank(text) == theirs.rank(text)


def test_language_scores_are_py3langids_with_paragraphs_seen_before() -> None:
    """Walking a text paragraph by paragraph, remembered ones too, gives py3langid's scores."""
    import numpy as np
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from bench.drills.content import varied_article
    from bench.extraction_data import fundus_pages
    from corpus.shipped import sample_paths
    from worker.langid_model import SegmentedIdentifier, load_identifier

    ours = load_identifier(norm_probs=True)
    assert isinstance(ours, SegmentedIdentifier)
    theirs = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    texts = [path.read_text(encoding="utf-8") for path in sample_paths()]
    texts += ["\n\n".join(varied_article(number).paragraphs) for number in range(12)]
    texts += [page.expected.replace("\n", "\n\n") for page in fundus_pages()]
    # The same paragraphs again, in another order and after other text: other start states.
    texts += ["\n\n".join(reversed(text.split("\n\n"))) for text in texts[:8]]
    texts += [f"Le traité a été signé hier.\n\n{text}" for text in texts[:8]]
    for text in texts * 2:  # shared paragraphs (and, the second time, recent ones) remembered
        text = text[:20000]  # as detect_language classifies it
        assert np.array_equal(ours._decide(text), theirs._decide(text))
    assert ours._walks  # paragraphs were remembered
