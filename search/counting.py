"""Which documents match, their facet counts and their ranking, as array operations.

Whoosh answers a query by walking every matching posting in Python, scoring each document
(~18,000 of them for a common word, ~100 ms here). A page of results needs the top 20, and
the total and the facet counts need only the set of matches. So here each leaf of the query
tree (a term, a phrase, a filter) is read once per searcher into a sorted numpy array of
document numbers (with the term's weights), kept in a small LRU; sets are combined with
numpy's set operations, facets counted with bincount, and the top of the ranking taken from
a BM25F score computed for all matches at once (search.ranking). Everything is per searcher,
so a changed index starts afresh.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length

from search.segments import length_bytes

FACETS = ("column", "source", "year", "month")
LEAF_CACHE = 512  # term/phrase/filter document arrays (a common word: ~18,000 int32)
RESULT_CACHE = 128  # (query, filters) → (documents, facet counts)
MEMO_CACHE = 4096  # other per-searcher answers, e.g. an article's related articles (ids)
DOCS = np.int32
# The jieba words field holding the same text as a bigrams field (see search.search_indexes).
WORDS_FIELD_OF = {"bigrams": "text", "title_bigrams": "title"}
EMPTY = np.zeros(0, dtype=DOCS)
# Whoosh stores a field's length per document as one byte; this decodes all 256 at once.
_BYTE_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


class _LRU:
    """A small thread-safe LRU; a value is computed outside the lock (twice at worst)."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def lookup(self, key: Hashable, compute):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


@dataclass(frozen=True)
class Postings:
    """A term's live documents (sorted), their weights (term frequency × field boost), and
    where each of its posting blocks starts (to read one document's positions directly)."""

    docs: np.ndarray
    weights: np.ndarray
    blocks: tuple[_Blocks, ...] = ()


@dataclass(frozen=True)
class _Blocks:
    """One segment's blocks of a posting list: first document number of each block (global)
    and the block's place in the segment's postings file."""

    segment: object
    first_docs: np.ndarray
    places: tuple[int, ...]


def intersect(sets: list[np.ndarray], size: int) -> np.ndarray:
    """The documents in every one of these sorted arrays (a mask per step: O(size), in C)."""
    sets = sorted(sets, key=len)
    found = sets[0]
    for other in sets[1:]:
        if not len(found):
            break
        mask = np.zeros(size, dtype=bool)
        mask[other] = True
        found = found[mask[found]]
    return found


def union(sets: list[np.ndarray], size: int) -> np.ndarray:
    sets = [s for s in sets if len(s)]
    if len(sets) < 2:
        return sets[0] if sets else EMPTY
    mask = np.zeros(size, dtype=bool)
    for docs in sets:
        mask[docs] = True
    return np.flatnonzero(mask).astype(DOCS)


def minus(docs: np.ndarray, gone: np.ndarray, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    mask[gone] = True
    return docs[~mask[docs]]


class MatchCounter:
    """Matching documents, facet counts and per-document columns for one searcher."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.size = self.reader.doc_count_all()
        self._postings = _LRU(LEAF_CACHE)
        self._leaves = _LRU(LEAF_CACHE)
        self._results = _LRU(RESULT_CACHE)
        self._memo = _LRU(MEMO_CACHE)
        self._columns = _LRU(32)

    def matches(self, query: wq.Query, filter_query: wq.Query | None):
        """(sorted array of matching docnums, {facet: [(value, n)]}) for query within filter."""
        return self._results.lookup((query, filter_query), lambda: self._count(query, filter_query))

    def remember(self, key: Hashable, compute):
        """compute(), kept until the index changes (small answers only: ids, not objects)."""
        return self._memo.lookup(key, compute)

    def _count(self, query, filter_query):
        docs = self.docs(query)
        if filter_query is not None:
            docs = intersect([docs, self.docs(filter_query)], self.size)
        docs.flags.writeable = False  # shared through the cache
        return docs, {name: self._facet(name, docs) for name in FACETS}

    # -- document sets ---------------------------------------------------------------------

    def docs(self, query: wq.Query) -> np.ndarray:
        """The documents a query matches, sorted (deleted ones excluded, as in Whoosh)."""
        if isinstance(query, wq.AndMaybe):  # the optional part only adds to the score
            return self._exact_docs(query.a, query.b)
        if isinstance(query, wq.AndNot):
            return minus(self.docs(query.a), self.docs(query.b), self.size)
        if isinstance(query, wq.And) and query.subqueries:
            return intersect([self.docs(sub) for sub in query.subqueries], self.size)
        if isinstance(query, wq.Or) and query.subqueries:
            return union([self.docs(sub) for sub in query.subqueries], self.size)
        if isinstance(query, wq.Term):
            return self.postings(query.fieldname, query.text).docs
        if isinstance(query, wq.Phrase):
            return self.phrase_docs(query)
        return self._leaves.lookup(query, lambda: self._whoosh_docs(query))

    def _whoosh_docs(self, query: wq.Query) -> np.ndarray:
        found = np.fromiter(self.searcher.docs_for_query(query), dtype=DOCS)
        found.sort()
        return found

    def _exact_docs(self, exact: wq.Query, word: wq.Query) -> np.ndarray:
        """Documents matching the exact run of characters. search.query builds an AndMaybe
        only where the jieba word is that whole run, so a document holding the word in a
        field holds the run there: positions need checking only in the other documents."""
        phrases = exact.subqueries if isinstance(exact, wq.Or) else [exact]
        if not all(isinstance(p, wq.Phrase) for p in phrases):
            return self.docs(exact)
        words = word.subqueries if isinstance(word, wq.Or) else [word]
        known = {t.fieldname: t for t in words if isinstance(t, wq.Term)}

        def hint(phrase: wq.Phrase) -> np.ndarray:
            term = known.get(WORDS_FIELD_OF.get(phrase.fieldname))
            return EMPTY if term is None else self.docs(term)

        return union([self.phrase_docs(p, known=hint(p)) for p in phrases], self.size)

    def phrase_docs(self, phrase: wq.Phrase, *, known: np.ndarray = EMPTY) -> np.ndarray:
        """The documents holding this run of pairs at consecutive positions. `known`: some
        of them, found otherwise (they need no position check); the answer is the same."""
        return self._leaves.lookup(("phrase", phrase), lambda: self._verified(phrase, known))

    def _verified(self, phrase: wq.Phrase, known: np.ndarray) -> np.ndarray:
        pairs = phrase.words
        needed = sorted(set(range(0, len(pairs), 2)) | {len(pairs) - 1})
        sets = [self.postings(phrase.fieldname, pair).docs for pair in pairs]
        candidates = minus(intersect(sets, self.size), known, self.size)
        found: list[int] = []
        blocks_read: dict = {}
        for doc in candidates.tolist():
            starts = None
            for offset in needed:
                here = self.positions(phrase.fieldname, pairs[offset], doc, blocks_read)
                here = {pos - offset for pos in here}
                starts = here if starts is None else starts & here
                if not starts:
                    break
            if starts:
                found.append(doc)
        return union([known, np.array(found, dtype=DOCS)], self.size)

    # -- postings, read a block at a time --------------------------------------------------

    def postings(self, field: str, text: str) -> Postings:
        return self._postings.lookup((field, text), lambda: self._read_postings(field, text))

    def _read_postings(self, field: str, text: str) -> Postings:
        docs: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        blocks: list[_Blocks] = []
        for segment, offset in self.reader.leaf_readers():
            if (field, text) not in segment:
                continue
            ids, ws, firsts, places = _leaf_postings(segment.postings(field, text))
            docs.append(ids + offset)
            weights.append(ws)
            blocks.append(_Blocks(segment, firsts + offset, places))
        if not docs:
            return Postings(EMPTY, np.zeros(0))
        found, found_weights = np.concatenate(docs).astype(DOCS), np.concatenate(weights)
        live = self.live[found]
        return Postings(found[live], found_weights[live], tuple(blocks))

    def positions(self, field: str, text: str, doc: int, blocks_read: dict) -> list[int]:
        """The positions of a term in one document (which holds it), reading only the block
        that holds the document; blocks_read keeps blocks already read during one task."""
        for blocks in reversed(self.postings(field, text).blocks):
            if doc >= blocks.first_docs[0]:
                break
        else:
            return []
        index = int(np.searchsorted(blocks.first_docs, doc, side="right")) - 1
        key = (field, text, id(blocks), index)
        if key not in blocks_read:
            matchers = blocks_read.setdefault("matchers", {})
            blocks_read[key] = _block_values(blocks, field, text, index, matchers)
        ids, values = blocks_read[key]
        at = int(np.searchsorted(ids, doc - blocks.first_docs[index] + ids[0]))
        if at >= len(ids) or values is None:
            return []
        return self.searcher.schema[field].format.decode_as("positions", values[at])

    @cached_property
    def live(self) -> np.ndarray:
        """True for every document number that is not deleted."""
        live = np.ones(self.size, dtype=bool)
        for segment, offset in self.reader.leaf_readers():
            if segment.has_deletions():
                gone = np.fromiter(segment.deleted_docs_set, dtype=np.int64)
                live[gone + offset] = False
        return live

    # -- per-document columns --------------------------------------------------------------

    def field_lengths(self, field: str) -> np.ndarray:
        """Every document's length in a field (in tokens, as Whoosh's scorer sees it)."""
        return self._columns.lookup(("length", field), lambda: self._read_lengths(field))

    def _read_lengths(self, field: str) -> np.ndarray:
        lengths = np.zeros(self.size, dtype=np.uint8)
        for segment, offset in self.reader.leaf_readers():
            size = segment.doc_count_all()
            lengths[offset : offset + size] = length_bytes(segment._perdoc, field, size)
        return _BYTE_LENGTHS[lengths]

    def column(self, name: str, *, translate: bool = True) -> list:
        """A column's value for every document number (None where a segment lacks it);
        translate=False: Whoosh's stored form (for a date, its sortable integer)."""
        key = ("values", name, translate)
        return self._columns.lookup(key, lambda: self._read_column(name, translate))

    def _read_column(self, name: str, translate: bool) -> list:
        values: list = []
        for segment, offset in self.reader.leaf_readers():
            size = segment.doc_count_all()
            column = []
            if segment.has_column(name):
                column = list(segment.column_reader(name, translate=translate))
            values[offset:] = (column + [None] * size)[:size]
        return values

    def codes(self, name: str) -> tuple[np.ndarray, list]:
        """A column as integer codes (-1: no value) and the distinct values they stand for."""

        def compute():
            labels: dict = {}
            codes = np.fromiter(
                (
                    -1 if v in (None, "", b"") else labels.setdefault(v, len(labels))
                    for v in self.column(name)
                ),
                dtype=np.int64,
                count=self.size,
            )
            return codes, list(labels)

        return self._columns.lookup(("codes", name), compute)

    def _facet(self, name: str, docs: np.ndarray) -> list[tuple[str, int]]:
        codes, labels = self.codes(name)
        picked = codes[docs]
        counts = np.bincount(picked[picked >= 0], minlength=len(labels))
        pairs = [(str(labels[i]), int(n)) for i, n in enumerate(counts) if n]
        if name in ("year", "month"):
            return sorted(pairs, reverse=True)
        return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))


def _leaf_postings(matcher) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[int, ...]]:
    """A segment's posting list for one term, deleted documents included (the caller drops
    them): ids, weights, each block's first id and place in the file. Whoosh-ng's block
    matcher is read a whole block at a time (its pickled ids and weights arrays); any other
    (an inlined single posting) goes through the matcher interface."""
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if not isinstance(matcher, W3LeafMatcher):
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        return (
            np.array(ids, dtype=np.int64),
            np.array(weights, dtype=np.float64),
            np.array(ids[:1], dtype=np.int64),
            (-1,),
        )
    deltas: list[int] = []
    weights: list[float] = []
    starts, places = [], []
    place = matcher._baseoffset
    while matcher.is_active():
        places.append(place)
        starts.append(len(deltas))
        matcher._read_data()  # (id deltas, weights, values); see _block_arrays
        block_deltas, block_weights = matcher._data[0], matcher._data[1]
        deltas.extend(block_deltas)
        if block_weights is None or isinstance(block_weights, float):
            weights.extend([block_weights or 1.0] * len(block_deltas))
        else:
            weights.extend(block_weights)
        place = matcher._nextoffset
        matcher._next_block()
    # Each block's deltas restart from 0: one running sum, less the total before the block.
    running = np.cumsum(np.array(deltas, dtype=np.int64))
    first = np.array(starts)
    before = np.concatenate(([0], running[first[1:] - 1]))
    ids = running - np.repeat(before, np.diff(np.append(first, len(deltas))))
    return ids, np.array(weights, dtype=np.float64), ids[first], tuple(places)


def _block_arrays(matcher: W3LeafMatcher) -> tuple[np.ndarray, np.ndarray]:
    """The current block's ids and weights (whoosh3 stores deltas of ids; weights as an
    array, or one float for all, or None for all 1.0)."""
    matcher._read_data()  # (id deltas, weights, values)
    deltas, block_weights = matcher._data[0], matcher._data[1]
    ids = np.cumsum(np.asarray(deltas, dtype=np.int64))
    if block_weights is None:
        return ids, np.ones(len(ids))
    if isinstance(block_weights, float):
        return ids, np.full(len(ids), block_weights)
    return ids, np.asarray(block_weights, dtype=np.float64)


def _block_values(blocks: _Blocks, field: str, text: str, index: int, matchers: dict):
    """(ids relative to the segment, encoded values) of one block of a posting list;
    `matchers` keeps one matcher per posting list for the blocks read during one task."""
    key = (id(blocks), field, text)
    if key not in matchers:
        matcher = blocks.segment.postings(field, text)
        matchers[key] = matcher.child if isinstance(matcher, FilterMatcher) else matcher
    matcher = matchers[key]
    if not isinstance(matcher, W3LeafMatcher):  # e.g. inlined postings: one "block" of all
        ids, values = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            values.append(matcher.value())
            matcher.next()
        return np.array(ids), values
    matcher._goto(blocks.places[index])
    ids, _ = _block_arrays(matcher)
    return ids, matcher._data[2]
