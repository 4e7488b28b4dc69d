"""The page where people make and revoke their API tokens."""

import pytest
from django.urls import reverse

from companies.models import ApiToken
from companies.tokens import api_token_create

pytestmark = pytest.mark.django_db


def test_profile_links_to_the_token_page(client, exhibitor_owner):
    client.force_login(exhibitor_owner)
    assert reverse("api:tokens") in client.get(reverse("companies:profile")).content.decode()


def test_create_shows_the_secret_once_and_it_works(client, exhibitor_owner):
    client.force_login(exhibitor_owner)
    response = client.post(reverse("api:tokens"), {"name": "Our CRM", "scope": "write"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = response.context["secret"]
    assert secret in response.content.decode()
    token = ApiToken.objects.get(user=exhibitor_owner)
    assert (token.name, token.scope) == ("Our CRM", "write")
    assert secret not in client.get(reverse("api:tokens")).content.decode()
    client.logout()
    assert client.get(reverse("api:exhibition_list"), HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200


def test_a_bad_form_keeps_what_was_typed(client, exhibitor_owner):
    client.force_login(exhibitor_owner)
    response = client.post(reverse("api:tokens"), {"name": "Our CRM", "scope": "admin"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "scope": [response.context["form"].fields["scope"].error_messages["invalid_choice"] % {"value": "admin"}]
    }
    assert 'value="Our CRM"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoke_stops_the_token(client, exhibitor_owner):
    token, secret = api_token_create(user=exhibitor_owner, name="CRM", scope="read")
    client.force_login(exhibitor_owner)
    response = client.post(reverse("api:token_revoke", kwargs={"pk": token.pk}))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert client.get(reverse("api:exhibition_list"), HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_nobody_else_sees_or_revokes_a_token(client, exhibitor_owner, buyer_owner):
    token, _secret = api_token_create(user=exhibitor_owner, name="Private CRM", scope="read")
    client.force_login(buyer_owner)
    assert "Private CRM" not in client.get(reverse("api:tokens")).content.decode()
    assert client.post(reverse("api:token_revoke", kwargs={"pk": token.pk})).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get(reverse("api:tokens"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
