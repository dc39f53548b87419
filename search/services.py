"""The one entry point for searching, and the explicit index updates."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from haystack import connections
from haystack.utils import get_identifier

from archive.models import Article
from search.query import parse_query
from search.search_indexes import ArticleIndex
from search.snippets import snippet

PAGE_SIZE = 20


@dataclass
class SearchHit:
    article: Article
    snippet: str


@dataclass
class SearchPage:
    query: str
    count: int = 0
    page: int = 1
    pages: int = 0
    hits: list[SearchHit] = field(default_factory=list)
    took_ms: float = 0.0

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _backend():
    return connections["default"].get_backend()


def search_articles(raw_query: str, *, page: int = 1) -> SearchPage:
    """Search the index; a malformed query gives an empty page, never an error."""
    started = time.perf_counter()
    parsed = parse_query(raw_query)
    result = SearchPage(query=raw_query, page=max(page, 1))
    if parsed.empty:
        return result
    searcher = _backend().searcher()
    hits = searcher.search_page(parsed.query, result.page, pagelen=PAGE_SIZE)
    result.count = hits.total
    result.pages = (hits.total + PAGE_SIZE - 1) // PAGE_SIZE
    ids = [int(hit["django_id"]) for hit in hits]
    articles = Article.objects.for_listing().defer(None).select_related("column", "source")
    by_id = articles.in_bulk(ids)
    result.hits = [
        SearchHit(by_id[i], snippet(by_id[i].body_text, parsed.terms)) for i in ids if i in by_id
    ]
    result.took_ms = (time.perf_counter() - started) * 1000
    return result


def index_update(articles: Iterable[Article]) -> None:
    """Add or refresh these articles in the index, in one write."""
    articles = list(articles)
    if articles:
        _backend().update(ArticleIndex(), articles)


def index_remove(articles: Iterable[Article]) -> None:
    backend = _backend()
    for article in articles:
        backend.remove(get_identifier(article))


def related_articles(article: Article, *, limit: int = 5) -> list[Article]:
    """Articles most like this one ("more like this"); empty until the index can say."""
    return []
