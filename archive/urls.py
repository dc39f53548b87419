from django.urls import path

from archive import views

app_name = "archive"
urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path("columns/<str:slug>/", views.column_detail, name="column"),
    path("sources/<str:slug>/", views.source_detail, name="source"),
]
