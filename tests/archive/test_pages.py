import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse

from archive.models import Article
from archive.timeline import month_timeline
from ingest.parsers.base import Block
from tests.archive.factories import local, make_article, make_series


def text(response) -> str:
    return response.content.decode()


def test_home_lists_both_seed_titles(client, seeds):
    response = client.get(reverse("archive:home"))
    assert response.status_code == 200
    page = text(response)
    for article in seeds:
        assert article.title in page


def test_home_shows_columns_with_thousands_separated_counts(client, db):
    make_series(3, start=local(2024, 6, 1, 9), step=dt.timedelta(days=1), column="部门动态")
    make_article(published_at=local(2024, 6, 5), column="政务要闻")
    page = text(client.get("/"))
    assert '部门动态</a> <span class="count">3 篇</span>' in page
    assert '政务要闻</a> <span class="count">1 篇</span>' in page
    assert 'role="search"' in page and 'action="/search/"' in page


def test_home_timeline_bars_link_to_their_month(client, db):
    make_article(published_at=local(2024, 3, 2, 10))
    make_series(2, start=local(2024, 6, 12, 15, 50), step=dt.timedelta(hours=1))
    page = text(client.get("/"))
    assert "<svg" in page
    assert '<a href="/archive/2024/06/"><title>2024年6月：2 篇</title>' in page
    assert '<a href="/archive/2024/03/"><title>2024年3月：1 篇</title>' in page
    # Months without articles are drawn as gaps, not links.
    assert "/archive/2024/04/" not in page


def test_home_query_count_is_bounded(client, django_assert_max_num_queries, db):
    for column in ("政务要闻", "部门动态", "通知公告"):
        make_series(8, start=local(2023, 1, 1), step=dt.timedelta(days=20), column=column)
    # cache check, then month counts and column counts when the cache is cold, latest
    with django_assert_max_num_queries(4):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get("/").status_code == 200


def test_article_page_shows_metadata_and_chinese_date(client, db):
    article = make_article(
        "新区召开营商环境推进会",
        local(2024, 6, 12, 15, 50),
        author="王晓明",
        source="新区融媒体中心",
        keywords=("营商环境", "改革"),
    )
    page = text(client.get(article.get_absolute_url()))
    assert "<h1>新区召开营商环境推进会</h1>" in page
    assert "2024年6月12日 15:50" in page
    assert "<dd>王晓明</dd>" in page
    assert ">新区融媒体中心</a>" in page
    assert '<p class="kicker"><a href="/columns/%E6%94%BF%E5%8A%A1%E8%A6%81%E9%97%BB/">' in page
    assert '<a href="/search/?q=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83">营商环境</a>' in page


def test_article_page_has_canonical_url_title_description_and_open_graph(client, db):
    article = make_article("标题甲", local(2024, 6, 12), summary="这是摘要。")
    page = text(client.get(article.get_absolute_url()))
    canonical = f"http://testserver/articles/{article.pk}/"
    assert f'<link rel="canonical" href="{canonical}">' in page
    assert "<title>标题甲 · 政务要闻 · 政务新闻档案</title>" in page
    assert '<meta name="description" content="这是摘要。">' in page
    assert '<meta property="og:title" content="标题甲">' in page
    assert '<meta property="og:type" content="article">' in page
    assert f'<meta property="og:url" content="{canonical}">' in page
    assert "2024年6月12日<" in page  # a date without a time shows no "00:00"


def test_article_body_renders_every_block_kind(client, db):
    blocks = (
        Block("heading", "一、总体情况"),
        Block("paragraph", "正文段落。"),
        Block("caption", "会议现场"),
        Block("quote", "把营商环境作为生命线"),
        Block("question", "请介绍一下情况。", speaker="记者"),
        Block("answer", "好的。", speaker="孙永红"),
    )
    page = text(client.get(make_article(blocks=blocks).get_absolute_url()))
    assert "<h2>一、总体情况</h2>" in page
    assert "<p>正文段落。</p>" in page
    assert '<p class="caption">会议现场</p>' in page
    assert "<blockquote><p>把营商环境作为生命线</p></blockquote>" in page
    assert '<p class="turn question"><b class="speaker">记者</b>请介绍一下情况。</p>' in page
    assert '<p class="turn answer"><b class="speaker">孙永红</b>好的。</p>' in page


def test_article_text_is_escaped(client, db):
    article = make_article("<script>alert(1)</script>", blocks=(Block("paragraph", "<b>x</b>"),))
    page = text(client.get(article.get_absolute_url()))
    assert "<script>alert(1)" not in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page


def test_previous_and_next_stay_in_the_column_in_list_order(client, db):
    older, middle, newer = make_series(3, start=local(2024, 1, 1), step=dt.timedelta(days=1))
    make_article(published_at=local(2024, 1, 2, 12), column="通知公告")  # another column
    undated = make_article(published_at=None)
    page = text(client.get(middle.get_absolute_url()))
    assert f'<a rel="prev" href="{newer.get_absolute_url()}">' in page
    assert f'<a rel="next" href="{older.get_absolute_url()}">' in page
    # Undated articles come last in the column list, after the oldest dated one.
    page = text(client.get(older.get_absolute_url()))
    assert f'<a rel="next" href="{undated.get_absolute_url()}">' in page
    page = text(client.get(undated.get_absolute_url()))
    assert f'<a rel="prev" href="{older.get_absolute_url()}">' in page
    assert 'rel="next"' not in page.split('class="neighbours"')[1]


def test_same_timestamp_neighbours_follow_the_id_order(client, db):
    when = local(2024, 5, 1, 8)
    first, second, third = (make_article(published_at=when) for _ in range(3))
    page = text(client.get(second.get_absolute_url()))
    assert f'<a rel="prev" href="{third.get_absolute_url()}">' in page
    assert f'<a rel="next" href="{first.get_absolute_url()}">' in page


def test_article_query_count_is_bounded(client, django_assert_max_num_queries, db):
    articles = make_series(5, start=local(2024, 1, 1), step=dt.timedelta(days=1))
    with django_assert_max_num_queries(3):
        assert client.get(articles[2].get_absolute_url()).status_code == 200


def test_staff_see_the_raw_file_link_and_readers_do_not(client, admin_client, seeds):
    news, _ = seeds
    raw_url = reverse("archive:raw", args=[news.pk])
    assert raw_url not in text(client.get(news.get_absolute_url()))
    assert raw_url in text(admin_client.get(news.get_absolute_url()))


def test_column_page_lists_its_articles_newest_first(client, db):
    old, new = make_series(2, start=local(2023, 5, 1), step=dt.timedelta(days=400))
    other = make_article(column="通知公告")
    response = client.get(old.column.get_absolute_url())
    assert response.status_code == 200
    page = text(response)
    assert page.index(new.title) < page.index(old.title)
    assert other.title not in page
    assert "<title>政务要闻 · 政务新闻档案</title>" in page
    assert '<a href="/archive/2023/05/"><title>2023年5月：1 篇</title>' in page


def test_column_page_is_paginated_and_keeps_the_year_filter(client, db):
    make_series(25, start=local(2023, 1, 1), step=dt.timedelta(days=1))
    make_series(3, start=local(2024, 1, 1), step=dt.timedelta(days=1))
    url = Article.objects.first().column.get_absolute_url()
    page = text(client.get(url))
    assert "共 28 篇" in page
    assert f'<a rel="next" href="{url}?page=2">' in page
    page = text(client.get(url, {"year": "2023", "page": "2"}))
    assert "共 25 篇" in page and "（第 2 页）" in page
    assert page.count('class="card"') == 5
    assert f'<a rel="prev" href="{url}?year=2023">' in page


def test_column_query_count_is_bounded(client, django_assert_max_num_queries, db):
    articles = make_series(45, start=local(2023, 1, 1), step=dt.timedelta(days=9))
    url = articles[0].column.get_absolute_url()
    with django_assert_max_num_queries(5):
        assert client.get(url, {"page": "2"}).status_code == 200
    # column, timeline cache check, count, page
    with django_assert_max_num_queries(4):
        assert client.get(url, {"page": "2"}).status_code == 200


def test_cached_timeline_shows_a_new_article_at_once(client, db):
    make_article(published_at=local(2024, 3, 2, 10))
    assert "2024年5月" not in text(client.get("/"))
    make_article(published_at=local(2024, 5, 2, 10))
    assert "<title>2024年5月：1 篇</title>" in text(client.get("/"))


def test_source_page_lists_its_articles(client, db):
    article = make_article(source="新华社", published_at=local(2024, 2, 2))
    make_article(source="人民网")
    response = client.get(article.source.get_absolute_url())
    assert response.status_code == 200
    assert article.title in text(response)
    assert "人民网" not in text(response).split("</header>", 2)[-1]


def test_counts_use_thousands_separators(client, db):
    chart = month_timeline([(2024, 6, 12345)])
    assert chart.bars[0].label == "2024年6月：12,345 篇"
    rendered = Template("{% load archive_tags %}{{ n|thousands }}").render(Context({"n": 20000}))
    assert rendered == "20,000"


@pytest.mark.parametrize(
    "url",
    [
        "/articles/999999/",
        "/articles/abc/",
        "/columns/no-such-column/",
        "/sources/no-such-source/",
        "/columns/no-such-column/rss.xml",
    ],
)
def test_unknown_things_are_404_pages_in_site_style(client, db, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "没有找到这个页面" in text(response)
    assert 'class="site-header"' in text(response)


@pytest.mark.parametrize(
    "query", ["page=0", "page=3", "page=abc", "page=-1", "page=1.5", "year=1999", "year=x"]
)
def test_bad_page_numbers_and_years_are_404(client, db, query):
    article = make_article(published_at=local(2024, 1, 1))
    assert client.get(f"{article.column.get_absolute_url()}?{query}").status_code == 404
    assert client.get(f"{article.source.get_absolute_url()}?{query}").status_code == 404
