"""A small archive of real government prose (sentences copied from /work/shared/corpus into
tests/fixtures/search_sentences.json), indexed for real through search.services."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

import opencc
import pytest
from django.utils import timezone

from archive.models import Article, Column, Source
from search.services import index_update
from tests.conftest import FIXTURES

S = json.loads((FIXTURES / "search_sentences.json").read_text(encoding="utf-8"))
TRADITIONAL = opencc.OpenCC("s2t")


def make_article(
    title: str, body: str, *, column: str = "政务要闻", source: str = "新华社", day="2024-06-01"
) -> Article:
    column_obj, _ = Column.objects.get_or_create(name=column, defaults={"slug": f"c-{column}"})
    source_obj, _ = Source.objects.get_or_create(name=source, defaults={"slug": f"s-{source}"})
    published = None
    if day:
        naive = dt.datetime.fromisoformat(day).replace(hour=10)
        published = timezone.make_aware(naive)
    return Article.objects.create(
        title=title,
        body_text=body,
        column=column_obj,
        source=source_obj,
        published_at=published,
        content_hash=hashlib.sha256(f"{title}\n{body}".encode()).hexdigest(),
    )


@dataclass
class Library:
    bank: Article
    business: Article
    business_trad: Article
    reform_phrase: Article
    reform_apart: Article
    tax_word: Article
    tax_char: Article
    ai_title: Article
    ai_body: Article
    year2024: Article
    latin: Article
    west_only: Article

    def all(self) -> list[Article]:
        return list(vars(self).values())


@pytest.fixture
def library(db) -> Library:
    plain = S["plain"]
    lib = Library(
        bank=make_article("农村金融服务“三农”", S["bank"][0] + plain[0], day="2023-03-05"),
        business=make_article(
            "优化发展环境",
            S["business"][0] + plain[1],
            column="部门动态",
            source="青岛日报",
            day="2024-06-02",
        ),
        business_trad=make_article(
            TRADITIONAL.convert("建设全国统一大市场"),
            TRADITIONAL.convert(S["business"][1]),
            column="部门动态",
            source="人民网",
            day="2022-01-10",
        ),
        reform_phrase=make_article(
            "三中全会作出部署", S["reform_phrase"][0] + plain[2], day="2024-07-20"
        ),
        reform_apart=make_article("重点领域", S["reform_apart"][0] + plain[3], day="2021-05-01"),
        tax_word=make_article("减负成效", S["tax_in_word"][0], column="政策解读", day="2020-03-01"),
        tax_char=make_article("房地产市场止跌回稳", S["tax_only_char"][0], day="2024-12-01"),
        ai_title=make_article("人工智能赋能千行百业", plain[4], day="2023-08-08"),
        ai_body=make_article("科技创新成果不断涌现", "".join(S["ai"]), day="2023-09-09"),
        year2024=make_article("工作回顾", S["year2024"][0], day="2025-03-05"),
        latin=make_article("ＡＩ政务服务上线", plain[5], source="区政务服务管理办公室", day=None),
        west_only=make_article("西海岸新区召开工作会议", plain[0] + plain[5], day="2019-11-11"),
    )
    index_update(lib.all())
    return lib


@pytest.fixture
def seeds(ingest) -> tuple[Article, Article]:
    """The two seed pages, ingested (and so indexed) by the ingest command."""
    from tests.conftest import SEED_INTERVIEW, SEED_NEWS

    ingest(SEED_NEWS, SEED_INTERVIEW)
    news = Article.objects.get(raw_documents__path__endswith=SEED_NEWS.name)
    interview = Article.objects.get(raw_documents__path__endswith=SEED_INTERVIEW.name)
    return news, interview
