"""From a source URL to a rendered brief, through the commands a newcomer would run."""

from __future__ import annotations

import re

import pytest

from newsbrief.cli import build_parser
from testing.local_site import Paths


def _run(settings, *argv):
    args = build_parser().parse_args(list(argv))
    return args.handler(args, settings)


@pytest.mark.site(crawl_delay=None)
def test_feed_source_to_rendered_brief(settings, capsys, test_site):
    """Add the site's feed, run the worker once, and the russia-china brief cites its articles."""
    feed = test_site.url(Paths.RSS)
    assert _run(settings, "sources", "add", feed, "--topic", "russia-china") == 0
    assert _run(settings, "worker", "--once") == 0
    capsys.readouterr()
    assert _run(settings, "brief", "russia-china", "--days", "90") == 0
    out = capsys.readouterr().out
    assert "STORIES" in out and "SOURCES" in out
    cited = set(re.findall(r"\[(\d+)\]", out.split("SOURCES")[0]))
    assert cited, out
    urls = set(re.findall(r"http://127\.0\.0\.1:\d+/news/\S+", out))
    assert urls and urls <= {test_site.url(a.path) for a in test_site.articles}
    for chrome in ("Leave a Reply", "Submit a Comment", "Subscribe to our newsletter"):
        assert chrome not in out
