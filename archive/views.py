"""Browsing pages. Views stay thin: named queryset reads, then a template."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from archive.models import Article, Column, Source

PAGE_SIZE = 20


def home(request):
    latest = Article.objects.for_listing().published()[:PAGE_SIZE]
    columns = Column.objects.annotate(n=Count("article")).filter(n__gt=0).order_by("-n")
    return render(request, "archive/home.html", {"latest": latest, "columns": columns})


def article_detail(request, pk: int):
    article = get_object_or_404(Article.objects.select_related("column", "source"), pk=pk)
    return render(request, "archive/article_detail.html", {"article": article})


def _listing(request, heading: str, articles):
    paginator = Paginator(articles.for_listing().published(), PAGE_SIZE)
    number = request.GET.get("page", "1")
    if not number.isdigit() or not 1 <= int(number) <= paginator.num_pages:
        raise Http404("没有这一页")
    page = paginator.page(int(number))
    return render(request, "archive/listing.html", {"heading": heading, "page": page})


def column_detail(request, slug: str):
    column = get_object_or_404(Column, slug=slug)
    return _listing(request, column.name, Article.objects.in_column(column))


def source_detail(request, slug: str):
    source = get_object_or_404(Source, slug=slug)
    return _listing(request, source.name, Article.objects.from_source(source))
