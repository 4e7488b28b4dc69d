"""The API's endpoints of issue 14 fuzzed: no JSON body, query or path value gives a 500.

For each row of the API permission matrix added for issue 14, as one role allowed to use it
(so the body is read): every path parameter replaced by hostile values, every filter set to
them, and every value of the row's JSON body replaced by each of them (a NUL character, a
number no column holds, a date that is none, a word, a list, an object, null)."""

import logging

import pytest
from django.db import transaction
from django.urls import reverse

from companies.tokens import api_token_create
from tests.api.test_permission_matrix import ISSUE_14_ROWS
from tests.permissions import roles as r

BAD_VALUES = ("\x00", "a\x00b", "9" * 40, 10**30, -1, "9999-99-99", "abc", [], ["\x00"], [10**30], {}, None)
PATH_VALUES = ("%00", "9" * 40, "abc")
FILTERS = ("exhibition", "status", "cursor")


def _first_allowed(row):
    order = [role for role in r.ROLES if role in row.allowed]
    return order[0]


@pytest.mark.django_db
@pytest.mark.parametrize("row", ISSUE_14_ROWS, ids=[row.id for row in ISSUE_14_ROWS])
def test_no_api_endpoint_answers_500_to_hostile_input(client, row, caplog):
    caplog.set_level(logging.CRITICAL, logger="django.request")
    client.raise_request_exception = False
    world = r.build_world()
    kwargs = row.build(world)
    user = world.user(_first_allowed(row))
    _token, secret = api_token_create(user=user, name="fuzz", scope="write")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    url = reverse(row.name, kwargs=kwargs)
    failures = []

    def attempt(method, target, body=None):
        savepoint = transaction.savepoint()  # a hostile write must not change what the next one finds
        if body is None:
            response = getattr(client, method)(target, **headers)
        else:
            response = getattr(client, method)(target, body, content_type="application/json", **headers)
        transaction.savepoint_rollback(savepoint)
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {method.upper()} {target[:120]} {str(body)[:80]}")

    for value in {str(v) for v in kwargs.values()}:
        for bad in PATH_VALUES:
            attempt(row.method, url.replace(f"/{value}/", f"/{bad}/"), {} if row.method != "get" else None)
    for bad in BAD_VALUES:
        if isinstance(bad, str):
            attempt("get", f"{url}?" + "&".join(f"{key}={bad}" for key in FILTERS))
    if row.method != "get":
        data = row.data(world) if row.data else {}
        keys = list(data) if isinstance(data, dict) else []
        for bad in BAD_VALUES:
            attempt(row.method, url, {**data, **dict.fromkeys(keys, bad)})
            for key in keys:
                attempt(row.method, url, {**data, key: bad})
        attempt(row.method, url, ["not", "an", "object"])
        attempt(row.method, url, "a string")
    assert not failures, "\n".join(failures[:30])
