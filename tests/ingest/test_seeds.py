import datetime as dt
from zoneinfo import ZoneInfo

from archive.models import Article, IngestRun, RawDocument
from tests.conftest import SEED_INTERVIEW, SEED_NEWS

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_first_seed_gets_its_printed_title_date_and_column(ingest):
    [record] = ingest(SEED_NEWS)
    article = Article.objects.get(pk=record["article_id"])
    assert article.title == "新区十年 | “改”出新活力,“创”出新天地"
    assert article.published_at == dt.datetime(2024, 6, 12, 15, 50, 48, tzinfo=SHANGHAI)
    assert article.column.name == "政务要闻"
    assert not article.needs_review
    assert record["published_at"] == "2024-06-12T15:50:48+08:00"


def test_first_seed_body_keeps_caption_and_headings(seeds):
    news, _ = seeds
    kinds = [block["kind"] for block in news.body_blocks]
    assert news.body_blocks[0] == {"kind": "caption", "text": "全面深化改革激发新区澎湃发展动能"}
    assert "heading" in kinds
    assert "打印" not in news.body_text


def test_second_seed_is_flagged_for_review_without_an_invented_date(ingest):
    [record] = ingest(SEED_INTERVIEW)
    article = Article.objects.get(pk=record["article_id"])
    assert article.needs_review
    assert article.published_at is None
    assert record["published_at"] is None
    assert any("日期" in reason for reason in article.review_reasons)
    assert any("标题" in reason for reason in article.review_reasons)


def test_second_seed_keeps_quotes_and_interview_turns_with_speakers(seeds):
    _, interview = seeds
    quotes = [b for b in interview.body_blocks if b["kind"] == "quote"]
    questions = [b for b in interview.body_blocks if b["kind"] == "question"]
    answers = [b for b in interview.body_blocks if b["kind"] == "answer"]
    assert len(quotes) == 4
    assert questions and all(b["speaker"] == "记者" for b in questions)
    assert answers and all(b["speaker"] == "孙永红" for b in answers)
    assert interview.prev_title == "青岛工业全面发力塑造新优势"


def test_ingesting_again_changes_nothing(ingest):
    first = ingest(SEED_NEWS, SEED_INTERVIEW)
    second = ingest(SEED_NEWS, SEED_INTERVIEW)
    assert [r["status"] for r in first] == ["new", "new"]
    assert [r["status"] for r in second] == ["unchanged", "unchanged"]
    assert Article.objects.count() == 2
    assert RawDocument.objects.count() == 2
    assert IngestRun.objects.count() == 2


def test_raw_bytes_are_kept_exactly(seeds):
    raw = RawDocument.objects.get(path=str(SEED_NEWS.resolve()))
    assert bytes(raw.content) == SEED_NEWS.read_bytes()
    assert raw.encoding == "utf-8"
