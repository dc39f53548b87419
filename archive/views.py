"""Browsing pages. Views stay thin: named reads, then a template. Bad input is a 404."""

from __future__ import annotations

import codecs
from urllib.parse import quote

from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import reverse
from django.views.decorators.http import require_safe

from archive import selectors, timeline
from archive.caching import cached_for
from archive.models import Article, Column, Source
from search.services import related_articles

PAGE_SIZE = 20
HOME_SIZE = 15


def paginate(request, queryset) -> Page:
    """The page named by ?page=; a missing, malformed or out-of-range number is a 404."""
    paginator = Paginator(queryset, PAGE_SIZE)
    number = request.GET.get("page", "1")
    if not number.isdigit() or not 1 <= int(number) <= paginator.num_pages:
        raise Http404("没有这一页")
    return paginator.page(int(number))


@require_safe
def home(request):
    articles = Article.objects.all()
    chart, columns = cached_for(
        articles,
        "home",
        lambda: (timeline.month_chart(articles)[1], list(selectors.columns_with_counts())),
    )
    context = {
        "latest": selectors.cards(articles)[:HOME_SIZE],
        "columns": columns,
        "timeline": chart,
    }
    return render(request, "archive/home.html", context)


@require_safe
def article_detail(request, pk: int):
    article = get_object_or_404(Article.objects.select_related("column", "source"), pk=pk)
    newer, older = selectors.column_neighbours(article)
    return render(
        request,
        "archive/article_detail.html",
        {
            "article": article,
            "canonical": request.build_absolute_uri(article.get_absolute_url()),
            "newer": newer,
            "older": older,
            "related": related_articles(article, limit=5),
        },
    )


def _year_filter(request, counts: list[timeline.MonthCount]) -> int | None:
    """The ?year= filter of a column or source page; a year with no articles there is a 404."""
    raw = request.GET.get("year")
    if raw is None:
        return None
    if not raw.isdigit() or int(raw) not in {c.year for c in counts}:
        raise Http404("这一年没有文章")
    return int(raw)


def _listing(request, *, heading: str, articles, kind: str, scope: str, feed_slug=None):
    counts, chart = timeline.cached_month_chart(articles, scope=scope)
    year = _year_filter(request, counts)
    years: dict[int, int] = {}
    for c in counts:
        years[c.year] = years.get(c.year, 0) + c.count
    if year is not None:
        articles = selectors.in_period(articles, selectors.Period(year))
    context = {
        "heading": heading,
        "kind": kind,
        "page": paginate(request, selectors.cards(articles)),
        "timeline": chart,
        "years": sorted(years.items(), reverse=True),
        "year": year,
        "feed_slug": feed_slug,
    }
    return render(request, "archive/listing.html", context)


@require_safe
def column_detail(request, slug: str):
    column = get_object_or_404(Column, slug=slug)
    articles = Article.objects.in_column(column)
    return _listing(
        request,
        heading=column.name,
        articles=articles,
        kind="栏目",
        scope=f"column:{column.pk}",
        feed_slug=slug,
    )


@require_safe
def source_detail(request, slug: str):
    source = get_object_or_404(Source, slug=slug)
    articles = Article.objects.from_source(source)
    return _listing(
        request, heading=source.name, articles=articles, kind="来源", scope=f"source:{source.pk}"
    )


@staff_member_required
@require_safe
def raw_file(request, pk: int):
    """The raw bytes an article was parsed from, for editors checking the parser's work.

    Shown as UTF-8 text decoded with the detected encoding (served as text/plain, so a saved
    HTML page is never rendered as a page of this site); ?download=1 gives the exact bytes.
    """
    raw = selectors.raw_document_for(pk)
    if raw is None:
        raise Http404("这篇文章没有保存原始文件")
    content = bytes(raw.content)
    filename = raw.path.replace("\\", "/").rsplit("/", 1)[-1] or f"article-{pk}.raw"
    if request.GET.get("download"):
        response = HttpResponse(content, content_type="application/octet-stream")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename, safe='')}"
        return response
    text = content.decode(_codec(raw.encoding), errors="replace")
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


def _codec(name: str) -> str:
    try:
        return codecs.lookup(name or "utf-8").name
    except LookupError:
        return "utf-8"


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",  # endless query combinations; articles are all in the sitemap
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def page_not_found(request, exception):
    return render(request, "404.html", {"request_path": request.path}, status=404)


def server_error(request):
    # No context processors and no database: whatever broke may break this page too.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
