"""Error pages are the site's own, translated, with a way back."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "Page not found"), ("ko", "페이지를 찾을 수 없습니다"), ("ja", "ページが見つかりません")],
)
def test_404_is_styled_translated_and_links_home(client, language, title):
    client.cookies["django_language"] = language
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert title in html and 'href="/"' in html and "fairlink.css" in html


def test_csrf_failure_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@b.c", "password": "x"})
    assert response.status_code == 403
    assert "The form had expired" in response.content.decode()


def test_500_page_renders_without_a_request_context():
    from companies.errors import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_400_and_403_pages():
    from django.test import RequestFactory

    from companies.errors import bad_request, permission_denied

    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert "Bad request" in bad_request(request).content.decode()
    assert "Not allowed" in permission_denied(request).content.decode()
