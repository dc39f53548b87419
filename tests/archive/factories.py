"""Articles made through the real write path (article_upsert), with sensible defaults."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from zoneinfo import ZoneInfo

from archive.models import Article
from archive.services import article_upsert
from ingest.parsers.base import Block, ParsedArticle

SHANGHAI = ZoneInfo("Asia/Shanghai")
_serial = itertools.count(1)


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


def make_article(
    title: str | None = None,
    published_at: dt.datetime | None = None,
    *,
    column: str = "政务要闻",
    source: str = "青岛日报",
    blocks: tuple[Block, ...] | None = None,
    **fields,
) -> Article:
    n = next(_serial)
    parsed = ParsedArticle(
        title=title or f"测试文章第{n}篇",
        published_at=published_at,
        blocks=blocks or (Block("paragraph", f"第{n}篇文章的正文，介绍新区营商环境建设。"),),
        column=column,
        source=source,
        **fields,
    )
    digest = hashlib.sha256(f"{n}:{parsed.title}:{parsed.body_text}".encode()).hexdigest()
    return article_upsert(parsed=parsed, content_hash=digest)


def make_series(count: int, *, start: dt.datetime, step: dt.timedelta, **kwargs) -> list[Article]:
    """`count` articles, the first at `start`, each `step` later than the one before."""
    return [make_article(published_at=start + i * step, **kwargs) for i in range(count)]
