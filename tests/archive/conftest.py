import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached timeline counts are keyed by row count and newest id, and ids repeat between
    tests once each test's transaction is rolled back: start every test with an empty cache."""
    cache.clear()
    yield
    cache.clear()
