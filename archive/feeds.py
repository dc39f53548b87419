"""RSS and Atom feeds of the latest articles, for the whole archive and for one column."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator

from archive.models import Article, Column

FEED_SIZE = 30
SITE_NAME = "政务新闻档案"


def _feed_articles():
    return Article.objects.select_related("column").defer("body_blocks").published()


class LatestArticlesFeed(Feed):
    title = f"{SITE_NAME} · 最新文章"
    description = "政务新闻档案最新收录的文章"
    language = "zh-cn"

    def link(self):
        return reverse("archive:home")

    def items(self):
        return _feed_articles()[:FEED_SIZE]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary or Truncator(item.body_text).chars(200)

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return item.author or ""

    def item_categories(self, item: Article) -> list[str]:
        return [item.column.name] if item.column else []


class LatestArticlesAtom(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class ColumnFeed(LatestArticlesFeed):
    def get_object(self, request, slug: str) -> Column:
        return get_object_or_404(Column, slug=slug)

    def title(self, obj: Column) -> str:
        return f"{SITE_NAME} · {obj.name}"

    def description(self, obj: Column) -> str:
        return f"“{obj.name}”栏目的最新文章"

    def link(self, obj: Column) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Column):
        return _feed_articles().in_column(obj)[:FEED_SIZE]


class ColumnAtom(ColumnFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Column) -> str:
        return self.description(obj)
