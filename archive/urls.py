from django.urls import path, re_path

from archive import date_views, feeds, views

app_name = "archive"
urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path("articles/<int:pk>/raw/", views.raw_file, name="raw"),
    path("columns/<str:slug>/", views.column_detail, name="column"),
    path("columns/<str:slug>/rss.xml", feeds.ColumnFeed(), name="column-rss"),
    path("columns/<str:slug>/atom.xml", feeds.ColumnAtom(), name="column-atom"),
    path("sources/<str:slug>/", views.source_detail, name="source"),
    path("feeds/rss.xml", feeds.LatestArticlesFeed(), name="rss"),
    path("feeds/atom.xml", feeds.LatestArticlesAtom(), name="atom"),
    path("archive/", date_views.archive_index, name="dates"),
    re_path(r"^archive/(?P<year>[0-9]{4})/$", date_views.year_archive, name="year"),
    re_path(
        r"^archive/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$",
        date_views.month_archive,
        name="month",
    ),
    re_path(
        r"^archive/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/$",
        date_views.day_archive,
        name="day",
    ),
]
