"""Pure builders of what the digest feature shows: digests, pause alerts, schedules, status."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot import limits
from bot.limits import Embed
from bot.render.brief import figure_embeds, story_block, themes_embeds
from bot.render.markup import by_number, count, plain, safe_url
from bot.render.pages import COLOUR, text_embeds
from corpus.alerts import ITEMS_FAILING
from corpus.digests.composition import brief_from_payload
from corpus.digests.periods import Schedule
from corpus.outbox import OutboxItem
from corpus.tables import OutboxStatus

Message = dict[str, Any]
ALERT_COLOUR = 0xC05621


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ValueError, KeyError, OSError):
        return ZoneInfo("UTC")


def local_time(moment: datetime, zone: str | None) -> str:
    """Return ``moment`` in ``zone`` as ``Mon 23 Nov, 08:00``."""
    local = moment.astimezone(_zone(zone))
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


def long_date(day: date) -> str:
    """Return a date as ``Tuesday 24 November 2026``."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def digest_heading(payload: dict[str, Any], topic_name: str) -> str:
    """Return the digest's first line: which digest, of what, for which date."""
    day = date.fromisoformat(payload["period_date"])
    kind = "Weekly" if payload.get("frequency") == "weekly" else "Daily"
    when = f"week to {long_date(day)}" if kind == "Weekly" else long_date(day)
    return f"🗞️ **{kind} digest · {plain(topic_name)}** — {when}"


def preview_heading(payload: dict[str, Any], topic_name: str, scheduled: bool) -> str:
    """Return the first line of ``/digest preview``: the digest's own heading when one is set.

    Without a digest here the preview is of the last day's news, and says so rather than
    calling itself a daily digest.
    """
    if scheduled:
        return f"{digest_heading(payload, topic_name)} · preview"
    return (
        f"🗞️ **Preview · {plain(topic_name)}** — the last day's news "
        "(no digest of it is set up here; /digest set starts one)"
    )


def digest_embeds(payload: dict[str, Any]) -> list[Embed]:
    """Return the embeds of one digest: new stories with citations, key figures, themes."""
    brief = brief_from_payload(payload)
    zone = payload.get("timezone")
    since = local_time(datetime.fromisoformat(payload["period_start"]), zone)
    sources = by_number(brief.sources)
    blocks = [story_block(story, sources) for story in brief.stories]
    if not blocks:
        blocks = [f"Nothing new on {plain(brief.topic_name)} since {since}."]
    footer = (
        f"{count(len(brief.stories), 'new story', 'new stories')} · "
        f"{count(len(brief.sources), 'source')} · times in {zone or 'UTC'} · "
        "/story ID for one story in full"
    )
    title = f"📰 What's new since {since}"
    embeds = text_embeds(title, blocks, footer=footer, separator="\n\n")
    if brief.figures:
        embeds += figure_embeds(brief.figures, brief.sources, title="📊 Key figures")
    embeds += themes_embeds(brief.themes)
    return limits.fit_message(embeds)


def digest_message(item: OutboxItem) -> Message:
    """Render a digest outbox message (the delivery loop adds the reference line)."""
    payload = item.payload
    brief_name = str(payload.get("brief", {}).get("topic_name") or payload.get("topic", ""))
    lines = [digest_heading(payload, brief_name)]
    folded = int(payload.get("folded") or 0)
    if folded:
        lines.append(
            f"-# Composed after an outage: also covers the {count(folded, 'earlier period')} "
            "before this one."
        )
    return {"content": "\n".join(lines), "embeds": digest_embeds(payload)}


def alert_message(item: OutboxItem) -> Message:
    """Render a source alert (paused, or items failing) for the guild's alert channel."""
    p = item.payload
    source_id = p.get("source_id")
    url = str(p.get("url") or "")
    target = safe_url(url)
    shown = f"<{target}>" if target else f"`{plain(url)}`"
    fields = []
    if p.get("last_error"):
        fields.append({"name": "Last error", "value": plain(str(p["last_error"])), "inline": False})
    if p.get("topic"):
        fields.append({"name": "Topic", "value": f"`{p['topic']}`", "inline": True})
    if p.get("failures"):
        fields.append(
            {"name": "Failed polls in a row", "value": str(p["failures"]), "inline": True}
        )
    if p.get("alert") == ITEMS_FAILING:
        title = f"❌ Source #{source_id}: its items keep failing"
        content = f"⚠️ **Source unhealthy:** {shown}"
        footer = f"Check what it serves; /sources remove id:{source_id} if it has no articles"
        reason = str(p.get("reason") or "its items keep failing")
        if p.get("last_error"):
            fields[0]["name"] = "Latest item failures"
    else:
        title = f"⏸️ Source #{source_id} was paused"
        content = f"⚠️ **Source paused:** {shown}"
        footer = f"Fix the source, then /sources resume id:{source_id}"
        reason = str(p.get("reason") or "paused after repeated failures")
    embed: Embed = {
        "title": title,
        "description": plain(reason),
        "color": ALERT_COLOUR,
        "fields": fields,
        "footer": {"text": footer},
    }
    return {"content": content, "embeds": limits.fit_message([embed])}


def schedule_line(schedule: Schedule, next_at: datetime | None = None) -> str:
    """Return one schedule: channel, topic, when, and the next digest."""
    state = "" if schedule.enabled else " · **off**"
    nxt = (
        f" · next {local_time(next_at, schedule.timezone)}"
        if next_at is not None and schedule.enabled
        else ""
    )
    return f"<#{schedule.channel_id}> · `{schedule.topic}` · {schedule.describe()}{nxt}{state}"


def delivery_line(item: OutboxItem) -> str:
    """Return one recent outbox message and what became of it."""
    what = item.payload.get("period_date") or f"source #{item.payload.get('source_id')}"
    label = f"{item.kind} {what} → <#{item.channel_id}>"
    if item.status == OutboxStatus.SENT:
        when = item.sent_at.astimezone(UTC).strftime("%d %b %H:%M UTC") if item.sent_at else ""
        return f"✅ {label} posted {when}".rstrip()
    if item.status == OutboxStatus.FAILED:
        return f"❌ {label} **not posted:** {plain(item.last_error or 'unknown reason')}"
    retry = f" (retrying: {plain(item.last_error)})" if item.last_error else ""
    return f"⏳ {label} waiting to be posted{retry}"


def status_embeds(
    schedules: Sequence[tuple[Schedule, datetime | None]], recent: Sequence[OutboxItem]
) -> list[Embed]:
    """Return the ``/digest status`` reply: every schedule, then recent deliveries and failures."""
    lines = [schedule_line(s, n) for s, n in schedules] or [
        "No digests are set up here. An admin can start one with /digest set."
    ]
    embeds = text_embeds("🗓️ Digests in this server", lines)
    if recent:
        embeds += text_embeds("📬 Recent deliveries", [delivery_line(i) for i in recent])
    return limits.fit_message(embeds)


def schedule_set_embed(schedule: Schedule, next_at: datetime) -> Embed:
    """Return the reply to ``/digest set``: what was set and when the first digest comes."""
    span = "day" if schedule.frequency == "daily" else "week"
    return {
        "title": "🗓️ Digest set",
        "description": (
            f"{schedule_line(schedule)}\n"
            f"The first digest comes {local_time(next_at, schedule.timezone)} "
            f"({schedule.timezone}) and shows what is new since the {span} before; each one "
            "after shows what is new since the previous digest."
        ),
        "color": COLOUR,
        "footer": {"text": "/digest status shows deliveries · /digest off stops it"},
    }


def schedules_off_text(schedules: Sequence[Schedule]) -> str:
    """Return the reply to ``/digest off``."""
    if not schedules:
        return "There was no digest to turn off here. /digest status lists them."
    lines = [schedule_line(s) for s in schedules]
    return "Turned off:\n" + "\n".join(lines)
