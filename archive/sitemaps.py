"""sitemap.xml: every article, column, source and the date archive's years."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from archive import timeline
from archive.models import Article, Column, Source


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Article.objects.only("id", "updated_at").order_by("id")

    def lastmod(self, item: Article):
        return item.updated_at


class ColumnSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Column.objects.filter(article__isnull=False).distinct().order_by("name")


class SourceSitemap(ColumnSitemap):
    def items(self):
        return Source.objects.filter(article__isnull=False).distinct().order_by("name")


class PageSitemap(Sitemap):
    """The home page, the date archive and one page per year that has articles."""

    changefreq = "daily"

    def items(self):
        years = sorted(
            {c.year for c in timeline.cached_month_chart(Article.objects.all(), scope="all")[0]}
        )
        return ["archive:home", "archive:dates", *(f"year:{y:04d}" for y in years)]

    def location(self, item: str) -> str:
        if item.startswith("year:"):
            return timeline.year_url(int(item[5:]))
        return reverse(item)


SITEMAPS = {
    "pages": PageSitemap,
    "columns": ColumnSitemap,
    "sources": SourceSitemap,
    "articles": ArticleSitemap,
}
