"""Duplicate fingerprints: identical text hashes equal, near-copies share a band, others do not."""

from __future__ import annotations

import itertools
import subprocess
import sys

import pytest

from testing.golden_texts import golden_path
from testing.page_chrome import seed_paths
from worker.dedup import (
    BANDS,
    NEAR_DUPLICATE_THRESHOLD,
    NUM_PERM,
    band_keys,
    hash_and_signature,
    minhash_signature,
    similarity,
    text_hash,
)


def _seed_texts() -> list[str]:
    return [golden_path(path).read_text(encoding="utf-8") for path in seed_paths()]


def _lightly_edited(text: str) -> str:
    """A syndicated copy: one paragraph dropped, a few words changed, other boilerplate added."""
    paragraphs = text.split("\n\n")
    del paragraphs[len(paragraphs) // 2]
    edited = "\n\n".join(paragraphs)
    for old, new in [("Tuesday", "Wednesday"), ("serious", "grave"), ("significant", "major")]:
        edited = edited.replace(old, new, 1)
    return "Syndicated from Example Wire\n\n" + edited + "\n\nCopyright 2024 Example Wire."


def test_identical_text_has_the_same_hash_despite_case_and_spacing() -> None:
    """Whitespace and case differences do not change the hash."""
    assert text_hash("Russia and  China\nsigned a deal.") == text_hash(
        "russia and china signed a deal."
    )
    assert len(text_hash("x")) == 64


def test_different_text_has_a_different_hash() -> None:
    """One changed word changes the hash."""
    assert text_hash("Russia and China signed a deal.") != text_hash(
        "Russia and India signed a deal."
    )


def test_signature_has_the_pinned_length() -> None:
    """Signatures are NUM_PERM long and cut into BANDS keys."""
    signature = minhash_signature(_seed_texts()[0])
    assert len(signature) == NUM_PERM
    keys = band_keys(signature)
    assert len(keys) == BANDS
    assert keys[7].startswith("b07:")
    assert len(set(keys)) == BANDS


@pytest.mark.parametrize("index", range(5))
def test_lightly_edited_copy_is_a_near_duplicate(index: int) -> None:
    """A copy with a paragraph dropped and words changed passes the threshold, shares a band."""
    original = _seed_texts()[index]
    copy = _lightly_edited(original)
    sig_a, sig_b = minhash_signature(original), minhash_signature(copy)
    assert text_hash(original) != text_hash(copy)
    assert similarity(sig_a, sig_b) >= NEAR_DUPLICATE_THRESHOLD
    assert set(band_keys(sig_a)) & set(band_keys(sig_b))


def test_different_seed_articles_are_not_near_duplicates() -> None:
    """Five articles on the same topic score well below the threshold against each other."""
    signatures = [minhash_signature(text) for text in _seed_texts()]
    for sig_a, sig_b in itertools.combinations(signatures, 2):
        assert similarity(sig_a, sig_b) < NEAR_DUPLICATE_THRESHOLD / 2


def test_signature_is_stable_across_processes() -> None:
    """Another interpreter (other hash seed) computes the same band keys: stored keys stay valid."""
    text = _seed_texts()[2]
    code = (
        "import sys; from worker.dedup import minhash_signature, band_keys;"
        "print(','.join(band_keys(minhash_signature(sys.stdin.read()))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345"},
    )
    assert result.stdout.strip().split(",") == band_keys(minhash_signature(text))


def test_bad_signatures_are_refused() -> None:
    """Signatures of the wrong length give a clear error."""
    with pytest.raises(ValueError, match="expected"):
        band_keys([1, 2, 3])
    with pytest.raises(ValueError, match="equal length"):
        similarity([1, 2], [1])


def _reference_shingles(text: str) -> set[str]:
    """The text's word 5-shingles, each joined window by window."""
    from worker.dedup import _words

    words = _words(text)
    if len(words) <= 5:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + 5]) for i in range(len(words) - 4)}


@pytest.mark.parametrize("kind", ["seeds", "edited", "short", "empty", "repeated", "accented"])
def test_signature_is_datasketchs_minhash(kind: str) -> None:
    """Every signature equals datasketch's MinHash of the same shingles: stored keys stay valid."""
    from datasketch import MinHash

    seeds = _seed_texts()
    texts = {
        "seeds": seeds,
        "edited": [_lightly_edited(t) for t in seeds],
        "short": ["Talks resume", "One two three four five", "One two three four five six"],
        "empty": ["", "  ...  "],
        "repeated": [f"{seeds[0]}\n\n{seeds[0]}", "a b c d e f a b c d e f a b c d e f"],
        "accented": [
            "Die Bürger Straßburgs wählten am Sonntag ihren neuen Bürgermeister für sechs Jahre.",
            "Премьер-министр заявил, что переговоры продолжатся в понедельник в Женеве.",
            "日本 政府 は 月曜日 に 新しい 予算案 を 発表 した と 伝えられて いる",
        ],
    }[kind]
    for text in texts:
        expected = MinHash(num_perm=NUM_PERM, seed=1)
        expected.update_batch([s.encode("utf-8") for s in sorted(_reference_shingles(text))])
        assert minhash_signature(text) == [int(v) for v in expected.hashvalues]


def test_hash_and_signature_are_text_hash_and_minhash_signature() -> None:
    """The one-pass pair equals the two functions apart."""
    for text in [*_seed_texts(), "", "One two three"]:
        assert hash_and_signature(text) == (text_hash(text), minhash_signature(text))
