"""Extraction quality: ours (extract + clean) beside bare trafilatura, on the same pages in one run.

    python -m bench.extraction [--scrapinghub DIR] [--split tune|holdout|all] [--worst N]

Pages: the vendored fundus publisher pages, and the scrapinghub benchmark's 181 news pages
when a checkout is given (see ``bench.extraction_data``). Score: word-shingle F1, precision and
recall (``bench.shingles``, the scrapinghub benchmark's scorer). "ours" is
``worker.extract.extract_html(html, url).text``, a page it refuses scoring as empty text;
"trafilatura" is ``trafilatura.extract(html, include_comments=False)``. Every connection off
the machine is refused.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench import forbid_network, table
from bench.extraction_data import Page, fundus_pages, scrapinghub_pages
from bench.shingles import Counts, match, summary

Extract = Callable[[Page], str]


def ours(page: Page) -> str:
    from worker.errors import PermanentError
    from worker.extract import extract_html

    try:
        return extract_html(page.html, page.url).text
    except PermanentError:
        return ""


def bare_trafilatura(page: Page) -> str:
    import trafilatura

    return trafilatura.extract(page.html, include_comments=False) or ""


EXTRACTORS: dict[str, Extract] = {"ours": ours, "trafilatura": bare_trafilatura}


def load(scrapinghub: Path | None, split: str) -> list[Page]:
    pages = list(fundus_pages())
    if scrapinghub is not None:
        pages.extend(scrapinghub_pages(scrapinghub))
    return [p for p in pages if split == "all" or p.split == split]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scrapinghub", type=Path, help="checkout of the scrapinghub benchmark")
    parser.add_argument("--split", choices=("tune", "holdout", "all"), default="all")
    parser.add_argument("--worst", type=int, default=0, help="list the N pages ours loses most")
    args = parser.parse_args(argv)
    forbid_network()
    pages = load(args.scrapinghub, args.split)
    scores: dict[str, list[Counts]] = {name: [] for name in EXTRACTORS}
    seconds: dict[str, float] = dict.fromkeys(EXTRACTORS, 0.0)
    for page in pages:
        for name, extract in EXTRACTORS.items():
            started = time.perf_counter()
            text = extract(page)
            seconds[name] += time.perf_counter() - started
            scores[name].append(match(page.expected, text))
    groups = sorted({(p.dataset, p.split) for p in pages})
    rows: list[list[object]] = []
    for dataset, split in [*groups, ("all", "all")]:
        index = [
            i
            for i, p in enumerate(pages)
            if dataset == "all" or (p.dataset, p.split) == (dataset, split)
        ]
        for name in EXTRACTORS:
            f1, precision, recall = summary([scores[name][i] for i in index])
            rows.append(
                [dataset, split, len(index), name, f"{f1:.3f}", f"{precision:.3f}", f"{recall:.3f}"]
            )
    print(table(["dataset", "split", "pages", "extractor", "F1", "precision", "recall"], rows))
    print(
        "seconds per page: "
        + ", ".join(f"{name} {seconds[name] / max(1, len(pages)):.3f}" for name in EXTRACTORS)
    )
    if args.worst:

        def gap(i: int) -> float:
            a, b = scores["ours"][i], scores["trafilatura"][i]
            return (a.precision + a.recall) - (b.precision + b.recall)

        print("\npages where ours does worst against trafilatura (precision, recall):")
        for i in sorted(range(len(pages)), key=gap)[: args.worst]:
            a, b = scores["ours"][i], scores["trafilatura"][i]
            print(
                f"  {pages[i].dataset}/{pages[i].id} ours {a.precision:.2f} {a.recall:.2f}"
                f"  trafilatura {b.precision:.2f} {b.recall:.2f}  {pages[i].url[:70]}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
