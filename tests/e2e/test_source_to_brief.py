"""From a source URL to a rendered brief, through the commands a newcomer would run."""

from __future__ import annotations

import re

from newsbrief.cli import build_parser
from testing.local_site import LocalSite, Paths


def _run(settings, *argv):
    args = build_parser().parse_args(list(argv))
    return args.handler(args, settings)


def test_feed_source_to_rendered_brief(settings, capsys):
    """Add the site's feed, run the worker once, and the russia-china brief cites its articles."""
    with LocalSite() as site:
        site.add_page("/robots.txt", "User-agent: *\n", content_type="text/plain")
        assert _run(settings, "sources", "add", site.url(Paths.RSS), "--topic", "russia-china") == 0
        assert _run(settings, "worker", "--once") == 0
    capsys.readouterr()
    assert _run(settings, "brief", "russia-china", "--days", "90") == 0
    out = capsys.readouterr().out
    assert "STORIES" in out and "SOURCES" in out
    cited = set(re.findall(r"\[(\d+)\]", out.split("SOURCES")[0]))
    assert cited, out
    urls = set(re.findall(r"http://127\.0\.0\.1:\d+/news/\S+", out))
    assert urls and urls <= {site.url(a.path) for a in site.articles}
    for chrome in ("Leave a Reply", "Submit a Comment", "Subscribe to our newsletter"):
        assert chrome not in out
