from django.shortcuts import render

from search.services import search_articles


def search_page(request):
    raw = request.GET.get("q", "").strip()
    page = request.GET.get("page", "1")
    results = search_articles(raw, page=int(page) if page.isdigit() else 1) if raw else None
    return render(request, "search/results.html", {"q": raw, "results": results})
