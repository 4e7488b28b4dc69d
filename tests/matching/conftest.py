import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rescoring requests live in the cache; no test sees another's."""
    cache.clear()
    yield
    cache.clear()
