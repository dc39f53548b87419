"""What of an Article goes into the search index."""

import datetime as dt

from django.utils import timezone
from haystack import indexes

from archive.models import Article
from search.fields import BigramsField, CharsField, KeywordField, WordsField


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = WordsField(document=True)
    title = WordsField(model_attr="title", boost=3.0)
    chars = CharsField()
    title_chars = CharsField(model_attr="title", boost=3.0)
    bigrams = BigramsField()
    title_bigrams = BigramsField(model_attr="title", boost=3.0)
    column = KeywordField(null=True)
    source = KeywordField(null=True)
    published_at = indexes.DateTimeField(model_attr="published_at", null=True)
    year = KeywordField(null=True)  # a facet: one untokenised value per article
    month = KeywordField(null=True)  # "2024-06": the results page's timeline of hits

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return Article.objects.select_related("column", "source").defer("body_blocks")

    def prepare_text(self, article: Article) -> str:
        return article.body_text

    def prepare_chars(self, article: Article) -> str:
        return article.body_text

    def prepare_bigrams(self, article: Article) -> str:
        return article.body_text

    def prepare_column(self, article: Article) -> str | None:
        return article.column.name if article.column_id else None

    def prepare_source(self, article: Article) -> str | None:
        return article.source.name if article.source_id else None

    def prepare_published_at(self, article: Article):
        """Naive UTC: Whoosh's DATETIME has no time zones (search.services filters the same way)."""
        if article.published_at is None:
            return None
        return article.published_at.astimezone(dt.UTC).replace(tzinfo=None)

    def prepare_year(self, article: Article) -> str | None:
        if article.published_at is None:
            return None
        return str(timezone.localtime(article.published_at).year)

    def prepare_month(self, article: Article) -> str | None:
        if article.published_at is None:
            return None
        return f"{timezone.localtime(article.published_at):%Y-%m}"
