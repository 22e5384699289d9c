"""Test pages for the extraction benchmark: loaders, and the script that vendors fundus's pages.

Two sources of pages with their expected article body:

* fundus (flairNLP/fundus, MIT): ``bench/data/extraction/fundus/`` holds one page per English
  publisher of fundus's parser tests (``tests/resources/parser/test_data/{us,uk,ca,au,ind,za}``)
  with the body its hand-written parser produced (summary, then each section's headline and
  paragraphs). Regenerate with
  ``python -m bench.extraction_data vendor-fundus /path/to/fundus-checkout``; inline scripts
  (except JSON-LD) and styles are emptied to keep the files small, which changes no text.
* the scrapinghub article-extraction benchmark (scrapinghub/article-extraction-benchmark, MIT):
  181 news pages with a ground-truth ``articleBody``. Its 6 MB of pages are not vendored; pass
  a checkout with ``--scrapinghub DIR`` (``git clone
  https://github.com/scrapinghub/article-extraction-benchmark``).

Every page has a stable split, ``tune`` or ``holdout``, from a hash of its id: ideas are tuned
on the first and reported on the second.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "extraction"
FUNDUS_DIR = DATA / "fundus"
FUNDUS_COUNTRIES = ("us", "uk", "ca", "au", "ind", "za")


@dataclass(frozen=True)
class Page:
    """One benchmark page: its id, source dataset, URL, HTML and expected body."""

    id: str
    dataset: str
    url: str
    html: str
    expected: str

    @property
    def split(self) -> str:
        """``tune`` or ``holdout``, stable across runs (half the pages each)."""
        digest = hashlib.sha256(self.id.encode()).digest()
        return "tune" if digest[0] % 2 == 0 else "holdout"


def fundus_pages(directory: Path = FUNDUS_DIR) -> Iterator[Page]:
    """Yield the vendored fundus pages."""
    for meta_path in sorted(directory.glob("*.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        html_path = meta_path.with_suffix(".html.gz")
        html = gzip.decompress(html_path.read_bytes()).decode("utf-8")
        yield Page(meta_path.stem, "fundus", meta["url"], html, meta["body"])


def scrapinghub_pages(directory: Path) -> Iterator[Page]:
    """Yield the scrapinghub benchmark's pages from a checkout of its repository."""
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    for key, item in sorted(truth.items()):
        raw = gzip.decompress((directory / "html" / f"{key}.html.gz").read_bytes())
        yield Page(key[:16], "scrapinghub", item["url"], _decode(raw), item["articleBody"])


def _decode(raw: bytes) -> str:
    from worker import charset

    return charset.decode(raw)


# ---- vendoring fundus's pages -------------------------------------------------------------

_SCRIPT = re.compile(r"(<script\b(?![^>]*ld\+json)[^>]*>).*?(</script>)", re.I | re.S)
_STYLE = re.compile(r"(<style\b[^>]*>).*?(</style>)", re.I | re.S)


def _fundus_body(body: dict[str, list]) -> str:
    parts: list[str] = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        parts.extend(section.get("headline") or [])
        parts.extend(section.get("paragraphs") or [])
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def _url_of(html: str) -> str:
    for pattern in (
        r'<link[^>]+rel=["\']canonical["\'][^>]+href=["\']([^"\']+)',
        r'<meta[^>]+property=["\']og:url["\'][^>]+content=["\']([^"\']+)',
    ):
        match = re.search(pattern, html, re.I)
        if match:
            return match.group(1)
    return "https://example.invalid/"


def vendor_fundus(checkout: Path, target: Path = FUNDUS_DIR) -> int:
    """Copy the newest page of each English fundus publisher with its expected body."""
    root = checkout / "tests" / "resources" / "parser" / "test_data"
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    for country in FUNDUS_COUNTRIES:
        for expected_path in sorted((root / country).glob("*.json")):
            versions = json.loads(expected_path.read_text(encoding="utf-8"))
            pages = sorted(
                p
                for p in (root / country).glob(f"{expected_path.stem}_*.html.gz")
                if re.fullmatch(
                    rf"{re.escape(expected_path.stem)}_\d{{4}}_\d{{2}}_\d{{2}}", p.name[:-8]
                )
            )
            if not pages or len(pages) != len(versions):
                continue  # versions cannot be paired with pages by date
            version = sorted(versions)[-1]
            body = _fundus_body(versions[version].get("body") or {})
            if len(body.split()) < 50:
                continue
            html = gzip.decompress(pages[-1].read_bytes()).decode("utf-8", "replace")
            html = _STYLE.sub(r"\1\2", _SCRIPT.sub(r"\1\2", html))
            name = f"{country}_{expected_path.stem}"
            (target / f"{name}.html.gz").write_bytes(gzip.compress(html.encode(), 9, mtime=0))
            meta = {"url": _url_of(html), "source": f"{country}/{pages[-1].name}", "body": body}
            (target / f"{name}.json").write_text(
                json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    vendor = sub.add_parser("vendor-fundus", help="copy fundus's English test pages here")
    vendor.add_argument("checkout", type=Path)
    args = parser.parse_args(argv)
    print(f"vendored {vendor_fundus(args.checkout)} pages into {FUNDUS_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
