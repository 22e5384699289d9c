"""``newsbrief brief``: text, JSON and clear errors, over a real SQLite database."""

from __future__ import annotations

import json
import re

import pytest

from corpus.db import make_engine, make_session_factory
from corpus.settings import Settings
from newsbrief.cli import build_parser
from testing.stored_articles import TOPIC, UNDATED_TITLE, add_undated


def _run(settings: Settings, *argv: str) -> int:
    args = build_parser().parse_args(["brief", *argv])
    return int(args.handler(args, settings))


def test_text_brief_cites_numbered_sources(stored, capsys) -> None:
    """The text brief shows bullets with [n] and every n is listed under SOURCES."""
    assert _run(stored, TOPIC, "--days", "90") == 0
    out = capsys.readouterr().out
    body, _, sources = out.partition("\nSOURCES\n")
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", body)}
    listed = {int(n) for n in re.findall(r"^\[(\d+)\]", sources, flags=re.MULTILINE)}
    assert cited and cited <= listed
    assert "KEY FIGURES" in out and "China–Russia trade, by period: 2020 $108 billion" in out
    assert "https://tass.com/news/trade-0" in sources


def test_json_brief_is_the_composed_data(stored, capsys) -> None:
    """--json prints Brief.to_dict() for the topic."""
    assert _run(stored, TOPIC, "--days", "90", "--theme", "energy", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["topic"] == TOPIC and data["theme"] == "energy"
    assert {"stories", "figures", "themes", "sources", "widened", "note"} <= set(data)
    assert all("energy" in s["themes"] for s in data["stories"])


def test_unknown_topic_exits_2_naming_valid_topics(stored, capsys) -> None:
    """An unknown topic prints the valid topics on stderr and exits 2."""
    assert _run(stored, "nowhere") == 2
    err = capsys.readouterr().err
    assert "Unknown topic 'nowhere'" in err and TOPIC in err


@pytest.mark.parametrize("days", ["0", "91"])
def test_days_out_of_range_exits_2(stored, capsys, days) -> None:
    """--days outside 1–90 is refused on stderr with exit 2."""
    assert _run(stored, TOPIC, "--days", days) == 2
    assert "between 1 and 90" in capsys.readouterr().err


def test_unknown_theme_exits_2(stored, capsys) -> None:
    """An unknown theme names the valid themes on stderr and exits 2."""
    assert _run(stored, TOPIC, "--theme", "weather") == 2
    assert "energy" in capsys.readouterr().err


def test_discord_json_prints_message_payloads(stored, capsys) -> None:
    """--discord-json prints the messages /brief would send, each with its embeds."""
    assert _run(stored, TOPIC, "--days", "90", "--discord-json") == 0
    messages = json.loads(capsys.readouterr().out)
    assert messages and all("embeds" in m for m in messages)
    text = json.dumps(messages, ensure_ascii=False)
    assert "China–Russia trade" in text


def test_text_brief_says_added_for_a_fetch_date(stored, capsys) -> None:
    """An undated article's date reads "added <fetch date>"; dated sources show theirs as is."""
    engine = make_engine(stored.effective_database_url)
    add_undated(make_session_factory(engine))
    engine.dispose()
    assert _run(stored, TOPIC, "--days", "90") == 0
    out = capsys.readouterr().out
    assert re.search(rf"{UNDATED_TITLE}  \(1 outlet, added 2026-11-20; story", out)
    assert re.search(rf"\] {UNDATED_TITLE} — undated.example, added 2026-11-20$", out, re.M)
    assert "— tass.com, 2026-11-20" in out


def test_until_briefs_a_past_window(stored, capsys) -> None:
    """--until DATE briefs the days up to that date: later articles are left out."""
    assert _run(stored, TOPIC, "--until", "2026-11-17", "--days", "7", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    titles = {s["title"] for s in data["sources"]}
    assert "Joint naval drill in the Sea of Japan" in titles
    assert "China–Russia trade hits record high" not in titles
    assert data["generated_at"].startswith("2026-11-17T23:59")


@pytest.mark.parametrize(("until", "why"), [("2026-02-30", "not a date"), ("2999-01-01", "future")])
def test_bad_until_exits_2_saying_why(stored, capsys, until, why) -> None:
    """A bad --until is refused as a usage error: exit 2, the reason on stderr."""
    with pytest.raises(SystemExit) as exited:
        _run(stored, TOPIC, "--until", until)
    assert exited.value.code == 2
    assert why in capsys.readouterr().err


def test_text_brief_shows_each_storys_figures_under_it(stored, capsys) -> None:
    """A story's figures follow its bullets, with what they measure and their citations."""
    assert _run(stored, TOPIC, "--days", "90") == 0
    stories = capsys.readouterr().out.partition("\nKEY FIGURES\n")[0]
    assert re.search(
        r"^    Figure: \$172\.41 billion \[\d\]\[\d\]\[\d\]"
        r" — China–Russia trade, 11 months of 2022$",
        stories,
        flags=re.MULTILINE,
    )


def test_json_brief_gives_each_story_its_figures(stored, capsys) -> None:
    """--json has a figures list per story: value, unit, measure, period, status, citations."""
    assert _run(stored, TOPIC, "--days", "90", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    numbers = {s["number"] for s in data["sources"]}
    figures = [fig for story in data["stories"] for fig in story["figures"]]
    assert figures
    for fig in figures:
        assert {"text", "value", "unit", "measure", "period", "status", "citations"} <= set(fig)
        assert fig["citations"] and set(fig["citations"]) <= numbers
    record = next(fig for fig in figures if fig["text"] == "$172.41 billion")
    assert (record["value"], record["unit"], record["status"]) == (172.41e9, "USD", "actual")
