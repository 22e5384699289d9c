"""Link density: teaser links go, the article's own sentences and subheadings stay."""

from __future__ import annotations

from lxml.html import fromstring

from worker.extract import extract_html
from worker.links import anchor_texts, drop_link_lines, link_density

URL = "https://monitor.example.org/analysis/gas-deal"
BODY = (
    "Russia and China signed a new energy agreement on Tuesday, officials in Moscow said.",
    "The deal covers gas deliveries through a second pipeline across Mongolia from 2030.",
    "Analysts said the terms were more favourable to Beijing than earlier contracts had been.",
)
TEASERS = (
    "Japan approves its largest military budget since the war",
    "Arctic shipping route opens weeks earlier than last year",
)


def test_anchor_texts_keep_links_of_two_words_or_more() -> None:
    """Single-word links ('Home') are not collected; longer ones are, spaces normalised."""
    tree = fromstring('<div><a href="/">Home</a><a href="/x">Gas  talks\n stall</a></div>')
    assert anchor_texts(tree) == frozenset({"Gas talks stall"})


def test_link_density_is_the_share_of_link_characters() -> None:
    """A line that is one link has density 1, a line without links 0."""
    anchors = frozenset({"Gas talks stall again"})
    assert link_density("Gas talks stall again", anchors) == 1.0
    assert link_density("Officials said the talks went well.", anchors) == 0.0


def test_teaser_headlines_and_link_list_items_are_dropped() -> None:
    """Headline-long lines and list items made of links are dropped; body lines stay."""
    anchors = frozenset(TEASERS)
    text = "\n".join([*BODY[:2], TEASERS[0], f"- {TEASERS[1]}", BODY[2]])
    assert drop_link_lines(text, anchors).split("\n") == list(BODY)


def test_linked_sentence_and_short_subheading_are_kept() -> None:
    """A full sentence that is a link, and a short linked subheading, are article text."""
    sentence = "According to Nato, every country in the alliance spent at least 2% in 2025."
    text = "\n".join(["Apple AirPods Pro", sentence])
    assert drop_link_lines(text, frozenset({"Apple AirPods Pro", sentence})) == text


def test_related_links_inside_the_article_are_removed() -> None:
    """A 'related' link list between paragraphs of a page does not reach the article text."""
    items = "".join(f'<li><a href="/related/{i}">{t}</a></li>' for i, t in enumerate(TEASERS))
    paragraphs = [f"<p>{line}</p>" for line in BODY]
    page = (
        "<html><head><title>Gas deal</title></head><body><article><h1>Gas deal</h1>"
        f"{''.join(paragraphs[:2])}<ul>{items}</ul>{paragraphs[2]}</article></body></html>"
    )
    text = extract_html(page, URL).text
    assert text.split("\n\n") == list(BODY)
