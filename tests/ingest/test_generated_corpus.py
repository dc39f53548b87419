"""The generated corpus (make_articles.py --count 300 --seed 7) against its ground truth."""

import json
import re
from pathlib import Path

import pytest

from archive.models import Article, IngestRun, RawDocument
from tests.conftest import FIXTURES

CORPUS = FIXTURES / "generated"
MANIFEST = [json.loads(line) for line in (CORPUS / "manifest.jsonl").open(encoding="utf-8")]
FIELDS = ("title", "published_at", "column", "source")
ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")  # ingest drops them, by design
USABLE = [m for m in MANIFEST if not m["broken"] and not m["duplicate_of"]]
BROKEN = [m for m in MANIFEST if m["broken"]]
REPOSTS = [m for m in MANIFEST if m["duplicate_of"]]


@pytest.fixture
def corpus_run(ingest) -> dict[str, dict]:
    records = ingest(CORPUS, no_index=True)
    return {Path(r["path"]).name: r for r in records}


def _expected(value):
    return ZERO_WIDTH.sub("", value) if isinstance(value, str) else value


def test_corpus_has_every_kind_of_file():
    assert len(USABLE) > 250 and BROKEN and REPOSTS
    assert {m["shape"] for m in USABLE} >= {"text_interview", "html_charset_lie", "text_gbk"}


def test_metadata_accuracy_is_at_least_98_percent_per_field(corpus_run):
    for name in FIELDS:
        shown = [m for m in USABLE if m[name] is not None]
        right = [m for m in shown if corpus_run[m["file"]][name] == _expected(m[name])]
        wrong = [(m["file"], corpus_run[m["file"]][name]) for m in shown if m not in right]
        assert len(right) / len(shown) >= 0.98, (name, len(right), len(shown), wrong)


def test_pages_without_title_or_date_are_flagged_not_invented(corpus_run):
    hidden = [m for m in USABLE if m["title"] is None]
    assert hidden
    for m in hidden:
        record = corpus_run[m["file"]]
        assert record["needs_review"]
        assert record["published_at"] is None
        assert any("标题" in r for r in record["review_reasons"])
        assert any("日期" in r for r in record["review_reasons"])


def test_every_broken_file_fails_with_a_readable_reason_and_leaves_no_article(corpus_run):
    for m in BROKEN:
        record = corpus_run[m["file"]]
        assert record["status"] == "failed", m
        assert record["article_id"] is None
        assert re.search(r"[\u4e00-\u9fff]{4,}", record["error"]), record["error"]
    broken_paths = {str((CORPUS / m["file"]).resolve()) for m in BROKEN}
    assert not RawDocument.objects.filter(path__in=broken_paths).exists()
    assert Article.objects.count() == len(USABLE)
    run = IngestRun.objects.get()
    assert run.failed == len(BROKEN)
    assert {p["path"] for p in run.problems if p["status"] == "failed"} == broken_paths


def test_every_repost_is_a_duplicate_linked_to_the_first(corpus_run):
    for m in REPOSTS:
        record = corpus_run[m["file"]]
        assert record["status"] == "duplicate"
        assert record["article_id"] == corpus_run[m["duplicate_of"]]["article_id"]
        raw = RawDocument.objects.get(path=record["path"])
        assert raw.status == RawDocument.Status.DUPLICATE
        assert raw.article_id == record["article_id"]


def test_ingesting_the_folder_again_changes_nothing(corpus_run, ingest):
    again = ingest(CORPUS, no_index=True)
    counts = {s: sum(1 for r in again if r["status"] == s) for s in {r["status"] for r in again}}
    assert counts == {"unchanged": len(USABLE) + len(REPOSTS), "failed": len(BROKEN), "skipped": 2}
    assert Article.objects.count() == len(USABLE)


def test_jsonl_lines_have_exactly_the_documented_fields(corpus_run):
    keys = {
        "path", "status", "article_id", "title", "published_at", "column", "source",
        "author", "needs_review", "review_reasons", "warnings", "error",
    }  # fmt: skip
    assert all(set(record) == keys for record in corpus_run.values())
    assert corpus_run["manifest.jsonl"]["status"] == "skipped"
    dated = [r["published_at"] for r in corpus_run.values() if r["published_at"]]
    assert all(value.endswith("+08:00") for value in dated)


def test_charset_lie_is_decoded_as_utf8_and_reported(corpus_run):
    lying = [m for m in USABLE if m["shape"] == "html_charset_lie"]
    for m in lying:
        record = corpus_run[m["file"]]
        assert record["title"] == _expected(m["title"])
        assert any("实际为 UTF-8" in w for w in record["warnings"])
    gbk = RawDocument.objects.get(path=str((CORPUS / _first("text_gbk")["file"]).resolve()))
    assert gbk.encoding == "gb18030"


def _first(shape: str) -> dict:
    return next(m for m in USABLE if m["shape"] == shape)


def test_dry_run_of_the_folder_predicts_the_statuses_and_writes_nothing(ingest):
    predicted = {Path(r["path"]).name: r["status"] for r in ingest(CORPUS, dry_run=True)}
    assert not Article.objects.exists() and not RawDocument.objects.exists()
    assert all(predicted[m["file"]] == "duplicate" for m in REPOSTS)
    assert all(predicted[m["file"]] == "failed" for m in BROKEN)
    assert all(predicted[m["file"]] == "new" for m in USABLE)
