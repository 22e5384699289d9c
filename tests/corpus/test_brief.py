"""compose_brief and get_story over a real database (SQLite, and PostgreSQL when it answers)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from corpus.brief import (
    InvalidWindowError,
    StoryNotFoundError,
    UnknownThemeError,
    UnknownTopicError,
    compose_brief,
    get_story,
)
from corpus.brief_values import Brief
from corpus.tables import Article, Story
from testing.stored_articles import (
    NOW,
    TOPIC,
    TRADE_11M,
    UNDATED_TITLE,
    Inserted,
    add_article,
    add_topic,
    add_undated,
    insert_scenario,
    theme,
)


@pytest.fixture
def scenario(sessions: sessionmaker[Session]) -> Inserted:
    return insert_scenario(sessions)


def _brief(sessions: sessionmaker[Session], **kwargs: object) -> Brief:
    with sessions() as session:
        return compose_brief(session, TOPIC, now=NOW, **kwargs)  # type: ignore[arg-type]


def _all_citations(brief: Brief) -> list[int]:
    cited = [n for s in brief.stories for n in s.citations]
    cited += [n for s in brief.stories for b in s.bullets for n in b.citations]
    cited += [n for f in brief.figures for v in f.values for n in (v.citation, *v.citations)]
    return cited


def test_syndicated_copies_form_one_story(sessions, scenario) -> None:
    """Articles sharing a story id are one story counting every outlet."""
    brief = _brief(sessions)
    trade = [s for s in brief.stories if s.story_id == scenario.stories["trade"]]
    assert len(trade) == 1
    assert trade[0].outlets == 4
    assert len({s.story_id for s in brief.stories}) == len(brief.stories)


def test_window_excludes_old_other_topic_and_unanalysed(sessions, scenario) -> None:
    """Only ready articles of the topic inside the window are briefed."""
    brief = _brief(sessions)
    ids = {s.story_id for s in brief.stories}
    assert ids == {scenario.stories[k] for k in ("trade", "gas", "drill", "summit")}
    titles = {src.title for src in brief.sources}
    assert "Icebreakers on the route" not in titles
    assert "Not analysed yet" not in titles
    assert not brief.widened


def test_stories_ranked_by_recency_and_outlets(sessions, scenario) -> None:
    """The fresh story carried by four outlets leads; the oldest story comes last."""
    brief = _brief(sessions)
    order = [s.story_id for s in brief.stories]
    assert order[0] == scenario.stories["trade"]
    assert order[-1] == scenario.stories["summit"]


def test_every_citation_points_to_a_listed_source(sessions, scenario) -> None:
    """Sources are numbered 1..N and every [n] in bullets, stories and figures is one of them."""
    brief = _brief(sessions)
    numbers = [s.number for s in brief.sources]
    assert numbers == list(range(1, len(numbers) + 1))
    assert set(_all_citations(brief)) <= set(numbers)
    assert all(s.bullets for s in brief.stories)
    assert all(set(b.citations) <= set(s.citations) for s in brief.stories for b in s.bullets)


def test_second_bullet_comes_from_another_outlet(sessions, scenario) -> None:
    """A story carried by several outlets adds a different outlet's sentence as a second bullet."""
    brief = _brief(sessions)
    trade = next(s for s in brief.stories if s.story_id == scenario.stories["trade"])
    assert len(trade.bullets) == 2
    outlets = [{brief.sources[n - 1].outlet for n in b.citations} for b in trade.bullets]
    assert outlets[0] != outlets[1]
    assert trade.bullets[0].text != trade.bullets[1].text


def test_syndicated_sentence_cites_every_copy(sessions, scenario) -> None:
    """The sentence shared by syndicated copies cites each cited copy."""
    brief = _brief(sessions)
    trade = next(s for s in brief.stories if s.story_id == scenario.stories["trade"])
    first = trade.bullets[0]
    assert first.text == TRADE_11M
    assert len(first.citations) == 3


def test_syndicated_figure_appears_once(sessions, scenario) -> None:
    """The same figure from three syndicated copies is one value citing all three."""
    brief = _brief(sessions)
    values = [v for f in brief.figures for v in f.values if v.value == pytest.approx(172.41e9)]
    assert len(values) == 1
    assert len(values[0].citations) == 3


def test_trade_totals_of_different_periods_form_a_series(sessions, scenario) -> None:
    """Trade totals of 2020, 2021 and 11 months of 2022 are a series, never a disagreement."""
    brief = _brief(sessions)
    lines = [f for f in brief.figures if any(v.value == pytest.approx(147e9) for v in f.values)]
    assert len(lines) == 1
    line = lines[0]
    assert line.series and not line.disagree
    assert line.unit == "USD"
    got = [v.value for v in line.values]
    assert got == pytest.approx([108e9, 147e9, 172.41e9])
    assert all(v.published is not None for v in line.values)
    cited = {brief.sources[c - 1].outlet for v in line.values for c in v.citations}
    assert len(cited) == 5
    undated = [f for f in brief.figures if any(v.value == pytest.approx(127e9) for v in f.values)]
    assert len(undated) == 1 and not undated[0].disagree


def test_agreeing_figure_is_not_a_disagreement(sessions, scenario) -> None:
    """A measure only one source gives is not marked as a disagreement."""
    brief = _brief(sessions)
    gas = next(f for f in brief.figures if f.unit == "m3")
    assert not gas.disagree
    assert len(gas.values) == 1


def test_theme_counts_count_stories(sessions, scenario) -> None:
    """Theme counts say how many stories in the brief carry each theme."""
    brief = _brief(sessions)
    counts = {t.theme: t.count for t in brief.themes}
    assert counts["trade-economy"] == 2  # the trade story and the opinion piece
    assert counts["military-security"] == 1
    assert "arctic" not in counts
    assert [t.count for t in brief.themes] == sorted((t.count for t in brief.themes), reverse=True)


def test_theme_filter_keeps_matching_stories(sessions, scenario) -> None:
    """With a theme, only stories carrying it are briefed, widened if needed."""
    brief = _brief(sessions, theme="energy")
    assert brief.theme == "energy"
    assert {s.story_id for s in brief.stories} >= {
        scenario.stories["gas"],
        scenario.stories["trade"],
    }
    assert scenario.stories["drill"] not in {s.story_id for s in brief.stories}
    assert all("energy" in s.themes for s in brief.stories)


def test_thin_window_widens_to_recent_stories(sessions, scenario) -> None:
    """A window holding fewer than three stories widens to the most recent and says so."""
    brief = _brief(sessions, days=1)
    assert brief.widened
    assert brief.note and "1 story" in brief.note
    assert f"back to {brief.since:%Y-%m-%d}" in brief.note
    assert len(brief.stories) >= 3
    assert brief.since < NOW - timedelta(days=1)


def test_an_empty_window_says_no_stories_before_widening(sessions, scenario) -> None:
    """A window holding no story says so in words, not as "Only 0 stories"."""
    with sessions() as session:
        brief = compose_brief(session, TOPIC, now=NOW + timedelta(days=60), days=7)
    assert brief.widened and brief.note
    assert brief.note.startswith("No stories in the last 7 days; showing the most recent")


def test_widening_reads_as_one_sentence(sessions, scenario) -> None:
    """The widening note says once that it shows the most recent stories."""
    brief = _brief(sessions, days=1)
    assert brief.note and "showing the most recent stories, back to" in brief.note
    assert "most recent the most recent" not in brief.note


def test_widening_includes_articles_known_only_by_fetch_date(sessions, scenario) -> None:
    """An undated article just outside a thin window is among the most recent stories."""
    add_undated(sessions, fetched=NOW - timedelta(hours=30))
    brief = _brief(sessions, days=1)
    assert brief.widened
    assert UNDATED_TITLE in [s.headline for s in brief.stories]


def test_since_keeps_only_new_articles_without_widening(sessions, scenario) -> None:
    """With ``since`` only articles fetched after it are briefed, and the brief never widens."""
    brief = _brief(sessions, since=NOW - timedelta(hours=11, minutes=30))
    assert not brief.widened
    assert [s.story_id for s in brief.stories] == [scenario.stories["trade"]]
    assert {src.outlet for src in brief.sources} == {"tass.com", "globaltimes.cn"}
    assert brief.since == NOW - timedelta(hours=11, minutes=30)


def _add_fetched(sessions: sessionmaker[Session], key: str, fetched: datetime | None) -> None:
    with sessions() as session, session.begin():
        add_topic(session)
        row = add_article(
            session,
            key=key,
            site=f"{key}.example",
            title=f"{key} story",
            published=NOW - timedelta(hours=3),
            story=None,
            summary=[f"Russia and China agreed on {key} in Moscow this week."],
        )
        row.fetched_at = fetched


def test_until_keeps_only_articles_fetched_by_then(sessions) -> None:
    """With ``until`` an article fetched after it is left out, one fetched at it is kept."""
    until = NOW - timedelta(hours=1)
    _add_fetched(sessions, "early", until)
    _add_fetched(sessions, "late", until + timedelta(minutes=1))
    brief = _brief(sessions, since=NOW - timedelta(days=1), until=until)
    assert [s.headline for s in brief.stories] == ["early story"]


def test_until_counts_an_article_without_fetch_time_as_fetched_now(sessions) -> None:
    """An article with no fetch time is kept when ``until`` is now and left out when earlier."""
    _add_fetched(sessions, "nofetch", None)
    since = NOW - timedelta(days=1)
    kept = _brief(sessions, since=since, until=NOW)
    dropped = _brief(sessions, since=since, until=NOW - timedelta(minutes=1))
    assert [s.headline for s in kept.stories] == ["nofetch story"]
    assert dropped.stories == ()


def test_unknown_topic_lists_valid_topics(sessions, scenario) -> None:
    """An unknown topic raises a ValueError naming the valid topics."""
    with sessions() as session, pytest.raises(UnknownTopicError) as info:
        compose_brief(session, "ukraine-usa", now=NOW)
    assert isinstance(info.value, ValueError)
    assert TOPIC in str(info.value)
    assert TOPIC in info.value.valid


def test_days_out_of_range_is_refused(sessions, scenario) -> None:
    """A window of zero days is refused with a clear error."""
    with sessions() as session, pytest.raises(InvalidWindowError, match="between 1 and 90"):
        compose_brief(session, TOPIC, days=0, now=NOW)


def test_empty_topic_gives_empty_brief_with_note(sessions) -> None:
    """A known topic with no articles yields an empty brief that says so."""
    with sessions() as session, session.begin():
        add_topic(session)
    brief = _brief(sessions)
    assert brief.stories == () and brief.sources == ()
    assert brief.note


def test_max_stories_caps_the_brief(sessions, scenario) -> None:
    """``max_stories`` limits the stories and the sources they cite."""
    brief = _brief(sessions, max_stories=1)
    assert len(brief.stories) == 1
    assert set(_all_citations(brief)) <= {s.number for s in brief.sources}
    assert all(n in brief.stories[0].citations for n in (s.number for s in brief.sources))


def test_unclustered_article_is_its_own_story(sessions) -> None:
    """An article without a story id is briefed alone and found again by get_story."""
    with sessions() as session, session.begin():
        add_topic(session)
        article = add_article(
            session,
            key="loner",
            site="kremlin.ru",
            title="Putin receives Chinese foreign minister",
            published=NOW - timedelta(hours=3),
            story=None,
            summary=["Vladimir Putin received Wang Yi in the Kremlin on Monday."],
            themes=[theme("diplomacy")],
        )
        session.flush()
        article_id = article.id
    brief = _brief(sessions)
    assert [s.story_id for s in brief.stories] == [-article_id]
    with sessions() as session:
        detail = get_story(session, -article_id)
    assert [a.source.article_id for a in detail.articles] == [article_id]


def test_bullets_and_story_summaries_leave_out_wire_datelines(sessions) -> None:
    """A sentence opening with a wire dateline is shown without it, in /brief and /story."""
    with sessions() as session, session.begin():
        add_topic(session)
        article = add_article(
            session,
            key="dateline",
            site="reuters.com",
            title="China, Russia trade falls in first two months",
            published=NOW - timedelta(hours=3),
            story=None,
            summary=[
                "BEIJING, March 9 (Reuters) - Trade between China and Russia fell 8.4% in"
                " January and February, Chinese customs data showed on Monday."
            ],
        )
        session.flush()
        article_id = article.id
    bullet = _brief(sessions).stories[0].bullets[0].text
    assert bullet.startswith("Trade between China and Russia fell 8.4%")
    with sessions() as session:
        detail = get_story(session, -article_id)
    assert detail.articles[0].summary[0] == bullet


def test_brief_serialises_to_json(sessions, scenario) -> None:
    """Brief.to_dict is JSON-ready, with the figure values' citations."""
    data = _brief(sessions).to_dict()
    text = json.dumps(data)
    assert json.loads(text)["topic"] == TOPIC
    assert data["figures"][0]["values"][0]["citations"]


def test_get_story_returns_all_articles(sessions, scenario) -> None:
    """A story lists every ready article with its summary and source."""
    with sessions() as session:
        detail = get_story(session, scenario.stories["trade"])
    assert len(detail.articles) == 4
    assert detail.outlets == 4
    assert {a.source.article_id for a in detail.articles} == {
        v for k, v in scenario.articles.items() if k.startswith("trade-")
    }
    assert all(a.summary for a in detail.articles)
    assert [s.number for s in detail.sources] == [1, 2, 3, 4]
    assert any(f.series for f in detail.figures)
    counts = {t.theme: t.count for t in detail.themes}
    assert counts["trade-economy"] == 4 and counts["energy"] == 1
    assert json.loads(json.dumps(detail.to_dict()))["story_id"] == scenario.stories["trade"]


def test_get_story_unknown_id(sessions, scenario) -> None:
    """An unknown story id raises StoryNotFoundError."""
    with sessions() as session, pytest.raises(StoryNotFoundError):
        get_story(session, 999_999)


def test_topic_alias_resolves_to_its_slug(sessions, scenario) -> None:
    """A topic alias composes the topic's brief under its slug."""
    with sessions() as session:
        brief = compose_brief(session, "china-russia", now=NOW)
    assert brief.topic == TOPIC
    assert brief.stories


def test_unknown_theme_lists_valid_themes(sessions, scenario) -> None:
    """An unknown theme raises a ValueError naming the taxonomy's themes."""
    with sessions() as session, pytest.raises(UnknownThemeError, match="energy"):
        compose_brief(session, TOPIC, theme="weather", now=NOW)


def test_fetch_dates_are_marked_as_such_in_the_brief(sessions, scenario) -> None:
    """An article with no publication date carries its fetch date marked as fetched."""
    add_undated(sessions, fetched=NOW - timedelta(hours=2))
    brief = _brief(sessions)
    undated = next(s for s in brief.stories if s.headline == UNDATED_TITLE)
    assert undated.latest == NOW - timedelta(hours=2) and undated.latest_is_fetched
    assert not any(s.latest_is_fetched for s in brief.stories if s is not undated)
    flagged = {src.title for src in brief.sources if src.date_is_fetched}
    assert flagged == {UNDATED_TITLE}
    values = [v for line in brief.figures for v in line.values]
    assert [v.text for v in values if v.date_is_fetched] == ["2,000 km"]
    assert len(values) > 1


def test_story_detail_marks_a_fetch_date(sessions) -> None:
    """/story of an undated article marks its source and its dates as fetch dates."""
    article_id = add_undated(sessions)
    with sessions() as session:
        story_id = session.get(Article, article_id).story_id
        detail = get_story(session, story_id)
    assert detail.first_seen_is_fetched and detail.latest_is_fetched
    assert detail.sources[0].date_is_fetched


def test_nothing_is_dropped_silently(sessions, scenario) -> None:
    """Stories and figure lines that do not fit are counted; all_figures shows every line."""
    short = _brief(sessions, max_stories=1)
    full = _brief(sessions)
    assert short.more_stories == len(full.stories) - 1 > 0
    every = _brief(sessions, all_figures=True)
    assert every.more_figures == 0
    assert len(every.figures) == len(full.figures) + full.more_figures


def test_an_undated_story_does_not_outrank_a_dated_one_of_the_same_age(sessions) -> None:
    """An article without a publication date counts by its fetch time, discounted."""
    from testing.stored_articles import add_undated, insert_scenario

    insert_scenario(sessions)
    add_undated(sessions, fetched=NOW)
    brief = _brief(sessions)
    undated = [i for i, s in enumerate(brief.stories) if s.latest_is_fetched]
    dated = [i for i, s in enumerate(brief.stories) if not s.latest_is_fetched]
    assert undated and dated and min(dated) < min(undated)


def test_a_salient_undated_story_does_not_outrank_yesterdays_news(sessions) -> None:
    """Figures and themes of an undated article count as little as its fetch time does."""
    from testing.stored_articles import fig

    slugs = ("energy", "trade-economy", "diplomacy", "arctic")
    with sessions() as session, session.begin():
        add_topic(session)
        add_article(
            session,
            key="dated",
            site="dated.example",
            title="Russia and China agree a new gas route",
            published=NOW - timedelta(hours=30),
            story=Story(),
            summary=["Russia and China agreed a new gas route on Tuesday."],
        )
        add_article(
            session,
            key="undated-rich",
            site="undated.example",
            title="An undated survey of Russia–China ties",
            published=None,
            fetched=NOW,
            story=Story(),
            summary=["Trade between Russia and China has grown for years."],
            themes=[theme(slug) for slug in slugs],
            figures=[
                fig(f"{n} billion", n * 1e9, f"measure {n}", sentence=f"It is {n} billion.")
                for n in range(1, 9)
            ],
        )
    brief = _brief(sessions)
    assert [s.headline for s in brief.stories] == [
        "Russia and China agree a new gas route",
        "An undated survey of Russia–China ties",
    ]


def test_a_later_outlet_with_no_name_still_says_what_it_added(sessions) -> None:
    """A later report from an address with no host gets its bullet marked as added."""
    story = Story()
    with sessions() as session, session.begin():
        add_topic(session)
        for key, hours, sentence in (
            ("first", 10, "Russia and China signed a pipeline deal in Beijing on Monday."),
            ("later", 2, "Mongolia welcomed the pipeline deal and its transit fees on Tuesday."),
        ):
            add_article(
                session,
                key=key,
                site="",
                title=f"Pipeline deal report {key}",
                published=NOW - timedelta(hours=hours),
                story=story,
                summary=[sentence],
            )
    (item,) = _brief(sessions).stories
    assert item.outlets == 2
    assert [b.added_by for b in item.bullets] == [None, "Another outlet"]
    assert item.bullets[1].text.startswith("Mongolia")


def test_an_undated_later_report_is_not_said_to_add(sessions) -> None:
    """A fetch time is no report time: an undated second outlet's bullet is not marked added."""
    story = Story()
    with sessions() as session, session.begin():
        add_topic(session)
        for key, site, published, sentence in (
            ("first", "a.example", NOW - timedelta(hours=10), "Both sides signed the deal."),
            ("undated", "b.example", None, "Mongolia expects transit fees from the new line."),
        ):
            add_article(
                session,
                key=key,
                site=site,
                title=f"Pipeline deal report {key}",
                published=published,
                fetched=NOW - timedelta(hours=1),
                story=story,
                summary=[sentence],
            )
    (item,) = _brief(sessions).stories
    assert len(item.bullets) == 2 and all(b.added_by is None for b in item.bullets)


def test_a_title_cut_with_an_ellipsis_is_no_headline(sessions) -> None:
    """A stand-in title cut short with "…" gives way to a whole sentence of the article."""
    cut = "Beijing a world increasingly defined by geopolitical shifts, the meeting between…"
    sentence = "China has kept a stance of neutrality while its ties with Russia deepen."
    with sessions() as session, session.begin():
        add_topic(session)
        add_article(
            session,
            key="cut",
            site="cut.example",
            title=cut,
            published=NOW - timedelta(hours=3),
            story=Story(),
            summary=[sentence],
        )
    (item,) = _brief(sessions).stories
    assert item.headline == sentence


def _stored_figures(sessions: sessionmaker[Session], article_id: int) -> list[str]:
    with sessions() as session:
        article = session.get(Article, article_id)
        assert article is not None
        return [str(fig["text"]) for fig in article.figures or []]


def test_a_storys_figures_are_its_own_events_cited_like_its_bullets(sessions, scenario) -> None:
    """Each figure cites sources of its own story only, and each cited source gives it."""
    brief = _brief(sessions)
    by_number = {s.number: s for s in brief.sources}
    assert any(story.figures for story in brief.stories)
    for story in brief.stories:
        for figure in story.figures:
            assert figure.citations and set(figure.citations) <= set(story.citations)
            for n in figure.citations:
                assert figure.text in _stored_figures(sessions, by_number[n].article_id)
    trade = next(s for s in brief.stories if s.story_id == scenario.stories["trade"])
    summit = next(s for s in brief.stories if s.story_id == scenario.stories["summit"])
    assert "$108 billion" not in [f.text for f in trade.figures]
    assert [f.text for f in summit.figures] == ["$108 billion"]
    record = next(f for f in trade.figures if f.text == "$172.41 billion")
    copies = {
        scenario.articles[f"trade-{site}"] for site in ("tass.com", "globaltimes.cn", "rt.com")
    }
    assert {by_number[n].article_id for n in record.citations} == copies
    assert (record.measure, record.period) == ("China–Russia trade", "11 months of 2022")
