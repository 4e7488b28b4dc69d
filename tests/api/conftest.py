import pytest
from django.core.cache import cache

from companies.tokens import api_token_create


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()  # the throttle counts in the cache


def bearer(user, scope="read"):
    """Headers that authenticate as `user` with a fresh personal token."""
    _token, secret = api_token_create(user=user, name="test", scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
