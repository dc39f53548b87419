from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

from archive.sitemaps import SITEMAPS
from archive.views import robots_txt

urlpatterns = [
    path("admin/", admin.site.urls),
    path("search/", include("search.urls")),
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
