from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

from archive.sitemaps import SITEMAPS
from archive.views import robots_txt
from search.urls import api_urlpatterns as search_api_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("search/", include("search.urls")),
    path("api/search/", include((search_api_urlpatterns, "search_api"))),
    path("robots.txt", robots_txt, name="robots"),
    path("sitemap.xml", sitemaps.index, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("", include("archive.urls")),
]

handler404 = "archive.views.page_not_found"
handler500 = "archive.views.server_error"
