"""py3langid's language identifier, with its two large tables mapped from disk rather than read.

py3langid's own loader reads the model into memory: the DFA transition table (about 40 MB,
copied once more into an ``array.array`` on the way) and the feature × language weights
(about 28 MB). A text walks only the transitions and weights of the byte sequences it
contains, so most of both tables is never touched by a stream of articles in a few languages.
Here the model is decompressed to an unlinked temporary file (as py3langid does), which is
mapped read-only, and the two tables are views into the mapping: a worker process holds only
the pages its texts touch, and those are clean pages the kernel may drop and read back. The
values are the same, so is every classification (``tests/worker/test_extract.py`` checks both).
The file (68 MB) lives as long as the process; where the temporary directory is a tmpfs it is
held in memory, so point ``TMPDIR`` at a disk there.

The walk through the transition table is most of a classification's cost, and a stream of
articles repeats paragraphs (copies, an outlet's standing lines). The walk over a paragraph
depends only on the state it starts in, so :class:`SegmentedIdentifier` walks a text a
paragraph at a time and keeps the features each paragraph yields from each starting state.
The paragraphs' features, put end to end, are the features of the whole walk in its order,
which is the order in which the scores are summed: every score is the very one py3langid
computes.
"""

from __future__ import annotations

import lzma
import mmap
import shutil
import struct
import tempfile
import zipfile
from array import array
from collections import OrderedDict
from typing import Any, Literal

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, RAW_FLOOR, LanguageIdentifier

_CHUNK = 1 << 20
_TYPECODES: dict[int, Literal["H", "I", "L"]] = {2: "H", 4: "I", 8: "L"}
_LOCAL_HEADER = struct.Struct("<26xHH")  # a zip member's local header: name and extra lengths
_PARAGRAPH_END = b"\n\n"
_KEPT_PARAGRAPHS = 512  # about 1 MB: a feature (4 bytes) for about each byte of a paragraph


class SegmentedIdentifier(LanguageIdentifier):
    """py3langid's identifier that remembers the features of the paragraphs it walked."""

    __slots__ = ("_walks",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._walks: OrderedDict[tuple[int, bytes], tuple[array[int], int]] = OrderedDict()

    def _raw_score(self, text: bytes) -> Any:
        """Raw naive Bayes scores, as py3langid's, from the features paragraph by paragraph."""
        found: array[int] = array("I")
        state, start = 0, 0
        while start < len(text):
            end = text.find(_PARAGRAPH_END, start)
            end = len(text) if end < 0 else end + len(_PARAGRAPH_END)
            features, state = self._walk(state, text[start:end])
            found.extend(features)
            start = end
        if found:
            # py3langid's ``_sparse_score`` over ``Counter(found)``: the distinct features in the
            # order they first occur, with their counts, counted by numpy.
            met = np.frombuffer(found, dtype=np.uint32)
            distinct, first, counts = np.unique(met, return_index=True, return_counts=True)
            order = np.argsort(first)
            weights = np.log1p(counts[order].astype(np.float32))
            return weights @ self.nb_ptc[distinct[order].astype(np.intp)] + self.nb_pc
        fill = 0.0 if self._norm_probs else RAW_FLOOR
        return np.full(len(self.nb_classes), fill, dtype=np.float32)

    def _walk(self, state: int, segment: bytes) -> tuple[array[int], int]:
        """Return the features a walk over ``segment`` from ``state`` meets, and its end state."""
        key = (state, segment)
        known = self._walks.get(key)
        if known is not None:
            self._walks.move_to_end(key)
            return known
        nextmove, rowbase, output = self.tk_nextmove, self._rowbase, self.tk_output
        met: list[int] = []
        for letter in segment:
            state = nextmove[rowbase[state] + letter]
            feature = output[state]
            if feature >= 0:
                met.append(feature)
        known = (array("I", met), state)
        self._walks[key] = known
        if len(self._walks) > _KEPT_PARAGRAPHS:
            self._walks.popitem(last=False)
        return known


def _member_array(archive: zipfile.ZipFile, mapped: mmap.mmap, name: str) -> tuple[Any, int]:
    """Return the ``.npy`` member ``name`` as ``(dtype and shape, data offset in the file)``."""
    info = archive.getinfo(name)
    if info.compress_type != zipfile.ZIP_STORED:
        raise ValueError(f"{name} is compressed in the model file")
    start = info.header_offset
    name_length, extra_length = _LOCAL_HEADER.unpack_from(mapped, start)
    with archive.open(name) as member:
        version = np.lib.format.read_magic(member)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(member)
        else:
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(member)
        header = member.tell()
    if dtype.byteorder == ">" or dtype.hasobject or (fortran and len(shape) > 1):
        raise ValueError(f"unexpected table layout: {dtype}, {shape}")
    return (dtype, shape), start + _LOCAL_HEADER.size + name_length + extra_length + header


def _view(archive: zipfile.ZipFile, mapped: mmap.mmap, name: str) -> np.ndarray:
    """Return a read-only numpy view of the ``.npy`` member ``name`` inside the mapped file."""
    (dtype, shape), offset = _member_array(archive, mapped, name)
    count = int(np.prod(shape))
    return np.frombuffer(mapped, dtype=dtype, count=count, offset=offset).reshape(shape)


def _transitions(archive: zipfile.ZipFile, mapped: mmap.mmap, name: str) -> memoryview:
    """Return the unsigned integer member ``name`` as a flat memoryview of Python ints."""
    (dtype, shape), offset = _member_array(archive, mapped, name)
    if dtype.kind != "u":
        raise ValueError(f"unexpected table layout: {dtype}, {shape}")
    size = int(np.prod(shape)) * dtype.itemsize
    return memoryview(mapped)[offset : offset + size].cast(_TYPECODES[dtype.itemsize])


def load_identifier(*, norm_probs: bool = True) -> Any:
    """Return ``LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=...)``, built frugally.

    It is a :class:`SegmentedIdentifier`: the same scores, paragraphs it saw before not walked
    again.
    """
    with tempfile.TemporaryFile(suffix=".npz") as tmp:
        with lzma.open(MODEL_DIR / MODEL_FILE) as source:
            shutil.copyfileobj(source, tmp, length=_CHUNK)
        tmp.flush()
        # The mapping outlives the file object: the views below keep it open.
        mapped = mmap.mmap(tmp.fileno(), 0, access=mmap.ACCESS_READ)
        tmp.seek(0)
        with zipfile.ZipFile(tmp) as archive:
            nextmove = _transitions(archive, mapped, "nextmove.npy")
            ptc = _view(archive, mapped, "ptc.npy")
            row_view = _transitions(archive, mapped, "nextmove_row.npy")
            row = array(row_view.format, row_view.tobytes())  # small, and walked per state
            pc = np.array(_view(archive, mapped, "pc.npy"))
            with archive.open("classes.npy") as member:
                classes = np.load(member, allow_pickle=False).tolist()
            with archive.open("out_feat.npy") as member:
                output = np.load(member, allow_pickle=False).tolist()
    return SegmentedIdentifier(ptc, pc, classes, nextmove, output, norm_probs, tk_row=row)
