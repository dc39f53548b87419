from django.urls import path

from search import views

app_name = "search"
urlpatterns = [
    path("", views.search_page, name="page"),
]
# Mounted at /api/search/ by config/urls.py.
api_urlpatterns = [
    path("", views.search_api, name="api"),
]
