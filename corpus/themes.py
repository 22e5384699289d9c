"""The theme taxonomy, kept as data in ``corpus/data/themes.yaml``.

The file is loaded and checked here; tagging articles with it is the worker's job
(``worker.analysis.themes``). The brief and the bot read names and slugs from here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from corpus.shipped import load_yaml

THEMES_FILE = Path(__file__).with_name("data") / "themes.yaml"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ThemeDataError(ValueError):
    """The theme file is malformed; the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Theme:
    """One theme: its evidence terms with weights and the rules for tagging it."""

    slug: str
    name: str
    description: str
    terms: tuple[tuple[str, float], ...]
    exclude: tuple[str, ...] = ()
    requires_any: tuple[str, ...] = ()
    min_sentences: int = 2
    min_score: float = 3.0


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """Every theme, in file order, with the shared tagging limits."""

    themes: tuple[Theme, ...]
    sentence_cap: float = 3.0
    density: float = 0.04

    @property
    def slugs(self) -> tuple[str, ...]:
        """Theme slugs in file order."""
        return tuple(t.slug for t in self.themes)

    def names(self) -> dict[str, str]:
        """Slug → display name."""
        return {t.slug: t.name for t in self.themes}


def _number(value: Any, where: str, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ThemeDataError(f"{where}: {what} must be a number, not {value!r}.")
    return float(value)


def _strings(value: Any, where: str, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ThemeDataError(f"{where}: {what} must be a list of non-empty strings.")
    return tuple(v.strip() for v in value)


def _theme(entry: Any, index: int, defaults: dict[str, Any], path: Path) -> Theme:
    where = f"{path}: themes[{index}]"
    if not isinstance(entry, dict):
        raise ThemeDataError(f"{where}: each theme must be a mapping with slug, name and terms.")
    slug = entry.get("slug")
    if not isinstance(slug, str) or not SLUG.match(slug):
        raise ThemeDataError(
            f"{where}: slug {slug!r} must be lower-case words joined by hyphens, e.g. 'energy'."
        )
    where = f"{path}: theme {slug!r}"
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ThemeDataError(f"{where}: a non-empty 'name' is required.")
    terms = entry.get("terms")
    if not isinstance(terms, dict) or not terms:
        raise ThemeDataError(f"{where}: 'terms' must map each term to a weight, e.g. 'oil: 1.5'.")
    weighted: list[tuple[str, float]] = []
    for term, weight in terms.items():
        if not isinstance(term, str) or not term.strip() or term.strip() == "*":
            raise ThemeDataError(f"{where}: term {term!r} must be a non-empty string.")
        w = _number(weight, where, f"the weight of term {term!r}")
        if w <= 0:
            raise ThemeDataError(f"{where}: the weight of term {term!r} must be positive.")
        weighted.append((term.strip(), w))
    unknown = set(entry) - {
        "slug",
        "name",
        "description",
        "terms",
        "exclude",
        "requires_any",
        "min_sentences",
        "min_score",
    }
    if unknown:
        raise ThemeDataError(f"{where}: unknown keys {sorted(unknown)}.")
    min_sentences = entry.get("min_sentences", defaults.get("min_sentences", 2))
    if not isinstance(min_sentences, int) or isinstance(min_sentences, bool) or min_sentences < 1:
        raise ThemeDataError(f"{where}: min_sentences must be a whole number of at least 1.")
    return Theme(
        slug=slug,
        name=name.strip(),
        description=str(entry.get("description") or "").strip(),
        terms=tuple(weighted),
        exclude=_strings(entry.get("exclude"), where, "exclude"),
        requires_any=_strings(entry.get("requires_any"), where, "requires_any"),
        min_sentences=min_sentences,
        min_score=_number(
            entry.get("min_score", defaults.get("min_score", 3.0)), where, "min_score"
        ),
    )


def parse_taxonomy(data: Any, path: Path = THEMES_FILE) -> Taxonomy:
    """Validate parsed YAML into a :class:`Taxonomy`; raise :class:`ThemeDataError` if malformed."""
    if not isinstance(data, dict) or not isinstance(data.get("themes"), list):
        raise ThemeDataError(f"{path}: expected a mapping with a 'themes' list.")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise ThemeDataError(f"{path}: 'defaults' must be a mapping.")
    themes = tuple(_theme(e, i, defaults, path) for i, e in enumerate(data["themes"]))
    seen: set[str] = set()
    for theme in themes:
        if theme.slug in seen:
            raise ThemeDataError(f"{path}: theme {theme.slug!r} is defined twice.")
        seen.add(theme.slug)
    return Taxonomy(
        themes=themes,
        sentence_cap=_number(
            defaults.get("sentence_cap", 3.0), f"{path}: defaults", "sentence_cap"
        ),
        density=_number(defaults.get("density", 0.04), f"{path}: defaults", "density"),
    )


def read_taxonomy(path: Path) -> Taxonomy:
    """Read and validate a theme file."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ThemeDataError(f"{path}: not valid YAML: {exc}") from exc
    return parse_taxonomy(data, path)


@lru_cache(maxsize=1)
def load_taxonomy() -> Taxonomy:
    """Return the shipped taxonomy (read once)."""
    return read_taxonomy(THEMES_FILE)


def theme_names() -> dict[str, str]:
    """Every theme of the shipped taxonomy, slug → display name."""
    return load_taxonomy().names()
