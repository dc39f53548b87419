"""The search page and /api/search/ as a reader and a program see them."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse


def page(client, **params):
    return client.get(reverse("search:page"), params)


def api(client, **params):
    response = client.get(reverse("search_api:api"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_api_returns_the_documented_shape(client, library):
    data = api(client, q="营商环境", sort="newest")
    assert set(data) == {"count", "page", "pages", "results", "facets", "took_ms"}
    assert (data["count"], data["page"], data["pages"]) == (2, 1, 1)
    first = data["results"][0]
    assert set(first) == {"id", "title", "url", "published_at", "column", "source", "snippet"}
    assert first["id"] == library.business.pk
    assert first["url"].endswith(library.business.get_absolute_url())
    assert first["published_at"].startswith("2024-06-02T10:00:00+08:00")
    assert (first["column"], first["source"]) == ("部门动态", "青岛日报")
    assert "<mark>营商环境</mark>" in first["snippet"]
    assert data["facets"] == {
        "column": [["部门动态", 2]],
        "source": [["人民网", 1], ["青岛日报", 1]],
        "year": [["2024", 1], ["2022", 1]],
    }
    assert isinstance(data["took_ms"], float)


def test_api_filters_and_pages_like_the_page(client, library):
    data = api(client, q="营商环境", source="人民网", **{"from": "2020-01-01", "to": "2022-12-31"})
    assert [r["id"] for r in data["results"]] == [library.business_trad.pk]
    empty = api(client, q="")
    assert (empty["count"], empty["results"], empty["pages"]) == (0, [], 0)


def test_page_shows_results_facets_and_keeps_filters_in_links(client, library):
    html = page(client, q="营商环境", column="部门动态").content.decode()
    assert "找到 2 篇文章" in html
    assert "<mark>营商环境</mark>" in html
    assert "青岛日报" in html and "人民网" in html  # source facet
    assert "column=%E9%83%A8%E9%97%A8%E5%8A%A8%E6%80%81" in html  # facet links keep the column


@pytest.mark.parametrize(
    "q",
    [
        '"全面深化改革',
        '全面深化改革"',
        "((营商环境",
        "营商环境)]}",
        "OR",
        "-",
        "- OR title:",
        "title:",
        '""',
        "改革" * 1000,
        "营商🙂环境😀",
        "🙂🙂",
        "营商\x00环境\x1b[31m\u202e",
        "<script>alert(1)</script>",
        "AND NOT * ? ~2 ^3 [a TO b] {x}",
        "\\",
    ],
)
def test_hostile_queries_give_a_normal_page(client, library, q):
    response = page(client, q=q, page="x", sort="evil", **{"from": "20xx", "to": "<b>"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<b>" not in html
    assert re.search("找到|没有找到|没有可以检索", html)
    assert api(client, q=q)["page"] >= 0


def test_script_query_is_escaped_and_still_searches(client, library):
    html = page(client, q="<script>营商环境").content.decode()
    assert "&lt;script&gt;营商环境" in html
    assert "找到 2 篇文章" in html


def test_bad_parameters_are_explained_not_errors(client, library):
    html = page(client, q="营商环境", **{"from": "2024-13-45"}).content.decode()
    assert "不是有效的起始日期" in html
    assert "找到 2 篇文章" in html


def test_no_results_offers_to_drop_the_filter(client, library):
    html = page(client, q="人工智能", column="部门动态").content.decode()
    assert "没有找到" in html
    assert "去掉筛选条件后有 2 篇" in html


def test_no_results_offers_the_words_apart_and_nearest_words(client, library):
    html = page(client, q="人工智能 营商环竟").content.decode()
    assert "没有找到" in html
    assert "分开检索" in html and "人工智能</a>（2 篇）" in html
    assert "您是不是要找" in html and "营商环境</a>（2 篇）" in html
    typo = page(client, q="营商环竟").content.decode()  # a wrong character, no stray matches
    assert "没有找到" in typo and "营商环境</a>（2 篇）" in typo


def test_out_of_range_page_shows_the_last_page(client, library):
    response = page(client, q="营商环境", page="999")
    assert response.status_code == 200
    assert response.context["results"].page == 1
    assert "找到 2 篇文章" in response.content.decode()


def test_results_page_shows_hits_per_month_and_a_bar_narrows_to_that_month(client, library):
    # 营商环境 matches business (2024-06) and business_trad (2022-01).
    response = page(client, q="营商环境")
    timeline = response.context["timeline"]
    counted = {bar.label: bar.count for bar in timeline.bars if bar.count}
    assert counted == {"2022年1月：1 篇": 1, "2024年6月：1 篇": 1}
    html = response.content.decode()
    assert "每月命中文章数" in html
    june = next(bar for bar in timeline.bars if bar.label.startswith("2024年6月"))
    narrowed = client.get(june.url.replace("&amp;", "&"))
    assert [h.article for h in narrowed.context["results"].hits] == [library.business]


def test_api_facets_are_exactly_column_source_and_year(client, library):
    assert set(api(client, q="营商环境")["facets"]) == {"column", "source", "year"}
