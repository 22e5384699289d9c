"""The one-line summary of an ingest run."""

from worker.pipeline import IngestReport


def test_summary_counts_each_kind() -> None:
    report = IngestReport(stored=[1, 2], duplicates=[3], already=[], problems=["a", "b"])
    assert report.summary() == "2 stored, 1 duplicate, 0 already in the corpus, 2 problems"


def test_summary_uses_the_singular_for_one_problem() -> None:
    report = IngestReport(problems=["x.txt: empty"], duplicates=[4, 5])
    assert report.summary() == "0 stored, 2 duplicates, 0 already in the corpus, 1 problem"
