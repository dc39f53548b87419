import datetime as dt

import pytest

from tests.archive.factories import local, make_article, make_series


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def spread(db):
    """Articles in 2022-11, 2024-06 (three, two on the 12th) and 2024-07; one undated."""
    return {
        "2022": make_article("二〇二二年的文章", local(2022, 11, 30, 23, 30)),
        "june": make_series(2, start=local(2024, 6, 12, 8), step=dt.timedelta(hours=3)),
        "june_first": make_article("六月一日的文章", local(2024, 6, 1, 0, 10)),
        "july": make_article("七月的文章", local(2024, 7, 3, 9)),
        "undated": make_article("没有日期的文章", None),
    }


def test_archive_index_lists_years_with_counts(client, spread):
    page = text(client.get("/archive/"))
    assert (
        '<a href="/archive/2024/"><span class="period-name">2024年</span> <span class="count">4 篇'
        in page
    )
    assert '<a href="/archive/2022/">' in page
    assert "另有 1 篇文章日期不详" in page


def test_year_page_counts_months_and_links_neighbouring_years(client, spread):
    page = text(client.get("/archive/2024/"))
    assert "<h1>2024年</h1>" in page and "共 4 篇" in page
    assert (
        '<a href="/archive/2024/06/"><span class="period-name">6月</span> <span class="count">3 篇'
        in page
    )
    assert '<span class="period-name">5月</span> <span class="count">0 篇' in page
    assert '<a rel="prev" href="/archive/2022/">‹ 2022年</a>' in page
    assert 'rel="next"' not in page
    assert '<a rel="next" href="/archive/2024/">2024年 ›</a>' in text(client.get("/archive/2022/"))


def test_month_page_lists_articles_counts_days_and_links_neighbours(client, spread):
    page = text(client.get("/archive/2024/06/"))
    assert "<h1>2024年6月</h1>" in page and "共 3 篇" in page
    for article in spread["june"]:
        assert article.title in page
    assert "七月的文章" not in page
    assert '<a href="/archive/2024/06/12/"><title>6月12日：2 篇</title>' in page
    assert '<a rel="prev" href="/archive/2022/11/">‹ 2022年11月</a>' in page
    assert '<a rel="next" href="/archive/2024/07/">2024年7月 ›</a>' in page


def test_months_are_local_time(client, spread):
    # 2022-11-30 23:30 in Shanghai is 15:30 UTC: still November here.
    assert "二〇二二年的文章" in text(client.get("/archive/2022/11/"))
    assert "六月一日的文章" in text(client.get("/archive/2024/06/01/"))


def test_day_page_lists_that_days_articles(client, spread):
    page = text(client.get("/archive/2024/06/12/"))
    assert "<h1>2024年6月12日</h1>" in page
    assert all(a.title in page for a in spread["june"])
    assert "六月一日的文章" not in page
    assert '<a rel="prev" href="/archive/2024/06/01/">' in page


def test_month_query_count_is_bounded(client, spread, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        assert client.get("/archive/2024/06/").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get("/archive/2024/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/archive/2023/",  # no articles that year
        "/archive/0000/",
        "/archive/2024/13/",
        "/archive/2024/00/",
        "/archive/2024/05/",  # no articles that month
        "/archive/2024/6/",
        "/archive/2024/02/30/",
        "/archive/2024/06/13/",
        "/archive/9999/12/31/",
        "/archive/2024/06/?page=2",
        "/archive/2024/06/?page=x",
        "/archive/24/",
    ],
)
def test_impossible_or_empty_periods_are_404(client, spread, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "没有找到这个页面" in text(response)
