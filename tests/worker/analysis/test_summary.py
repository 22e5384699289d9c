"""Tests for the extractive summariser."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sumy.models.dom import ObjectDocumentModel, Paragraph
from sumy.models.dom import Sentence as SumySentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from worker.analysis.sentences import Sentence, split_sentences
from worker.analysis.summary import (
    MAX_CANDIDATES,
    ExtractiveSummariser,
    _candidate,
    _ratings,
    is_summary_worthy,
    summarise_sentences,
    words,
)

SAMPLES = sorted((Path(__file__).resolve().parents[3] / "corpus" / "samples").glob("*.txt"))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_seed_summary_has_two_to_four_verbatim_sentences_in_order(path):
    """Each seed gets 2–4 sentences, each found verbatim in the article, in article order."""
    text = path.read_text(encoding="utf-8")
    chosen = summarise_sentences(text)
    assert 2 <= len(chosen) <= 4
    for s in chosen:
        assert text[s.start : s.end] == s.text
    assert [s.start for s in chosen] == sorted(s.start for s in chosen)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_seed_summary_never_uses_headings_or_boilerplate(path):
    """Headings and page furniture are never summary sentences."""
    text = path.read_text(encoding="utf-8")
    headings = {s.text for s in split_sentences(text) if s.is_heading}
    for s in summarise_sentences(text):
        assert s.text not in headings
        assert "Comment" not in s.text
        assert "ALSO READ" not in s.text


def test_short_boilerplate_sentences_are_avoided():
    """Very short sentences and sharing prompts lose to reporting sentences."""
    text = (
        "Russia and China signed a new gas supply agreement in Beijing on Tuesday after talks.\n"
        "Click here to subscribe to our newsletter for more updates on the story.\n"
        "Wow.\n"
        "The deal covers deliveries through a second pipeline across Mongolia to northern China.\n"
        "Officials said prices were still being negotiated between Gazprom and CNPC.\n"
    )
    chosen = [s.text for s in summarise_sentences(text)]
    assert len(chosen) == 2
    assert all("subscribe" not in s and s != "Wow." for s in chosen)


def test_summariser_protocol_reports_extractive_backend():
    """The summariser returns its sentences and names its backend."""
    text = SAMPLES[0].read_text(encoding="utf-8")
    sentences, backend = ExtractiveSummariser().summarise("t", text)
    assert backend == "extractive"
    assert all(s in text for s in sentences)


def test_summary_runs_without_nltk_data(tmp_path):
    """Summarising works in a fresh process that can find no NLTK data at all."""
    empty = tmp_path / "nltk_data"
    empty.mkdir()
    code = (
        "import json, sys\n"
        "import nltk\n"
        "nltk.data.path[:] = [sys.argv[2]]\n"
        "for name in ('tokenizers/punkt', 'tokenizers/punkt_tab', 'corpora/stopwords'):\n"
        "    try:\n"
        "        nltk.data.find(name)\n"
        "    except LookupError:\n"
        "        pass\n"
        "    else:\n"
        "        sys.exit('NLTK data is reachable: ' + name)\n"
        "from worker.analysis.summary import summarise_sentences\n"
        "text = open(sys.argv[1], encoding='utf-8').read()\n"
        "print(json.dumps([s.text for s in summarise_sentences(text)]))\n"
    )
    env = {**os.environ, "NLTK_DATA": str(empty), "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", code, str(SAMPLES[1]), str(empty)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert 2 <= len(out) <= 4


def test_only_the_opening_candidates_are_ranked(monkeypatch):
    """Past MAX_CANDIDATES prose sentences, later ones are never chosen (bounded cost)."""
    monkeypatch.setattr("worker.analysis.summary.MAX_CANDIDATES", 6)
    text = SAMPLES[3].read_text(encoding="utf-8")
    worthy = [s for s in split_sentences(text) if is_summary_worthy(s)]
    chosen = summarise_sentences(text)
    assert 2 <= len(chosen) <= 4
    assert all(s.start < worthy[6].start for s in chosen)


class _WordTokenizer:
    """The tokenizer the summariser gave sumy before it ranked sentences itself."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(s.text for s in split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(words(sentence))


def _sumy_ratings(texts: list[str]) -> list[float]:
    """The ratings sumy's own TextRankSummarizer gives, normalised as the summariser does."""
    summarizer = TextRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tokenizer = _WordTokenizer()
    sentences = [SumySentence(t, tokenizer) for t in texts]
    rated = summarizer.rate_sentences(ObjectDocumentModel([Paragraph(sentences)]))
    raw = [float(rated.get(s, 0.0)) for s in sentences]
    top = max(raw, default=0.0) or 1.0
    return [r / top for r in raw]


def _our_ratings(texts: list[str]) -> list[float]:
    candidates = [_candidate(Sentence(t, 0, len(t)), i, words(t)) for i, t in enumerate(texts)]
    return _ratings(candidates)


def _recorded_candidate_lists() -> list[list[str]]:
    from testing.golden_analysis import articles

    out = []
    for _, text in articles().values():
        worthy = [s.text for s in split_sentences(text) if is_summary_worthy(s)]
        if worthy:
            out.append(worthy[:MAX_CANDIDATES])
    return out


def test_ratings_equal_sumy_textrank_on_every_recorded_article():
    """On every gold article, the array TextRank gives exactly the floats sumy's gives."""
    for texts in _recorded_candidate_lists():
        assert _our_ratings(texts) == _sumy_ratings(texts)


_VOCABULARY = ["gas", "Gas", "pipeline", "pipelines", "the", "a", "of", "Russia", "China's", "deal"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(_VOCABULARY), min_size=0, max_size=6).map(" ".join),
        min_size=1,
        max_size=12,
    )
)
def test_ratings_equal_sumy_textrank_on_any_sentences(texts):
    """Repeats, one-word, stop-word-only and empty sentences rank exactly as in sumy."""
    assert _our_ratings(texts) == _sumy_ratings(texts)


def test_boilerplate_lookahead_changes_no_match() -> None:
    """Page furniture is found where it was before the first-character lookahead."""
    import re

    from bench.drills.content import varied_article
    from bench.extraction_data import fundus_pages
    from worker.analysis import summary

    lookahead = "(?=[acefhinprstwy©@])"
    pattern = summary._BOILERPLATE
    assert lookahead in pattern.pattern
    plain = re.compile(pattern.pattern.replace(lookahead, "", 1), pattern.flags)
    phrases = re.findall(r"[a-z][a-z ?]+", plain.pattern.split("|https")[0])
    made = " ".join(f"{p} {p.upper()} x{p.title()} ({p})" for p in phrases)
    texts = [path.read_text(encoding="utf-8") for path in SAMPLES]
    texts += ["\n\n".join(varied_article(number).paragraphs) for number in range(12)]
    texts += [page.html for page in fundus_pages()]
    texts.append(f"{made} see https://example.org, www.example.org, © 2024, @newsroom.")
    spans = 0
    for text in texts:
        found = [m.span() for m in pattern.finditer(text)]
        assert found == [m.span() for m in plain.finditer(text)]
        spans += len(found)
    assert spans > 1000  # the texts hold furniture to compare on
