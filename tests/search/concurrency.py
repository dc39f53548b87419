"""The work each concurrent writer does in test_indexing (threads and processes)."""

from __future__ import annotations

import hashlib

from archive.models import Article
from search.services import index_article_changed

BODY = "持续营造市场化、法治化、国际化一流营商环境，让外资企业更好发展。"


def save_and_delete(prefix: str, count: int, *, atomic) -> None:
    """Create `count` articles, edit each once, delete every other one."""
    pks = []
    for i in range(count):
        with atomic():
            title = f"{prefix}并发{i}"
            article = Article.objects.create(
                title=title,
                body_text=BODY,
                content_hash=hashlib.sha256(title.encode()).hexdigest(),
            )
            index_article_changed(article_id=article.pk)
        pks.append(article.pk)
    for i, pk in enumerate(pks):
        with atomic():
            article = Article.objects.get(pk=pk)
            if i % 2:
                article.delete()
                index_article_changed(article_id=pk, deleted=True)
            else:
                article.title += "（已修改）"
                article.save()
                index_article_changed(article_id=pk)
