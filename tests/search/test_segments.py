"""search.segments writes the very segment Whoosh's own SegmentWriter writes, only faster."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from haystack import connections
from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from ingest.reading import ReadOptions, parse_bytes
from search.segment_helper import HelperFailed
from search.segments import ArraySegmentWriter
from tests.conftest import FIXTURES

GENERATED = FIXTURES / "generated"


@pytest.fixture(scope="module")
def documents() -> list[dict]:
    """~250 real-looking articles as haystack prepares them (common characters and pairs
    occur in well over 128 of them, so their posting lists span several blocks)."""
    docs = []
    for path in sorted(GENERATED.iterdir()):
        if path.suffix not in (".txt", ".html"):
            continue
        try:
            parsed, _, _ = parse_bytes(path.read_bytes(), suffix=path.suffix, options=ReadOptions())
        except ValueError:
            continue  # the broken files
        n = len(docs)
        body = parsed.body_text
        docs.append(
            {
                "id": f"archive.article.{n}",
                "django_ct": "archive.article",
                "django_id": str(n),
                "text": body,
                "chars": body,
                "bigrams": body,
                "title": parsed.title,
                "title_chars": parsed.title,
                "title_bigrams": parsed.title,
                "column": parsed.column or None,
                "source": parsed.source or None,
                "published_at": (
                    parsed.published_at.astimezone(dt.UTC).replace(tzinfo=None)
                    if parsed.published_at
                    else None
                ),
                "year": str(parsed.published_at.year) if parsed.published_at else None,
            }
        )
    assert len(docs) > 200
    return docs


@pytest.fixture
def schema():
    backend = connections["default"].get_backend()
    backend.setup()
    return backend.schema


def _build(folder: Path, schema, writer_class, batches: list[list[dict]], **commit):
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), schema)
    for batch in batches:
        writer = writer_class(ix, compound=False)
        for doc in batch:
            writer.add_document(**{k: v for k, v in doc.items() if v is not None})
        writer.commit(merge=False)
    if commit:
        writer_class(ix, compound=False).commit(**commit)
    return ix


def _segment_files(folder: Path) -> dict[str, bytes]:
    """The postings and terms files of the index's one segment, by extension."""
    files = {}
    for path in folder.iterdir():
        if path.suffix in (".pst", ".trm"):
            assert path.suffix not in files, "one segment expected"
            files[path.suffix] = path.read_bytes()
    return files


def _postings(ix) -> dict[tuple[str, bytes], tuple]:
    """Every posting list of the index through Whoosh's reader: (ids, weights, values)."""
    found = {}
    with ix.reader() as reader:
        for fieldname, text in reader.all_terms():
            matcher = reader.postings(fieldname, text)
            ids, weights, values = [], [], []
            while matcher.is_active():
                ids.append(matcher.id())
                weights.append(matcher.weight())
                values.append(matcher.value())
                matcher.next()
            found[(fieldname, text)] = (ids, weights, values)
    return found


def test_the_segment_is_byte_for_byte_whooshs_own(tmp_path, schema, documents):
    stock = _build(tmp_path / "stock", schema, SegmentWriter, [documents])
    ours = _build(tmp_path / "ours", schema, ArraySegmentWriter, [documents])
    stock_files, our_files = _segment_files(tmp_path / "stock"), _segment_files(tmp_path / "ours")
    assert set(our_files) == {".pst", ".trm"}
    assert our_files[".pst"] == stock_files[".pst"]
    assert our_files[".trm"] == stock_files[".trm"]
    postings = _postings(ours)
    assert max(len(ids) for ids, _, _ in postings.values()) > 2 * 128  # several blocks
    assert postings == _postings(stock)


def test_merging_segments_through_the_array_pool_keeps_every_posting(tmp_path, schema, documents):
    """An optimize (or Whoosh's small-segment merge) re-adds old postings one by one."""
    batches = [documents[:100], documents[100:180], documents[180:]]
    stock = _build(tmp_path / "stock", schema, SegmentWriter, batches, optimize=True)
    ours = _build(tmp_path / "ours", schema, ArraySegmentWriter, batches, optimize=True)
    assert _segment_files(tmp_path / "ours") == _segment_files(tmp_path / "stock")
    assert _postings(ours) == _postings(stock)
    with ours.searcher() as searcher:
        assert searcher.doc_count() == len(documents)


def _field_lengths(ix) -> dict[str, list[int]]:
    with ix.reader() as reader:
        names = [n for n in ix.schema.names() if ix.schema[n].scorable]
        return {
            name: [reader.doc_field_length(d, name) for d in range(reader.doc_count_all())]
            for name in names
        }


def test_a_helper_process_writes_the_pairs_into_the_same_single_segment(
    tmp_path, schema, documents
):
    stock = _build(tmp_path / "stock", schema, SegmentWriter, [documents])
    (tmp_path / "ours").mkdir()
    ours = whoosh_index.create_in(str(tmp_path / "ours"), schema)
    writer = ArraySegmentWriter(ours, helper_fields=("bigrams",))
    for start in range(0, len(documents), 60):  # batches, as the queue drain sends them
        writer.add_documents(
            [{k: v for k, v in doc.items() if v is not None} for doc in documents[start:][:60]]
        )
    writer.commit()
    assert len(ours.reader().leaf_readers()) == 1
    assert _postings(ours) == _postings(stock)
    assert _field_lengths(ours) == _field_lengths(stock)
    with ours.searcher() as searcher:
        assert searcher.doc_count() == len(documents)
        assert searcher.avg_field_length("bigrams") == pytest.approx(
            stock.searcher().avg_field_length("bigrams")
        )


def test_when_the_helper_process_dies_the_commit_fails_and_the_index_stays_as_it_was(
    tmp_path, schema, documents
):
    ix = _build(tmp_path / "ix", schema, ArraySegmentWriter, [documents[:50]])
    writer = ArraySegmentWriter(ix, helper_fields=("bigrams",))
    writer.add_documents([{k: v for k, v in d.items() if v is not None} for d in documents[50:]])
    writer._helper._process.kill()  # as the kernel's OOM killer would
    with pytest.raises(HelperFailed):
        writer.commit()
    writer.cancel()  # as the queue drain does after any failed commit: no second error
    with ix.refresh().searcher() as searcher:
        assert searcher.doc_count() == 50
    # the lock is free again: the next writer commits normally
    again = ArraySegmentWriter(ix.refresh())
    again.add_document(**{k: v for k, v in documents[60].items() if v is not None})
    again.commit()
    assert ix.refresh().doc_count() == 51


def test_a_helper_that_got_only_deletes_is_stopped_with_the_commit(tmp_path, schema, documents):
    ix = _build(tmp_path / "ix", schema, ArraySegmentWriter, [documents[:20]])
    writer = ArraySegmentWriter(ix, helper_fields=("bigrams",))
    writer.add_documents([])
    helper_process = writer._helper._process
    writer.delete_by_term("id", documents[0]["id"])
    writer.commit()
    helper_process.join(timeout=30)
    assert not helper_process.is_alive()
    assert ix.refresh().doc_count() == 19


def test_small_segments_are_merged_and_big_ones_left_alone(tmp_path, schema, documents):
    """Single saves leave one-article segments; a few of them fold into the next commit,
    while a big segment (a whole ingest) is never rewritten by an editor's save."""
    clean = [{k: v for k, v in d.items() if v is not None} for d in documents]
    ix = _build(tmp_path / "ix", schema, ArraySegmentWriter, [clean[:150]])
    for doc in clean[150:155]:
        writer = ArraySegmentWriter(ix.refresh())
        writer.add_document(**doc)
        writer.commit()
    sizes = sorted(s.doc_count_all() for s in ix.refresh()._segments())
    assert sizes == [1, 1, 1, 1, 1, 150]  # each commit saw fewer than five small ones
    writer = ArraySegmentWriter(ix.refresh())
    writer.add_document(**clean[155])
    writer.commit()
    # the five small ones and the new article make one segment; the big one is untouched
    assert sorted(s.doc_count_all() for s in ix.refresh()._segments()) == [6, 150]
    with ix.refresh().searcher() as searcher:
        assert searcher.doc_count() == 156
        assert len(list(searcher.documents(django_id=clean[152]["django_id"]))) == 1
