"""Find publication dates in the forms Chinese government pages print them."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

DATE_TIME = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[\sT]*(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{1,2})(?:\s*[:：分]\s*(?P<S>\d{1,2}))?)?"
)


def find_datetime(text: str) -> dt.datetime | None:
    """The first valid date (with time when printed) in text, in Asia/Shanghai, or None."""
    for match in DATE_TIME.finditer(text):
        value = _to_datetime(match)
        if value is not None:
            return value
    return None


def _to_datetime(match: re.Match[str]) -> dt.datetime | None:
    parts = {k: int(v) for k, v in match.groupdict().items() if v is not None}
    try:
        return dt.datetime(
            parts["y"],
            parts["m"],
            parts["d"],
            parts.get("H", 0),
            parts.get("M", 0),
            parts.get("S", 0),
            tzinfo=SHANGHAI,
        )
    except ValueError:
        return None
