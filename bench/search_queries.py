"""200 queries of 1-3 common words through GET /api/search/ (with snippets and facets)
against the 20,000-article index, vs a plain PostgreSQL ILIKE '%词%' over the same rows.

    ./dev bench search_build      # once: loads the articles and builds the index
    ./dev bench search_queries [--queries 200]
Prints median/p95 for both, the ratio, and checks that for every single-word query our
result set contains every ILIKE hit.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from search_data import WORK, setup_django


def common_words(limit: int = 400) -> list[str]:
    """Frequent jieba words of the body text (2-4 Han characters), from the index itself."""
    from haystack import connections

    reader = connections["default"].get_backend().searcher().reader()
    counted = [
        (reader.doc_frequency("text", word), word)
        for word in reader.field_terms("text")
        if 2 <= len(word) <= 4 and all("\u4e00" <= ch <= "\u9fff" for ch in word)
    ]
    return [word for _, word in sorted(counted, reverse=True)[:limit]]


def make_queries(words: list[str], n: int) -> list[list[str]]:
    rng = random.Random(7)
    return [rng.sample(words, k=1 + i % 3) for i in range(n)]


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def run_ours(queries: list[list[str]]) -> list[float]:
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    times = []
    for words in queries:
        started = time.perf_counter()
        response = client.get("/api/search/", {"q": "".join(words)})
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return times


def run_ilike(queries: list[list[str]]) -> tuple[list[float], list[set[int]]]:
    from django.db import connection

    times, hits = [], []
    with connection.cursor() as cursor:
        for words in queries:
            where = " AND ".join(["(title ILIKE %s OR body_text ILIKE %s)"] * len(words))
            args = [f"%{w}%" for w in words for _ in (0, 1)]
            started = time.perf_counter()
            cursor.execute(f"SELECT id FROM archive_article WHERE {where}", args)
            ids = {row[0] for row in cursor.fetchall()}
            times.append((time.perf_counter() - started) * 1000)
            hits.append(ids)
    return times, hits


def our_ids(word: str) -> set[int]:
    from haystack import connections

    from search.query import parse_query

    searcher = connections["default"].get_backend().searcher()
    results = searcher.search(parse_query(word).query, limit=None, terms=False)
    return {int(hit["django_id"]) for hit in results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    setup_django(WORK / "index")
    queries = make_queries(common_words(), args.queries)
    run_ours(queries[:10])  # warm up: searcher, dictionary, connection
    ours = run_ours(queries)
    ilike, ilike_hits = run_ilike(queries)
    print(f"queries: {len(queries)} (1-3 common words, unspaced), e.g. {queries[:3]}")
    print(f"/api/search/: median {statistics.median(ours):.1f} ms, p95 {p95(ours):.1f} ms")
    print(f"ILIKE:        median {statistics.median(ilike):.1f} ms, p95 {p95(ilike):.1f} ms")
    ratio = statistics.median(ilike) / statistics.median(ours)
    print(f"ILIKE median / ours median: {ratio:.1f}x")
    singles = [(q[0], hits) for q, hits in zip(queries, ilike_hits, strict=True) if len(q) == 1]
    missing = {word: len(hits - our_ids(word)) for word, hits in singles}
    missed = {w: n for w, n in missing.items() if n}
    print(f"single-word queries: {len(singles)}; ILIKE hits missing from ours: {missed or 'none'}")


if __name__ == "__main__":
    main()
