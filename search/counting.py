"""Which documents match, and the facet counts, without scoring every match.

A page of results needs only the top 20 scored; the total and the facet counts need the set
of matching documents, not their scores. Whoosh computes both in one pass only by scoring
(and collecting facets for) every match: ~18,000 documents for a common word. Here the set is
computed with set operations over the query tree, each leaf (a term, a phrase, a filter)
read once per searcher and kept in a small LRU, as are the totals and facet counts per
(query, filters): paging and repeated words do not recount. Everything is per searcher, so
a changed index starts afresh.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Hashable

from whoosh import query as wq

FACETS = ("column", "source", "year", "month")
LEAF_CACHE = 256  # term/phrase/filter document sets (a common word: ~18,000 ints)
RESULT_CACHE = 128  # (query, filters) → (documents, facet counts)
MEMO_CACHE = 4096  # other per-searcher answers, e.g. an article's related articles (ids)


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


class MatchCounter:
    """Matching documents and facet counts for one searcher (one generation of the index)."""

    def __init__(self, searcher):
        self.searcher = searcher
        self._leaves = _LRU(LEAF_CACHE)
        self._results = _LRU(RESULT_CACHE)
        self._memo = _LRU(MEMO_CACHE)
        self._facet_values: dict[str, list] = {}

    def matches(self, query: wq.Query, filter_query: wq.Query | None):
        """(frozenset of matching docnums, {facet: [(value, n)]}) for query within filter."""
        return self._results.lookup((query, filter_query), lambda: self._count(query, filter_query))

    def remember(self, key: Hashable, compute):
        """compute(), kept until the index changes (small answers only: ids, not objects)."""
        return self._memo.lookup(key, compute)

    def _count(self, query, filter_query):
        docs = self.docs(query)
        if filter_query is not None:
            docs = docs & self.docs(filter_query)
        return frozenset(docs), {name: self._facet(name, docs) for name in FACETS}

    def docs(self, query: wq.Query) -> frozenset[int]:
        """The documents a query matches (deleted ones excluded, as Whoosh's matchers do)."""
        if isinstance(query, wq.AndMaybe):  # the optional part only adds to the score
            return self._exact_docs(query.a, query.b)
        if isinstance(query, wq.AndNot):
            return self.docs(query.a) - self.docs(query.b)
        if isinstance(query, wq.And) and query.subqueries:
            sets = sorted((self.docs(sub) for sub in query.subqueries), key=len)
            return frozenset.intersection(*sets)
        if isinstance(query, wq.Or) and query.subqueries:
            return frozenset().union(*(self.docs(sub) for sub in query.subqueries))
        return self._leaves.lookup(query, lambda: frozenset(self.searcher.docs_for_query(query)))

    def _exact_docs(self, exact: wq.Query, word: wq.Query) -> frozenset[int]:
        """Documents matching the exact run of characters. search.query builds an AndMaybe
        only where the jieba word is that whole run, so a document holding the word holds
        the run: positions need checking only in the other documents that hold every pair."""
        phrases = exact.subqueries if isinstance(exact, wq.Or) else [exact]
        if not all(isinstance(p, wq.Phrase) for p in phrases):
            return self.docs(exact)

        def compute():
            known = self.docs(word)
            return known | self._verified(phrases, known)

        return self._leaves.lookup(("exact", exact), compute)

    def _verified(self, phrases: list[wq.Phrase], known: frozenset[int]) -> frozenset[int]:
        reader = self.searcher.reader()
        found: set[int] = set()
        for phrase in phrases:
            pairs = phrase.words
            needed = sorted(set(range(0, len(pairs), 2)) | {len(pairs) - 1})
            sets = [self.docs(wq.Term(phrase.fieldname, pair)) for pair in pairs]
            candidates = sorted(frozenset.intersection(*sets) - known - found)
            if not candidates:
                continue
            matchers = [reader.postings(phrase.fieldname, pairs[i]) for i in needed]
            for doc in candidates:
                starts = None
                for offset, matcher in zip(needed, matchers, strict=True):
                    matcher.skip_to(doc)
                    here = {pos - offset for pos in matcher.value_as("positions")}
                    starts = here if starts is None else starts & here
                    if not starts:
                        break
                if starts:
                    found.add(doc)
        return frozenset(found)

    def _facet(self, name: str, docs) -> list[tuple[str, int]]:
        values = self._values(name)
        counts = Counter(values[d] for d in docs)
        pairs = [(str(k), n) for k, n in counts.items() if k not in (None, "", b"")]
        if name in ("year", "month"):
            return sorted(pairs, reverse=True)
        return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))

    def _values(self, name: str) -> list:
        """The facet's value for every document number, read once per searcher."""
        if name not in self._facet_values:  # a benign race: both threads compute the same
            values: list = []
            for reader, offset in self.searcher.reader().leaf_readers():
                size = reader.doc_count_all()
                column = list(reader.column_reader(name)) if reader.has_column(name) else []
                values[offset:] = (column + [None] * size)[:size]  # a segment may lack it
            self._facet_values[name] = values
        return self._facet_values[name]
