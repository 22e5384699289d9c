"""Duplicate detection as pure functions: exact text hashes and MinHash/LSH fingerprints.

Storage keeps ``text_hash`` unique and indexes ``band_keys``; articles sharing a band key are
candidates, and a candidate whose ``similarity`` reaches ``NEAR_DUPLICATE_THRESHOLD`` joins the
same story cluster.

Why these numbers:

* Shingles are 5-word windows over case-folded words. Two different articles on the same story
  share names and phrases but almost no 5-word runs (the shipped seeds, all on one topic, score
  below 0.05 against each other), while a lightly edited copy keeps most of them.
* 128 permutations give a Jaccard estimate with a standard error of about 0.04
  (``sqrt(J(1-J)/128)``), small against the gap between copies (> 0.75) and unrelated texts.
* 32 bands of 4 rows: a pair with Jaccard ``s`` shares at least one band with probability
  ``1 - (1 - s**4) ** 32``: 0.9998 at 0.7, 0.99 at 0.6, 0.87 at 0.5, but 0.23 at 0.3 and 0.003
  at 0.1, so near-duplicates are found almost surely and unrelated pairs rarely need a check.
* The threshold 0.6 sits in the middle of that curve's steep part: syndicated copies with a
  paragraph dropped and a few words changed score 0.7–0.95; distinct articles score < 0.1.
* The permutation seed is fixed and shingles are hashed with SHA-1 (datasketch's default), so a
  signature is the same in every process and every run, and stored band keys stay valid.

The signature is datasketch's ``MinHash`` (its default ``affine32`` scheme), computed here
with numpy: importing datasketch imports its LSH classes and, through them, half of SciPy
(about 40 MB per worker process). ``tests/worker/test_dedup.py`` checks that every signature
equals datasketch's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate

import numpy as np

from corpus.words import WORD_CHARS, word_pattern

__all__ = [
    "BANDS",
    "NEAR_DUPLICATE_THRESHOLD",
    "NUM_PERM",
    "ROWS",
    "SHINGLE_WORDS",
    "band_keys",
    "hash_and_signature",
    "minhash_signature",
    "normalise_for_hash",
    "similarity",
    "text_hash",
]

NUM_PERM = 128
BANDS = 32
ROWS = 4
SHINGLE_WORDS = 5
NEAR_DUPLICATE_THRESHOLD = 0.6
_SEED = 1  # never change: stored band keys depend on it

# Underscores count and hyphens split: stored text hashes and band keys depend on it.
_WORD = word_pattern("'’", chars=WORD_CHARS)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def normalise_for_hash(text: str) -> str:
    """Case-folded words separated by single spaces: what 'identical text' means here."""
    return " ".join(_words(text))


def text_hash(text: str) -> str:
    """SHA-256 hex digest of the normalised text; equal for texts differing only in case/spacing."""
    return _hash_words(_words(text))


def _hash_words(words: list[str]) -> str:
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def _shingles(words: list[str]) -> list[bytes]:
    """Return the UTF-8 of each run of ``SHINGLE_WORDS`` words joined by spaces, repeats too.

    Sliced out of the words joined once, not joined window by window; a repeated shingle
    changes no minimum, so there is no need to drop repeats.
    """
    if len(words) <= SHINGLE_WORDS:
        return [" ".join(words).encode("utf-8")] if words else []
    encoded = [word.encode("utf-8") for word in words]
    joined = b" ".join(encoded)
    starts = [0, *accumulate(len(word) + 1 for word in encoded)]  # one past the end: + 1
    return [
        joined[starts[i] : starts[i + SHINGLE_WORDS] - 1]
        for i in range(len(words) - SHINGLE_WORDS + 1)
    ]


_EMPTY = np.uint32(0xFFFF_FFFF)
# MurmurHash3's 32-bit finaliser, which datasketch applies before the permutations.
_FMIX = (np.uint32(16), np.uint32(0x85EB_CA6B), np.uint32(13), np.uint32(0xC2B2_AE35))


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    # datasketch's affine permutations h -> a*h + b (mod 2**32), a odd, drawn in its order.
    gen = np.random.RandomState(_SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _sha1_32(shingles: Iterable[bytes]) -> np.ndarray:
    # datasketch's sha1_hash32: the first 4 bytes of each SHA-1 digest, little-endian.
    sha1 = hashlib.sha1
    digests = b"".join([sha1(s).digest()[:4] for s in shingles])
    return np.frombuffer(digests, dtype="<u4").astype(np.uint32)


def minhash_signature(text: str) -> list[int]:
    """Return the ``NUM_PERM``-long MinHash signature of the text's word 5-shingles."""
    return _signature(_words(text))


def hash_and_signature(text: str) -> tuple[str, list[int]]:
    """``text_hash`` and ``minhash_signature`` of ``text``, splitting it into words once."""
    words = _words(text)
    return _hash_words(words), _signature(words)


def _signature(words: list[str]) -> list[int]:
    shingles = _shingles(words)
    if not shingles:
        return [int(_EMPTY)] * NUM_PERM
    hv = _sha1_32(shingles)
    shift1, mul1, shift2, mul2 = _FMIX
    hv = hv ^ (hv >> shift1)
    hv = hv * mul1
    hv = hv ^ (hv >> shift2)
    hv = hv * mul2
    hv = hv ^ (hv >> shift1)
    a, b = _permutations()
    permuted = hv.reshape(-1, 1) * a + b  # wraps modulo 2**32, as datasketch's does
    signature: list[int] = np.minimum(_EMPTY, permuted.min(axis=0)).tolist()
    return signature


def band_keys(signature: list[int]) -> list[str]:
    """LSH keys, one per band: 'b07:' plus a short digest of that band's rows."""
    if len(signature) != BANDS * ROWS:
        raise ValueError(f"signature has {len(signature)} values, expected {BANDS * ROWS}")
    keys = []
    for band in range(BANDS):
        rows = signature[band * ROWS : (band + 1) * ROWS]
        digest = hashlib.blake2b(",".join(map(str, rows)).encode("ascii"), digest_size=8)
        keys.append(f"b{band:02d}:{digest.hexdigest()}")
    return keys


def similarity(sig_a: list[int], sig_b: list[int]) -> float:
    """Estimated Jaccard similarity of two signatures: the share of equal positions."""
    if len(sig_a) != len(sig_b) or not sig_a:
        raise ValueError("signatures must be non-empty and of equal length")
    return sum(1 for a, b in zip(sig_a, sig_b, strict=True) if a == b) / len(sig_a)
