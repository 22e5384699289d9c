"""Pure digest, alert and status builders: dates, empty digests, limits, failure reasons."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot import limits
from bot.delivery import with_ref
from bot.extensions.digest import _embeds
from corpus.digests.composition import digest_payload
from corpus.digests.periods import Period, Schedule
from corpus.outbox import OutboxItem
from corpus.tables import OutboxStatus
from testing import brief_values as factories

END = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


def schedule(frequency: str = "daily") -> Schedule:
    return Schedule(
        id=1,
        guild_id=1,
        channel_id=2,
        topic="russia-china",
        time_of_day="08:00",
        timezone="Europe/Berlin",
        frequency=frequency,  # type: ignore[arg-type]
        enabled=True,
        created_at=END - timedelta(days=9),
        last_period_end=END - timedelta(days=1),
    )


def item(
    payload: dict, *, kind: str = "digest", status: str = OutboxStatus.PENDING, **kw
) -> OutboxItem:
    values = dict(
        id=1,
        key="digest:1:2:russia-china:2026-11-24",
        kind=kind,
        guild_id=1,
        channel_id=2,
        payload=payload,
        status=status,
        attempts=0,
        last_error=None,
        created_at=END,
        sent_at=None,
        message_id=None,
    )
    values.update(kw)
    return OutboxItem(**values)  # type: ignore[arg-type]


def digest(brief=None, *, frequency: str = "daily", folded: int = 0) -> OutboxItem:
    period = Period(1, "k", date(2026, 11, 24), END - timedelta(days=1), END, folded)
    return item(digest_payload(schedule(frequency), period, brief or factories.brief()))


def test_digest_names_its_date_topic_and_local_start() -> None:
    """The heading has the period's date; the title says since when, in the schedule's zone."""
    message = _embeds.digest_message(digest())
    assert "Daily digest · Russia–China" in message["content"]
    assert "Tuesday 24 November 2026" in message["content"]
    assert message["embeds"][0]["title"] == "📰 What's new since Mon 23 Nov, 08:00"
    assert "Trade hits a record" in message["embeds"][0]["description"]
    assert limits.check_message(message["embeds"]) == []


def test_weekly_digest_says_which_week() -> None:
    """A weekly digest is labelled with the week it closes."""
    message = _embeds.digest_message(digest(frequency="weekly"))
    assert "Weekly digest" in message["content"] and "week to Tuesday" in message["content"]


def test_empty_digest_says_nothing_is_new() -> None:
    """A period without new stories still posts, saying so."""
    empty = factories.brief(stories=(), figures=(), sources=(), themes=())
    embeds = _embeds.digest_message(digest(empty))["embeds"]
    assert len(embeds) == 1
    assert embeds[0]["description"] == "Nothing new on Russia–China since Mon 23 Nov, 08:00."


def test_folded_outage_is_explained() -> None:
    """A digest that swallowed missed periods says how many."""
    content = _embeds.digest_message(digest(folded=3))["content"]
    assert "also covers the 3 earlier periods" in content


def test_huge_digest_fits_discord_with_the_reference_line() -> None:
    """Forty stories and twenty figures still make one valid message, reference included."""
    stories = tuple(factories.story(i, (1, 2, 3)) for i in range(40))
    big = factories.brief(stories=stories, figures=(factories.TRADE, factories.GAS) * 10)
    out = digest(big)
    message = with_ref(out, _embeds.digest_message(out))
    assert limits.check_message(message["embeds"]) == []
    assert limits.size(message["content"]) <= limits.CONTENT
    assert message["content"].endswith(f"-# ref {out.ref}")


def test_alert_names_the_source_reason_and_how_to_resume() -> None:
    """The alert links the paused source, gives the reason and the resume command."""
    payload = {
        "type": "alert",
        "source_id": 9,
        "url": "https://feeds.example.org/rss",
        "topic": "russia-china",
        "reason": "paused after 5 failed polls in a row; last error: 503",
        "last_error": "The server answered 503.",
        "failures": 5,
    }
    message = _embeds.alert_message(item(payload, kind="alert"))
    assert message["content"] == "⚠️ **Source paused:** <https://feeds.example.org/rss>"
    embed = message["embeds"][0]
    assert "5 failed polls" in embed["description"]
    assert embed["footer"]["text"] == "Fix the source, then /sources resume id:9"
    assert {f["name"] for f in embed["fields"]} == {"Last error", "Topic", "Failed polls in a row"}


def test_alert_does_not_link_an_unusable_url() -> None:
    """A URL that is not http(s) is shown as code, not as a link."""
    payload = {"source_id": 1, "url": "javascript:alert(1)", "reason": "x"}
    content = _embeds.alert_message(item(payload, kind="alert"))["content"]
    assert "<javascript" not in content and "`javascript:alert(1)`" in content


def test_delivery_lines_show_outcome_and_reason() -> None:
    """Sent, failed and waiting deliveries read differently; a failure shows its reason."""
    payload = {"period_date": "2026-11-24"}
    sent = _embeds.delivery_line(item(payload, status=OutboxStatus.SENT, sent_at=END))
    failed = _embeds.delivery_line(
        item(payload, status=OutboxStatus.FAILED, last_error="The channel <#2> no longer exists.")
    )
    waiting = _embeds.delivery_line(item(payload, last_error="Discord answered 503."))
    assert sent.startswith("✅") and "24 Nov 07:00 UTC" in sent
    assert failed.startswith("❌") and "no longer exists" in failed
    assert waiting.startswith("⏳") and "503" in waiting


def test_status_without_schedules_says_how_to_start() -> None:
    """No schedules: the status tells admins about /digest set."""
    embeds = _embeds.status_embeds([], [])
    assert "/digest set" in embeds[0]["description"]


def test_schedule_line_shows_next_digest_in_local_time() -> None:
    """Each schedule line names channel, topic, rhythm and the next time, locally."""
    line = _embeds.schedule_line(schedule(), END + timedelta(days=1))
    assert line == (
        "<#2> · `russia-china` · every day at 08:00 Europe/Berlin · next Wed 25 Nov, 08:00"
    )


def test_set_reply_names_the_first_digest_and_its_span() -> None:
    """The /digest set reply says when the first digest comes and what it covers."""
    embed = _embeds.schedule_set_embed(schedule("weekly"), END + timedelta(days=6))
    assert "The first digest comes Mon 30 Nov, 08:00 (Europe/Berlin)" in embed["description"]
    assert "since the week before" in embed["description"]


def test_items_failing_alert_says_the_items_fail_not_that_the_source_paused() -> None:
    """An items-failing alert names the source as unhealthy, with the latest item failures."""
    payload = {
        "type": "alert",
        "alert": "items-failing",
        "source_id": 4,
        "url": "https://example.org/logo.png",
        "reason": "1 of its items failed and 0 were stored; its polls work.",
        "last_error": "it is an image (image/png), not an article",
    }
    message = _embeds.alert_message(item(payload, kind="alert"))
    (embed,) = message["embeds"]
    assert message["content"].startswith("⚠️ **Source unhealthy:**")
    assert "paused" not in embed["title"] and "items keep failing" in embed["title"]
    assert embed["fields"][0] == {
        "name": "Latest item failures",
        "value": "it is an image (image/png), not an article",
        "inline": False,
    }


def test_a_digest_shows_each_storys_figures() -> None:
    """A story's figures survive the outbox payload and show under its bullets."""
    figures = (factories.story_figure("$245 billion", 245e9, (1, 2)),)
    brief = factories.brief(stories=(factories.story(1, (1, 2), figures=figures),))
    description = _embeds.digest_message(digest(brief))["embeds"][0]["description"]
    assert "📊 **$245 billion** [\\[1\\]](https://outlet1.com/news/1)" in description
    assert "— China–Russia trade, 2024" in description
