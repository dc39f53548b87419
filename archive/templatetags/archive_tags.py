"""Display helpers for the archive's templates: Chinese dates and query-string links."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.encoding import escape_uri_path

register = template.Library()


@register.filter
def zh_date(value: dt.datetime | dt.date | None) -> str:
    """2024年6月12日 (local time); empty for no date."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def zh_datetime(value: dt.datetime | None) -> str:
    """2024年6月12日 15:50; the time is left out when the source only gave a date (00:00)."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        return zh_date(local)
    return f"{zh_date(local)} {local:%H:%M}"


@register.filter
def thousands(value: int | None) -> str:
    """12,345: Chinese pages group digits by thousands too, but Django's zh-hans locale
    sets no grouping, so humanize's intcomma prints 12345."""
    return "" if value is None else f"{value:,}"


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """This page's URL with some query parameters replaced ("/columns/x/?year=2024&page=3").

    A value of None removes that parameter; page 1 is dropped so every page has one URL.
    """
    query = context["request"].GET.copy()
    for name, value in changes.items():
        query.pop(name, None)
        if value is not None and not (name == "page" and str(value) == "1"):
            query[name] = value
    encoded = query.urlencode()
    path = escape_uri_path(context["request"].path)
    return f"{path}?{encoded}" if encoded else path


@register.simple_tag
def page_numbers(page) -> list:
    """Page numbers around the current one, with "…" where a run is left out."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
