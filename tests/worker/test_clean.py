"""The text cleaner: boilerplate goes, legitimate short lines stay, nothing is added."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from worker import clean
from worker.clean import LINE_RULES, SECTION_RULES, Rule, clean_text, normalise_title

BODY = [
    "Russia and China signed a new energy agreement on Tuesday, officials in Moscow said.",
    "The deal covers gas deliveries through a second pipeline across Mongolia from 2030.",
    "Analysts said the terms were more favourable to Beijing than earlier contracts had been.",
    "Trade between the two countries reached a record of about $240 billion last year.",
]


def _article(*extra: str, before: tuple[str, ...] = ()) -> str:
    return "\n\n".join([*before, *BODY, *extra])


def _paragraphs(text: str) -> list[str]:
    return text.split("\n\n") if text else []


BOILERPLATE_LINES = [
    "Leave a Reply",
    "Leave a comment",
    "Post a Comment",
    "3 Comments",
    "No comments yet",
    "Comments (12)",
    "Your email address will not be published. Required fields are marked *",
    "You must be logged in to post a comment.",
    "Save my name, email, and website in this browser for the next time I comment.",
    "Loading",
    "Loading...",
    "Cargando…",
    "Advertisement",
    "Share this article",
    "Share on Facebook",
    "Facebook Twitter WhatsApp Email",
    "Follow us on Telegram",
    "Subscribe to our newsletter",
    "Get the day’s top headlines delivered to your inbox by subscribing to our newsletter.",
    "For the latest stories from across the globe, sign up for our newsletters .",
    "Postmedia may earn an affiliate commission from purchases made through links here.",
    "If you buy something through this post, the site may get a share of the sale.",
    "—Associated Press writer John Leicester in Paris contributed to this report.",
    "Keith Bradsher contributed reporting from Hong Kong.",
    "(Reporting by Greg Roumeliotis and Joshua Franklin, editing by Martin Howell.)",
    "Sign up for the morning briefing newsletter",
    "ALSO READ: Putin and Xi meet in Beijing",
    "Also Read - Moscow hosts summit",
    "Read more: Gas talks stall again",
    "Photo: Reuters",
    "Image credit: Kremlin press service",
    "Photo credit - Alexei Nikolsky/Sputnik",
    "(Photo by Alexander Kazakov/AFP)",
    "File photo",
    "Representational image",
    "Getty Images",
    "Disclaimer: This article reflects the writer's opinion only.",
    "The opinions expressed in this column are the author's own.",
    "Views expressed above are the author's own and do not reflect those of this outlet.",
    "Author: John Smith",
    "By Jane Doe",
    "By Jane Doe | March 3, 2024",
    "Written by Sarah Lee",
    "Edited by Mark Brown",
    "edited by rahul verma",
    "Reporting by Guy Faulconbridge in Moscow; Editing by Alex Richardson",
    "With inputs from agencies",
    "Published: March 3, 2024",
    "Updated on 12 January 2024 10:15 GMT",
    "2024-03-03 | World, Asia",
    "Tags: China, Russia, Energy",
    "Jane Doe – Senior Analyst at the Carnegie Endowment",
    "Advertisement - Scroll to continue",
    "Story continues below advertisement",
    "Listen to this article",
    "5 min read",
    "Print this page",
    "Read the full story here",
    "Report an error",
    "Latest",
    "Newsletter",
    "Follow @eastledger on X",
    "Join our Telegram channel for the latest updates",
    "Support independent journalism: donate today.",
    "This article was originally published on The Conversation.",
    "© 2024 Example Wire. All rights reserved.",
    "Copyright 2024 Example Wire",
    "Add new comment",
    "Log in to comment",
    "Be the first to comment",
    "Email *",
    "Follow EurAsian Times on Google News",
    "Click to share on Twitter (Opens in new window)",
    "Like this:",
    "READ | Moscow and Beijing sign gas deal",
    "Next article: Tokyo raises defence budget",
    "Image via Wikimedia Commons",
    "Keywords: China, Russia, gas",
    "Posted in Politics, World",
    "The writer is a former ambassador of Pakistan to China.",
    "(The author is an Islamabad-based analyst of Eurasian affairs.)",
    "Source: Tasnim News Agency",
    "BY JANE DOE",
    "Contact the author at jane@example.org",
    "Write to Jane Doe at jane.doe@example.org",
    "Email Jane Doe at jdoe@example.org or follow her @janedoe. Follow us on Facebook.",
    "Reach the reporter on Twitter at http://twitter.com/janedoe",
    "Follow Example Monitor on Google News and add us as a preferred source in your feeds.",
    "Sign up for breaking news, reviews, opinion and more.",
    "Get the latest news from example.org in your inbox.",
    "Like this story? Share it with a friend!",
    "This is a breaking news story - more to follow",
    "We independently select what we recommend and may earn us a commission on sales.",
    "This copy is for your personal, non-commercial use only. To order copies visit us.",
    "This document is subject to copyright. No part may be reproduced without permission.",
    "Reporting by Jane Doe in Beirut, John Roe in The Hague; Editing by Ann Poe",
]


@pytest.mark.parametrize("line", BOILERPLATE_LINES)
def test_boilerplate_line_is_removed(line: str) -> None:
    """A boilerplate line after the body is removed and the body is kept whole."""
    assert _paragraphs(clean_text(_article(line))) == BODY


TEASER_HEADERS = [
    "Related Articles",
    "LATEST NEWS",
    "You may also like",
    "More from Asia",
    "Lire aussi",
]


@pytest.mark.parametrize("header", TEASER_HEADERS)
def test_teaser_section_is_cut_to_the_end(header: str) -> None:
    """A teaser header after the body drops itself and the teasers that follow it."""
    teasers = (
        header,
        "Japan boosts defence spending",
        "Tokyo approved its largest military budget since the war, citing threats in the region.",
    )
    assert _paragraphs(clean_text(_article(*teasers))) == BODY


def test_teaser_header_inside_the_article_does_not_cut_it() -> None:
    """A 'Recommended videos' widget with body paragraphs after it is dropped alone."""
    later = [
        "The second pipeline would carry up to fifty billion cubic metres of gas a year, more "
        "than the first one, and its price formula has still not been disclosed to the public.",
        "European buyers, who once took most of Russia's exports, are now expected to take "
        "less than a fifth of them by the end of the decade, according to the same analysts.",
    ]
    text = _article("Recommended Videos", *later)
    assert _paragraphs(clean_text(text)) == [*BODY, *later]


def test_comment_section_drops_readers_comments() -> None:
    """Everything after a comment-count header is comments, not article."""
    comments = (
        "2 Comments",
        "Great piece. I disagree with the second point though, Beijing gains.",
    )
    assert _paragraphs(clean_text(_article(*comments))) == BODY


def test_section_header_near_the_top_does_not_swallow_the_article() -> None:
    """A 'Related' label before any body is dropped alone; the article after it stays."""
    assert _paragraphs(clean_text(_article(before=("Related",)))) == BODY


def test_headerless_teasers_with_truncated_excerpts_are_removed() -> None:
    """Headline + '...'-truncated excerpt pairs at the end are teasers."""
    teasers = (
        "Seafarers Seek Better Protection",
        "The maritime industry relies on seafarers who face many risks in their line of duty...",
        "A Chance to End the Cycle of Conflict",
        "Every war experiences pivotal moments that bring significant risks, often…",
    )
    assert _paragraphs(clean_text(_article(*teasers))) == BODY


def test_body_paragraph_ending_in_ellipsis_is_kept() -> None:
    """A single body paragraph trailing off with '...' mid-article is not a teaser."""
    text = _article(before=("Background", "What comes next is anyone's guess..."))
    assert _paragraphs(clean_text(text))[:2] == [
        "Background",
        "What comes next is anyone's guess...",
    ]


def test_glued_also_read_is_cut_and_paragraph_kept() -> None:
    """'ALSO READ:- ...' glued to a paragraph goes; the paragraph stays."""
    glued = BODY[-1] + " ALSO READ:- Iran's Parliament Approves the Cabinet: A Milestone"
    assert _paragraphs(clean_text("\n".join([*BODY[:-1], glued]))) == BODY


def test_glued_byline_is_cut() -> None:
    """'Name – Researcher of ...' glued after the lede's last sentence goes."""
    glued = BODY[0] + " Hossein Sayyahi – Researcher of international politics"
    assert _paragraphs(clean_text("\n".join([glued, *BODY[1:]]))) == BODY


def test_caption_with_bracketed_credit_is_removed() -> None:
    """A short caption line ending in '[File: Name/Agency]' is removed."""
    caption = (
        "Putin and Xi at the Kremlin in Moscow, Russia [File: Alexei Nikolsky/Sputnik via Reuters]"
    )
    text = "\n".join([BODY[0], caption, *BODY[1:]])
    assert _paragraphs(clean_text(text)) == BODY


def test_repeated_title_is_removed_including_site_suffix() -> None:
    """Lines repeating the title (with or without its ' | Section' label) go."""
    title = "China and Russia Sign Gas Deal | World News"
    text = "\n".join([title, BODY[0], "China and Russia Sign Gas Deal", *BODY[1:]])
    assert _paragraphs(clean_text(text, title=title)) == BODY


def test_first_headline_restating_the_title_is_removed() -> None:
    """A first line that restates the title in other words goes; a lede sentence stays."""
    title = "Russia and China sign gas deal"
    text = "\n".join(["Energy: Russia and China sign new gas deal in Moscow", *BODY])
    assert _paragraphs(clean_text(text, title=title)) == BODY
    lede = "Russia and China sign a gas deal."
    assert _paragraphs(clean_text("\n".join([lede, *BODY]), title=title)) == [lede, *BODY]


def test_title_line_without_its_site_name_is_removed() -> None:
    """A body line repeating a 'Headline - Site' title without the site name goes."""
    title = "Is the Gas Deal a Win for Beijing? - Eastern Ledger"
    text = "\n".join(["Is the Gas Deal a Win for Beijing?", *BODY])
    assert _paragraphs(clean_text(text, title=title, site="Eastern Ledger")) == BODY


def test_title_with_a_dash_inside_keeps_a_line_that_is_only_its_first_part() -> None:
    """'China – Russia Cooperation' is not the site's name: a 'China' line is not the title."""
    text = "\n".join(["Prospects of China", *BODY])
    kept = clean_text(text, title="Prospects of China – Russia Cooperation", site="Ledger")
    assert _paragraphs(kept) == ["Prospects of China", *BODY]


LEGITIMATE_LINES = [
    "Conclusion",
    "B. Economic Synergy",
    "Diplomatic and economic relations",
    "A self-fulfilling prophecy?",
    "“False invaders”",
    "Discussion",
    "Background",
    "By 2030, China will buy twice as much Russian gas as today.",
    "By Monday, China had agreed to buy more oil",
    "Share prices in Moscow fell 3% on the news.",
    "Comments from the ministry were not immediately available.",
    "The newsletter's editor said subscriptions fell by half last year.",
    "Gazprom may earn less from Chinese buyers than it did from Europe.",
    "Three ministries contributed to the new energy strategy, officials said.",
    "Reporting by the BBC revealed that the deal was signed in secret in March last year.",
    "The report was written by scholars at Fudan University and reviewed by officials.",
    "Published in 2019, the study found that trade had doubled.",
    "Loading of the first tanker began at the port on Monday.",
    "Photo opportunities at the summit were tightly controlled by both sides.",
    "Related to this, Beijing has also expanded its purchases of Russian coal.",
    "The views expressed by the minister were echoed by his Chinese counterpart.",
    "Subscribers to the state newspaper were told a different story.",
    "Copyright disputes between Russian and Chinese firms have grown.",
    "The views expressed by the author of the report were criticised by Beijing.",
    "Latest figures show trade grew by a third.",
    "More than 40 ships used the route last year.",
    "Follow-up talks are planned for June.",
    "Images from the satellite show that the route was open in May.",
    "The author is right that trade has grown, officials said.",
    "Next week, the two leaders will meet in Kazan.",
    "Sources said the talks had stalled.",
    "Read the report for yourself, the minister told reporters.",
    "Reached by email, the ministry declined to comment on the deal.",
    "Sign up to this programme closed in May, the ministry said.",
    "The minister, who has a million followers as @minister, wrote that talks went well.",
    "Breaking news stories from Moscow rarely reach Chinese readers, the study found.",
]


@pytest.mark.parametrize("line", LEGITIMATE_LINES)
def test_legitimate_line_is_kept(line: str) -> None:
    """Headings and body sentences that resemble boilerplate are kept."""
    text = "\n".join([BODY[0], BODY[1], line, BODY[2], BODY[3]])
    assert line in _paragraphs(clean_text(text))


def test_whitespace_is_normalised_without_changing_words() -> None:
    """Runs of spaces collapse to one; blank-line and single-line paragraphs both work."""
    assert clean_text("One  two\tthree.\r\n\r\nFour   five.") == "One two three.\n\nFour five."


def test_normalise_title_strips_section_label() -> None:
    """' | Political News' is dropped from a title; a short title keeps its pipe part."""
    assert normalise_title("Why do China and Russia strengthen relations? | Political News") == (
        "Why do China and Russia strengthen relations?"
    )
    assert normalise_title("A | B") == "A | B"


_LINE = st.one_of(
    st.text(max_size=120),
    st.sampled_from(["Leave a Reply", "Loading", "ALSO READ:- x", "Photo: y", "Related", "..."]),
    st.sampled_from(BODY),
)


def _squash(text: str) -> str:
    return " ".join(text.split())


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(_LINE, max_size=30), title=st.one_of(st.none(), st.text(max_size=60)))
def test_cleaner_only_removes(lines: list[str], title: str | None) -> None:
    """On any input the cleaner raises nothing and each output line is a piece of an input line."""
    text = "\n".join(lines)
    out = clean_text(text, title=title)
    sources = [_squash(line) for line in text.splitlines()]
    position = 0
    for paragraph in _paragraphs(out):
        # Each output paragraph is a substring of an input line, in input order.
        while position < len(sources) and _squash(paragraph) not in sources[position]:
            position += 1
        assert position < len(sources), f"{paragraph!r} is not from the input"
        position += 1


def _rule_lines() -> list[str]:
    """Lines to compare the rules on: the examples above, shipped texts and extraction pages."""
    from bench.extraction_data import fundus_pages
    from corpus.shipped import sample_paths

    lines = [*BOILERPLATE_LINES, *LEGITIMATE_LINES, *BODY, *TEASER_HEADERS]
    for path in sample_paths():
        lines += path.read_text(encoding="utf-8").splitlines()
    for page in fundus_pages():
        lines += page.expected.splitlines()
        lines += re.sub(r"<[^>]+>", "\n", page.html).splitlines()
    lines = [" ".join(line.split()) for line in lines]
    return [line for line in dict.fromkeys(lines) if line]


@pytest.mark.parametrize(
    ("rules", "combined"),
    [
        (LINE_RULES, clean._ANY_LINE_RULE),
        (SECTION_RULES, clean._ANY_SECTION_RULE),
        (clean._TEASER_SECTIONS, clean._ANY_TEASER_SECTION),
    ],
)
def test_combined_rules_match_the_lines_each_rule_matches(
    rules: tuple[Rule, ...], combined: re.Pattern[str]
) -> None:
    """One pass over the combined rules matches a whole line exactly when one rule does."""
    lines = _rule_lines()
    matched = [line for line in lines if any(r.pattern.fullmatch(line) for r in rules)]
    assert matched  # the comparison covers lines the rules match, not only ones they do not
    assert [line for line in lines if combined.fullmatch(line)] == matched


_SPACES = re.compile(r"\s+")
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_ANY_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(), st.sampled_from(" \t\n\u00a0\u2003_-.…¹²½٣ßİ"), st.sampled_from("aZ9")
    ),
    max_size=40,
)


@settings(max_examples=500, deadline=None)
@given(text=_ANY_TEXT)
def test_line_key_and_spacing_are_the_patterns_they_replace(text: str) -> None:
    """The edge loop and split-join give what the edge and whitespace patterns gave."""
    assert clean._key(text) == _EDGES.sub("", _SPACES.sub(" ", text).casefold())
    assert " ".join(text.split()) == _SPACES.sub(" ", text).strip()


def test_line_key_is_the_pattern_it_replaces_on_real_lines() -> None:
    """On the shipped, gold and test lines the line key is what the edge pattern gave."""
    for line in _rule_lines():
        assert clean._key(line) == _EDGES.sub("", _SPACES.sub(" ", line).casefold())
