"""Every URL of the project, tried as every role: allowed roles get through, signed-in
others get 404, anonymous people are sent to log in.

Rows come from every `tests/permissions/matrix_*.py` module (their `ROWS` list); see
README.md. A URL name with no row fails `test_every_url_has_a_permission_row`.
"""

import importlib
import pkgutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.permissions import roles

# Namespaces whose every URL needs a row; admin, allauth, i18n and static are others' business.
CHECKED_NAMESPACES = ("companies", "exhibitions", "matching", "webhooks")
ALLOWED_STATUSES = {200, 201, 204, 301, 302, 303}


def matrix_modules():
    folder = Path(__file__).parent
    return [
        importlib.import_module(f"tests.permissions.{info.name}")
        for info in pkgutil.iter_modules([str(folder)])
        if info.name.startswith("matrix_")
    ]


def all_rows():
    return [row for module in matrix_modules() for row in getattr(module, "ROWS", [])]


def exempt_names():
    names = {}
    for module in matrix_modules():
        names.update(getattr(module, "EXEMPT", {}))
    return names


def project_url_names():
    names = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(prefix + pattern.name)

    walk(get_resolver().url_patterns, "")
    return {name for name in names if name.split(":", 1)[0] in CHECKED_NAMESPACES}


def test_every_url_has_a_permission_row():
    covered = {row.name for row in all_rows()} | set(exempt_names())
    missing = sorted(project_url_names() - covered)
    if missing:
        pytest.fail(
            f"{len(missing)} URL name(s) have no row in tests/permissions/matrix_*.py "
            "(add a Row, or an EXEMPT entry with the reason):\n  " + "\n  ".join(missing),
            pytrace=False,
        )


def test_rows_name_real_urls():
    known = project_url_names()
    unknown = sorted({row.name for row in all_rows()} - known)
    assert not unknown, f"Rows for URL names that do not exist: {unknown}"


CASES = [(row, role) for row in all_rows() for role in roles.ROLES]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), CASES, ids=[f"{row.id}-{role}" for row, role in CASES])
def test_permission(client, row, role):
    world = roles.build_world()
    kwargs = row.build(world) if row.build else {}
    url = reverse(row.name, kwargs=kwargs)
    data = row.data(world) if row.data else {}
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    response = getattr(client, row.method)(url, data)
    login_url = reverse("account_login")
    sent_to_login = response.status_code == 302 and urlsplit(response["Location"]).path == login_url
    if role in row.allowed:
        assert response.status_code in ALLOWED_STATUSES and not sent_to_login, (
            f"{role} should be allowed {row.method.upper()} {url}, got {response.status_code}"
        )
    elif role == roles.ANONYMOUS and row.denied_anonymous is not None:
        assert response.status_code == row.denied_anonymous, (
            f"anonymous should get {row.denied_anonymous} for {url}, got {response.status_code}"
        )
    elif role == roles.ANONYMOUS:
        assert sent_to_login, f"anonymous should be sent to log in from {url}, got {response.status_code}"
    else:
        assert response.status_code == row.denied, (
            f"{role} should get {row.denied} for {row.method.upper()} {url}, got {response.status_code}"
        )
