"""A realistic news web site served over real HTTP on 127.0.0.1, for tests and benchmarks.

Usage::

    with LocalSite() as site:            # binds a free port, serves in a background thread
        url = site.url("/feed.xml")       # absolute URL on the site
        site.add_page("/extra", "<html>...</html>")
        site.set_feed("/other.xml", [FeedItem("Title", "/news/x")], kind="atom")
        site.requests_for("/feed.xml")    # what clients asked for, with headers and start times

Built-in content (paths are in :class:`Paths`): the five seed articles from ``corpus/samples``
rendered inside page chrome (nav, 'latest' sidebar teasers, comment form, footer, canonical link,
og/author/date meta), an RSS 2.0 feed, an Atom feed, a sitemap, a news sitemap, a sitemap index,
robots.txt (a ``Disallow`` and a ``Crawl-delay``), a home page with feed ``<link rel=alternate>``,
a login page and a tag listing (not articles), 404, 410, 503 with ``Retry-After``, a two-hop
redirect chain, a redirect loop, a redirect to a private address, a slow endpoint (1 byte per
second), an oversized streamed body, a gzip bomb, binary bytes served as HTML, and a cp1252 page
with no charset anywhere. Every stored resource answers conditional GETs with 304.
"""

from __future__ import annotations

import hashlib
import html
import re
import ssl
import threading
import time
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit
from xml.sax.saxutils import escape as xml_escape

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "corpus" / "samples"
SITE_NAME = "Eastern Ledger"
MB = 1024 * 1024


class Paths:
    """Paths of the built-in resources."""

    HOME = "/"
    RSS = "/feed.xml"
    ATOM = "/atom.xml"
    SITEMAP = "/sitemap.xml"
    NEWS_SITEMAP = "/news-sitemap.xml"
    SITEMAP_INDEX = "/sitemap_index.xml"
    ROBOTS = "/robots.txt"
    DISALLOWED = "/private/internal-memo.html"  # robots.txt disallows /private/
    LOGIN = "/login"
    TAG = "/tag/russia-china"
    MISSING = "/missing"  # any unknown path is a 404 too
    GONE = "/gone"
    UNAVAILABLE = "/unavailable"  # 503, Retry-After: 120
    REDIRECT_CHAIN = "/redirect/start"  # -> /redirect/middle -> first article
    REDIRECT_LOOP = "/loop/a"  # -> /loop/b -> /loop/a ...
    REDIRECT_PRIVATE = "/redirect/private"  # -> http://10.0.0.1/admin
    SLOW = "/slow"
    OVERSIZED = "/big"
    GZIP_BOMB = "/bomb"
    BINARY_AS_HTML = "/binary.html"
    LEGACY_ENCODING = "/legacy-encoding.html"


PRIVATE_REDIRECT_TARGET = "http://10.0.0.1/admin"
ROBOTS_CRAWL_DELAY = 2
UNAVAILABLE_RETRY_AFTER = 120


@dataclass(frozen=True, slots=True)
class SiteArticle:
    """One article page on the site."""

    path: str
    title: str
    paragraphs: tuple[str, ...]
    author: str
    published: datetime
    summary: str = ""


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed; ``link`` is absolute or a site path starting with '/'."""

    title: str
    link: str
    published: datetime | None = None
    summary: str = ""
    author: str | None = None
    guid: str | None = None


@dataclass(slots=True)
class RequestRecord:
    """One request the site received; ``started`` is ``time.monotonic()`` at arrival."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    started: float
    host: str
    status: int | None = None  # filled in once the response starts
    finished: float | None = None  # time.monotonic() once the response ended (or broke off)

    def header(self, name: str) -> str | None:
        """Return a request header, case-insensitively."""
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


@dataclass(slots=True)
class _Resource:
    body: bytes
    content_type: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str = ""
    last_modified: datetime = field(default_factory=lambda: datetime.now(UTC))
    conditional: bool = True


def load_seed_articles(samples_dir: Path = SAMPLES_DIR) -> list[SiteArticle]:
    """Read ``*.txt`` seeds (first line the title, other non-empty lines paragraphs)."""
    authors = ["Anna Petrova", "Li Wei", "James Carter", "Sara Haddad", "Tomás Novak"]
    base = datetime(2024, 3, 4, 8, 30, tzinfo=UTC)
    articles: list[SiteArticle] = []
    for index, path in enumerate(sorted(samples_dir.glob("*.txt"))):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        lines = [line for line in lines if line]
        title, paragraphs = lines[0], tuple(lines[1:])
        slug = _slugify(title) or path.stem
        articles.append(
            SiteArticle(
                path=f"/news/{index:03d}-{slug}",
                title=title,
                paragraphs=paragraphs,
                author=authors[index % len(authors)],
                published=base + timedelta(days=index, hours=index),
                summary=paragraphs[0][:200] if paragraphs else "",
            )
        )
    return articles


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


@lru_cache(maxsize=4)
def gzip_bomb(inflated_bytes: int) -> bytes:
    """Return a small gzip stream that inflates to ``inflated_bytes`` zero bytes."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
    chunk = b"\0" * MB
    parts = []
    remaining = inflated_bytes
    while remaining > 0:
        parts.append(compressor.compress(chunk[: min(MB, remaining)]))
        remaining -= MB
    parts.append(compressor.flush())
    return b"".join(parts)


class LocalSite:
    """A programmable news site on ``127.0.0.1`` at a free port, served from a background thread.

    ``oversized_bytes`` and ``bomb_bytes`` size the oversized body and the inflated gzip bomb;
    ``slow_bytes``/``slow_interval`` shape the slow endpoint (one byte per interval).
    """

    def __init__(
        self,
        *,
        samples_dir: Path = SAMPLES_DIR,
        oversized_bytes: int = 25 * MB,
        bomb_bytes: int = 25 * MB,
        slow_bytes: int = 60,
        slow_interval: float = 1.0,
        ssl_context: ssl.SSLContext | None = None,
        crawl_delay: float | None = ROBOTS_CRAWL_DELAY,
    ) -> None:
        self.crawl_delay = crawl_delay
        self.scheme = "https" if ssl_context is not None else "http"
        self.oversized_bytes = oversized_bytes
        self.bomb_bytes = bomb_bytes
        self.slow_bytes = slow_bytes
        self.slow_interval = slow_interval
        self._lock = threading.Lock()
        self._resources: dict[str, _Resource] = {}
        self._requests: list[RequestRecord] = []
        self._stopping = threading.Event()
        self._clock = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
        self._server = _Server(("127.0.0.1", 0), _Handler, self)
        if ssl_context is not None:
            self._server.socket = ssl_context.wrap_socket(self._server.socket, server_side=True)
        self.port: int = self._server.server_address[1]
        self._thread: threading.Thread | None = None
        self.articles: list[SiteArticle] = []
        self.articles = load_seed_articles(samples_dir)
        for article in self.articles:
            self._put(article.path, self.render_article(article), "text/html; charset=utf-8")
        self._publish()
        self._add_fixed_pages()

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> LocalSite:
        """Start serving in a daemon thread; returns self."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"local-site-{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving, end streaming responses and release the port."""
        self._stopping.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> LocalSite:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- addresses ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (``https`` with TLS)."""
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def url(self, path: str = "/", *, host: str = "127.0.0.1") -> str:
        """Absolute URL of ``path``; ``host='localhost'`` gives a second host name, same server."""
        if not path.startswith("/"):
            path = "/" + path
        return f"{self.scheme}://{host}:{self.port}{path}"

    # -- programming the site --------------------------------------------------------------

    def add_page(
        self,
        path: str,
        body: str | bytes,
        *,
        content_type: str = "text/html; charset=utf-8",
        status: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Serve ``body`` at ``path`` (replacing what was there); ETag/Last-Modified are set."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self._put(path, data, content_type, status=status, headers=dict(headers or {}))

    def add_redirect(self, path: str, location: str, *, status: int = 302) -> None:
        """Answer ``path`` with a redirect to ``location`` (absolute or a site path)."""
        self._put(path, b"", "text/plain", status=status, headers={"Location": location})

    def remove(self, path: str) -> None:
        """Stop serving ``path`` (it becomes a 404)."""
        with self._lock:
            self._resources.pop(path, None)

    def add_article(
        self,
        title: str,
        paragraphs: Sequence[str],
        *,
        path: str | None = None,
        author: str = "Staff Reporter",
        published: datetime | None = None,
    ) -> SiteArticle:
        """Publish a new article page and list it in the home page, default feeds and sitemaps."""
        article = SiteArticle(
            path=path or f"/news/{len(self.articles):03d}-{_slugify(title)}",
            title=title,
            paragraphs=tuple(paragraphs),
            author=author,
            published=published or datetime.now(UTC).replace(microsecond=0),
            summary=paragraphs[0][:200] if paragraphs else "",
        )
        self.articles.append(article)
        self._put(article.path, self.render_article(article), "text/html; charset=utf-8")
        self._publish()
        return article

    def set_feed(
        self,
        path: str,
        items: Iterable[FeedItem],
        *,
        kind: str = "rss",
        title: str = SITE_NAME,
    ) -> None:
        """Serve an RSS 2.0 (``kind='rss'``) or Atom (``kind='atom'``) feed of ``items``."""
        items = list(items)
        if kind == "rss":
            self._put(path, self.render_rss(items, title=title), "application/rss+xml")
        elif kind == "atom":
            self._put(path, self.render_atom(items, title=title), "application/atom+xml")
        else:
            raise ValueError(f"unknown feed kind {kind!r}; use 'rss' or 'atom'")

    def article_items(self) -> list[FeedItem]:
        """Feed items for every article on the site, newest first."""
        ordered = sorted(self.articles, key=lambda a: a.published, reverse=True)
        return [
            FeedItem(a.title, a.path, a.published, a.summary, a.author, guid=self.url(a.path))
            for a in ordered
        ]

    # -- request log -----------------------------------------------------------------------

    @property
    def requests(self) -> list[RequestRecord]:
        """A snapshot of every request received, in arrival order."""
        with self._lock:
            return list(self._requests)

    def requests_for(self, path: str) -> list[RequestRecord]:
        """Requests whose path (without query) equals ``path``."""
        return [r for r in self.requests if r.path == path]

    def paths(self) -> list[str]:
        """Every stored path (dynamic endpoints /slow, /big, /bomb are not listed)."""
        with self._lock:
            return sorted(self._resources)

    def clear_log(self) -> None:
        """Forget the requests received so far."""
        with self._lock:
            self._requests.clear()

    # -- rendering -------------------------------------------------------------------------

    def render_article(self, article: SiteArticle) -> str:
        """Render an article page with realistic chrome around the body."""
        esc = html.escape
        canonical = self.url(article.path)
        iso = article.published.isoformat()
        body = "\n".join(f"      <p>{esc(p)}</p>" for p in article.paragraphs)
        teasers = "\n".join(
            f'        <li><a href="{esc(a.path)}">{esc(a.title)}</a></li>'
            for a in self.articles
            if a.path != article.path
        )
        head = (
            f'  <link rel="canonical" href="{esc(canonical)}">\n'
            f'  <meta property="og:title" content="{esc(article.title)}">\n'
            f'  <meta property="og:type" content="article">\n'
            f'  <meta property="og:url" content="{esc(canonical)}">\n'
            f'  <meta property="og:site_name" content="{SITE_NAME}">\n'
            f'  <meta name="author" content="{esc(article.author)}">\n'
            f'  <meta property="article:published_time" content="{iso}">\n'
            f'  <meta name="date" content="{iso}">\n'
            f'  <meta name="description" content="{esc(article.summary)}">\n'
        )
        main = f"""  <main class="layout">
    <article class="post">
      <h1 class="entry-title">{esc(article.title)}</h1>
      <p class="byline">By <a rel="author" href="/author/{_slugify(article.author)}">\
{esc(article.author)}</a> · <time datetime="{iso}">{article.published:%d %B %Y}</time></p>
      <div class="entry-content">
{body}
      </div>
      <div class="share">Share: <a href="#">Facebook</a> <a href="#">X</a></div>
      <section id="comments" class="comments">
        <h3>0 Comments</h3>
        <h3>Leave a Reply</h3>
        <form action="/wp-comments-post.php" method="post">
          <p>Your email address will not be published. Required fields are marked *</p>
          <label>Comment <textarea name="comment"></textarea></label>
          <label>Name* <input name="author"></label>
          <label>Email* <input name="email"></label>
          <button type="submit">Post Comment</button>
        </form>
      </section>
    </article>
    <aside class="sidebar">
      <h2>Latest</h2>
      <ul class="latest">
{teasers}
      </ul>
      <div class="newsletter">Subscribe to our newsletter</div>
    </aside>
  </main>
"""
        return self._page(f"{article.title} | {SITE_NAME}", main, head=head)

    def render_rss(self, items: Sequence[FeedItem], *, title: str = SITE_NAME) -> str:
        """Render an RSS 2.0 document."""
        entries = []
        for item in items:
            link = self._absolute(item.link)
            parts = [
                f"<title>{xml_escape(item.title)}</title>",
                f"<link>{xml_escape(link)}</link>",
                f'<guid isPermaLink="false">{xml_escape(item.guid or link)}</guid>',
                f"<description>{xml_escape(item.summary)}</description>",
            ]
            if item.published is not None:
                parts.append(f"<pubDate>{format_datetime(item.published, usegmt=True)}</pubDate>")
            if item.author:
                parts.append(f"<dc:creator>{xml_escape(item.author)}</dc:creator>")
            entries.append("    <item>" + "".join(parts) + "</item>")
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
            "  <channel>\n"
            f"    <title>{xml_escape(title)}</title>\n"
            f"    <link>{self.url('/')}</link>\n"
            "    <description>News and analysis</description>\n"
            "    <language>en</language>\n" + "\n".join(entries) + "\n  </channel>\n</rss>\n"
        )

    def render_atom(self, items: Sequence[FeedItem], *, title: str = SITE_NAME) -> str:
        """Render an Atom 1.0 document."""
        dates = [i.published for i in items if i.published is not None]
        updated = max(dates) if dates else datetime(2024, 1, 1, tzinfo=UTC)
        entries = []
        for item in items:
            link = self._absolute(item.link)
            when = (item.published or updated).isoformat()
            author = (
                f"<author><name>{xml_escape(item.author)}</name></author>" if item.author else ""
            )
            entries.append(
                f"  <entry><title>{xml_escape(item.title)}</title>"
                f'<link rel="alternate" href="{xml_escape(link)}"/>'
                f"<id>{xml_escape(item.guid or link)}</id><updated>{when}</updated>"
                f"<published>{when}</published>{author}"
                f"<summary>{xml_escape(item.summary)}</summary></entry>"
            )
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom">\n'
            f"  <title>{xml_escape(title)}</title>\n"
            f'  <link rel="alternate" href="{self.url("/")}"/>\n'
            f'  <link rel="self" href="{self.url(Paths.ATOM)}"/>\n'
            f"  <id>{self.url('/')}</id>\n"
            f"  <updated>{updated.isoformat()}</updated>\n" + "\n".join(entries) + "\n</feed>\n"
        )

    # -- internals -------------------------------------------------------------------------

    def _absolute(self, link: str) -> str:
        return self.url(link) if link.startswith("/") else link

    def _next_modified(self) -> datetime:
        # Strictly increasing whole seconds, so If-Modified-Since works at HTTP date resolution.
        self._clock = max(
            self._clock + timedelta(seconds=1), datetime.now(UTC).replace(microsecond=0)
        )
        return self._clock

    def _put(
        self,
        path: str,
        body: str | bytes,
        content_type: str,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        etag = '"' + hashlib.sha256(data + content_type.encode()).hexdigest()[:20] + '"'
        with self._lock:
            old = self._resources.get(path)
            if old is not None and old.etag == etag and old.status == status:
                old.headers = dict(headers or {})
                return
            self._resources[path] = _Resource(
                body=data,
                content_type=content_type,
                status=status,
                headers=dict(headers or {}),
                etag=etag,
                last_modified=self._next_modified(),
                conditional=200 <= status < 300,
            )

    def _page(self, title: str, main: str, *, head: str = "") -> str:
        esc = html.escape
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{esc(title)}</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
{head}  <link rel="alternate" type="application/rss+xml" title="{SITE_NAME}" href="{Paths.RSS}">
  <link rel="stylesheet" href="/static/site.css">
</head>
<body>
  <header class="site-header">
    <a class="logo" href="/">{SITE_NAME}</a>
    <nav class="main-nav">
      <a href="/">Home</a> <a href="/section/world">World</a> <a href="/section/economy">Economy</a>
      <a href="{Paths.TAG}">Russia–China</a> <a href="{Paths.LOGIN}">Log in</a>
    </nav>
  </header>
{main}  <footer class="site-footer">
    <p>© 2024 {SITE_NAME}. All rights reserved.</p>
    <p><a href="/about">About</a> · <a href="/privacy">Privacy</a>
      · <a href="/contact">Contact</a></p>
  </footer>
</body>
</html>
"""

    def _publish(self) -> None:
        """(Re)build the home page, default feeds, sitemaps and tag page from ``articles``."""
        esc = html.escape
        items = self.article_items()
        self.set_feed(Paths.RSS, items, kind="rss")
        self.set_feed(Paths.ATOM, items, kind="atom")
        teasers = "\n".join(
            f'      <div class="teaser"><h2><a href="{esc(i.link)}">{esc(i.title)}</a></h2>'
            f"<p>{esc(i.summary)}</p></div>"
            for i in items
        )
        home_head = (
            f'  <link rel="alternate" type="application/atom+xml" href="{Paths.ATOM}">\n'
            f'  <link rel="canonical" href="{self.url("/")}">\n'
        )
        home = (
            '  <main class="front">\n    <section class="latest">\n'
            f"{teasers}\n    </section>\n  </main>\n"
        )
        self._put(
            Paths.HOME, self._page(SITE_NAME, home, head=home_head), "text/html; charset=utf-8"
        )
        tag = (
            '  <main class="tag-listing">\n    <h1>Tag: Russia–China</h1>\n    <ul>\n'
            + "\n".join(f'      <li><a href="{esc(i.link)}">{esc(i.title)}</a></li>' for i in items)
            + '\n    </ul>\n    <a class="next" href="?page=2">Older posts</a>\n  </main>\n'
        )
        self._put(
            Paths.TAG, self._page(f"Russia–China | {SITE_NAME}", tag), "text/html; charset=utf-8"
        )
        urls = "\n".join(
            f"  <url><loc>{self.url(a.path)}</loc>"
            f"<lastmod>{a.published.isoformat()}</lastmod></url>"
            for a in self.articles
        )
        self._put(
            Paths.SITEMAP,
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + urls
            + "\n</urlset>\n",
            "application/xml",
        )
        news = "\n".join(
            f"  <url><loc>{self.url(a.path)}</loc><news:news><news:publication>"
            f"<news:name>{SITE_NAME}</news:name><news:language>en</news:language>"
            f"</news:publication><news:publication_date>{a.published.isoformat()}"
            f"</news:publication_date><news:title>{xml_escape(a.title)}</news:title>"
            "</news:news></url>"
            for a in self.articles
        )
        self._put(
            Paths.NEWS_SITEMAP,
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
            + news
            + "\n</urlset>\n",
            "application/xml",
        )
        index = "\n".join(
            f"  <sitemap><loc>{self.url(p)}</loc></sitemap>"
            for p in (Paths.SITEMAP, Paths.NEWS_SITEMAP)
        )
        self._put(
            Paths.SITEMAP_INDEX,
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + index
            + "\n</sitemapindex>\n",
            "application/xml",
        )

    def _add_fixed_pages(self) -> None:
        first = self.articles[0].path if self.articles else "/"
        self._put(
            Paths.ROBOTS,
            "User-agent: *\n"
            "Disallow: /private/\n"
            + (f"Crawl-delay: {self.crawl_delay:g}\n" if self.crawl_delay is not None else "")
            + f"\nSitemap: {self.url(Paths.SITEMAP_INDEX)}\n",
            "text/plain; charset=utf-8",
        )
        self._put(
            Paths.DISALLOWED,
            self._page("Internal memo", "  <main><p>Staff only.</p></main>\n"),
            "text/html; charset=utf-8",
        )
        login = (
            '  <main class="login">\n    <h1>Log in</h1>\n'
            '    <form method="post" action="/login">\n'
            '      <input name="user"> <input type="password" name="password">\n'
            "      <button>Log in</button>\n    </form>\n  </main>\n"
        )
        self._put(
            Paths.LOGIN, self._page(f"Log in | {SITE_NAME}", login), "text/html; charset=utf-8"
        )
        self._put(Paths.GONE, "<h1>Gone</h1>", "text/html; charset=utf-8", status=410)
        self._put(
            Paths.UNAVAILABLE,
            "<h1>Down for maintenance</h1>",
            "text/html; charset=utf-8",
            status=503,
            headers={"Retry-After": str(UNAVAILABLE_RETRY_AFTER)},
        )
        self.add_redirect(Paths.REDIRECT_CHAIN, "/redirect/middle", status=301)
        self.add_redirect("/redirect/middle", self.url(first), status=302)
        self.add_redirect(Paths.REDIRECT_LOOP, "/loop/b")
        self.add_redirect("/loop/b", Paths.REDIRECT_LOOP)
        self.add_redirect(Paths.REDIRECT_PRIVATE, PRIVATE_REDIRECT_TARGET)
        self._put(
            Paths.BINARY_AS_HTML,
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + hashlib.sha512(b"x").digest() * 64 + b"\0\xff\xfe",
            "text/html",
        )
        legacy = (
            "<html><head><title>Café society in Moscow</title></head><body><article>"
            "<h1>Café society in Moscow</h1>"
            "<p>The naïve façade of the café on Tverskaya hides a busy trade: "
            "a coffee costs 5 € and the rouble’s fall is the talk of the room.</p>"
            "<p>“Prices doubled,” said the owner, Zoë Müller, who moved from Zürich in 2019. "
            "Über-cautious suppliers now ask for payment up front – in yuan.</p>"
            "</article></body></html>"
        )
        self._put(Paths.LEGACY_ENCODING, legacy.encode("cp1252"), "text/html")

    def _lookup(self, path: str) -> _Resource | None:
        with self._lock:
            return self._resources.get(path)

    def _record(self, record: RequestRecord) -> None:
        with self._lock:
            self._requests.append(record)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 128  # benchmarks open many connections at once

    def __init__(
        self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], site: LocalSite
    ) -> None:
        super().__init__(address, handler)
        self.site = site

    def handle_error(self, request: object, client_address: object) -> None:
        # Clients hanging up mid-stream (timeouts, body caps) are expected here.
        pass


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "EasternLedger/1.0"

    def log_message(self, format: str, *args: object) -> None:
        pass  # the site's own request log replaces stderr noise

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _serve(self, *, head: bool) -> None:
        site = self.server.site
        parts = urlsplit(self.path)
        record = RequestRecord(
            method=self.command,
            path=parts.path,
            query=parts.query,
            headers=dict(self.headers.items()),
            started=time.monotonic(),
            host=self.headers.get("Host", ""),
        )
        site._record(record)
        try:
            if parts.path == Paths.SLOW:
                self._slow(record, head)
            elif parts.path == Paths.OVERSIZED:
                self._oversized(record, head)
            elif parts.path == Paths.GZIP_BOMB:
                self._bomb(record, head)
            else:
                self._stored(record, site._lookup(parts.path), head)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True
        finally:
            record.finished = time.monotonic()

    def _start(self, record: RequestRecord, status: int, headers: Mapping[str, str]) -> None:
        record.status = status
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def _stored(self, record: RequestRecord, res: _Resource | None, head: bool) -> None:
        if res is None:
            body = b"<html><body><h1>Page not found</h1></body></html>"
            self._start(
                record,
                404,
                {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(body))},
            )
            if not head:
                self.wfile.write(body)
            return
        validators = {}
        if res.conditional:
            validators = {
                "ETag": res.etag,
                "Last-Modified": format_datetime(res.last_modified, True),
            }
            if self._not_modified(res):
                self._start(record, 304, validators)
                return
        headers = {
            "Content-Type": res.content_type,
            "Content-Length": str(len(res.body)),
            **validators,
            **res.headers,
        }
        self._start(record, res.status, headers)
        if not head:
            self.wfile.write(res.body)

    def _not_modified(self, res: _Resource) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:  # takes precedence over If-Modified-Since (RFC 9110 13.2.2)
            tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
            return "*" in tags or res.etag in tags
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                since = parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
            if since.tzinfo is None:
                since = since.replace(tzinfo=UTC)
            return res.last_modified <= since
        return False

    def _slow(self, record: RequestRecord, head: bool) -> None:
        site = self.server.site
        self._start(
            record,
            200,
            {
                "Content-Type": "text/html; charset=utf-8",
                "Content-Length": str(site.slow_bytes),
                "Connection": "close",
            },
        )
        if head:
            return
        for _ in range(site.slow_bytes):
            if site._stopping.wait(site.slow_interval):
                break
            self.wfile.write(b"x")
            self.wfile.flush()
        self.close_connection = True

    def _oversized(self, record: RequestRecord, head: bool) -> None:
        site = self.server.site
        # No Content-Length: the client can only find out by counting while it reads.
        self._start(
            record, 200, {"Content-Type": "text/html; charset=utf-8", "Connection": "close"}
        )
        self.close_connection = True
        if head:
            return
        chunk = (b"<p>" + b"filler text " * 5000 + b"</p>\n")[: 64 * 1024]
        sent = 0
        while sent < site.oversized_bytes and not site._stopping.is_set():
            piece = chunk[: site.oversized_bytes - sent]
            self.wfile.write(piece)
            sent += len(piece)

    def _bomb(self, record: RequestRecord, head: bool) -> None:
        body = gzip_bomb(self.server.site.bomb_bytes)
        self._start(
            record,
            200,
            {
                "Content-Type": "text/html; charset=utf-8",
                "Content-Encoding": "gzip",
                "Content-Length": str(len(body)),
            },
        )
        if not head:
            self.wfile.write(body)


__all__ = [
    "MB",
    "PRIVATE_REDIRECT_TARGET",
    "ROBOTS_CRAWL_DELAY",
    "SITE_NAME",
    "UNAVAILABLE_RETRY_AFTER",
    "FeedItem",
    "LocalSite",
    "Paths",
    "RequestRecord",
    "SiteArticle",
    "gzip_bomb",
    "load_seed_articles",
]
