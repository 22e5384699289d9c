"""Golden tests: each seed, as text and inside an HTML page, against its checked clean text."""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.golden_texts import golden_path, render
from testing.page_chrome import seed_page, seed_paths
from worker.extract import extract_html, extract_text_document

SEEDS = {path.stem: path for path in seed_paths()}

# The boilerplate lines identified by reading each seed end to end. Everything else that is not
# the title line must survive cleaning.
BOILERPLATE: dict[str, list[str]] = {
    "000_3fdab41272102c79": [
        "2023/01/29 | Economy, Note, top news",
        "0 Comments",
        "Submit a Comment",
        "Your email address will not be published. Required fields are marked *",
        "LATEST CONTENT",
        "Erdogan’s Motives and Opportunities for Reconciliation with the Syrian Government",
        "Strategic Council Online—An expert on Caucasus issues said that the Turkish",
        "Japan’s Goals of Strengthening Its Military Power in East Asia",
        "Strategic Council Online – Interview: The former ambassador of Iran in Japan said:",
        "An Analysis of the Possible Approach of the New British Government in Foreign Policy",
        "Strategic Council Online—Interview: An expert on European issues said:",
        "Unpredictable Consequences of a Possible Comprehensive Attack on Lebanon",
        "Strategic Council Online – Interview: The former ambassador of Iran in Jordan",
        "Loading",
        "Últimas publicaciones",
    ],
    "001_51def3a515415125": [
        "On August 8, 2019, the Chinese Marine Corps participated in the 2019 International Army",
        "On June 28, 2021, Russian President Vladimir Putin held a video conference call",
        "Author: admin",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
    ],
    "002_bd16dfde268cb708": [
        "Image credit: www.kremlin.ru (via Wikimedia Commons.",
        "The views and opinions expressed in this article are those of the author",
        "Indian Seafarers in Search of Enhanced Security and Rights Protection",
        "The maritime industry, vital for global trade, heavily relies on seafarers",
        "Be Careful What You Wish For: Multi-Polarity Advocates Will Yearn For Pax-Americana",
        "The need for national leaderships to rally towards countering geopolitical multi-polarity",
        "Armenia–Azerbaijan: A Chance to End the Cycle of Conflict",
        "Every war and conflict experience pivotal moments that bring significant risks",
    ],
    "003_88e8e07206f58222": [],
    "004_78f9c8f826e79d3a": [
        "The ‘No Limit’ Partnership Between China and Russia Gets Stronger – Bad News For The US",
        "edited and proofread by nikita sharma",
    ],
}

# Boilerplate glued to the end of a body paragraph: (the glued tail, the body before it).
GLUED: dict[str, list[tuple[str, str]]] = {
    "000_3fdab41272102c79": [
        (
            "Hossein Sayyahi – Researcher of international politics",
            "the cost and results of their actions.",
        )
    ],
    "003_88e8e07206f58222": [
        (
            "ALSO READ:- Iran’s Hard-Line Parliament Approves All Members",
            "leverage their strengths in a rapidly changing world.",
        )
    ],
}


def _squash(text: str) -> str:
    return " ".join(text.split())


def _seed_lines(path: Path) -> list[str]:
    return [_squash(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_text_matches_golden(name: str) -> None:
    """The plain-text seed cleans to exactly its golden text."""
    assert render(SEEDS[name]) == golden_path(SEEDS[name]).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_in_page_chrome_matches_golden(name: str) -> None:
    """The seed inside an HTML page with nav, sidebar, comments and footer gives the same text."""
    page = seed_page(SEEDS[name], url=f"https://monitor.example.org/analysis/{name}")
    article = extract_html(page, f"https://monitor.example.org/analysis/{name}?utm_source=feed")
    assert article.text + "\n" == golden_path(SEEDS[name]).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_no_boilerplate_line_survives(name: str) -> None:
    """No line identified as boilerplate (or glued boilerplate tail) is left in the golden text."""
    golden = _squash(golden_path(SEEDS[name]).read_text(encoding="utf-8"))
    for line in BOILERPLATE[name]:
        assert line not in golden
    for tail, _body in GLUED.get(name, []):
        assert tail not in golden


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_every_body_line_survives(name: str) -> None:
    """Every seed line that is neither title nor boilerplate is a paragraph of the golden text."""
    seed = SEEDS[name]
    paragraphs = set(golden_path(seed).read_text(encoding="utf-8").strip().split("\n\n"))
    title = extract_text_document(seed.read_text(encoding="utf-8"), None).title
    lines = _seed_lines(seed)
    if lines[0].startswith(title):
        lines = lines[1:]
    glued = dict(GLUED.get(name, []))
    checked = 0
    for line in lines:
        if any(line.startswith(b) for b in BOILERPLATE[name]):
            continue
        tail = next((t for t in glued if line.endswith(t) or t in line), None)
        expected = line[: line.index(tail)].rstrip() if tail else line
        assert expected in paragraphs, f"body line lost or changed: {line[:80]!r}"
        checked += 1
    assert checked >= 10


def test_every_golden_paragraph_comes_from_the_seed() -> None:
    """The golden texts contain nothing that is not in their seed."""
    for seed in SEEDS.values():
        source = _squash(seed.read_text(encoding="utf-8"))
        for paragraph in golden_path(seed).read_text(encoding="utf-8").split("\n\n"):
            assert _squash(paragraph) in source
