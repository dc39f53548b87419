import datetime as dt

from archive.models import Article
from archive.timeline import MAX_MONTH_BARS, month_counts, month_timeline
from tests.archive.factories import local, make_article, make_series


def test_month_counts_groups_any_queryset_by_local_month(db):
    make_series(3, start=local(2024, 6, 29), step=dt.timedelta(days=1))  # 29, 30 June, 1 July
    make_article(published_at=None)
    counts = month_counts(Article.objects.all())
    assert [(c.year, c.month, c.count) for c in counts] == [(2024, 6, 2), (2024, 7, 1)]


def test_timeline_fills_empty_months_and_scales_to_the_peak():
    chart = month_timeline([(2024, 1, 10), (2024, 4, 5)])
    assert [bar.count for bar in chart.bars] == [10, 0, 0, 5]
    assert [bar.url for bar in chart.bars] == ["/archive/2024/01/", None, None, "/archive/2024/04/"]
    assert chart.bars[0].height == 2 * chart.bars[3].height
    assert chart.total == 15 and chart.peak == 10


def test_timeline_accepts_a_custom_link_for_search_pages():
    chart = month_timeline([(2024, 6, 3)], link=lambda y, m: f"/search/?q=x&month={y}-{m:02d}")
    assert chart.bars[0].url == "/search/?q=x&month=2024-06"


def test_a_single_article_month_is_still_visible():
    chart = month_timeline([(2024, 1, 1000), (2024, 2, 1)])
    assert chart.bars[1].height >= 2


def test_very_long_spans_become_one_bar_per_year():
    chart = month_timeline([(1954, 9, 1), (2024, 6, 2)])
    assert MAX_MONTH_BARS < (2024 - 1954) * 12
    assert len(chart.bars) == 71
    assert chart.bars[-1].url == "/archive/2024/"


def test_no_data_means_no_chart():
    assert month_timeline([]) is None


def test_fast_date_urls_agree_with_reverse():
    from django.urls import reverse

    from archive.timeline import day_url, month_url, year_url

    assert year_url(2024) == reverse("archive:year", args=["2024"])
    assert month_url(2024, 6) == reverse("archive:month", args=["2024", "06"])
    assert day_url(2024, 6, 1) == reverse("archive:day", args=["2024", "06", "01"])
