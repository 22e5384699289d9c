"""Tests for topic definitions: shipped and admin-added, matching and re-tagging."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from corpus.db import transaction
from corpus.tables import Article, ArticleStatus, ArticleTopic, TopicRecord
from corpus.topics import (
    TopicError,
    add_topic,
    get_topic,
    list_topics,
    matches,
    read_topics,
    retag_topics,
    shipped_topics,
    validate_topic,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "corpus" / "samples").glob("*.txt"))
GOLD = sorted((ROOT / "tests" / "gold" / "themes").glob("extra_*.json"))


def _russia_china():
    return next(t for t in shipped_topics() if t.slug == "russia-china")


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_every_seed_is_about_russia_and_china(path):
    """Each shipped seed article matches russia-china."""
    title, _, text = path.read_text(encoding="utf-8").partition("\n")
    assert matches(_russia_china(), title, text)


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.stem)
def test_extra_articles_match_as_annotated(path):
    """The hand-written extra articles match russia-china exactly when annotated so."""
    gold = json.loads(path.read_text(encoding="utf-8"))
    got = matches(_russia_china(), gold["title"], gold["text"])
    assert got == ("russia-china" in gold["topics"])


def test_one_side_only_does_not_match():
    """An article about Russia alone is not about Russia and China."""
    text = "Russia's army grew. Moscow said the Kremlin was ready. Putin signed the law in Russia."
    assert not matches(_russia_china(), "Russia expands army", text)


def test_one_passing_mention_of_the_other_side_does_not_match():
    """Many mentions of Russia and one of China are not enough."""
    text = (
        "Russia's parliament met in Moscow. The Kremlin backed the bill. Putin will sign it. "
        "Russian officials praised it. Exports to China were not discussed."
    )
    assert not matches(_russia_china(), "Duma passes budget", text)


def test_sides_that_never_meet_do_not_match():
    """Both sides mentioned often but never in the same sentence is not enough."""
    topic = validate_topic("a-b", "A and B", [["Alpha"], ["Beta"]], min_shared_sentences=1)
    text = "Alpha rose. Alpha fell. Alpha held.\nBeta rose. Beta fell. Beta held."
    assert not matches(topic, "", text)
    assert matches(topic, "", text + " Alpha met Beta.")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"slug": "Bad Slug"}, "slug 'Bad Slug'"),
        ({"slug": "café-news"}, r"ASCII letters \(a-z\), digits \(0-9\)"),
        ({"name": " "}, "a name of"),
        ({"sides": []}, "at least two sides"),
        ({"sides": [["India", "Indian"]]}, "needs at least 2 sides"),
        ({"sides": [["India"], [" ", ""]]}, "side 2 has no usable terms"),
        ({"min_mentions": 0}, "min_mentions"),
    ],
)
def test_invalid_definitions_say_what_to_fix(kwargs, message):
    """A bad slug, name, side or threshold is refused with a message naming it."""
    args = {"slug": "india-china", "name": "India–China", "sides": [["India"], ["China"]]}
    args.update(kwargs)
    with pytest.raises(TopicError, match=message):
        validate_topic(args.pop("slug"), args.pop("name"), args.pop("sides"), **args)


def test_malformed_topic_file_names_file_and_entry(tmp_path):
    """A malformed shipped topic file raises an error naming the file and the topic."""
    path = tmp_path / "topics.yaml"
    path.write_text(
        yaml.safe_dump({"topics": [{"slug": "x-y", "name": "X", "rule": {"sides": "Russia"}}]}),
        encoding="utf-8",
    )
    with pytest.raises(TopicError) as info:
        read_topics(path)
    assert str(path) in str(info.value)
    assert "topic 'x-y'" in str(info.value)


def test_added_topic_is_listed_and_found_by_alias(sessions):
    """An admin-added topic is stored and listed after the shipped ones."""
    with transaction(sessions) as s:
        add_topic(
            s,
            "india-china",
            "India–China",
            [["India", "New Delhi"], ["China"]],
            aliases=["china-india"],
            added_by_user=42,
        )
    with transaction(sessions) as s:
        slugs = [t.slug for t in list_topics(s)]
        assert slugs[0] == "russia-china"
        assert "india-china" in slugs
        found = get_topic(s, "China-India")
        assert found is not None and found.sides[0] == ("India", "New Delhi")
        assert not found.shipped
        assert s.get(TopicRecord, "india-china").added_by_user == 42


def test_adding_an_existing_slug_is_refused(sessions):
    """A slug that is shipped or already added cannot be added again."""
    with transaction(sessions) as s, pytest.raises(TopicError, match="already exists"):
        add_topic(s, "russia-china", "Again", [["Russia"], ["China"]])


def test_retag_tags_existing_matching_articles(sessions):
    """Re-tagging after adding a topic tags stored articles that match, and only those."""
    about = "India and China agreed. India said China would. China told India. India, China."
    with transaction(sessions) as s:
        s.add_all(
            [
                Article(
                    canonical_url="https://x/1",
                    url="https://x/1",
                    title="India and China",
                    text=about,
                    status=ArticleStatus.READY,
                ),
                Article(
                    canonical_url="https://x/2",
                    url="https://x/2",
                    title="India votes",
                    text="India voted. India counted. India won. China was silent.",
                    status=ArticleStatus.READY,
                ),
                Article(
                    canonical_url="https://x/3", url="https://x/3", status=ArticleStatus.PENDING
                ),
            ]
        )
    with transaction(sessions) as s:
        topic = add_topic(s, "india-china", "India–China", [["India"], ["China"]])
        assert retag_topics(s, topic) == 1
    with transaction(sessions) as s:
        tagged = s.scalars(
            select(Article.canonical_url)
            .join(ArticleTopic)
            .where(ArticleTopic.topic == "india-china")
        ).all()
        assert tagged == ["https://x/1"]
        assert retag_topics(s, topic) == 1  # idempotent


def test_retag_flushes_in_batches_while_reading(sessions, monkeypatch):
    """Re-tagging more articles than one batch tags them all."""
    monkeypatch.setattr("corpus.topics._RETAG_BATCH", 2)
    about = "India and China agreed. India said China would. China told India. India, China."
    with transaction(sessions) as s:
        s.add_all(
            Article(
                canonical_url=f"https://x/{i}",
                url=f"https://x/{i}",
                title="India and China",
                text=about,
                status=ArticleStatus.READY,
            )
            for i in range(7)
        )
    with transaction(sessions) as s:
        topic = add_topic(s, "india-china", "India–China", [["India"], ["China"]])
        assert retag_topics(s, topic) == 7
    with transaction(sessions) as s:
        count = s.scalar(
            select(func.count())
            .select_from(ArticleTopic)
            .where(ArticleTopic.topic == "india-china")
        )
        assert count == 7


def test_edit_topic_keeps_what_is_not_given_and_refuses_an_empty_edit(sessions):
    """An edit changes only what it names; an edit of nothing is refused."""
    from corpus.topics import edit_topic

    with transaction(sessions) as s:
        add_topic(s, "india-china", "India–China", [["India"], ["China"]], aliases=["sino"])
    with transaction(sessions) as s:
        changed = edit_topic(s, "sino", min_mentions=5)
    assert (changed.name, changed.sides, changed.min_mentions) == (
        "India–China",
        (("India",), ("China",)),
        5,
    )
    with pytest.raises(TopicError, match="Say what to change"), transaction(sessions) as s:
        edit_topic(s, "india-china")


def test_edit_topic_refuses_an_alias_of_another_topic(sessions):
    """An alias that already names another topic is refused."""
    from corpus.topics import edit_topic

    with transaction(sessions) as s:
        add_topic(s, "india-china", "India–China", [["India"], ["China"]], aliases=["sino"])
        add_topic(s, "india-us", "India–US", [["India"], ["US"]])
    with pytest.raises(TopicError, match="'sino' already names"), transaction(sessions) as s:
        edit_topic(s, "india-us", aliases=["sino"])


def test_remove_topic_clears_it_from_sources(sessions):
    """Sources that named a removed topic keep polling with no topic."""
    from corpus.sources import add_source, get_source
    from corpus.topics import remove_topic

    with transaction(sessions) as s:
        add_topic(s, "india-china", "India–China", [["India"], ["China"]])
        source = add_source(s, "https://a.example/feed", topic="india-china")
    with transaction(sessions) as s:
        removed, cleared = remove_topic(s, "india-china")
        assert (removed.slug, cleared) == ("india-china", 1)
        assert get_source(s, source.id).topic is None
        assert get_topic(s, "india-china") is None


def test_indexed_mentions_equal_a_scan_of_every_sentence(monkeypatch):
    """Counting a rule's mentions at the term index's offsets gives what a full scan gives."""
    from bench.drills.content import varied_article
    from bench.extraction_data import fundus_pages
    from corpus.topic_rules import _mentions

    topics = [
        *shipped_topics(),
        validate_topic("zu-is", "Zürich and İzmir", [["Zürich", "zurich*"], ["İzmir", "port"]]),
        validate_topic("lower", "Lower case", [["pipeline", "gas deal"], ["sanction*", "US"]]),
    ]
    articles = [path.read_text(encoding="utf-8").partition("\n")[::2] for path in SAMPLES]
    articles += [(a.title, "\n\n".join(a.paragraphs)) for a in map(varied_article, range(12))]
    articles += [("", page.expected) for page in fundus_pages()]
    articles.append(("İZMİR port", "Zürich’s GAS  DEAL. Pipelines, sanctioned! US-made port."))
    indexed = [_mentions(t, title, text) for t in topics for title, text in articles]
    monkeypatch.setattr("corpus.terms.TermIndex.starts", lambda self, text: None)
    assert [_mentions(t, title, text) for t in topics for title, text in articles] == indexed
    assert sum(sum(counts) for counts, _ in indexed) > 1000  # mentions to compare on
