"""Write Whoosh segments with postings kept in arrays, a term and a block at a time.

Whoosh's SegmentWriter sends each posting (~1,800 per article here: jieba words, characters,
character pairs with positions) one by one through a Python sorting pool, an external merge
sort on disk and a per-posting block writer: ~12 µs a posting, ~40 articles/s for the
archive (bench/search_build). `ArraySegmentWriter` keeps everything else of Whoosh's writer
(per-document files, deletes, merges, the commit and its lock) and the segment format, but
collects postings into per-field arrays and writes each term's posting list from them with
numpy: the same bytes as Whoosh writes (tests/search/test_segments.py compares them).
"""

from __future__ import annotations

import itertools
from array import array
from collections import defaultdict

import numpy as np
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    _lenfield,
)
from whoosh.system import emptybytes, pack_ushort
from whoosh.writing import NO_MERGE, SegmentWriter

from search.posting_lists import write_field
from search.segment_helper import FieldHelper

SMALL_SEGMENT_DOCS = 100  # a segment this small is merged into the next commit's segment
SMALL_SEGMENTS_TO_MERGE = 5


def merge_small_segments(writer, segments):
    """Merge policy: fold the little segments that single saves leave (one article each)
    into the new segment once there are a few of them, and never touch big ones.

    Whoosh's MERGE_SMALL would, once there are ~20 segments, merge the whole index inside
    whatever commit comes next (an editor's save), a posting at a time: minutes for
    20,000 articles. rebuild_index writes the index afresh in one or two segments."""
    from whoosh.reading import SegmentReader

    small = [s for s in segments if s.doc_count_all() < SMALL_SEGMENT_DOCS]
    if len(small) < SMALL_SEGMENTS_TO_MERGE:
        return segments
    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s not in small]


def length_bytes(perdoc, fieldname: str, size: int) -> np.ndarray:
    """Every document's length byte in a field (Whoosh's quantised length; 0: none), read
    straight from the per-document column (one byte per document)."""
    lengths = np.zeros(size, dtype=np.uint8)
    column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is not None:
        raw = column._dbfile.get(column._basepos, column._count * column._fixedlen)
        values = np.frombuffer(raw, dtype=np.uint8)[:size]
        lengths[: len(values)] = values
    return lengths


class _FieldPostings:
    """One field's postings in arrival order: term number, document, weight, value bytes."""

    def __init__(self, value_size: int | None, text_terms: bool):
        self.value_size = value_size  # Whoosh format's fixed value size; None: variable
        # Our fields give terms as str (hashed already by the analyser's Counter: a cheaper
        # lookup); they are encoded once per distinct term when the segment is written.
        self.text_terms = text_terms
        self.term_numbers: defaultdict = defaultdict(itertools.count().__next__)
        self.terms = array("i")
        self.docs = array("I")
        self.weights = array("f")  # Whoosh keeps a block's weights as float32 too
        self.blob = bytearray()  # values, concatenated
        self.starts = array("q")  # where each value starts in blob (variable size only)

    def add(self, terms: list, docnum: int, weights, values) -> None:
        self.terms.extend(map(self.term_numbers.__getitem__, terms))
        self.docs.extend(itertools.repeat(docnum, len(terms)))
        self.weights.extend(weights)
        if self.value_size == 0:
            return
        if isinstance(values, bytes):  # fixed size, already joined
            self.blob += values
            return
        if self.value_size is None:
            lengths = itertools.accumulate(map(len, values), initial=len(self.blob))
            self.starts.extend(itertools.islice(lengths, len(values)))
        self.blob += emptybytes.join(values)

    def term_bytes(self) -> list[bytes]:
        """The distinct terms in order of their numbers, as bytes."""
        terms = sorted(self.term_numbers, key=self.term_numbers.__getitem__)
        return [t.encode("utf-8") for t in terms] if self.text_terms else terms


class ArrayPostingPool:
    """Stands in for Whoosh's PostingPool: the postings of the segment being written."""

    def __init__(self, schema):
        self.schema = schema
        self.fields: dict[str, _FieldPostings] = {}

    @property
    def fieldnames(self) -> set[str]:
        return set(self.fields)

    def field(self, fieldname: str) -> _FieldPostings:
        found = self.fields.get(fieldname)
        if found is None:
            field = self.schema[fieldname]
            size = field.format.fixed_value_size()
            found = _FieldPostings(size, text_terms=hasattr(field, "index_arrays"))
            self.fields[fieldname] = found
        return found

    def add(self, item) -> None:
        """One posting, as Whoosh's writer sends them when it merges segments."""
        fieldname, tbytes, docnum, weight, vbytes = item
        postings = self.field(fieldname)
        term = tbytes.decode("utf-8") if postings.text_terms else tbytes
        postings.add([term], docnum, [weight], [vbytes or emptybytes])

    def cleanup(self) -> None:
        self.fields.clear()


def field_postings(field, value, boost: float = 1.0):
    """(terms, frequencies, weights, values) a field indexes for a value: our fields'
    index_arrays() (whole lists, no tuple per term), else Whoosh's field.index()."""
    if hasattr(field, "index_arrays"):
        terms, freqs, weights, values = field.index_arrays(value)
    else:
        items = list(field.index(value))
        terms = [item[0] for item in items]
        freqs = [item[1] for item in items]
        weights = [item[2] for item in items]
        values = [item[3] or emptybytes for item in items]
    if boost != 1.0:
        weights = [w * boost for w in weights]
    return terms, freqs, weights, values


class ArraySegmentWriter(SegmentWriter):
    """Whoosh's SegmentWriter with the postings path replaced (see the module docstring).

    helper_fields: fields (with index_length(), e.g. the character pairs: half of all the
    work) whose postings a second process builds and writes while this one does the rest
    (search.segment_helper). The segment is one segment either way.
    """

    def __init__(self, ix, *, helper_fields: tuple[str, ...] = (), **kwargs):
        super().__init__(ix, **kwargs)
        self.pool = ArrayPostingPool(self.schema)
        self._helper_fields = tuple(helper_fields)
        self._helper = None

    def add_documents(self, docs: list[dict]) -> None:
        """Add a batch of documents (in order: the helper numbers them as this writer does)."""
        if self._helper_fields:
            if self._helper is None:
                self._helper = FieldHelper(
                    self.storage.folder, self.indexname, self._helper_fields, self.codec
                )
            self._helper.add([[doc.get(name) for name in self._helper_fields] for doc in docs])
        for doc in docs:
            self._add(doc, deferred=self._helper_fields)

    def add_document(self, **fields):
        if self._helper is not None:  # the helper would miss it: its numbering would slip
            raise RuntimeError("add_documents() only, once a helper process is working")
        self._add(fields, deferred=())

    def _add(self, fields: dict, *, deferred: tuple[str, ...]) -> None:
        """One document; the postings of `deferred` fields are the helper's to write."""
        self._check_state()
        schema, perdoc, docnum = self.schema, self.perdocwriter, self.docnum
        docboost = self._doc_boost(fields)
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields.get(name)
                if value is None:
                    continue
                field = schema[name]
                if field.separate_spelling() or field.vector:
                    raise NotImplementedError(f"{name}: spelling and vector fields")
                length = 0
                if field.indexed and name in deferred:
                    length = field.index_length(value)
                elif field.indexed:
                    boost = self._field_boost(fields, name, docboost)
                    terms, freqs, weights, values = field_postings(field, value, boost)
                    if terms:
                        self.pool.field(name).add(terms, docnum, weights, values)
                    length = sum(freqs) if field.scorable else 0
                custom = fields.get(f"_stored_{name}", value)
                perdoc.add_field(name, field, custom if field.stored else None, length)
                if field.column_type and custom is not None:
                    column_value = field.to_column_value(custom)
                    perdoc.add_column_value(name, field.column_type, column_value)
        except ValueError:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def commit(self, mergetype=None, **kwargs):
        if self._helper is not None:
            # A merge would add old postings of the helper's fields here too: a big write
            # with a helper leaves the small segments for the next commit to merge.
            mergetype = NO_MERGE
        elif mergetype is None and not kwargs.get("optimize") and kwargs.get("merge", True):
            mergetype = merge_small_segments
        try:
            super().commit(mergetype=mergetype, **kwargs)
        except BaseException:
            self.cancel()  # and release Whoosh's lock: this writer is done either way
            raise
        self._stop_helper()  # still here if no document was added: nothing for it to write

    def cancel(self):
        """Give up the writer (and its helper); a writer already closed stays as it is."""
        self._stop_helper()
        if not self.is_closed:
            super().cancel()

    def _stop_helper(self) -> None:
        if self._helper is not None:
            self._helper.cancel()
            self._helper = None

    def _flush_segment(self):
        helper, self._helper = self._helper, None
        if helper is not None:
            helper.start_finishing()  # it writes its fields while this process writes the rest
        try:
            self._write_postings(helper)
        except BaseException:
            if helper is not None:
                helper.cancel()
            raise
        self.fieldwriter.close()

    def _write_postings(self, helper) -> None:
        self.perdocwriter.close()
        perdoc = self.per_document_reader()
        fieldwriter = self.fieldwriter
        try:
            for name in sorted(self.pool.fields):
                lengths = length_bytes(perdoc, name, self.docnum)
                fieldwriter.start_field(name, self.schema[name])
                add_term = _term_adder(fieldwriter)
                postings = self.pool.fields[name]
                write_field(fieldwriter._postfile, add_term, postings, lengths, fieldwriter._codec)
                fieldwriter.finish_field()
        finally:
            perdoc.close()
        if helper is not None:
            fields = helper.finish()
            try:
                for name, written in sorted(fields.items()):
                    fieldwriter.start_field(name, self.schema[name])
                    written.append_to(fieldwriter._postfile, _term_adder(fieldwriter))
                    fieldwriter.finish_field()
            finally:
                for written in fields.values():  # the helper's files, whatever happened
                    written.discard()


def _term_adder(fieldwriter):
    """add(term bytes, term info bytes) into the segment's terms table for the open field."""
    prefix, table = pack_ushort(fieldwriter._fieldid), fieldwriter._tindex
    return lambda text, info: table.add(prefix + text, info)
