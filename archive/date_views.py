"""The date archive: /archive/, /archive/2024/, /archive/2024/06/, /archive/2024/06/12/.

A period with no articles is a 404 like an impossible date, so crawlers find no empty pages.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from archive import selectors, timeline
from archive.models import Article
from archive.views import paginate


def _period(year: str, month: str | None = None, day: str | None = None) -> selectors.Period:
    period = selectors.period_or_none(year, month, day)
    if period is None:
        raise Http404("没有这个日期")
    return period


@require_safe
def archive_index(request):
    counts, chart = timeline.cached_month_chart(Article.objects.all(), scope="all")
    years: dict[int, int] = {}
    for c in counts:
        years[c.year] = years.get(c.year, 0) + c.count
    context = {
        "timeline": chart,
        "years": sorted(years.items(), reverse=True),
        "undated": Article.objects.filter(published_at__isnull=True).count(),
    }
    return render(request, "archive/archive_index.html", context)


@require_safe
def year_archive(request, year: str):
    period = _period(year)
    articles = selectors.in_period(Article.objects.all(), period)
    counts = timeline.month_counts(articles)
    if not counts:
        raise Http404("这一年没有文章")
    previous, following = selectors.neighbour_periods(Article.objects.all(), period)
    by_month = {c.month: c.count for c in counts}
    months = [(m, by_month.get(m, 0), timeline.month_url(period.year, m)) for m in range(1, 13)]
    context = {
        "period": period,
        "total": sum(by_month.values()),
        "months": months,
        "timeline": timeline.month_timeline([(period.year, m, n) for m, n, _ in months]),
        "previous": previous,
        "following": following,
    }
    return render(request, "archive/year.html", context)


@require_safe
def month_archive(request, year: str, month: str):
    period = _period(year, month)
    days = timeline.day_counts(Article.objects.all(), period.year, period.month)
    if not days:
        raise Http404("这个月没有文章")
    return _dated_listing(
        request, period, timeline.day_timeline(period.year, period.month, days), sum(days.values())
    )


@require_safe
def day_archive(request, year: str, month: str, day: str):
    period = _period(year, month, day)
    return _dated_listing(request, period, None, None)


def _dated_listing(request, period, chart, total):
    articles = selectors.in_period(Article.objects.all(), period)
    page = paginate(request, selectors.cards(articles))
    if not page.paginator.count:
        raise Http404("这一天没有文章")
    previous, following = selectors.neighbour_periods(Article.objects.all(), period)
    context = {
        "period": period,
        "page": page,
        "timeline": chart,
        "total": page.paginator.count if total is None else total,
        "previous": previous,
        "following": following,
    }
    return render(request, "archive/dated_listing.html", context)
