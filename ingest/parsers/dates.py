"""Find publication dates in the forms Chinese government pages print them."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

# 2024-06-12 15:50:48, 2024/6/12, 2024.06.12, 2024年06月12日 15:50, 2024年6月12日15时50分
DATE_TIME = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)\s*日?"
    r"(?:[\sT]*(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{1,2})(?:\s*[:：分]\s*(?P<S>\d{1,2}))?)?"
)
# 二〇一九年一月二十二日, as policy documents print their 成文日期
CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "O": 0}
CN_DATE = re.compile(
    r"(?P<y>[〇○零O一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,3})月(?P<d>[一二三四五六七八九十]{1,3})日"
)
LABELLED = re.compile(r"(?:发布时间|发布日期|发文日期|日期|时间)\s*[：:]")


def find_datetime(text: str) -> dt.datetime | None:
    """The first valid date (with time when printed) in text, in Asia/Shanghai, or None."""
    for match in DATE_TIME.finditer(text):
        value = _to_datetime({k: int(v) for k, v in match.groupdict().items() if v is not None})
        if value is not None:
            return value
    for match in CN_DATE.finditer(text):
        parts = {k: _cn_number(v) for k, v in match.groupdict().items()}
        if (value := _to_datetime(parts)) is not None:
            return value
    return None


def find_labelled_datetime(text: str) -> dt.datetime | None:
    """The date printed after a label such as 发布时间： (the page's own date), or None."""
    for label in LABELLED.finditer(text):
        value = find_datetime(text[label.end() : label.end() + 40])
        if value is not None:
            return value
    return None


def _cn_number(text: str) -> int:
    if len(text) == 4:  # a year is spelt digit by digit
        return int("".join(str(CN_DIGITS[c]) for c in text))
    if "十" not in text:
        return CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)


def _to_datetime(parts: dict[str, int]) -> dt.datetime | None:
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
