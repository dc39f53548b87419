"""Plain text copied from a government web page: breadcrumb, title, date, body."""

from __future__ import annotations

import re

from ingest.parsers.base import Block, ParsedArticle, ParseError
from ingest.parsers.dates import DATE_TIME, find_datetime

BREADCRUMB = re.compile(r"^\s*(?:当前位置|您现在的位置|你的位置)\s*[：:]?\s*(?P<trail>.*)$")
META_LABEL = re.compile(r"(发布时间|来源|作者|浏览次数|点击数|字体)[：:]")
FIELD = {
    "source": re.compile(r"来源[：:]\s*(?P<v>[^\s【]+)"),
    "author": re.compile(r"作者[：:]\s*(?P<v>[^\s【]+)"),
}
EDITOR = re.compile(r"^【?\s*责任编辑[：:]\s*(?P<v>[^】\s]+)\s*】?$")
PREV_NEXT = re.compile(r"^(?P<which>上一篇|下一篇)[：:]\s*(?P<v>.+)$")
SPEAKER_TURN = re.compile(r"^(?P<who>[\u4e00-\u9fff]{2,4}|记者)[：:](?P<v>.+)$")
CHROME = re.compile(
    r"^(首页|政务公开|政务服务|互动交流|走进新区|打印本页|关闭窗口|简体|【字体)"
    r"|主办单位|ICP备|网站标识码|公网安备|^分享到"
)
HEADING_MAX = 30


def _clean(line: str) -> str:
    return line.replace("\u00a0", " ").replace("\u3000", " ").strip()


class TextParser:
    name = "text"

    def parse(self, text: str) -> ParsedArticle:
        lines = [_clean(line) for line in text.splitlines()]
        if not any(lines):
            raise ParseError("文件没有可读的文字")
        fields: dict[str, str] = {}
        column = ""
        published_at = None
        title = ""
        body: list[str] = []
        for line in lines:
            if not line:
                continue
            crumb = BREADCRUMB.match(line)
            if crumb and not column:
                column = re.split(r"\s*[>＞»]\s*", crumb["trail"].strip())[-1].strip()
                continue
            if published_at is None and self._is_meta_line(line):
                published_at = find_datetime(line)
                for name, pattern in FIELD.items():
                    if found := pattern.search(line):
                        fields[name] = found["v"]
                if not title and body:
                    title = body.pop()
                continue
            if self._take_footer(line, fields):
                continue
            body.append(line)
        reasons: list[str] = []
        if not title:
            title = self._guess_title(body)
            reasons.append("标题为推测，请核对")
        if published_at is None:
            reasons.append("页面没有发布日期")
        blocks = tuple(self._block(line) for line in body)
        if not blocks:
            raise ParseError("没有找到正文")
        return ParsedArticle(
            title=title,
            published_at=published_at,
            blocks=blocks,
            column=column,
            source=fields.get("source", ""),
            author=fields.get("author", ""),
            editor=fields.get("editor", ""),
            prev_title=fields.get("prev_title", ""),
            next_title=fields.get("next_title", ""),
            review_reasons=tuple(reasons),
        )

    @staticmethod
    def _is_meta_line(line: str) -> bool:
        match = DATE_TIME.search(line)
        if match is None:
            return False
        rest = DATE_TIME.sub("", line, count=1)
        return len(_clean(META_LABEL.sub("", rest))) < 40 or "发布时间" in line

    @staticmethod
    def _take_footer(line: str, fields: dict[str, str]) -> bool:
        """Record and drop page furniture: editor, prev/next links, menus, footers."""
        if found := EDITOR.match(line):
            fields["editor"] = found["v"]
            return True
        if found := PREV_NEXT.match(line):
            key = "prev_title" if found["which"] == "上一篇" else "next_title"
            fields[key] = found["v"].strip()
            return True
        return bool(CHROME.search(line)) and len(line) < 80

    @staticmethod
    def _guess_title(body: list[str]) -> str:
        """A short heading-like line, else the start of the first paragraph."""
        for line in body:
            if len(line) <= HEADING_MAX and not line.startswith(("——", "▲", "记者")):
                return line
        return body[0][:HEADING_MAX] if body else "（无标题）"

    @staticmethod
    def _block(line: str) -> Block:
        if line.startswith("▲"):
            return Block("caption", line[1:].strip())
        if line.startswith("——"):
            return Block("quote", line[2:].strip())
        if turn := SPEAKER_TURN.match(line):
            kind = "question" if turn["who"] == "记者" else "answer"
            return Block(kind, turn["v"].strip(), speaker=turn["who"])
        if len(line) <= HEADING_MAX and not re.search(r"[。！？；]$", line):
            return Block("heading", line)
        return Block("paragraph", line)
