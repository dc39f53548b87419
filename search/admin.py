from django.contrib import admin

from search.models import IndexQueueEntry


@admin.register(IndexQueueEntry)
class IndexQueueEntryAdmin(admin.ModelAdmin):
    list_display = ["id", "article_id", "action", "enqueued_at", "attempts", "last_error"]
    list_filter = ["action"]
    readonly_fields = ["article_id", "action", "enqueued_at", "last_error"]
    actions = ["retry"]

    @admin.action(description="重新尝试所选条目")
    def retry(self, request, queryset):
        queryset.update(attempts=0, last_error="")
