"""Saved HTML pages: government meta tags first, then the visible page."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from ingest.parsers.base import Block, ParsedArticle, ParseError
from ingest.parsers.dates import find_datetime

NOISE_TAGS = ["script", "style", "noscript", "nav", "header", "footer", "form", "iframe", "aside"]
TITLE_SUFFIX = re.compile(r"\s*[_|｜-]\s*")
BLOCK_TAGS = ["p", "h2", "h3", "h4", "li"]


def _meta(soup: BeautifulSoup, name: str) -> str:
    tag = soup.find("meta", attrs={"name": re.compile(f"^{name}$", re.I)})
    return tag.get("content", "").strip() if isinstance(tag, Tag) else ""


class HtmlParser:
    name = "html"

    def parse(self, text: str) -> ParsedArticle:
        soup = BeautifulSoup(text, "lxml")
        for tag in soup(NOISE_TAGS):
            tag.decompose()
        reasons: list[str] = []
        title = _meta(soup, "ArticleTitle") or self._visible_title(soup)
        if not title:
            raise ParseError("页面没有标题，也没有正文标题")
        body = self._body(soup)
        if not body:
            raise ParseError("页面没有正文（可能只有导航或已截断）")
        info = soup.find(class_=re.compile("info|time|date", re.I))
        published_at = find_datetime(_meta(soup, "PubDate")) or (
            find_datetime(info.get_text(" ")) if isinstance(info, Tag) else None
        )
        if published_at is None:
            reasons.append("页面没有发布日期")
        return ParsedArticle(
            title=title,
            published_at=published_at,
            blocks=tuple(body),
            column=_meta(soup, "ColumnName"),
            source=_meta(soup, "ContentSource"),
            author=_meta(soup, "Author"),
            keywords=tuple(k for k in re.split(r"[,，;；\s]+", _meta(soup, "Keywords")) if k),
            summary=_meta(soup, "Description"),
            review_reasons=tuple(reasons),
        )

    @staticmethod
    def _visible_title(soup: BeautifulSoup) -> str:
        heading = soup.find("h1")
        if isinstance(heading, Tag) and heading.get_text(strip=True):
            return heading.get_text(strip=True)
        if soup.title and soup.title.string:
            return TITLE_SUFFIX.split(soup.title.string.strip())[0]
        return ""

    @staticmethod
    def _body(soup: BeautifulSoup) -> list[Block]:
        """Blocks of the element holding the most paragraph text (text density)."""
        best: Tag | None = None
        best_len = 0
        for candidate in soup.find_all(["div", "article", "section", "td"]):
            length = sum(
                len(p.get_text(strip=True)) for p in candidate.find_all("p", recursive=False)
            )
            if length > best_len:
                best, best_len = candidate, length
        if best is None:
            return []
        blocks = []
        for element in best.find_all(BLOCK_TAGS):
            line = element.get_text(" ", strip=True)
            if not line:
                continue
            if line.startswith("▲"):
                blocks.append(Block("caption", line[1:].strip()))
            elif element.name.startswith("h") or (element.find("strong") and len(line) <= 30):
                blocks.append(Block("heading", line))
            else:
                blocks.append(Block("paragraph", line))
        return blocks
