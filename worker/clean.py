"""Text-level cleaner: removes boilerplate that survives HTML extraction or sits in plain text.

The cleaner only ever removes: it drops whole lines, or cuts a boilerplate tail glued to the end
of a paragraph. It never rewrites or adds words. Each rule is a named pattern in one of the tables
below, so a new site's boilerplate is one entry, not a new branch of code.

Shapes handled:

* whole-line boilerplate (``LINE_RULES``): comment forms and counts, 'Loading', share/subscribe
  prompts, 'ALSO READ' lines, image credits and captions, view disclaimers, author/editor credits,
  date/category metadata lines;
* sections that run to the end of the text (``SECTION_RULES``): 'Latest content', 'Related
  articles', 'Leave a Reply' ... everything after such a header is teasers or comments;
* tails glued to a body paragraph (``GLUED_RULES``): 'ALSO READ:- ...', a trailing byline,
  a trailing '(Photo by ...)';
* teaser blocks without a header: a headline line followed by an excerpt cut off with '...';
* lines repeating the article's title.
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass
from functools import lru_cache

from corpus.boilerplate import line_key

__all__ = [
    "DATE_PATTERN",
    "GLUED_RULES",
    "LINE_RULES",
    "SECTION_RULES",
    "Rule",
    "clean_text",
    "drop_recurring_lines",
    "normalise_title",
]


@dataclass(frozen=True, slots=True)
class Rule:
    """A named boilerplate pattern; ``category`` says which kind of boilerplate it removes."""

    category: str
    pattern: re.Pattern[str]


def _rule(category: str, pattern: str, flags: int = re.IGNORECASE) -> Rule:
    return Rule(category, re.compile(pattern, flags))


# Separators sites put between a label and its content: 'ALSO READ:- ...', 'Photo | ...'.
_SEP = r"\s*[:：|\-–—»›>]+\s*"
# A short tail: a credit or label value, never a paragraph.
_SHORT = r".{1,160}"
# Words that introduce a person's role in a byline: 'Jane Doe – Researcher of ...'.
_ROLE = (
    r"(?:(?:senior|junior|chief|former|independent|political|associate|assistant|visiting|"
    r"research|staff|guest|contributing|managing|deputy)\s+)*"
    r"(?:researcher|analyst|expert|professor|journalist|correspondent|writer|editor|columnist|"
    r"fellow|lecturer|scholar|reporter|contributor|commentator|director|author|academic)\b"
)
_WEEKDAY_OR_MONTH = (
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|(?:january|february|march|april|may|june|"
    r"july|august|september|october|november|december)\b"
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_TIME = (
    r"(?:,?\s*(?:at\s*)?\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\s*"
    r"(?:[A-Z]{2,4}|GMT|UTC)?(?:[+-]\d{1,2}(?::?\d{2})?)?)?"
)
# A date as sites print it: '2023/01/29', 'Jan 29, 2023', 'Monday, 29 January 2023 10:15 GMT'.
DATE_PATTERN = (
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    r"(?:\d{4}[/.-]\d{1,2}[/.-]\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}"
    r"|" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+\d{4})" + _TIME
)
# 'Jane Doe', 'J. R. Smith': capitalised words separated by spaces (never empty, so matching
# stays linear on long runs of capitals).
_CAPITALISED_NAME = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
_NAME = r"[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}"
_SENTENCE_END = r"(?<=[.!?\"”’)\]])"
# One to four people or desks: 'Jane Doe', 'nikita sharma', 'Guy Faulconbridge in Moscow'.
_NAMEISH = r"[\w.'’@-]+(?:\s+[\w.'’@-]+){0,4}"
_NAMES = _NAMEISH + r"(?:\s*(?:,|;|/|&|\band\b)\s*" + _NAMEISH + r"){0,3}"

# Whole lines that are boilerplate. A line is dropped when one of these matches all of it.
LINE_RULES: tuple[Rule, ...] = (
    # Comment forms and counts.
    _rule(
        "comments",
        r"(?:leave|post|add|write|submit) (?:a |your |a new |new )?(?:reply|comment|response)s?",
    ),
    _rule("comments", r"(?:log ?in|sign ?in|register) to (?:comment|reply).{0,40}"),
    _rule("comments", r"be the first to (?:comment|reply|respond).{0,40}"),
    _rule("comments", r"(?:name|e-?mail|website|comment)(?: address)?\s*(?:\*|\(required\))"),
    _rule("comments", r"(?:\d+|no|one|view|show|read) (?:comments?|responses?|replies)(?: yet)?"),
    _rule("comments", r"comments?\s*\(\d+\)|comments?|join the (?:discussion|conversation)"),
    _rule("comments", r"(?:your|the) email address will not be published\b.*"),
    _rule("comments", r"required fields are marked.*"),
    _rule("comments", r"(?:cancel reply|comments are closed\.?|post comment|submit comment)"),
    _rule("comments", r"you must be (?:logged in|registered) to post a comment\.?.*"),
    _rule("comments", r"save my name, email,? and website in this browser.*"),
    _rule("comments", r"notify me of (?:follow-up comments|new posts|new comments).*"),
    # Widgets that render as a word: spinners, ad slots, skip links, paging.
    _rule(
        "loading",
        r"(?:loading(?: comments| video| player| content)?|cargando|carregando|chargement|"
        r"wird geladen|загрузка)(?:\.\.\.|…)?|please wait\.*",
    ),
    _rule("widget", r"advertisements?(?:\s*[-–—:]\s*.{0,40})?|sponsored(?: content)?"),
    _rule("widget", r"skip to (?:main )?content|back to top|listen to (?:this )?article.{0,30}"),
    _rule("widget", r"(?:read|show|see|load) more(?: stories| articles| news)?\s*[»›>]?"),
    _rule(
        "widget",
        r"continue reading.{0,80}|click here to .{0,80}|read the full (?:story|article)"
        r".{0,60}|print(?: this)?(?: page| article| story)?",
    ),
    _rule("widget", r"(?:story|article) continues (?:below|after).{0,60}"),
    _rule(
        "widget",
        r"(?:this is a )?(?:breaking|developing) (?:news )?(?:story|news)\b.{0,40}"
        r"|this (?:story|article) (?:is developing|will be updated).{0,60}",
    ),
    _rule("widget", r"\d{1,2}[ -]min(?:ute)?s?(?: read)?|\d{1,2} (?:minutes?|hours?|days?) ago"),
    _rule("widget", r"report (?:an error|a correction|a typo|this ad).{0,40}"),
    # Bare labels of teaser widgets; alone on a line they head no article text.
    _rule(
        "teaser-label",
        r"(?:latest|trending|popular|more|most viewed|most shared|newsletter"
        r"(?: sign-?up)?|related topics|further reading)\s*:?",
    ),
    # Share and subscribe prompts.
    _rule(
        "share",
        r"share(?: this)?(?: article| story| post| page)?(?:" + _SEP + r".{0,80}| on .{0,60})?",
    ),
    _rule(
        "share",
        r"(?:share|tweet|email|print|whatsapp|facebook|twitter|x|linkedin|telegram|"
        r"reddit|pinterest|copy link)(?:\s*[|,/·•]?\s*(?:share|tweet|email|print|whatsapp|"
        r"facebook|twitter|x|linkedin|telegram|reddit|pinterest|copy link))+",
    ),
    _rule("share", r"(?:follow|like|join) us on .{1,80}"),
    _rule(
        "share",
        r"follow (?:us|@?[\w. ]{1,40}) on (?:twitter|x|facebook|instagram|telegram|linkedin|"
        r"google news|youtube|whatsapp|threads|bluesky|mastodon|tiktok)\b.{0,160}",
    ),
    _rule(
        "share",
        r"click to (?:share|print|email|tweet).{0,80}|like this:?|like loading(?:…|\.\.\.)?",
    ),
    _rule("share", r"contact (?:the )?(?:author|writer|reporter|us) (?:at|via|on) .{1,80}"),
    _rule("share", r"join our .{0,40}(?:channel|group|community).{0,60}"),
    _rule(
        "share", r"(?:please )?(?:support|donate to) (?:our|independent|quality) journalism.{0,120}"
    ),
    _rule(
        "share",
        r"(?:subscribe|sign up)(?: now| today| here)?(?: (?:to|for) (?:our|the) .{0,80})?[.!]?",
    ),
    _rule("share", r"(?:get|receive) (?:our|the) .{0,40}newsletter.{0,80}"),
    _rule(
        "share",
        r"sign up (?:for|to) .{0,60}\b(?:news|updates|alerts|deals|offers|e-?mails?|briefings?|"
        r"digest)\b.{0,80}",
    ),
    _rule(
        "share",
        r"(?:get|receive) .{1,80}\b(?:in|to|into|through) your (?:inbox|letterbox)\b.{0,120}",
    ),
    _rule("share", r"(?:like|enjoyed?|love) this (?:story|article|post)\?.{0,60}"),
    # Contact lines of the author or the newsroom: an address or a handle to write to.
    _rule(
        "share",
        r"(?=.{0,200}(?:[\w.+-]+@[\w-]+\.[\w.]+|@\w{2,}|twitter\.com/))"
        r"(?=.{0,200}\b(?:e-?mail|write to|reach|reached|contact|get in touch|follow)\b).{1,300}",
    ),
    # Any short line that asks the reader to sign up for a newsletter.
    _rule(
        "share",
        r"(?=.{0,300}\bnewsletters?\b)(?=.{0,300}\b(?:sign(?:ing)?[ -]?up|subscribe|"
        r"subscribing|inbox|delivered to)\b).{1,300}",
    ),
    # Affiliate disclosures.
    _rule(
        "share",
        r"(?=.{0,300}\b(?:may (?:earn|receive|get) (?:us )?(?:an? )?(?:small )?(?:affiliate )?"
        r"(?:commission|share of (?:the )?sales?)|affiliate (?:links?|commissions?))\b).{1,400}",
    ),
    _rule("share", r"download (?:our|the) .{0,30}app.{0,60}"),
    # 'ALSO READ' style links to other articles, as a line of their own.
    _rule(
        "also-read",
        r"(?:also read|read also|also see|see also|must read|don'?t miss|"
        r"read more|related|recommended|watch|listen)" + _SEP + _SHORT,
    ),
    _rule("also-read", r"(?:ALSO READ|READ ALSO|ALSO SEE|MUST READ|READ MORE)\b.{0,160}", 0),
    _rule("also-read", r"read\s*[:|]\s*" + _SHORT),
    _rule(
        "also-read", r"(?:previous|next|older|newer) (?:article|post|story|entry)\s*[:»›>]?.{0,160}"
    ),
    # Image credits and captions.
    _rule(
        "image-credit",
        r"(?:(?:file |featured |header |cover |lead |main |top |stock )?"
        r"(?:photo|image|picture|photograph|illustration|graphic|video)s?"
        r"(?: credits?| courtesy| source)?|credits?|courtesy)" + _SEP + _SHORT,
    ),
    _rule("image-credit", r"\((?:photos?|images?|pictures?)(?: by|" + _SEP + r")[^()]{1,120}\)\.?"),
    _rule(
        "image-credit",
        r"(?:(?:cover|featured|header|lead|top|main) )?(?:photos?|images?|pictures?|photographs?)"
        r" (?:via|courtesy of|by) [^.!?]{1,100}\.?",
    ),
    _rule(
        "image-credit",
        r"(?:file photo|stock photo|representational image|representative image|"
        r"image for representation(?: only)?|image used for representation(?: only)?)\.?",
    ),
    _rule(
        "image-credit", r"(?:getty images|shutterstock|ap photo|afp photo|reuters photo)[^.]{0,80}"
    ),
    # Disclaimers that the views are the author's.
    _rule("disclaimer", r"disclaimer" + _SEP + r".{1,400}"),
    _rule(
        "disclaimer",
        r"(?:the )?(?:views?|opinions?)(?: and (?:views?|opinions?))? expressed "
        r".{0,200}(?:(?:are|is|remain) (?:solely |entirely |strictly )?(?:those|that) of|"
        r"(?:author|writer|contributor|columnist)(?:'s|s'|’s)? own|"
        r"do(?:es)? not (?:necessarily )?(?:reflect|represent)|don't necessarily)"
        r".{0,200}",
    ),
    # Author and editor credits, bylines.
    _rule(
        "credit",
        r"(?:author|authors|writer|editor|byline|posted by|written by|story by|words by|"
        r"text by)" + _SEP + r"[^!?]{1,80}",
    ),
    _rule(
        "credit",
        r"(?:\w+ )?(?:written|edited|proofread|reported|compiled|translated|produced|"
        r"fact[- ]checked|reviewed|updated|posted|published|contributed)"
        r"(?:(?:,| and| &) (?:written|edited|proofread|reported|compiled|translated|produced|"
        r"fact[- ]checked|reviewed))* by " + _NAMES + r"\.?",
    ),
    _rule(
        "credit",
        r"(?:additional )?(?:reporting|editing|writing) by "
        + _NAMES
        + r"(?:\s*[;,]\s*(?:and )?(?:additional )?(?:reporting|editing|writing) by "
        + _NAMES
        + r")*\.?",
    ),
    _rule("credit", r"with (?:inputs|input|agency inputs) from " + _NAMES + r"\.?"),
    # 'Associated Press writer Jane Doe in Paris contributed to this report.'
    _rule(
        "credit",
        r"[—–-]?\s*[^.!?]{2,300}\bcontributed(?: reporting| to this (?:report|story|article))"
        r"[^.!?]{0,80}\.?",
    ),
    _rule("credit", r"\((?:additional )?(?:reporting|writing|editing) by [^()]{1,300}\)\.?"),
    _rule(
        "credit",
        r"(?:[Bb]y|BY)\s+(?!(?i:"
        + _WEEKDAY_OR_MONTH
        + r"))"
        + _CAPITALISED_NAME
        + r"(?:(?:,| and| &)\s+"
        + _CAPITALISED_NAME
        + r")*"
        + r"(?:\s*[|,·•–—-]\s*[^\s.!?]+(?:\s+[^\s.!?]+){0,4})?",
        0,
    ),
    _rule("credit", _NAME + r"\s*[–—-]\s*(?i:" + _ROLE + r")[^.!?]{0,100}", 0),
    _rule("credit", r"about the author" + _SEP + r".{0,200}"),
    # An op-ed's author note: 'The writer is a former ambassador to Japan.'
    _rule(
        "credit",
        r"\(?(?:the )?(?:author|writer|columnist|contributor)s? (?:is|are|was) (?:a |an |the )?"
        r"(?:[\w-]+ ){0,4}(?:based|analyst|researcher|fellow|professor|journalist|expert|"
        r"former|retired|senior|director|editor|writer|lecturer|scholar|member|student|"
        r"commentator|diplomat|ambassador|consultant|correspondent)\b.{0,250}",
    ),
    _rule("credit", r"(?:source|sources)\s*:\s*[^.!?]{1,60}"),
    # Republication and copyright notes.
    _rule(
        "credit",
        r"(?:this|the) (?:article|story|piece|post|report) (?:was )?(?:originally |first )"
        r"(?:published|appeared|ran) (?:on|in|at|by) .{1,120}",
    ),
    _rule(
        "credit", r"(?:©|\(c\)|copyright\s*(?:©|\(c\))?\s*\d{4})\s*.{0,120}|all rights reserved\.?"
    ),
    _rule("credit", r"our standards:.{0,80}"),
    _rule(
        "credit",
        r"this (?:copy|document|material) is (?:for your personal|subject to copyright).{0,400}",
    ),
    # Date and category lines: '2023/01/29 | Economy, Note, top news', 'Published: 3 May 2024'.
    _rule(
        "dateline",
        r"(?:published|updated|posted|last updated|first published)(?: on| at)?"
        + _SEP.replace("]+", "]*")
        + DATE_PATTERN
        + r"(?:\s*(?:by|[|·•])\s*.{1,60})?",
    ),
    _rule("dateline", DATE_PATTERN + r"(?:\s*[|·•]\s*[^.!?]{0,120})?"),
    _rule(
        "dateline",
        r"(?:tags?|categories|category|filed under|topics?|keywords?)" + _SEP + r".{1,200}",
    ),
    _rule("dateline", r"(?:posted in|tagged(?: with)?:?|filed in) [^.!?]{1,120}"),
)

# Headers after which the rest of the text is teasers, comments or an author box.
SECTION_RULES: tuple[Rule, ...] = (
    # Related-article and 'latest' teaser lists, in the languages our sources use.
    _rule(
        "teasers",
        r"(?:latest|recent|more|top|popular|trending|related|similar|recommended|"
        r"featured|editor'?s'?) (?:content|news|posts?|articles?|stories|reads?|picks?|"
        r"coverage|videos?|topics)(?: for you| from .{1,40}| on .{1,40}| in .{1,40})?\.?:?",
    ),
    _rule(
        "teasers",
        r"(?:you|we think you) (?:may|might|will|could) (?:also )?(?:like|enjoy|be "
        r"interested in)(?: this| these)?\.?:?",
    ),
    _rule(
        "teasers",
        r"(?:read next|up next|more stories|most read|most popular|most viewed|trending now|"
        r"recommended(?: for you)?|related|also on .{1,40}|more from .{1,60}|more in .{1,60}):?",
    ),
    _rule(
        "teasers",
        r"últimas (?:publicaciones|noticias|entradas)|artículos relacionados|"
        r"te puede interesar|noticias relacionadas|notícias relacionadas|leia também|"
        r"à lire aussi|lire aussi|articles similaires|sur le même sujet|mehr zum thema|"
        r"weitere artikel|das könnte sie auch interessieren|lesen sie auch|читайте также|"
        r"похожие (?:статьи|новости|материалы)|последние новости|相关(?:文章|新闻|阅读)",
    ),
    # Comment sections: the form, the count, then other readers' comments.
    _rule(
        "comments",
        r"(?:leave|post|add|write|submit) (?:a |your )?(?:reply|comment|response)|"
        r"\d+ (?:comments?|responses?|replies)|comments?\s*\(\d+\)|comments|"
        r"join the (?:discussion|conversation)",
    ),
    # An author box at the end.
    _rule("author-box", r"about the (?:author|writer|contributors?)s?:?"),
)

# Boilerplate glued to the end of a body paragraph: only the tail is cut, the paragraph stays.
GLUED_RULES: tuple[Rule, ...] = (
    # 'last sentence. ALSO READ:- Other headline'
    _rule(
        "also-read",
        _SENTENCE_END + r"\s+(?:ALSO READ|READ ALSO|ALSO SEE|MUST READ|READ MORE)"
        r"\b\s*[:：|\-–—»›>]*\s*.{0,300}$",
        0,
    ),
    _rule(
        "also-read",
        _SENTENCE_END
        + r"\s+(?:Also [Rr]ead|Read [Aa]lso|Read [Mm]ore|See [Aa]lso)"
        + _SEP
        + r".{0,300}$",
        0,
    ),
    # 'last sentence. Jane Doe – Researcher of international politics'
    _rule(
        "credit",
        _SENTENCE_END + r"\s+" + _NAME + r"\s*[–—-]\s*(?i:" + _ROLE + r")[^.!?]{0,100}$",
        0,
    ),
    # 'last sentence. (Photo by Jane Doe/Agency)' or '[File: Jane Doe/Agency]'
    _rule(
        "image-credit",
        r"\s*[\[(](?:file|photos?|images?|pictures?|credit|courtesy)"
        r"(?: by|" + _SEP + r")[^\[\]()]{1,120}[\])]\s*$",
    ),
)

# A caption: a short line ending with a bracketed photo credit is dropped whole.
_CAPTION_CREDIT = re.compile(
    r"[\[(](?:file|photos?|images?|pictures?|credit|courtesy)(?: by|" + _SEP + r")[^\[\]()]{1,120}"
    r"[\])]\s*$",
    re.IGNORECASE,
)
_CAPTION_MAX_WORDS = 60

# Teaser without a header: a headline, then an excerpt cut off with an ellipsis.
_ELLIPSIS_END = re.compile(r"(?:\.\.\.|…|\[\s*(?:\.\.\.|…)\s*\])\s*$")
_HEADLINE_MAX_WORDS = 25
_EXCERPT_MAX_WORDS = 80

# A section header only ends the article when some body came before it, so a stray 'Related'
# label near the top never swallows the article.
_MIN_BODY_BEFORE_SECTION = 200
# ... and a teaser header only ends it when fewer than this many body paragraphs follow it.
_TEASER_SECTIONS = tuple(rule for rule in SECTION_RULES if rule.category == "teasers")
_PROSE_AFTER_TEASER_HEADER = 2
_PROSE_PARAGRAPH_WORDS = 30
_PARAGRAPH_END = re.compile(r"[.!?。！？][\"”’)\]]?$")

_TITLE_SUFFIX = re.compile(r"\s+[|｜]\s+[^|｜]{1,60}$")
# A title line in the body is matched also without a trailing site name: 'Headline - WSJ'.
_SITE_SEPARATORS = (" - ", " – ", " — ", " | ", " :: ", " » ")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_TITLE_OVERLAP = 0.5


def normalise_title(title: str) -> str:
    """Strip a trailing ' | Section' or ' | Site' label from a title and tidy its spaces."""
    title = _SPACE.sub(" ", title).strip()
    stripped = _TITLE_SUFFIX.sub("", title)
    return stripped if len(stripped) >= 10 else title


def _title_keys(title: str, site: str | None) -> set[str]:
    """Keys of the lines that repeat the title: whole, or without its ' - Site' suffix."""
    variants = {title, normalise_title(title)}
    site_key = _key(site) if site else ""
    for separator in _SITE_SEPARATORS:
        head, found, tail = title.rpartition(separator)
        if found and site_key and (_key(tail) in site_key or site_key in _key(tail)):
            variants.add(head)
    return {key for key in map(_key, variants) if key}


def _restates_title(line: str, title: str) -> bool:
    """Tell a headline that restates the title in other words ('Kicker: Title', a shorter cut).

    Only a headline-like line counts: no sentence end, no fewer words than the title, and at
    least half of the words of the two together shared. A lede that repeats the title's words
    ends a sentence, and a section heading made of part of the title is shorter: both stay.
    """
    if len(line.split()) > _HEADLINE_MAX_WORDS or _PARAGRAPH_END.search(line):
        return False
    words, title_words = set(_WORD.findall(line.casefold())), set(_WORD.findall(title.casefold()))
    if not words or len(words) < len(title_words):
        return False
    return len(words & title_words) >= _TITLE_OVERLAP * len(words | title_words)


def _key(line: str) -> str:
    r"""Comparison key: case-folded, single spaces, no punctuation at the edges.

    What ``^[\W_]+|[\W_]+$`` would remove from the edges is what is not alphanumeric (``\w``
    is the alphanumerics and ``_``); a loop over the few edge characters does it, where the
    pattern would be tried at every position of the line.
    """
    key = " ".join(line.split()).casefold()
    start, end = 0, len(key)
    while start < end and not key[start].isalnum():
        start += 1
    while end > start and not key[end - 1].isalnum():
        end -= 1
    return key[start:end]


def _any_of(rules: tuple[Rule, ...]) -> re.Pattern[str]:
    """One pattern that matches a whole line exactly when one of ``rules`` matches it whole.

    Each rule keeps its own case flag in a scoped group; one pass in the regex engine replaces
    a call per rule.
    """
    flags = re.IGNORECASE | re.UNICODE
    if any(rule.pattern.flags & ~flags for rule in rules):
        raise ValueError("a rule has flags other than IGNORECASE")
    scoped = (
        f"(?{'i' if rule.pattern.flags & re.IGNORECASE else '-i'}:{rule.pattern.pattern})"
        for rule in rules
    )
    return re.compile("|".join(scoped))


_ANY_LINE_RULE = _any_of(LINE_RULES)
_ANY_SECTION_RULE = _any_of(SECTION_RULES)
_ANY_TEASER_SECTION = _any_of(_TEASER_SECTIONS)


def _is_caption(line: str) -> bool:
    return bool(_CAPTION_CREDIT.search(line)) and len(line.split()) <= _CAPTION_MAX_WORDS


def _strip_glued(line: str) -> str:
    for rule in GLUED_RULES:
        line = rule.pattern.sub("", line)
    return line.rstrip()


def _is_headline(line: str) -> bool:
    return len(line.split()) <= _HEADLINE_MAX_WORDS and not re.search(r"[.!?:;,]$", line)


def _is_excerpt(line: str) -> bool:
    return bool(_ELLIPSIS_END.search(line)) and len(line.split()) <= _EXCERPT_MAX_WORDS


def _drop_teaser_runs(lines: list[str]) -> list[str]:
    """Drop runs of (headline, truncated excerpt) pairs: two or more, or one ending the text."""
    keep = [True] * len(lines)
    i = 0
    while i < len(lines) - 1:
        j = i
        while j + 1 < len(lines) and _is_headline(lines[j]) and _is_excerpt(lines[j + 1]):
            j += 2
        pairs = (j - i) // 2
        if pairs >= 2 or (pairs == 1 and j == len(lines)):
            for k in range(i, j):
                keep[k] = False
            i = j
        else:
            i += 1
    return [line for line, kept in zip(lines, keep, strict=True) if kept]


def _is_prose(line: str) -> bool:
    """Tell a body paragraph: long, ending a sentence, not an excerpt cut off with an ellipsis."""
    return (
        len(line.split()) >= _PROSE_PARAGRAPH_WORDS
        and bool(_PARAGRAPH_END.search(line))
        and not _ELLIPSIS_END.search(line)
    )


def _cut_at_section(lines: list[str]) -> list[str]:
    """Cut everything from the first teaser/comment/author-box header that follows some body.

    A teaser header ('Recommended videos', 'Related') that is followed by more body paragraphs
    is a widget in the middle of the article: it does not cut (it is dropped alone later).
    """
    seen = 0
    for index, line in enumerate(lines):
        if seen >= _MIN_BODY_BEFORE_SECTION and _ANY_SECTION_RULE.fullmatch(line):
            rest = lines[index + 1 :]
            teaser = bool(_ANY_TEASER_SECTION.fullmatch(line))
            if not teaser or sum(map(_is_prose, rest)) < _PROSE_AFTER_TEASER_HEADER:
                return lines[:index]
        seen += len(line)
    return lines


@lru_cache(maxsize=4096)
def _line_kept(line: str) -> str:
    """Return ``line`` without glued credits, or "" when a rule drops it whole.

    Cached: a site's standing lines (bylines, credits, sign-up prompts) and syndicated
    paragraphs recur from article to article.
    """
    if (
        _ANY_LINE_RULE.fullmatch(line)
        or _ANY_SECTION_RULE.fullmatch(line)  # a header too early to cut at: drop it alone
        or _is_caption(line)
    ):
        return ""
    line = _strip_glued(line)
    return line if line and _key(line) else ""


def clean_text(text: str, title: str | None = None, site: str | None = None) -> str:
    """Remove boilerplate from article text; return paragraphs separated by a blank line.

    ``title`` (when known) lets the cleaner drop lines that repeat it, also without a trailing
    ``site`` name ('Headline - WSJ'). Body sentences are never dropped or changed; whitespace
    inside a line is collapsed to single spaces.
    """
    title_keys = _title_keys(title, site) if title else set()
    lines = [" ".join(raw.split()) for raw in text.splitlines()]  # as \s+ → " ", stripped
    lines = [line for line in lines if line]
    lines = _cut_at_section(lines)
    kept: list[str] = []
    for line in lines:
        if _key(line) in title_keys:
            continue
        line = _line_kept(line)
        if line:
            kept.append(line)
    kept = _drop_teaser_runs(kept)
    if kept and title and _restates_title(kept[0], title):
        kept = kept[1:]
    return "\n\n".join(kept)


def drop_recurring_lines(text: str, recurring: Set[str]) -> str:
    """Drop the paragraphs of a cleaned ``text`` whose ``line_key`` is in ``recurring``.

    ``recurring`` comes from ``corpus.boilerplate.recurring_lines``: paragraphs the same site
    repeats across many articles. When every paragraph recurs the text is returned unchanged,
    since then it is the article that was stored before, not boilerplate around one.
    """
    if not recurring:
        return text
    paragraphs = text.split("\n\n")
    kept = [p for p in paragraphs if line_key(p) not in recurring]
    return "\n\n".join(kept) if kept else text
