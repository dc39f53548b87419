"""Drain the index queue: the one writer for every pending index change."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from search.indexing import queue_drain


class Command(BaseCommand):
    help = "把待更新的索引条目写入检索索引（单一写入者；可常驻运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="写完当前队列后退出")
        parser.add_argument(
            "--interval", type=float, default=2.0, help="常驻时两次检查队列之间的秒数"
        )

    def handle(self, *args, once: bool, interval: float, **options):
        while True:
            report = queue_drain(wait=True)
            if report.updated or report.deleted or report.failed or once:
                style = self.style.WARNING if report.failed else self.style.SUCCESS
                self.stdout.write(
                    style(f"更新 {report.updated}，删除 {report.deleted}，失败 {report.failed}")
                )
            if once:
                return
            time.sleep(interval)
