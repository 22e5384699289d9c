"""The parts of sumy the summary uses, imported in one place.

sumy's English stemmer is NLTK's, and importing NLTK imports ``scipy.stats`` for one
statistical test (``nltk.metrics.association``) that nothing here runs: about 70 MB in every
worker process and seconds of start-up. NLTK does without it when it is missing, so it is
hidden while sumy and NLTK load; afterwards ``scipy.stats`` imports as usual.
"""

from __future__ import annotations

import sys

_HIDDEN = "scipy.stats"

_hide = _HIDDEN not in sys.modules
if _hide:
    sys.modules[_HIDDEN] = None  # type: ignore[assignment]  # makes its import fail
try:
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words
finally:
    if _hide and sys.modules.get(_HIDDEN, ...) is None:
        del sys.modules[_HIDDEN]

__all__ = ["Stemmer", "TextRankSummarizer", "get_stop_words"]
