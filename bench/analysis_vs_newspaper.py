"""Per-article analysis time beside newspaper4k's parse + nlp, on the same pages in the same run.

    python -m bench.analysis_vs_newspaper [--rounds 20]

The pages are the shipped corpus articles rendered inside realistic page chrome (nav,
teasers, comment form, footer), the same pages the ingestion tests serve. For every page
and round, ours runs extract + clean (``worker.extract.extract_html``: trafilatura and the
cleaner), splits the text into sentences (timed on its own, as for a text never seen), and
then ``worker.analysis.analyse`` (summary, themes, figures, topics) on those sentences; the
baseline runs newspaper4k's ``parse()`` + ``nlp()`` (keywords and summary) on the same
HTML. newspaper4k splits sentences with NLTK's Punkt, which downloads its model on first
use: here it is given an untrained ``PunktSentenceTokenizer`` so it runs offline, and every
connection off the machine is refused. One warm-up round is not counted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from bench import forbid_network, percentile, table


@dataclass(frozen=True)
class Page:
    url: str
    html: str


def corpus_pages() -> list[Page]:
    """Render the shipped samples as article pages (no server is started)."""
    from testing.local_site import LocalSite

    site = LocalSite(oversized_bytes=1, bomb_bytes=1)
    try:
        return [Page(site.url(a.path), site.render_article(a)) for a in site.articles]
    finally:
        site.close()


def offline_newspaper() -> None:
    """Give newspaper4k a data-free Punkt splitter so ``nlp()`` never downloads NLTK data."""
    from newspaper import nlp
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    nlp.split_sentences._tokenizer = PunktSentenceTokenizer()


def ours_stages() -> dict[str, Callable[[Page, dict[str, object]], None]]:
    from worker.analysis import analyse
    from worker.analysis.sentences import forget_splits, split_sentences
    from worker.extract import extract_html

    def extract(page: Page, state: dict[str, object]) -> None:
        state["article"] = extract_html(page.html, page.url)

    def sentences(page: Page, state: dict[str, object]) -> None:
        # Every article the worker analyses is new to it: split as if never seen. The
        # split is remembered, so the analysis below reuses it as the worker's does.
        forget_splits()
        article = state["article"]
        split_sentences(article.title)  # type: ignore[attr-defined]
        split_sentences(article.text)  # type: ignore[attr-defined]

    def analysis(page: Page, state: dict[str, object]) -> None:
        article = state["article"]
        state["enrichment"] = analyse(article.title, article.text)  # type: ignore[attr-defined]

    return {
        "extract+clean": extract,
        "sentences (pysbd)": sentences,
        "summary+themes+figures": analysis,
    }


def newspaper_stages() -> dict[str, Callable[[Page, dict[str, object]], None]]:
    from newspaper import Article
    from newspaper.configuration import Configuration

    config = Configuration()
    config.fetch_images = False  # we fetch no images either, and the network is closed
    config.language = "en"

    def parse(page: Page, state: dict[str, object]) -> None:
        article = Article(page.url, config=config)
        article.download(input_html=page.html)
        article.parse()
        state["np"] = article

    def nlp(page: Page, state: dict[str, object]) -> None:
        state["np"].nlp()  # type: ignore[attr-defined]

    return {"parse": parse, "nlp": nlp}


def _run(
    stages: dict[str, Callable[[Page, dict[str, object]], None]],
    page: Page,
    into: dict[str, list[float]],
) -> dict[str, object]:
    state: dict[str, object] = {}
    total = 0.0
    for name, stage in stages.items():
        started = time.perf_counter()
        stage(page, state)
        spent = (time.perf_counter() - started) * 1000
        total += spent
        into.setdefault(name, []).append(spent)
    into.setdefault("total", []).append(total)
    return state


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args(argv)
    forbid_network()
    offline_newspaper()
    pages = corpus_pages()
    ours_fns, theirs_fns = ours_stages(), newspaper_stages()
    ours: dict[str, list[float]] = {}
    theirs: dict[str, list[float]] = {}
    for page in pages:  # warm-up: load models, tables and caches once
        _run(ours_fns, page, {})
        _run(theirs_fns, page, {})
    summaries = {"ours": 0, "newspaper4k": 0}
    for _ in range(args.rounds):
        for page in pages:  # interleaved, so drift on a shared machine hits both alike
            state = _run(ours_fns, page, ours)
            summaries["ours"] += len(state["enrichment"].summary)  # type: ignore[attr-defined]
            state = _run(theirs_fns, page, theirs)
            summaries["newspaper4k"] += len(str(state["np"].summary).splitlines())  # type: ignore[attr-defined]

    base = statistics.mean(theirs["total"])
    rows = []
    for label, runs in (("ours", ours), ("newspaper4k", theirs)):
        for stage, times in runs.items():
            rows.append(
                [
                    label,
                    stage,
                    statistics.mean(times),
                    percentile(times, 50),
                    percentile(times, 95),
                    statistics.mean(times) / base,
                ]
            )
    n = args.rounds * len(pages)
    print(f"{len(pages)} pages × {args.rounds} rounds = {n} article runs per side")
    print(table(["side", "stage", "mean ms", "p50 ms", "p95 ms", "× newspaper4k total"], rows))
    print(
        f"summary sentences per article: ours {summaries['ours'] / n:.1f}, "
        f"newspaper4k {summaries['newspaper4k'] / n:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
