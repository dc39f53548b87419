"""The durable queue of pending index changes (Whoosh allows one writer; see search.indexing)."""

from __future__ import annotations

from django.db import models


class IndexQueueQuerySet(models.QuerySet):
    def pending(self, *, max_attempts: int) -> IndexQueueQuerySet:
        """Entries the writer should still try, oldest first."""
        return self.filter(attempts__lt=max_attempts).order_by("id")

    def failed(self, *, max_attempts: int) -> IndexQueueQuerySet:
        return self.filter(attempts__gte=max_attempts)


class IndexQueueEntry(models.Model):
    """One article whose index document must be brought in line with the database.

    No foreign key: a deleted article must still reach the index as a delete.
    """

    class Action(models.TextChoices):
        UPDATE = "update", "更新"
        DELETE = "delete", "删除"

    article_id = models.BigIntegerField("文章编号", db_index=True)
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    enqueued_at = models.DateTimeField("加入时间", auto_now_add=True)
    attempts = models.PositiveSmallIntegerField("失败次数", default=0)
    last_error = models.TextField("最近错误", blank=True)

    objects = IndexQueueQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "索引更新队列"

    def __str__(self) -> str:
        return f"{self.get_action_display()} 文章 {self.article_id}"
