"""Plain text copied from a government web page: breadcrumb, title, date, body."""

from __future__ import annotations

import re

from ingest.parsers.base import ParsedArticle, ParseError
from ingest.parsers.blocks import (
    EDITOR,
    FIELDS,
    HEADING_MAX,
    PREV_NEXT,
    block_of,
    byline_at_end,
    clean,
    column_from_crumb,
    guess_title,
    has_interview,
    is_chrome,
    labelled_fields,
    reporter,
)
from ingest.parsers.dates import DATE_TIME, find_datetime, find_labelled_datetime

META_LABEL = re.compile(
    r"(发布时间|发布日期|日期|时间|来源|作者|浏览次数|点击数|阅读次数|字体|[大中小]|[：:【】|])"
)
FIELD_LINE_MAX = 40
FORM_FIELD = re.compile(r"_{5,}")  # E-mail推荐: _________________ 提交: a form, copied
# An image in a copied page: [64c77908a3109d7518e1e325.jpeg], [weibo.png]
IMAGE_TOKEN = re.compile(r"\[[^\[\]]*\.(?:png|jpe?g|gif|bmp|webp)\]", re.IGNORECASE)
# 1957年6月26日在第一届全国人民代表大会第四次会议上: the dated occasion line of a speech
OCCASION = re.compile(r"^[（(]?\s*在.{2,40}上(?:的讲话|的报告|的发言)?\s*[）)]?$")


class TextParser:
    name = "text"

    def parse(self, text: str) -> ParsedArticle:
        lines = [clean(IMAGE_TOKEN.sub(" ", line)) for line in text.splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise ParseError("文件没有可读的文字")
        page = _Page()
        for line in lines:
            page.take(line)
        return page.result()


class _Page:
    """Walks the lines once: header (crumb, title, meta line), body, footer."""

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}
        self.column = ""
        self.published_at = None
        self.title = ""
        self.header: list[str] = []  # lines seen before the title/meta line is known
        self.body: list[str] = []
        self.meta_seen = False
        self.ended = False  # the editor's line closes the article; the rest is the page

    def take(self, line: str) -> None:
        if not self.column and (column := column_from_crumb(line)):
            self.column = column
            self.header.clear()  # everything above the breadcrumb is the site menu
            return
        if not self.meta_seen and not self._in_body() and _is_meta_line(line):
            self._take_meta(line)
            return
        if self.meta_seen and not self.body and _is_meta_line(line):
            self.fields = self.fields | labelled_fields(line)  # the page repeats its info line
            return
        if self._take_footer(line) or is_chrome(line) or FORM_FIELD.search(line):
            return
        if len(line) <= FIELD_LINE_MAX and (found := labelled_fields(line)) and _only_fields(line):
            self.fields = found | self.fields
            return
        if not self.ended:
            (self.body if self.meta_seen else self.header).append(line)

    def _in_body(self) -> bool:
        """A long paragraph has already been read, so a date now is in the text."""
        return any(len(line) > HEADING_MAX * 2 for line in self.header + self.body)

    def _take_meta(self, line: str) -> None:
        self.meta_seen = True
        self.published_at = find_labelled_datetime(line) or find_datetime(line)
        self.fields = labelled_fields(line) | self.fields
        # A subtitle (——在……上的报告) stays with the text; a title printed on two short
        # lines (as speeches and reports are) is one title.
        heads = [h for h in self.header if not h.startswith("——")] or self.header[-1:]
        self.body = [h for h in self.header if h not in heads]
        if len(heads) == 2 and all(_title_like(h) and len(h) <= HEADING_MAX for h in heads):
            self.title = " ".join(heads)
        elif heads:
            self.title = heads[-1]
        self.header.clear()

    def _take_footer(self, line: str) -> bool:
        """Record and drop the editor line and the previous/next article links."""
        if found := EDITOR.match(line):
            self.fields["editor"] = found["v"]
            self.ended = bool(self.body)
            return True
        if found := PREV_NEXT.match(line):
            key = "prev_title" if found["which"] == "上一篇" else "next_title"
            self.fields[key] = found["v"].strip()
            return True
        return False

    def result(self) -> ParsedArticle:
        body = self.body if self.meta_seen else self.header
        reasons: list[str] = []
        if not self.meta_seen and self.column and body and _title_like(body[0]):
            self.title = body.pop(0)  # breadcrumb, then a title line, but no date line
        if not self.title:
            self.title = guess_title(body)
            reasons.append("标题为推测（页面没有单独的标题行），请核对")
        if self.published_at is None:
            reasons.append("页面没有发布日期")
        byline, at = byline_at_end(body)
        if at is not None:
            del body[at]
        interview = has_interview(body)
        blocks = tuple(block_of(line, interview=interview) for line in body if line != self.title)
        if not blocks or not self.title:
            raise ParseError("没有找到正文")
        return ParsedArticle(
            title=self.title,
            published_at=self.published_at,
            blocks=blocks,
            column=self.column,
            source=self.fields.get("source", ""),
            author=self.fields.get("author") or byline or reporter([b.text for b in blocks]),
            editor=self.fields.get("editor", ""),
            prev_title=self.fields.get("prev_title", ""),
            next_title=self.fields.get("next_title", ""),
            review_reasons=tuple(reasons),
        )


def _is_meta_line(line: str) -> bool:
    """A short line that is mostly a timestamp and labels (发布时间：… 来源：… 作者：…)."""
    match = DATE_TIME.search(line)
    if match is None:
        return False
    if find_labelled_datetime(line) is not None:
        return True
    if match.start() > 1:  # 本决定自2019年9月1日起施行 is a title that mentions a date
        return False
    if OCCASION.match(DATE_TIME.sub("", line, count=1)):
        return True
    rest = DATE_TIME.sub("", line, count=1)
    for pattern in FIELDS.values():  # before the labels go: the patterns need them
        rest = pattern.sub("", rest)
    return len(clean(META_LABEL.sub("", rest))) < 12


def _only_fields(line: str) -> bool:
    rest = line
    for pattern in FIELDS.values():
        rest = pattern.sub("", rest)
    return len(re.sub(r"[\s()（）【】\[\]|]", "", rest)) == 0


def _title_like(line: str) -> bool:
    return 4 <= len(line) <= 80 and not line.endswith(("。", "；", "！"))
