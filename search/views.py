"""Search views: read the parameters, call search_run(), render HTML or JSON. Nothing else."""

from __future__ import annotations

import calendar

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from archive.timeline import month_timeline
from search.params import SORTS, params_from
from search.services import search_run
from search.suggest import no_results_help
from search.templatetags.search_tags import search_url

API_FACETS = ("column", "source", "year")


def hits_timeline(params, months: list[tuple[str, int]]):
    """Hits per month above the results; each bar narrows the search to its month."""
    counts = [(int(key[:4]), int(key[5:7]), n) for key, n in months]

    def link(year: int, month: int) -> str:
        last = calendar.monthrange(year, month)[1]
        changes = {"from": f"{year}-{month:02d}-01", "to": f"{year}-{month:02d}-{last}"}
        return search_url(params, **changes)

    return month_timeline(counts, link=link, caption="每月命中文章数")


def search_page(request):
    params = params_from(request.GET)
    results = search_run(params) if params.q else None
    context = {"params": params, "q": params.q, "results": results, "sorts": SORTS}
    if results is not None and results.count:
        context["timeline"] = hits_timeline(params, results.facets.get("month", []))
    if results is not None and not results.count:
        context["help"] = no_results_help(results)
    return render(request, "search/results.html", context)


def search_api(request):
    params = params_from(request.GET)
    page = search_run(params)
    return JsonResponse(
        {
            "count": page.count,
            "page": page.page,
            "pages": page.pages,
            "results": [_hit_json(request, hit) for hit in page.hits],
            "facets": {
                name: [list(pair) for pair in page.facets.get(name, [])] for name in API_FACETS
            },
            "took_ms": round(page.took_ms, 1),
            **({"notes": list(params.notes)} if params.notes else {}),
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _hit_json(request, hit) -> dict:
    article = hit.article
    published = timezone.localtime(article.published_at) if article.published_at else None
    return {
        "id": article.pk,
        "title": article.title,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "published_at": published.isoformat() if published else None,
        "column": article.column.name if article.column_id else None,
        "source": article.source.name if article.source_id else None,
        "snippet": hit.snippet,
    }
