"""Real government pages (gov.cn policy pages, report text copies) keep their metadata."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from archive.models import Article, RawDocument
from tests.conftest import FIXTURES

REAL = FIXTURES / "real"
SHANGHAI = ZoneInfo("Asia/Shanghai")
POLICY = json.loads((REAL / "govcn_policy_expected.json").read_text(encoding="utf-8"))


def _date(printed: str) -> dt.date:
    return dt.datetime.strptime(printed, "%Y年%m月%d日").date()


@pytest.fixture
def real_run(ingest) -> dict[str, Article]:
    records = ingest(REAL, no_index=True)
    assert {r["status"] for r in records} == {"new", "duplicate", "skipped"}
    return {
        r["path"].rsplit("/", 1)[-1]: Article.objects.get(pk=r["article_id"])
        for r in records
        if r["status"] != "skipped"
    }


@pytest.mark.parametrize("name", sorted(POLICY))
def test_policy_page_keeps_title_number_issuer_index_and_dates(real_run, name):
    expected, article = POLICY[name], real_run[name]
    assert article.title == expected["title"]
    assert article.document_number == expected["document_number"]
    assert article.issuing_body == expected["issuing_body"]
    assert article.index_number == expected["index_number"]
    assert article.published_at.astimezone(SHANGHAI).date() == _date(expected["published"])
    assert article.written_on == _date(expected["written"])
    assert not article.needs_review


def test_policy_page_body_is_the_document_not_the_page_furniture(real_run):
    article = real_run["govcn_policy_2.html"]
    assert article.body_text.startswith("国务院办公厅关于有效发挥政府性")
    assert "各省、自治区、直辖市人民政府" in article.body_text
    assert "索引号" not in article.body_text and "打印" not in article.body_text
    headings = [b["text"] for b in article.body_blocks if b["kind"] == "heading"]
    assert "一、总体要求" in headings


def test_gbk_copy_of_a_real_page_is_decoded_and_recognised_as_the_same_document(real_run):
    raw = RawDocument.objects.get(path__endswith="govcn_policy_24_gbk.htm")
    assert raw.encoding == "gb18030"
    assert raw.status == RawDocument.Status.DUPLICATE
    assert real_run["govcn_policy_24_gbk.htm"] == real_run["govcn_policy_24.html"]


@pytest.mark.parametrize(
    ("name", "title", "day"),
    [
        (
            "cpc_20th_report.txt",
            "高举中国特色社会主义伟大旗帜 为全面建设社会主义现代化国家而团结奋斗",
            dt.date(2022, 10, 16),
        ),
        (
            "cpc_19th_report.txt",
            "决胜全面建成小康社会 为夺取新时代中国特色社会主义伟大胜利",
            dt.date(2017, 10, 18),
        ),
        ("gov_work_report_1957.txt", "政府工作报告", dt.date(1957, 6, 26)),
    ],
)
def test_report_text_copy_gets_its_printed_title_and_date(real_run, name, title, day):
    article = real_run[name]
    assert article.title == title
    assert article.published_at.astimezone(SHANGHAI).date() == day
    assert not article.needs_review


def test_report_subtitle_stays_in_the_body_as_a_quote(real_run):
    first = real_run["cpc_20th_report.txt"].body_blocks[0]
    assert first == {"kind": "quote", "text": "在中国共产党第二十次全国代表大会上的报告"}


@pytest.mark.parametrize("name", ["gov_work_report_1956.txt", "gov_work_report_2025.txt"])
def test_report_without_title_line_or_date_is_flagged_for_review(real_run, name):
    article = real_run[name]
    assert article.needs_review
    assert article.published_at is None
    assert any("标题" in r for r in article.review_reasons)
    assert article.title != "各位代表："  # a salutation is never proposed as the title
