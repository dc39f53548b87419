"""The order of the matches: BM25F relevance, as Whoosh scores it, or date.

Whoosh's collector scores one document at a time in Python, and its block-skipping cannot
apply to our queries (phrases and AndMaybe have no block quality), so a common word cost
~100 ms for its top 20. Here the same BM25F formula (Whoosh's, with its B, K1, idf and
quantised field lengths) is computed for every document at once with numpy, over the postings
search.counting keeps, and combined the way Whoosh's matchers combine scores: Or and And add
their parts (And only where all match), AndMaybe adds its optional part where the required
one matches, AndNot keeps the positive part, and a query's boost multiplies. Single terms
score exactly as Whoosh scores them (tests/search/test_ranking.py).
"""

from __future__ import annotations

import numpy as np
from whoosh import query as wq
from whoosh.scoring import BM25F

from search.counting import MatchCounter

_MODEL = BM25F()  # Whoosh's default weighting, haystack's too
MISSING_DATE = np.iinfo(np.int64).min


def relevance(counter: MatchCounter, query: wq.Query) -> np.ndarray:
    """Every document's score for query (0 where it does not match)."""
    return _score(counter, query)


def top(counter: MatchCounter, query: wq.Query, docs: np.ndarray, *, sort: str, limit: int):
    """The first `limit` of docs in the reader's order: relevance (ties: lower document
    number first, as Whoosh), newest or oldest first (undated articles last either way)."""
    if not len(docs):
        return []
    if sort == "relevance":
        order = np.lexsort((docs, -relevance(counter, query)[docs]))
    else:
        dates = dates_of(counter)[docs]
        dated = dates != MISSING_DATE
        if sort == "newest":  # exactly the reverse of oldest among dated articles
            order = np.lexsort((-docs.astype(np.int64), -dates, ~dated))
        else:
            order = np.lexsort((docs, dates, ~dated))
    return [int(d) for d in docs[order[:limit]]]


def dates_of(counter: MatchCounter) -> np.ndarray:
    """Every document's published_at as Whoosh's sortable integer (MISSING_DATE if none)."""

    def compute():
        # Whoosh writes an empty date as the column's default, the largest unsigned 64-bit
        # integer; real dates (microseconds since year 1) are far below 2**63.
        raw = counter.column("published_at", translate=False)
        return np.fromiter(
            (MISSING_DATE if v is None or v >= 2**63 else v for v in raw),
            dtype=np.int64,
            count=counter.size,
        )

    return counter.remember(("dates",), compute)


def _score(counter: MatchCounter, query: wq.Query) -> np.ndarray:
    boost = getattr(query, "boost", 1.0)
    if isinstance(query, wq.Term):
        scores = _term(counter, query.fieldname, query.text)
    elif isinstance(query, wq.Phrase):
        scores = _phrase(counter, query)
    elif isinstance(query, wq.AndMaybe):
        scores = _score(counter, query.a)
        scores += np.where(_mask(counter, query), _score(counter, query.b), 0.0)
    elif isinstance(query, wq.AndNot):
        scores = np.where(_mask(counter, query), _score(counter, query.a), 0.0)
    elif isinstance(query, wq.Or) and query.subqueries:
        scores = np.sum([_score(counter, sub) for sub in query.subqueries], axis=0)
    elif isinstance(query, wq.And) and query.subqueries:
        total = np.sum([_score(counter, sub) for sub in query.subqueries], axis=0)
        scores = np.where(_mask(counter, query), total, 0.0)
    else:  # e.g. a filter: matches, adds nothing to the order
        scores = _mask(counter, query).astype(np.float64)
    return scores * boost if boost != 1.0 else scores


def _mask(counter: MatchCounter, query: wq.Query) -> np.ndarray:
    mask = np.zeros(counter.size, dtype=bool)
    mask[counter.docs(query)] = True
    return mask


def _bm25(counter: MatchCounter, field: str, idf: float, docs, weights) -> np.ndarray:
    lengths = counter.field_lengths(field)[docs]
    lengths[lengths == 0] = 1  # Whoosh's doc_field_length(default=1)
    avg = counter.searcher.avg_field_length(field) or 1
    b, k1 = _MODEL.B, _MODEL.K1
    scores = np.zeros(counter.size)
    scores[docs] = idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / avg)))
    return scores


def _term(counter: MatchCounter, field: str, text: str) -> np.ndarray:
    postings = counter.postings(field, text)
    if not len(postings.docs):
        return np.zeros(counter.size)
    idf = counter.searcher.idf(field, text)
    return _bm25(counter, field, idf, postings.docs, postings.weights)


def _phrase(counter: MatchCounter, phrase: wq.Phrase) -> np.ndarray:
    """A run of pairs, scored as one term whose frequency is that of its rarest pair in the
    document (an upper bound on the run's count: exact counts would need every position)."""
    docs = counter.phrase_docs(phrase)
    if not len(docs):
        return np.zeros(counter.size)
    weights = np.min(
        [_weights_at(counter.postings(phrase.fieldname, pair), docs) for pair in phrase.words],
        axis=0,
    )
    idf = np.log(counter.size / (len(docs) + 1)) + 1
    return _bm25(counter, phrase.fieldname, idf, docs, weights)


def _weights_at(postings, docs: np.ndarray) -> np.ndarray:
    """The postings' weights at these documents (each of which the postings hold)."""
    return postings.weights[np.searchsorted(postings.docs, docs)]
