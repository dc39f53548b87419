from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from archive.models import Article, Column, IngestRun, RawDocument, Source
from archive.services import article_lock_edited_fields
from search.services import index_article_changed


@admin.register(Column)
class ColumnAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "published_at", "column", "source", "needs_review"]
    list_filter = ["needs_review", "column", "source"]
    search_fields = ["title", "document_number"]
    date_hierarchy = "published_at"
    list_select_related = ["column", "source"]
    readonly_fields = ["content_hash", "created_at", "updated_at", "body_text"]
    exclude = ["body_blocks"]

    # Index updates are explicit: one queued document per saved or deleted article.
    def save_model(self, request, obj, form, change):
        if change:  # what the editor corrected must survive the next ingest of the file
            article_lock_edited_fields(article=obj)
        super().save_model(request, obj, form, change)
        index_article_changed(article_id=obj.pk)

    def delete_model(self, request, obj):
        pk = obj.pk
        super().delete_model(request, obj)
        index_article_changed(article_id=pk, deleted=True)

    def delete_queryset(self, request, queryset):
        pks = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        for pk in pks:
            index_article_changed(article_id=pk, deleted=True)


@admin.register(RawDocument)
class RawDocumentAdmin(admin.ModelAdmin):
    list_display = ["path", "status", "encoding", "parser", "size", "last_ingested_at"]
    list_filter = ["status", "parser"]
    search_fields = ["path", "sha256"]
    exclude = ["content"]
    readonly_fields = ["article"]


@admin.register(IngestRun)
class IngestRunAdmin(admin.ModelAdmin):
    list_display = [
        "started_at",
        "finished_at",
        "new",
        "updated",
        "unchanged",
        "duplicate",
        "failed",
    ]
    readonly_fields = ["problems", "arguments"]
