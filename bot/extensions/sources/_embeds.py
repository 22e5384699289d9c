"""Pure builders of what ``/sources`` shows: source health, the add result, alert settings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urlsplit

from bot import limits
from bot.limits import Embed
from bot.render.markup import count, plain, safe_url
from bot.render.pages import COLOUR, Pages, paged, text_embeds
from corpus.sources import ItemHealth, SourceRow
from corpus.tables import SourceStatus

OK_COLOUR = 0x2F855A
FAIL_COLOUR = 0xC53030


def ago(moment: datetime | None, now: datetime) -> str:
    """Return how long ago ``moment`` was, in words ("5 min ago", "never")."""
    if moment is None:
        return "never"
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400 * 2:
        return f"{int(seconds // 3600)} h ago"
    return f"{int(seconds // 86400)} days ago"


def short_url(url: str, limit: int = 60) -> str:
    """Return a URL without its scheme, shortened for a list line."""
    parts = urlsplit(url)
    text = (parts.netloc + parts.path).rstrip("/") or url
    if parts.query:
        text += "?" + parts.query
    return text if len(text) <= limit else text[: limit - 1] + "…"


def source_name(row: SourceRow) -> str:
    """Return the source as a link labelled with its short URL."""
    target = safe_url(row.url)
    label = plain(short_url(row.url))
    return f"[{label}]({target})" if target else label


def health_icon(row: SourceRow) -> str:
    """Return one icon for a source's state: paused, unhealthy, failing, healthy or not polled."""
    if row.status == SourceStatus.PAUSED:
        return "⏸️"
    if row.last_polled_at is None:
        return "🕓"
    if row.items_failing:
        return "❌"
    if row.consecutive_failures or row.items.failing_streak:
        return "⚠️"
    return "✅"


def items_text(items: ItemHealth) -> str:
    """Return what became of a source's items: "2 stored · 1 failed · 3 to fetch"."""
    if not (items.stored or items.failed or items.pending):
        return "no items yet"
    parts = [f"{items.stored} stored"]
    if items.failed:
        parts.append(f"{items.failed} failed")
    if items.pending:
        parts.append(f"{items.pending} to fetch")
    return " · ".join(parts)


def failures_text(items: ItemHealth, limit: int = 300) -> str | None:
    """Return the latest item failures in words, newest first, or None when there are none."""
    if not items.recent_failures:
        return None
    reasons = "; ".join(plain(limits.cut(r, limit)) for r in items.recent_failures)
    return f"latest item failures: {reasons}"


def source_block(row: SourceRow, now: datetime) -> str:
    """Return one source with its health: state, items, last success, last error in words."""
    topic = f" · `{row.topic}`" if row.topic else ""
    head = (
        f"{health_icon(row)} `#{row.id}` {source_name(row)} · {row.kind}{topic} · "
        f"{items_text(row.items)}"
    )
    lines = [head, f"last success {ago(row.last_success_at, now)}"]
    if row.last_poll_summary and not row.consecutive_failures:
        lines[-1] += f" · {plain(limits.cut(row.last_poll_summary, 160))}"
    if row.status == SourceStatus.PAUSED:
        lines.append(f"paused: {plain(limits.cut(row.paused_reason or 'no reason given', 300))}")
    elif row.last_error:
        failures = f" ({row.consecutive_failures} in a row)" if row.consecutive_failures > 1 else ""
        when = ago(row.last_polled_at, now)
        lines.append(f"last error {when}{failures}: {plain(limits.cut(row.last_error, 300))}")
    if row.items_failing:
        lines.append("unhealthy: its polls work but its items keep failing")
    latest = failures_text(row.items, 160)
    if latest:
        lines.append(latest)
    return "\n".join(lines)


def list_pages(rows: Sequence[SourceRow], now: datetime, alert_channel: int | None) -> Pages:
    """Return the ``/sources list`` reply, paged when long."""
    paused = sum(1 for r in rows if r.status == SourceStatus.PAUSED)
    unhealthy = sum(1 for r in rows if r.items_failing and r.status != SourceStatus.PAUSED)
    alerts = f"alerts go to <#{alert_channel}>" if alert_channel else "no alert channel set"
    failing = f" · {unhealthy} unhealthy" if unhealthy else ""
    footer = f"{count(len(rows), 'source')} · {paused} paused{failing} · {alerts}"
    blocks = [source_block(r, now) for r in rows] or [
        "No sources yet. Add one with /sources add url:https://…"
    ]
    return paged(text_embeds("📡 Sources", blocks, footer=footer, separator="\n\n"), [])


def poll_text(row: SourceRow, *, label: str = "Poll") -> str | None:
    """Return what the latest poll found, with its items, or None before any poll."""
    if row.last_polled_at is None:
        return None
    if row.last_success_at is None or row.last_success_at != row.last_polled_at:
        reason = plain(row.last_error or "no reason recorded")
        return f"❌ The {label[0].lower() + label[1:]} failed: {reason}"
    found = plain(row.last_poll_summary or "the poll finished")
    items = row.items
    if row.items_failing:
        icon = "❌"
    elif items.pending:
        icon = "⏳"  # some items are still being fetched
    else:
        icon = "⚠️" if items.failed else "✅"
    lines = [f"{icon} {label}: {found}", f"Items: {items_text(items)}"]
    failures = failures_text(items)
    if failures:
        lines.append(failures[0].upper() + failures[1:])
    if row.items_failing:
        lines.append("Nothing usable was stored from this source; check what its URL serves.")
    if row.last_error:
        lines.append(f"⚠️ {plain(row.last_error)}")
    return "\n".join(lines)


def added_embed(row: SourceRow, *, outcome: str) -> Embed:
    """Return the reply to ``/sources add``: what was stored and what the first poll found."""
    topic = f" for `{row.topic}`" if row.topic else ""
    polled = row.last_polled_at is not None
    succeeded = row.last_success_at is not None and row.last_success_at == row.last_polled_at
    healthy = succeeded and not row.items_failing
    colour = COLOUR if not polled else (OK_COLOUR if healthy else FAIL_COLOUR)
    return {
        "title": f"📡 Source #{row.id} added",
        "description": f"{source_name(row)} · {row.kind}{topic}\n\n{outcome}",
        "color": colour,
        "footer": {"text": "/sources list shows every source's health"},
    }


def polled_embed(row: SourceRow, *, outcome: str) -> Embed:
    """Return the reply to ``/sources poll``: the source and what the poll found."""
    embed = added_embed(row, outcome=outcome)
    embed["title"] = f"📡 Source #{row.id} polled"
    return embed


def changed_text(verb: str, row: SourceRow) -> str:
    """Return the reply to remove/pause/resume; a paused source also says why it is paused."""
    text = f"{verb} source `#{row.id}` {source_name(row)}."
    if verb == "Paused" and row.paused_reason:
        text += f" Reason: {row.paused_reason.rstrip('.')}."
    return text


def unchanged_text(row: SourceRow, why: str) -> str:
    """Return the reply to a pause or resume that changed nothing, saying why."""
    return f"Source `#{row.id}` {source_name(row)} {plain(why)}"


def interval_text(seconds: int) -> str:
    """Return a poll interval in words: "every 15 min", "every 2 h", "every 1 day"."""
    if seconds % 86400 == 0:
        return f"every {count(seconds // 86400, 'day')}"
    if seconds % 3600 == 0:
        return f"every {seconds // 3600} h"
    return f"every {max(seconds // 60, 1)} min"


def edited_text(row: SourceRow) -> str:
    """Return the reply to ``/sources edit``: the source with its topic and interval now."""
    topic = f"topic `{row.topic}`" if row.topic else "no topic"
    return (
        f"Changed source `#{row.id}` {source_name(row)}: {topic}, polled "
        f"{interval_text(row.poll_interval_seconds)}."
    )
