"""Run in a separate process by test_indexing: save and delete articles as the admin does,
each change queued and written by whichever process gets the index lock.

    python -m tests.search.writer_process PREFIX COUNT
"""

from __future__ import annotations

import os
import sys


def main(prefix: str, count: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    import django

    django.setup()
    from django.db import transaction

    from tests.search.concurrency import save_and_delete

    save_and_delete(prefix, count, atomic=transaction.atomic)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
