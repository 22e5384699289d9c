"""Tests for loading and validating the theme taxonomy."""

from __future__ import annotations

import pytest
import yaml

from corpus.themes import ThemeDataError, load_taxonomy, parse_taxonomy, read_taxonomy

FIXED_SLUGS = {
    "trade-economy",
    "energy",
    "military-security",
    "diplomacy",
    "ukraine-war",
    "sanctions-finance",
    "technology",
    "arctic",
    "multilateral",
    "us-rivalry",
}


def test_shipped_taxonomy_has_the_ten_fixed_themes():
    """The shipped file defines exactly the ten themes of the issue, each named and weighted."""
    taxonomy = load_taxonomy()
    assert set(taxonomy.slugs) == FIXED_SLUGS
    for theme in taxonomy.themes:
        assert theme.name and theme.description
        assert len(theme.terms) >= 10


def _good():
    return {"themes": [{"slug": "energy", "name": "Energy", "terms": {"oil": 1.0}}]}


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["themes"][0].update(terms={"oil": "heavy"}), "weight of term 'oil'"),
        (lambda d: d["themes"][0].update(terms={}), "'terms' must map"),
        (lambda d: d["themes"][0].update(slug="Energy Theme"), "slug 'Energy Theme'"),
        (lambda d: d["themes"][0].pop("name"), "theme 'energy': a non-empty 'name'"),
        (lambda d: d["themes"].append(dict(d["themes"][0])), "defined twice"),
        (lambda d: d["themes"][0].update(colour="red"), "unknown keys ['colour']"),
        (lambda d: d["themes"][0].update(min_sentences=0), "min_sentences"),
    ],
)
def test_malformed_entries_are_named_in_the_error(mutate, expected, tmp_path):
    """A malformed theme raises an error naming the file, the entry and the problem."""
    data = _good()
    mutate(data)
    path = tmp_path / "themes.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ThemeDataError) as info:
        read_taxonomy(path)
    assert str(path) in str(info.value)
    assert expected in str(info.value)


def test_invalid_yaml_is_reported_with_the_file(tmp_path):
    """Broken YAML says which file could not be read."""
    path = tmp_path / "themes.yaml"
    path.write_text("themes: [\n  - slug: x\n", encoding="utf-8")
    with pytest.raises(ThemeDataError, match="not valid YAML"):
        read_taxonomy(path)


def test_defaults_apply_to_themes_without_overrides():
    """File-wide defaults set each theme's thresholds unless the theme overrides them."""
    data = _good()
    data["defaults"] = {"min_sentences": 3, "min_score": 4.5}
    data["themes"].append(
        {"slug": "arctic", "name": "Arctic", "terms": {"arctic": 2}, "min_score": 1}
    )
    taxonomy = parse_taxonomy(data)
    energy, arctic = taxonomy.themes
    assert (energy.min_sentences, energy.min_score) == (3, 4.5)
    assert arctic.min_score == 1.0
