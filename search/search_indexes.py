"""What of an Article goes into the search index."""

from haystack import indexes

from archive.models import Article
from search.fields import CharsField, KeywordField, WordsField


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = WordsField(document=True)
    title = WordsField(model_attr="title", boost=3.0)
    chars = CharsField()
    title_chars = CharsField(model_attr="title")
    column = KeywordField(null=True)
    source = KeywordField(null=True)
    published_at = indexes.DateTimeField(model_attr="published_at", null=True)
    year = indexes.IntegerField(null=True)

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return Article.objects.select_related("column", "source")

    def prepare_text(self, article: Article) -> str:
        return article.body_text

    def prepare_chars(self, article: Article) -> str:
        return article.body_text

    def prepare_column(self, article: Article) -> str | None:
        return article.column.name if article.column_id else None

    def prepare_source(self, article: Article) -> str | None:
        return article.source.name if article.source_id else None

    def prepare_year(self, article: Article) -> int | None:
        return article.published_at.year if article.published_at else None
