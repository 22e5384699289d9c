"""Gets articles into the corpus: fetch, extract, clean, dedup, analyse; owns the Celery app."""
