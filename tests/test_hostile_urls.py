"""Every URL of the project, fuzzed as every role: no input gives a 500.

For each URL of the permission matrix (tests/permissions, which covers every URL name of
our apps) plus the login, sign-up and language URLs, and for each of the nine roles:
- each path parameter replaced by a NUL byte, a huge number, a malformed date and a
  non-digit word;
- every query parameter the code reads (found in the source, plus the filter forms')
  set to each of those values, GET and POST;
- the row's own POST data with every value replaced the same way.
Any status is fine except 5xx; the case that failed is named.
"""

import logging
import re
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.permissions import roles
from tests.permissions.test_matrix import all_rows

ROOT = Path(__file__).resolve().parent.parent
BAD_VALUES = ("\x00", "9" * 40, "9999-99-99", "abc", "-1", "2026-02-30T25:61")
PATH_VALUES = ("%00", "9" * 40, "9999-99-99", "abc")
EXTRA_URLS = ("account_login", "account_signup", "account_reset_password", "set_language", "home")


def query_keys():
    """Every request.GET / request.POST key the code reads, and the filter forms' fields."""
    keys = {"q", "page", "day", "next", "hs", "city", "certification", "language", "sort", "min_score", "company"}
    pattern = re.compile(r"request\.(?:GET|POST)(?:\.get|\.getlist)?[\(\[]\"(\w+)\"")
    for app in ("companies", "exhibitions", "matching"):
        for path in (ROOT / app).rglob("*.py"):
            keys.update(pattern.findall(path.read_text(encoding="utf-8")))
    return sorted(keys)


KEYS = query_keys()


def _path_variants(url, kwargs):
    for value in {str(v) for v in kwargs.values()}:
        segment = f"/{quote(value)}/"
        if segment not in url:
            segment = f"/{quote(value)}."  # e.g. a calendar file name: …/<token>.ics
            if segment not in url:
                continue
        head, _sep, tail = url.rpartition(segment)
        for bad in PATH_VALUES:
            yield head + segment.replace(quote(value), bad) + tail


def _requests(row, world, url, kwargs, allowed):
    """(method, url, data) to try for one row and role."""
    for bad_url in _path_variants(url, kwargs):
        yield row.method, bad_url, {}
    if not allowed:  # refused before reading anything: one look is enough
        yield "get", f"{url}?{urlencode(dict.fromkeys(KEYS, BAD_VALUES[1]))}", None
        return
    for bad in BAD_VALUES:
        yield "get", f"{url}?{urlencode(dict.fromkeys(KEYS, bad))}", None
    rotated = {key: BAD_VALUES[i % len(BAD_VALUES)] for i, key in enumerate(KEYS)}
    yield "get", f"{url}?{urlencode(rotated)}", None
    if row.method == "post":
        for bad in BAD_VALUES:
            data = dict(row.data(world)) if row.data else {}
            yield "post", url, {**dict.fromkeys(KEYS, bad), **dict.fromkeys(data, bad)}


@pytest.mark.django_db
@pytest.mark.parametrize("role", roles.ROLES)
def test_no_url_answers_500_to_hostile_input(role, caplog):
    caplog.set_level(logging.CRITICAL, logger="django.request")
    client = Client(raise_request_exception=False)

    world = roles.build_world()
    if world.user(role) is not None:
        client.force_login(world.user(role))
    extra = dict(world.extra)
    failures = []
    tried = 0
    for row in all_rows():
        # Each row in a savepoint rolled back afterwards: rows build clashing objects (same
        # slugs), and a hostile POST must not change what the next row finds.
        savepoint = transaction.savepoint()
        kwargs = row.build(world) if row.build else {}
        url = reverse(row.name, kwargs=kwargs)
        for method, target, data in _requests(row, world, url, kwargs, role in row.allowed):
            response = getattr(client, method)(target, data) if data is not None else client.get(target)
            tried += 1
            if response.status_code >= 500:
                failures.append(f"{response.status_code} {method.upper()} {target[:160]} {str(data)[:80]}")
        transaction.savepoint_rollback(savepoint)
        world.extra = dict(extra)  # what the row cached in the world was rolled back too
    for name in EXTRA_URLS:
        url = reverse(name)
        for bad in BAD_VALUES:
            for method in ("get", "post"):
                response = getattr(client, method)(url, dict.fromkeys((*KEYS, "login", "password", "email"), bad))
                tried += 1
                if response.status_code >= 500:
                    failures.append(f"{response.status_code} {method.upper()} {url} = {bad!r}")
    assert tried > 500
    assert not failures, f"{len(failures)} of {tried} hostile requests answered 5xx:\n" + "\n".join(failures[:40])
