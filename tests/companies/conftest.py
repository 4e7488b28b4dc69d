import io

import pytest
from django.core.cache import cache
from PIL import Image


@pytest.fixture(autouse=True)
def _fresh_cache_and_media(settings, tmp_path):
    """Login rate limits live in the cache; uploads go to a per-test folder."""
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    cache.clear()


def image_bytes(fmt="PNG", size=(32, 32)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 92, 171)).save(buffer, format=fmt)
    return buffer.getvalue()
