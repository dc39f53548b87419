"""What a reader does in a browser: home → column → filter → article → next → search → timeline."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from archive.models import Article
from ingest.parsers.base import Block
from search.services import index_update
from tests.archive.factories import local, make_article, make_series
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

BODY = (
    Block("heading", "一、推进情况"),
    Block("paragraph", "新区坚持把优化营商环境作为一号改革工程，持续深化“放管服”改革。" * 3),
    Block("caption", "工作人员在政务服务大厅为企业办理业务"),
    Block("quote", "让企业办事像网购一样方便"),
    Block("question", "今年在营商环境方面有哪些新举措？", speaker="记者"),
    Block(
        "answer", "我们推出了一批便民利企的改革措施，企业开办时间压缩到半天以内。", speaker="孙永红"
    ),
)


@pytest.fixture
def archive(transactional_db):
    """Two columns over two years, indexed for search; returns the 政务要闻 articles."""
    news = make_series(
        24,
        start=local(2023, 3, 1, 9, 30),
        step=dt.timedelta(days=23),
        blocks=BODY,
        keywords=("营商环境", "政务服务"),
        author="王晓明",
    )
    make_series(6, start=local(2023, 5, 2, 10), step=dt.timedelta(days=40), column="部门动态")
    make_article("没有日期的通知", None, column="通知公告")
    index_update(Article.objects.all())
    return news


def cards(page) -> list[str]:
    return page.locator(".card-title").all_inner_texts()


def test_a_reader_browses_reads_searches_and_follows_the_timeline(
    live_server, page, shoot, archive
):
    page.goto(live_server.url + "/")
    assert page.title() == "政务新闻档案"
    shoot("home")

    page.get_by_role("link", name="政务要闻").first.click()
    page.wait_for_url(re.compile(r"/columns/"))
    assert page.locator("h1").inner_text() == "政务要闻"
    assert len(cards(page)) == 20
    shoot("column")

    # Filter the column by year: 2023 holds the first 14 articles of the series.
    page.locator(".filters").get_by_role("link", name=re.compile("^2023")).click()
    page.wait_for_url(re.compile(r"year=2023"))
    titles = cards(page)
    in_2023 = [a for a in archive if a.published_at.year == 2023]
    assert titles == [a.title for a in reversed(in_2023)]

    page.get_by_role("link", name=titles[1]).click()
    assert page.locator("h1").inner_text() == titles[1]
    assert page.locator(".speaker").first.inner_text() == "记者"
    shoot("article")
    page.emulate_media(media="print")  # the print stylesheet keeps only the article
    assert page.locator(".site-header").is_hidden() and page.locator(".neighbours").is_hidden()
    assert page.locator("h1").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "article-print.png"), full_page=True)
    page.emulate_media(media="screen")

    page.locator(".neighbours a[rel=next]").click()
    assert page.locator("h1").inner_text() == titles[2]

    page.locator("#q").fill("营商环境")
    page.locator("#q").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert "找到" in page.locator("main").inner_text()
    shoot("search")

    page.goto(live_server.url + "/")
    page.locator("figure.timeline svg a").first.click()
    page.wait_for_url(re.compile(r"/archive/2023/03/$"))
    assert page.locator("h1").inner_text() == "2023年3月"
    shoot("month")


def test_pages_fit_a_360_px_phone_without_sideways_scrolling(live_server, page, archive):
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/", archive[0].get_absolute_url(), archive[0].column.get_absolute_url()):
        page.goto(live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"


def test_keyboard_focus_is_visible(live_server, page, archive):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("e => e === document.activeElement")
    assert skip.bounding_box()["y"] >= 0  # moved on screen when focused
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_cjk_text_renders_with_a_real_font(live_server, page, archive):
    # Without a CJK font Chromium draws every character as the same empty box.
    page.goto(live_server.url + archive[0].get_absolute_url())
    ink = page.evaluate(
        """() => ['国', '一'].map(ch => {
            const c = document.createElement('canvas');
            c.width = c.height = 40;
            const g = c.getContext('2d');
            g.font = '32px ' + getComputedStyle(document.body).fontFamily;
            g.fillText(ch, 2, 34);
            const alpha = g.getImageData(0, 0, 40, 40).data.filter((v, i) => i % 4 === 3);
            return alpha.filter(v => v > 128).length;
        })"""
    )
    assert ink[0] > 2 * ink[1] > 0, f"国 and 一 draw the same ink ({ink}): no CJK font?"


@pytest.mark.parametrize("which", ["home", "article"])
def test_page_weight_is_small_and_nothing_is_fetched_from_elsewhere(
    live_server, page, archive, which
):
    path = "/" if which == "home" else archive[5].get_absolute_url()
    sizes, foreign = {}, []

    def record(response):
        if not response.url.startswith(live_server.url):
            foreign.append(response.url)
        else:
            sizes[response.url] = len(response.body())

    page.on("response", record)
    page.on(
        "request", lambda r: None if r.url.startswith(live_server.url) else foreign.append(r.url)
    )
    page.goto(live_server.url + path)
    page.wait_for_load_state("networkidle")
    assert foreign == []
    assert any(url.endswith(".css") for url in sizes)
    assert sum(sizes.values()) < 100 * 1024, sizes
