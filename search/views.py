"""Search views: read the parameters, call search_run(), render HTML or JSON. Nothing else."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from search.params import SORTS, params_from
from search.services import search_run
from search.suggest import no_results_help


def search_page(request):
    params = params_from(request.GET)
    results = search_run(params) if params.q else None
    context = {"params": params, "q": params.q, "results": results, "sorts": SORTS}
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
            "facets": {name: [list(pair) for pair in pairs] for name, pairs in page.facets.items()}
            or {"column": [], "source": [], "year": []},
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
