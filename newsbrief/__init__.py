"""The ``newsbrief`` command: the composition root wiring corpus, worker and bot together."""
