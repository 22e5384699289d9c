"""py3langid's language identifier, loaded without a second copy of its largest table.

py3langid's own loader reads the DFA transition table (about 40 MB) into a numpy array and
then copies it into the ``array.array`` the classifier walks, so for a moment a worker
process holds it twice, and its peak memory keeps that moment. Here the table is read from
the model file straight into its ``array.array``; the arrays are the same, so is every
classification (``tests/worker/test_extract.py`` checks both).
"""

from __future__ import annotations

import lzma
import shutil
import tempfile
import zipfile
from array import array
from typing import IO, Any

import numpy as np

_CHUNK = 1 << 20
_TYPECODES = {2: "H", 4: "I", 8: "L"}


def _read_table(member: IO[bytes]) -> array[int]:
    """Read one unsigned integer ``.npy`` member into an ``array.array``, chunk by chunk."""
    version = np.lib.format.read_magic(member)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(member)
    else:
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(member)
    if dtype.kind != "u" or dtype.byteorder == ">" or (fortran and len(shape) > 1):
        raise ValueError(f"unexpected table layout: {dtype}, {shape}")
    count = int(np.prod(shape))
    out = array(_TYPECODES[dtype.itemsize], [0]) * count
    view = memoryview(out).cast("B")
    position = 0
    while position < len(view):
        chunk = member.read(min(_CHUNK, len(view) - position))
        if not chunk:
            raise ValueError("truncated table")
        view[position : position + len(chunk)] = chunk
        position += len(chunk)
    return out


def load_identifier(*, norm_probs: bool = True) -> Any:
    """Return ``LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=...)``, built frugally."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    with tempfile.TemporaryFile(suffix=".npz") as tmp:
        # Decompressed to a file, as py3langid does, so the whole npz is never in memory.
        with lzma.open(MODEL_DIR / MODEL_FILE) as source:
            shutil.copyfileobj(source, tmp, length=_CHUNK)
        tmp.seek(0)
        with zipfile.ZipFile(tmp) as archive:
            with archive.open("nextmove.npy") as member:
                nextmove = _read_table(member)
            with archive.open("nextmove_row.npy") as member:
                row = _read_table(member)
        tmp.seek(0)
        with np.load(tmp, allow_pickle=False) as data:
            ptc, pc = data["ptc"], data["pc"]
            classes = data["classes"].tolist()
            output = data["out_feat"].tolist()
    return LanguageIdentifier(
        np.asarray(ptc), np.asarray(pc), classes, nextmove, output, norm_probs, tk_row=row
    )
