from django.contrib import admin
from django.urls import include, path

from search.urls import api_urlpatterns as search_api_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("search/", include("search.urls")),
    path("api/search/", include((search_api_urlpatterns, "search_api"))),
    path("", include("archive.urls")),
]
