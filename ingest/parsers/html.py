"""Saved HTML pages: government meta tags first, then the visible page.

lxml.html is used directly rather than through BeautifulSoup: on the generated corpus
BeautifulSoup(..., "lxml") took ~2.2 ms per page just to build the tree, lxml ~0.3 ms, and the
ingest target is 300 files/s on two cores.
"""

from __future__ import annotations

import datetime as dt
import re

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from ingest.parsers.base import Block, ParsedArticle, ParseError
from ingest.parsers.blocks import (
    EDITOR,
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
from ingest.parsers.dates import find_datetime, find_labelled_datetime
from ingest.parsers.policy import policy_fields

NOISE_TAGS = (
    "script", "style", "noscript", "nav", "header", "footer", "form", "iframe", "aside",
    "select", "button", "object", "embed", "template",
)  # fmt: skip
INLINE_TAGS = {"span", "a", "strong", "b", "em", "i", "font", "img", "br", "u", "sub", "sup"}
BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "div", "td")
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
PUBLISHED_META = ("pubdate", "publishdate", "article:published_time", "og:release_date")
# 标题_栏目_站点, 标题 - 站点, 标题--时政--人民网, 标题|站点; a dash inside a title
# (2018—2035年) is not a split.
TITLE_SPLIT = re.compile(r"\s*_\s*|\s+[-－—|｜]+\s+|\s*--+\s*|\s*[|｜]\s*")
MIN_BODY_CHARS = 20
GUIDELINE_AUTHOR = "author (guideline)"
SHORT_LINE = 200


class HtmlParser:
    name = "html"

    def parse(self, text: str) -> ParsedArticle:
        doc = _document(text)
        meta = _meta(doc)
        _drop_noise(doc)
        page_title = clean(doc.findtext(".//title") or "")
        policy = policy_fields(doc)
        if len(policy.keys() & {"index_number", "issuing_body", "document_number"}) < 2:
            policy = {}
        body_box = _body_box(doc)
        lines = _short_lines(doc, body_box)
        info = _info(lines)
        blocks = _blocks(body_box) if body_box is not None else []
        if sum(len(b.text) for b in blocks) < MIN_BODY_CHARS:
            raise ParseError("页面没有正文（可能只有导航，或文件已截断）")
        reasons: list[str] = []
        title = meta.get("articletitle") or policy.get("title") or _visible_title(doc, page_title)
        if not title:
            title = guess_title([b.text for b in blocks])
            reasons.append("页面没有标题，标题为推测，请核对")
        published_at = _published(meta, policy, info)
        byline, at = byline_at_end([b.text for b in blocks])
        if at is not None:
            del blocks[at]
        texts = [b.text for b in blocks]
        author = info.get("author") or byline or reporter(texts) or _meta_author(meta, info, doc)
        if published_at is None:
            reasons.append("页面没有发布日期")
        written = find_datetime(policy.get("written_on", ""))
        return ParsedArticle(
            title=title,
            published_at=published_at,
            blocks=tuple(blocks),
            column=meta.get("columnname") or info.get("column") or _title_column(page_title),
            source=meta.get("contentsource") or info.get("source") or meta.get("source", ""),
            author=author,
            editor=info.get("editor", ""),
            summary=meta.get("description", ""),
            keywords=tuple(k for k in re.split(r"[,，;；\s]+", meta.get("keywords", "")) if k),
            document_number=policy.get("document_number", ""),
            issuing_body=policy.get("issuing_body", ""),
            index_number=policy.get("index_number", ""),
            written_on=written.date() if written else None,
            original_url=meta.get("url", "") if meta.get("url", "").startswith("http") else "",
            prev_title=info.get("prev_title", ""),
            next_title=info.get("next_title", ""),
            review_reasons=tuple(reasons),
        )


def _published(meta: dict, policy: dict, info: dict) -> dt.datetime | None:
    """The meta tags' date first; but when they give only the day and the page prints a
    time on that day (publishdate 2017-03-10, shown 2017-03-10 09:58), the printed one."""
    tagged = find_datetime(" ".join(meta.get(name, "") for name in PUBLISHED_META))
    printed = info.get("published_at")
    if tagged is not None and printed is not None and tagged.date() == printed.date():
        return printed if tagged.time() == dt.time(0) else tagged
    return tagged or find_datetime(policy.get("published", "")) or printed


def _meta_author(meta: dict, info: dict, doc: HtmlElement) -> str:
    """The guideline's <meta name="Author">; a CMS's lower-case "author" tag often names the
    editor (or the site), so it counts only if the page shows that name, not as editor."""
    if meta.get(GUIDELINE_AUTHOR):
        return meta[GUIDELINE_AUTHOR]
    name = meta.get("author", "")
    editors = {info.get("editor", ""), meta.get("editor", "")}
    if not name or name in editors or name not in doc.text_content():
        return ""
    return name


def _document(text: str) -> HtmlElement:
    try:
        doc = lxml.html.document_fromstring(XML_DECLARATION.sub("", text, count=1))
    except (etree.ParserError, ValueError) as exc:
        raise ParseError("HTML 无法解析（文件可能为空或已损坏）") from exc
    if doc is None:
        raise ParseError("HTML 无法解析（文件可能为空或已损坏）")
    return doc


def _meta(doc: HtmlElement) -> dict[str, str]:
    """<meta name="ArticleTitle" content="…"> and friends, names lower-cased; first wins."""
    found: dict[str, str] = {}
    for tag in doc.iter("meta"):
        name = (tag.get("name") or tag.get("property") or "").lower()
        content = clean(tag.get("content", ""))
        if name and content and name not in found:
            found[name] = content
        if tag.get("name") == "Author" and content:  # exactly as the guideline spells it
            found.setdefault(GUIDELINE_AUTHOR, content)
    return found


def _drop_noise(doc: HtmlElement) -> None:
    for element in list(doc.iter(etree.Comment, *NOISE_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()


def _text(element: HtmlElement) -> str:
    return clean(element.text_content())


def _link_chars(element: HtmlElement) -> int:
    return sum(len(clean(a.text_content())) for a in element.iter("a"))


def _body_box(doc: HtmlElement) -> HtmlElement | None:
    """The element whose paragraphs hold the most non-link text (text density, no class names)."""
    scores: dict[HtmlElement, int] = {}
    for element in doc.iter("p", "div", "td", "section", "article"):
        if element.tag != "p" and not _is_leaf_box(element):
            continue
        length = len(_text(element))
        if length == 0 or _link_chars(element) * 2 > length:
            continue
        parent = element.getparent()  # a paragraph (p or text-only div) scores for its box
        if parent is not None:
            scores[parent] = scores.get(parent, 0) + length
    return max(scores, key=scores.__getitem__) if scores else None


def _is_leaf_box(element: HtmlElement) -> bool:
    """A div or cell holding text directly, without block-level children."""
    return all(child.tag in INLINE_TAGS for child in element if isinstance(child.tag, str))


def _blocks(box: HtmlElement) -> list[Block]:
    """Body lines from the innermost block elements, in order; <br> also breaks a line."""
    if _is_leaf_box(box):
        leaves = [box]
    else:
        leaves = [e for e in box.iter(*BLOCK_TAGS) if e is not box and not _has_blocks(e)]
    lines: list[tuple[str, bool]] = []
    for element in leaves:
        heading = _looks_like_heading(element, _text(element))
        for part in _br_lines(element):
            text = clean(part)
            if (
                text
                and not is_chrome(text)
                and not EDITOR.match(text)
                and not PREV_NEXT.match(text)
            ):
                lines.append((text, heading))
    interview = has_interview([t for t, _ in lines])
    return [block_of(t, heading=h, interview=interview) for t, h in lines]


def _has_blocks(element: HtmlElement) -> bool:
    return next(element.iterdescendants(*BLOCK_TAGS), None) is not None


def _br_lines(element: HtmlElement) -> list[str]:
    if element.find(".//br") is None:
        return [element.text_content()]
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return element.text_content().split("\n")


def _looks_like_heading(element: HtmlElement, text: str) -> bool:
    if element.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return True
    if len(text) > 40:
        return False
    bold = [
        e
        for e in element.iter("strong", "b", "span")
        if e.tag != "span" or "bold" in (e.get("style") or "")
    ]
    return any(_text(e) == text for e in bold)


def _short_lines(doc: HtmlElement, body_box: HtmlElement | None) -> list[str]:
    """Short texts outside the body: info line, breadcrumb, editor, previous/next links."""
    lines = []
    skip = set(body_box.iter()) if body_box is not None else set()
    for element in doc.iter("div", "span", "p", "td", "li", "a", "em", "font", "label"):
        if element in skip:
            continue
        text = _text(element)
        if text and len(text) < SHORT_LINE:
            lines.append(text)
    return lines


def _info(lines: list[str]) -> dict:
    """Date, 来源, 作者, breadcrumb column, 责任编辑 and 上一篇/下一篇 from short page lines."""
    info: dict = {}
    for line in lines:
        if "published_at" not in info and (when := find_labelled_datetime(line)):
            info["published_at"] = when
        for key, value in labelled_fields(line).items():
            info.setdefault(key, value)
        if "column" not in info and (column := column_from_crumb(line)):
            info["column"] = column
        if found := EDITOR.match(line):
            info.setdefault("editor", found["v"])
        if found := PREV_NEXT.match(line):
            info.setdefault(
                "prev_title" if found["which"] == "上一篇" else "next_title", found["v"]
            )
    if "published_at" not in info:
        # a short line, or the info line (2023年02月27日 09:15 | 作者:… | 来源：新华社)
        bare = (find_datetime(line) for line in lines if len(line) < 40 or _is_info(line))
        info["published_at"] = next((when for when in bare if when), None)
    return info


def _is_info(line: str) -> bool:
    return len(line) < 100 and bool(labelled_fields(line))


def _visible_title(doc: HtmlElement, page_title: str) -> str:
    """A heading that the <title> starts with; else <title> without its site suffixes."""
    headings = [_text(h) for h in doc.iter("h1", "h2", "h3")]
    for heading in headings:
        if heading and page_title.startswith(heading):
            return heading
    if page_title:
        return TITLE_SPLIT.split(page_title)[0].strip() or page_title
    return next((h for h in headings if 4 <= len(h) <= 100), "")


def _title_column(page_title: str) -> str:
    """文章标题_栏目_站点: the middle part is the column."""
    parts = page_title.split("_")
    return parts[-2].strip() if len(parts) >= 3 else ""
