"""Wrap a seed article in realistic page chrome: nav, byline, sidebar teasers, comments, footer.

The seed's own lines (boilerplate included) go inside the article container, as a CMS would
render them; the chrome around it is what trafilatura must leave out.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from worker.clean import normalise_title
from worker.extract import extract_text_document

SEEDS = Path(__file__).resolve().parents[1] / "corpus" / "samples"

_HEADING = re.compile(r"[^.!?,;:…]$")


def seed_paths() -> list[Path]:
    """The shipped seed articles, in order."""
    return sorted(SEEDS.glob("*.txt"))


def _block(line: str) -> str:
    text = html.escape(line)
    if len(line.split()) <= 12 and _HEADING.search(line):
        return f"<h2>{text}</h2>"
    return f"<p>{text}</p>"


def seed_page(path: Path, *, site: str = "Example Monitor", url: str = "") -> str:
    """An HTML page carrying the seed at ``path`` inside typical news-site chrome."""
    text = path.read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = extract_text_document(text, None).title
    body = lines[1:] if normalise_title(lines[0]) == title else lines
    blocks = "\n".join(_block(line) for line in body)
    esc_title = html.escape(title)
    canonical = f'<link rel="canonical" href="{html.escape(url)}">' if url else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{esc_title} | {site}</title>
<meta property="og:title" content="{esc_title}">
<meta property="og:site_name" content="{site}">
<meta name="author" content="Jane Analyst">
<meta property="article:published_time" content="2024-03-05T09:30:00+00:00">
{canonical}
</head>
<body>
<header class="site-header">
  <a class="logo" href="/">{site}</a>
  <nav class="main-nav"><ul>
    <li><a href="/">Home</a></li><li><a href="/world">World</a></li>
    <li><a href="/economy">Economy</a></li><li><a href="/analysis">Analysis</a></li>
    <li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li>
  </ul></nav>
  <form class="search" action="/search"><input name="q" placeholder="Search"></form>
</header>
<div class="cookie-banner">We use cookies to improve your experience.
  <a href="/privacy">Accept</a></div>
<main>
<article class="post">
  <h1 class="entry-title">{esc_title}</h1>
  <div class="entry-meta"><span class="byline">By <a href="/author/jane">Jane Analyst</a></span>
    <time datetime="2024-03-05T09:30:00+00:00">March 5, 2024</time></div>
  <div class="share-buttons"><a href="#">Facebook</a> <a href="#">Twitter</a>
    <a href="#">WhatsApp</a> <a href="#">Email</a></div>
  <div class="entry-content">
{blocks}
  </div>
  <div class="tags">Tags: <a href="/tag/china">China</a>, <a href="/tag/russia">Russia</a></div>
</article>
<section id="comments" class="comments-area">
  <h3 class="comments-title">2 thoughts on this article</h3>
  <ol class="comment-list">
    <li class="comment"><div class="comment-author">Reader One</div>
      <p>Great analysis, but I think the author underestimates the tensions in Asia.</p></li>
    <li class="comment"><div class="comment-author">Reader Two</div>
      <p>Thanks for writing this. Looking forward to the next piece on the Arctic.</p></li>
  </ol>
  <div id="respond"><h3>Leave a Reply</h3>
    <form class="comment-form"><p>Your email address will not be published.</p>
      <textarea name="comment"></textarea><input type="submit" value="Post Comment"></form></div>
</section>
</main>
<aside class="sidebar">
  <h3>Most Read</h3>
  <ul>
    <li><a href="/a/1">Arctic shipping lanes open earlier than ever</a></li>
    <li><a href="/a/2">Central bank keeps rates on hold</a></li>
    <li><a href="/a/3">Elections: what to watch this weekend</a></li>
  </ul>
  <div class="newsletter"><h4>Newsletter</h4><p>Sign up for our daily briefing.</p></div>
</aside>
<footer class="site-footer">
  <p>&copy; 2024 {site}. All rights reserved.</p>
  <ul><li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms of use</a></li></ul>
</footer>
</body>
</html>
"""
