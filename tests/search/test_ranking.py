"""search.counting and search.ranking against Whoosh's own answers, on posting lists long
enough to span many of Whoosh's blocks (128 postings each)."""

from __future__ import annotations

import random

import pytest
from haystack import connections
from whoosh import query as wq

from archive.models import Article
from search.query import parse_query
from search.ranking import relevance
from search.services import index_update, search_articles
from tests.search.conftest import make_article

PIECES = ["人民政府", "人民群众", "民政部门", "政府工作", "市场监管", "营商环境", "依法行政"]


@pytest.fixture
def crowd(db):
    """400 articles mixing words that share character pairs (人民…民政…政府) with and
    without the exact run 人民政府, some undated, in four columns."""
    rng = random.Random(5)
    articles = []
    for n in range(400):
        words = rng.choices(PIECES, k=rng.randint(3, 12))
        body = "，".join(words) + "。" + "第" + str(n) + "号。"
        day = None if n % 37 == 0 else f"20{10 + n % 15}-0{1 + n % 9}-1{n % 10}"
        articles.append(make_article(f"标题{n}{words[0]}", body, column=f"栏目{n % 4}", day=day))
    index_update(Article.objects.all())
    return articles


def _counter():
    return connections["default"].get_backend().counter()


def _whoosh_docs(query) -> set[int]:
    return set(_counter().searcher.docs_for_query(query))


QUERIES = ["人民政府", '"人民政府"', '"民政部门"', "政府", "民", "市场监管 -人民", "人民 OR 监管"]


@pytest.mark.parametrize("text", QUERIES)
def test_match_sets_equal_whooshs_own(crowd, text):
    query = parse_query(text).query
    assert set(_counter().docs(query).tolist()) == _whoosh_docs(query)


def test_exact_runs_are_what_the_text_holds(crowd):
    expected = {a.pk for a in crowd if "人民政府" in a.body_text or "人民政府" in a.title}
    found = search_articles('"人民政府"')
    assert found.count == len(expected) > 128  # more than one block of postings
    ids = {hit.article.pk for page in range(1, found.pages + 1)
           for hit in search_articles('"人民政府"', page=page).hits}  # fmt: skip
    assert ids == expected


@pytest.mark.parametrize("field,text", [("bigrams", "政府"), ("text", "人民"), ("chars", "民")])
def test_term_scores_equal_whooshs_bm25f(crowd, field, text):
    counter = _counter()
    ours = relevance(counter, wq.Term(field, text))
    hits = counter.searcher.search(wq.Term(field, text), limit=None, terms=False)
    assert len(hits) > 128
    assert max(abs(ours[hit.docnum] - hit.score) for hit in hits) < 1e-9


def test_top_page_is_whooshs_top_page_for_one_term(crowd):
    searcher = _counter().searcher
    query = parse_query("营商环境").query
    theirs = [int(hit["django_id"]) for hit in searcher.search(query, limit=20, terms=False)]
    ours = [hit.article.pk for hit in search_articles("营商环境").hits]
    assert ours == theirs


def test_date_sorts_put_undated_articles_last(crowd):
    pages = search_articles("政府", sort="newest")
    newest = [hit.article for page in range(1, pages.pages + 1)
              for hit in search_articles("政府", sort="newest", page=page).hits]  # fmt: skip
    oldest = [hit.article for page in range(1, pages.pages + 1)
              for hit in search_articles("政府", sort="oldest", page=page).hits]  # fmt: skip
    dated = [a.published_at for a in newest if a.published_at]
    assert dated == sorted(dated, reverse=True)
    assert all(a.published_at is None for a in newest[len(dated) :])
    assert all(a.published_at is None for a in oldest[len(dated) :])
    assert oldest[: len(dated)] == newest[: len(dated)][::-1]
