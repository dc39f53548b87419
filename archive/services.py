"""Writes to the archive. Every change to an article goes through these functions."""

from __future__ import annotations

import functools

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from archive.models import Article, Column, Source
from ingest.parsers.base import ParsedArticle


class NameCache:
    """Columns and sources already looked up in this run, so each name costs one query.

    Only rows known to be committed are remembered (on_commit), so a rolled-back file never
    leaves a cached row that does not exist.
    """

    def __init__(self) -> None:
        self._rows: dict[tuple[type, str], Column | Source] = {}

    def get(self, model: type[Column] | type[Source], name: str) -> Column | Source | None:
        name = name.strip()[: 100 if model is Column else 200]
        if not name:
            return None
        key = (model, name)
        if key not in self._rows:
            row = _named(model, name)
            transaction.on_commit(lambda: self._rows.setdefault(key, row))
            return row
        return self._rows[key]


@functools.cache
def _history_model() -> type:
    return Article.history.model


def _history_created(article: Article) -> None:
    model = _history_model()
    fields = {f.attname: getattr(article, f.attname) for f in model.tracked_fields}
    model(
        history_date=timezone.now(),
        history_type="+",
        history_user=None,
        history_change_reason="",
        **fields,
    ).save(force_insert=True)


def _named(model: type[Column] | type[Source], name: str) -> Column | Source:
    found = model.objects.filter(name=name).first()
    if found is not None:
        return found
    base = slugify(name, allow_unicode=True)[:100] or "x"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return model.objects.create(name=name, slug=slug)


def _values_from(parsed: ParsedArticle, names: NameCache) -> dict[str, object]:
    return {
        "title": parsed.title[:500],
        "published_at": parsed.published_at,
        "column": names.get(Column, parsed.column),
        "source": names.get(Source, parsed.source),
        "author": parsed.author[:200],
        "editor": parsed.editor[:200],
        "summary": parsed.summary,
        "keywords": list(parsed.keywords),
        "document_number": parsed.document_number[:100],
        "issuing_body": parsed.issuing_body[:200],
        "index_number": parsed.index_number[:100],
        "written_on": parsed.written_on,
        "original_url": parsed.original_url[:1000],
        "prev_title": parsed.prev_title[:500],
        "next_title": parsed.next_title[:500],
        "body_blocks": [block.as_dict() for block in parsed.blocks],
        "body_text": parsed.body_text,
        "needs_review": bool(parsed.review_reasons),
        "review_reasons": list(parsed.review_reasons),
    }


# savepoint=False: ingest already holds one transaction per file; a nested savepoint costs two
# more statements per file and buys nothing (any error rolls the whole file back).
@transaction.atomic(savepoint=False)
def article_upsert(
    *,
    parsed: ParsedArticle,
    content_hash: str,
    article: Article | None = None,
    names: NameCache | None = None,
) -> Article:
    """Create an article from parsed data, or refresh one, never touching locked fields."""
    values = _values_from(parsed, names or NameCache())
    if article is None:
        article = Article(content_hash=content_hash, **values)
        # The "+" (created) history row is written here, as simple-history's own
        # bulk_history_create writes it: its post_save handler rebuilds a manager class per
        # save, and bulk_create of one row costs as much again (measured: a third of ingest).
        article.skip_history_when_saving = True
        article.save(force_insert=True)
        del article.skip_history_when_saving
        _history_created(article)
        return article
    locked = set(article.locked_fields)
    for name, value in values.items():
        if name not in locked:
            setattr(article, name, value)
    if locked & {"title", "published_at"}:
        # The editor settled these; the parser's doubts about them no longer apply.
        article.review_reasons = [r for r in article.review_reasons if not _about(r, locked)]
        article.needs_review = bool(article.review_reasons)
    article.content_hash = content_hash
    article.save()
    return article


def _about(reason: str, locked: set[str]) -> bool:
    return ("title" in locked and "标题" in reason) or (
        "published_at" in locked and "日期" in reason
    )


def article_lock_edited_fields(*, article: Article) -> None:
    """Lock the editable fields whose values differ from the stored row, so that re-ingest
    never overwrites an editor's correction (the caller saves)."""
    stored = Article.objects.get(pk=article.pk)
    edited = {
        name
        for name in Article.EDITABLE_FIELDS
        if getattr(stored, Article._meta.get_field(name).attname)
        != getattr(article, Article._meta.get_field(name).attname)
    }
    if edited:
        article.locked_fields = sorted(set(article.locked_fields) | edited)
