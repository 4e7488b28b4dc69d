"""The API's foundation: the OpenAPI description and its docs page, personal tokens
(hashing, scopes, revocation, last use), JSON errors in the requester's language, throttling."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from companies.api_auth import TokenRateThrottle
from companies.models import ApiToken
from companies.tokens import api_token_create, api_token_revoke, hash_secret
from tests import factories
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def test_the_committed_openapi_description_matches_the_code():
    generated = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=generated)
    committed = (Path(settings.BASE_DIR) / "docs" / "api" / "openapi.yaml").read_text()
    assert generated.getvalue() == committed, (
        "docs/api/openapi.yaml is out of date: run `manage.py spectacular --file docs/api/openapi.yaml`"
    )


def test_schema_is_openapi_3(client):
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")
    assert "/api/v1/exhibitions/{slug}/directory/" in response.json()["paths"]


def test_docs_page_needs_no_inline_script_or_style_and_no_cdn(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "an inline <script> would be blocked by the CSP"
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(src.startswith("/") for src in sources), sources
    for src in sources:
        if src.startswith(settings.STATIC_URL):
            assert finders.find(src.removeprefix(settings.STATIC_URL)), src
    script = next(src for src in sources if "script=" in src)
    start = client.get(script)
    assert start.status_code == 200
    assert start["Content-Type"].startswith("application/javascript")
    assert reverse("api:schema") in start.content.decode()


def test_a_token_is_stored_only_as_its_hash(exhibitor_owner):
    token, secret = api_token_create(user=exhibitor_owner, name="CRM", scope="read")
    token.refresh_from_db()
    assert token.key_hash == hash_secret(secret)
    assert secret not in {token.key_hash, token.prefix, token.name}
    assert secret.startswith(token.prefix)


def test_bearer_token_authenticates_and_records_last_use(client, exhibitor_owner):
    token, secret = api_token_create(user=exhibitor_owner, name="CRM", scope="read")
    company = exhibitor_owner.company
    company.status = "pending"
    company.save()
    url = reverse("api:company_detail", kwargs={"ref": company.ref})
    assert client.get(url).status_code == 404  # a pending company is its members' only
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200, response.content
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_a_revoked_or_unknown_token_is_refused_with_a_code(client, exhibitor_owner):
    token, secret = api_token_create(user=exhibitor_owner, name="CRM", scope="read")
    api_token_revoke(token=token)
    for header in (f"Bearer {secret}", "Bearer flk_nonsense", "Bearer"):
        response = client.get(reverse("api:exhibition_list"), HTTP_AUTHORIZATION=header)
        assert response.status_code == 401
        assert response.json()["code"] == "authentication_failed"
        assert response["WWW-Authenticate"] == "Bearer"


def test_a_read_token_cannot_write(client, exhibitor_owner):
    url = reverse("api:exhibition_list")
    response = client.post(url, {}, **bearer(exhibitor_owner, scope="read"))
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    # A read-write token gets past the scope check (and this endpoint has no writes).
    response = client.post(url, {}, **bearer(exhibitor_owner, scope="write"))
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_the_browser_session_needs_csrf_to_write(exhibitor_owner):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(exhibitor_owner)
    response = client.post(reverse("api:exhibition_list"), {})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "CSRF" in response.json()["message"]


def test_errors_speak_the_accept_language(client):
    response = client.get(reverse("api:exhibition_detail", kwargs={"slug": "nothing"}), HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found"
    with translation.override("ja"):
        assert body["message"] == gettext("Not found.") != "Not found."


def test_errors_speak_the_token_owners_language_without_accept_language(client):
    user = factories.UserFactory(preferred_language="ko")
    response = client.get(reverse("api:exhibition_detail", kwargs={"slug": "nothing"}), **bearer(user))
    assert response.status_code == 404
    with translation.override("ko"):
        assert response.json() == {"code": "not_found", "message": gettext("Not found.")}
    assert response.json()["message"] != "Not found."


def test_bad_filters_are_field_errors(client):
    exhibition = factories.ExhibitionFactory()
    url = reverse("api:directory", kwargs={"slug": exhibition.slug})
    response = client.get(url, {"hs": "abc", "sort": "price"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"hs", "sort"}


def test_rate_limit_is_per_token(client, monkeypatch, exhibitor_owner):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"api": "3/min"})
    first, second = bearer(exhibitor_owner), bearer(exhibitor_owner)
    url = reverse("api:exhibition_list")
    assert [client.get(url, **first).status_code for _ in range(4)] == [200, 200, 200, 429]
    throttled = client.get(url, **first)
    assert throttled.json()["code"] == "throttled"
    assert "Retry-After" in throttled
    assert client.get(url, **second).status_code == 200  # another token has its own count
