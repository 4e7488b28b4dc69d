"""A Redis cache that fails soft: when Redis is down or hung, this process's memory stands in.

The cache only ever saves work (rendered fragments, counters, allauth's login limits), so a
page must answer without it. On the first error the process marks Redis as unavailable for
`RETRY_AFTER` seconds and serves every call from a local-memory cache meanwhile: one request
pays the short socket timeout, the others none. Login limits then count per process until
Redis is back, which still slows a password guesser down instead of failing every login.
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

log = logging.getLogger(__name__)

RETRY_AFTER = 5.0
_METHODS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
    "get_or_set",
)


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        # redis-py retries a timed-out command 3 times with backoff (about 10 s against a hung
        # Redis); this cache gives up at once and falls back instead.
        options = {"retry": Retry(NoBackoff(), 0), **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})
        # One memory per process and location, shared by this backend's instances (one per thread).
        self._fallback = LocMemCache(f"fail-soft:{server}", {"TIMEOUT": params.get("TIMEOUT", 300)})
        self._down_until = 0.0

    def _call(self, name, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return getattr(self._fallback, name)(*args, **kwargs)
        try:
            return getattr(super(), name)(*args, **kwargs)
        except (RedisError, OSError) as exc:
            log.warning("cache unavailable (%s); using this process's memory for %ss", exc, RETRY_AFTER)
            self._down_until = time.monotonic() + RETRY_AFTER
            return getattr(self._fallback, name)(*args, **kwargs)


def _fail_soft(name):
    def method(self, *args, **kwargs):
        return self._call(name, *args, **kwargs)

    method.__name__ = name
    return method


for _name in _METHODS:
    setattr(FailSoftRedisCache, _name, _fail_soft(_name))
