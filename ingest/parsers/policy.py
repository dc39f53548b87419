"""The metadata table of a policy page (索引号, 发文机关, 发文字号, 成文日期, 发布日期)."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from ingest.parsers.blocks import clean

LABELS = {
    "索引号": "index_number",
    "发文机关": "issuing_body",
    "发布机关": "issuing_body",
    "发文字号": "document_number",
    "文号": "document_number",
    "成文日期": "written_on",
    "发布日期": "published",
    "标题": "title",
    "主题分类": "topic",
    "主题词": "keywords",
}
LABEL = re.compile(r"^(?P<label>[\u4e00-\u9fff\s　]{2,8}?)\s*[：:]\s*(?P<value>.*)$")
CELL_TAGS = ("td", "th", "li", "dt", "dd", "span", "p", "div")


def policy_fields(doc: HtmlElement) -> dict[str, str]:
    """Labelled cells, value in the same cell (发文机关：国务院) or in the next one."""
    found: dict[str, str] = {}
    for cell in doc.iter(*CELL_TAGS):
        if len(cell) > 3:  # a cell holding many elements is a layout box, not a label
            continue
        text = clean(cell.text_content())
        if not text or len(text) > 120:
            continue
        match = LABEL.match(text)
        if match is None:
            continue
        key = LABELS.get(re.sub(r"\s+", "", match["label"]))
        if key is None or key in found:
            continue
        value = match["value"].strip() or _next_cell_text(cell)
        if value:
            found[key] = value
    return found


def _next_cell_text(cell: HtmlElement) -> str:
    sibling = cell.getnext()
    return clean(sibling.text_content()) if sibling is not None else ""
