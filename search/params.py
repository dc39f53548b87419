"""The search parameters a reader can give (/search/?q=&column=&source=&from=&to=&sort=&page=),
read leniently: a bad value is dropped with a note, never an error."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

SORTS = {"relevance": "相关度", "newest": "最新", "oldest": "最早"}
MAX_PAGE = 10_000
MAX_FILTER_CHARS = 200


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    column: str = ""
    source: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: str = "relevance"
    page: int = 1
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def has_filters(self) -> bool:
        return bool(self.column or self.source or self.date_from or self.date_to)

    def without_filters(self) -> SearchParams:
        return replace(self, column="", source="", date_from=None, date_to=None, page=1)

    def as_query(self, **changes) -> dict[str, str]:
        """URL parameters for these params with some changed (empty values left out)."""
        values = {
            "q": self.q,
            "column": self.column,
            "source": self.source,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "sort": "" if self.sort == "relevance" else self.sort,
            "page": "" if self.page == 1 else str(self.page),
        }
        values.update({k: str(v) if v is not None else "" for k, v in changes.items()})
        return {k: v for k, v in values.items() if v}


def _text(value: str | None) -> str:
    value = "".join(ch for ch in (value or "") if ch.isprintable())
    return value.strip()[:MAX_FILTER_CHARS]


def _date(value: str | None, label: str, notes: list[str]) -> dt.date | None:
    value = _text(value)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        notes.append(f"“{value}”不是有效的{label}（格式如 2024-06-12），已忽略。")
        return None


def _page(value: str | None) -> int:
    value = _text(value)
    return min(int(value), MAX_PAGE) if value.isdigit() and int(value) > 0 else 1


def params_from(data) -> SearchParams:
    """SearchParams from a QueryDict (or any mapping with .get)."""
    notes: list[str] = []
    date_from = _date(data.get("from"), "起始日期", notes)
    date_to = _date(data.get("to"), "截止日期", notes)
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
        notes.append("起止日期前后颠倒，已交换。")
    sort = _text(data.get("sort")) or "relevance"
    if sort not in SORTS:
        notes.append("不认识的排序方式，已按相关度排序。")
        sort = "relevance"
    return SearchParams(
        q=_text(data.get("q"))[:2000],
        column=_text(data.get("column")),
        source=_text(data.get("source")),
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        page=_page(data.get("page")),
        notes=tuple(notes),
    )
