"""Decoding, dates, and the text and HTML parsers, on small hand-written pages."""

import codecs
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from ingest.decoding import decode
from ingest.parsers import HtmlParser, ParseError, TextParser
from ingest.parsers.dates import find_datetime

SHANGHAI = ZoneInfo("Asia/Shanghai")
PAGE_COPY = "\n".join(
    [
        "首页",
        "政务公开",
        "简体|繁体|无障碍浏览",
        "当前位置：首页 > 部门动态",
        "",
        "新区召开营商环境推进会",
        "发布时间：2023年3月8日 09:30  来源：青岛日报  作者：王晓明  浏览次数：120"
        "  【字体：大 中 小】",
        "\u3000\u3000▲会议现场",
        "\u3000\u3000会议要求，各部门要持续优化营商环境，切实为企业排忧解难。",
        "  一、提高站位",
        "\u3000\u3000——把营商环境作为一号工程",
        "\u3000\u3000记者：下一步有什么打算？",
        "\u3000\u3000王振华：我们将继续推进改革，让企业办事更方便。",
        "【责任编辑：李娜】",
        "打印本页  关闭窗口",
        "上一篇：新区举办人才招聘会",
        "下一篇：新区开展安全检查",
        "主办单位：青岛西海岸新区政务网  网站标识码：3702110001  鲁ICP备05012345号",
    ]
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-06-12 15:50:48", dt.datetime(2024, 6, 12, 15, 50, 48)),
        ("发布时间：2024年06月12日 15:50", dt.datetime(2024, 6, 12, 15, 50)),
        ("2024年6月2日", dt.datetime(2024, 6, 2)),
        ("2024/6/2 8:05", dt.datetime(2024, 6, 2, 8, 5)),
        ("2024.06.02", dt.datetime(2024, 6, 2)),
        ("2024年6月2日15时20分", dt.datetime(2024, 6, 2, 15, 20)),
        ("２０２４－０６－０２", None),  # full-width dashes are not a date separator here
        ("二〇一九年一月二十二日", dt.datetime(2019, 1, 22)),
        ("2024-13-45", None),
    ],
)
def test_common_chinese_date_forms(text, expected):
    found = find_datetime(text)
    assert found == (expected.replace(tzinfo=SHANGHAI) if expected else None)


def test_decoding_prefers_bom_then_utf8_and_reports_a_lying_charset():
    assert decode(codecs.BOM_UTF8 + "标题".encode()).encoding == "utf-8-sig"
    lying = decode('<meta charset="gb2312"><p>政务</p>'.encode())
    assert lying.encoding == "utf-8"
    assert lying.warnings == ("页面声明编码 gb2312，实际为 UTF-8",)


def test_decoding_gbk_bytes_uses_gb18030():
    decoded = decode("当前位置 > 首页 > 政务要闻\r\n标题\u200b".encode("gb18030"))
    assert decoded.encoding == "gb18030"
    assert decoded.text == "当前位置 > 首页 > 政务要闻\n标题"


def test_decoding_truncated_utf8_keeps_the_text_and_warns():
    data = "新区召开会议".encode()[:-1]
    decoded = decode(data)
    assert decoded.text == "新区召开会"
    assert "截断" in decoded.warnings[0]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "文件为空"),
        (b"  \n\t", "文件为空"),
        ("正文\x00内容".encode(), "空字节"),
        (bytes(range(256)) * 8, "空字节"),
        (bytes(range(1, 32)) * 50 + b"\xff\xfe\xfd" * 30, "二进制"),
    ],
)
def test_unusable_bytes_are_refused_with_a_reason(data, reason):
    with pytest.raises(ParseError, match=reason):
        decode(data)


def test_text_page_copy_fields_blocks_and_chrome():
    parsed = TextParser().parse(PAGE_COPY)
    assert parsed.title == "新区召开营商环境推进会"
    assert parsed.published_at == dt.datetime(2023, 3, 8, 9, 30, tzinfo=SHANGHAI)
    assert (parsed.column, parsed.source, parsed.author) == ("部门动态", "青岛日报", "王晓明")
    assert parsed.editor == "李娜"
    assert (parsed.prev_title, parsed.next_title) == ("新区举办人才招聘会", "新区开展安全检查")
    assert [b.as_dict() for b in parsed.blocks] == [
        {"kind": "caption", "text": "会议现场"},
        {"kind": "paragraph", "text": "会议要求，各部门要持续优化营商环境，切实为企业排忧解难。"},
        {"kind": "heading", "text": "一、提高站位"},
        {"kind": "quote", "text": "把营商环境作为一号工程"},
        {"kind": "question", "text": "下一步有什么打算？", "speaker": "记者"},
        {"kind": "answer", "text": "我们将继续推进改革，让企业办事更方便。", "speaker": "王振华"},
    ]
    assert not parsed.review_reasons
    assert "ICP" not in parsed.body_text and "打印" not in parsed.body_text


def test_text_title_mentioning_a_date_is_not_taken_for_the_date_line():
    text = (
        "当前位置 > 首页 > 通知公告\n\n本决定自2019年9月1日起施行\n\n2018-07-30 12:48:43\n\n"
        "正文第一段，内容很长很长，足够成为一个段落。"
    )
    parsed = TextParser().parse(text)
    assert parsed.title == "本决定自2019年9月1日起施行"
    assert parsed.published_at == dt.datetime(2018, 7, 30, 12, 48, 43, tzinfo=SHANGHAI)


def test_colon_lines_are_not_interview_turns_outside_an_interview():
    text = "标题行\n2024-01-02\n主要内容：本次会议研究部署了下一阶段工作，要求各单位抓好落实。"
    [block] = TextParser().parse(text).blocks
    assert block.kind == "paragraph"


GOV_META_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>新区召开营商环境推进会_部门动态_青岛西海岸新区政务网</title>
<meta name="ArticleTitle" content="新区召开营商环境推进会">
<meta name="PubDate" content="2023-03-08 09:30">
<meta name="ContentSource" content="青岛日报"><meta name="ColumnName" content="部门动态">
<meta name="Author" content="王晓明"><meta name="Keywords" content="营商环境,改革">
<script>var x = "正文里不该有脚本";</script></head><body>
<ul class="menu"><li><a href="/">首页</a></li><li><a href="/a">政务公开</a></li></ul>
<div class="zzz"><p>会议要求，各部门要持续优化营商环境，切实为企业排忧解难，推动高质量发展。</p>
<p><strong>一、提高站位</strong></p>
<p>要把营商环境作为一号工程，以更大力度推进改革，形成一批可复制的经验做法。</p></div>
<div class="foot">主办单位：青岛西海岸新区政务网</div></body></html>"""


def test_html_meta_tags_come_first_and_body_is_found_by_density_not_class():
    parsed = HtmlParser().parse(GOV_META_PAGE)
    assert parsed.title == "新区召开营商环境推进会"
    assert parsed.published_at == dt.datetime(2023, 3, 8, 9, 30, tzinfo=SHANGHAI)
    assert (parsed.column, parsed.source, parsed.author) == ("部门动态", "青岛日报", "王晓明")
    assert parsed.keywords == ("营商环境", "改革")
    assert [b.kind for b in parsed.blocks] == ["paragraph", "heading", "paragraph"]
    assert "脚本" not in parsed.body_text and "首页" not in parsed.body_text


def test_html_without_meta_uses_title_suffix_h1_info_line_and_breadcrumb():
    page = """<html><head><title>新区十年 | 改出新活力_政务要闻_某某区政府网</title></head><body>
    <div class="x1">当前位置：<a>首页</a> &gt; <a>政务要闻</a></div>
    <h1>新区十年 | 改出新活力</h1>
    <div class="x2"><span>发布日期：2024-06-12 15:50</span> <span>来源：新华社</span></div>
    <div class="x3"><div>十年来，新区坚持以改革破题，持续深化体制机制创新，发展活力不断增强。</div>
    <div>新区将继续推进重点领域改革，加快建设现代化国际化城市。</div></div>
    <div class="x4"><a>上一篇：青岛工业全面发力</a></div></body></html>"""
    parsed = HtmlParser().parse(page)
    assert parsed.title == "新区十年 | 改出新活力"
    assert parsed.published_at == dt.datetime(2024, 6, 12, 15, 50, tzinfo=SHANGHAI)
    assert (parsed.column, parsed.source) == ("政务要闻", "新华社")
    assert parsed.prev_title == "青岛工业全面发力"
    assert len(parsed.blocks) == 2


def test_html_without_any_date_is_flagged_and_left_undated():
    page = (
        "<html><head><title>通知_网站</title></head><body><p>" + "内容" * 30 + "</p></body></html>"
    )
    parsed = HtmlParser().parse(page)
    assert parsed.title == "通知"
    assert parsed.published_at is None
    assert parsed.review_reasons == ("页面没有发布日期",)


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><div class='nav'>首页</div></body></html>",
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">\n<title>标题_栏目',
    ],
)
def test_html_with_no_body_text_is_refused(page):
    with pytest.raises(ParseError, match="没有正文"):
        HtmlParser().parse(page)


def test_news_site_page_title_separators_meta_property_and_editor_line():
    page = """<html><head><title>新区召开营商环境推进会--时政--人民网</title>
    <meta property="article:published_time" content="2019-05-21T09:34:00+08:00"></head><body>
    <div><p>新区召开营商环境推进会，要求持续优化营商环境，切实为企业排忧解难，推动高质量发展。</p>
    <p>会议强调，要以更大力度推进改革，形成一批可复制可推广的经验做法。</p>
    <p>（责编：赵欣悦、岳弘彬）</p></div></body></html>"""
    parsed = HtmlParser().parse(page)
    assert parsed.title == "新区召开营商环境推进会"
    assert parsed.published_at == dt.datetime(2019, 5, 21, 9, 34, tzinfo=SHANGHAI)
    assert "责编" not in parsed.body_text
    assert len(parsed.blocks) == 2
