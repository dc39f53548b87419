"""Writes to the archive. Every change to an article goes through these functions."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from archive.models import Article, Column, Source
from ingest.parsers.base import ParsedArticle


def _named(model: type[Column] | type[Source], name: str) -> Column | Source | None:
    name = name.strip()
    if not name:
        return None
    found = model.objects.filter(name=name).first()
    if found is not None:
        return found
    base = slugify(name, allow_unicode=True) or "x"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return model.objects.create(name=name, slug=slug)


def column_get_or_create(*, name: str) -> Column | None:
    return _named(Column, name)


def source_get_or_create(*, name: str) -> Source | None:
    return _named(Source, name)


def _values_from(parsed: ParsedArticle) -> dict[str, object]:
    return {
        "title": parsed.title[:500],
        "published_at": parsed.published_at,
        "column": column_get_or_create(name=parsed.column),
        "source": source_get_or_create(name=parsed.source),
        "author": parsed.author[:200],
        "editor": parsed.editor[:200],
        "summary": parsed.summary,
        "keywords": list(parsed.keywords),
        "document_number": parsed.document_number[:100],
        "issuing_body": parsed.issuing_body[:200],
        "original_url": parsed.original_url[:1000],
        "prev_title": parsed.prev_title[:500],
        "next_title": parsed.next_title[:500],
        "body_blocks": [block.as_dict() for block in parsed.blocks],
        "body_text": parsed.body_text,
        "needs_review": bool(parsed.review_reasons),
        "review_reasons": list(parsed.review_reasons),
    }


@transaction.atomic
def article_upsert(
    *, parsed: ParsedArticle, content_hash: str, article: Article | None = None
) -> Article:
    """Create an article from parsed data, or refresh one, never touching locked fields."""
    values = _values_from(parsed)
    if article is None:
        return Article.objects.create(content_hash=content_hash, **values)
    for name, value in values.items():
        if name not in article.locked_fields:
            setattr(article, name, value)
    article.content_hash = content_hash
    article.save()
    return article
