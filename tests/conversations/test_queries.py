"""The thread on the meeting page and the wish page reads a fixed number of queries,
whatever the number of messages (and of authors)."""

import pytest
from django.urls import reverse

from exhibitions.conversations import services
from tests import factories

from .conftest import make_mutual

pytestmark = pytest.mark.django_db


def fill(world, n, **where):
    """n messages from alternating people of both sides (several authors)."""
    people = [
        world.buyer_user,
        world.exhibitor_user,
        factories.MembershipFactory(company=world.buyer, role="member").user,
        factories.MembershipFactory(company=world.exhibitor, role="member").user,
    ]
    for i in range(n):
        author = people[i % len(people)]
        services.message_post(author=author, body=f"message {i}", **where)


@pytest.mark.parametrize("rows", [2, 20])
def test_meeting_page_with_messages_has_fixed_queries(client, meeting, world, rows, django_assert_num_queries):
    fill(world, rows, meeting=meeting)
    client.force_login(world.exhibitor_user)
    url = reverse("exhibitions:meetings_detail", kwargs={"slug": world.exhibition.slug, "pk": meeting.pk})
    client.get(url)  # first view creates the read state; measure a steady one
    with django_assert_num_queries(QUERIES["meeting"]):
        response = client.get(url)
    assert response.content.decode().count('class="message ') == rows


@pytest.mark.parametrize("rows", [2, 20])
def test_htmx_refresh_has_fixed_queries(client, meeting, world, rows, django_assert_num_queries):
    fill(world, rows, meeting=meeting)
    client.force_login(world.exhibitor_user)
    url = reverse("exhibitions:meetings_messages", kwargs={"slug": world.exhibition.slug, "pk": meeting.pk})
    client.get(url, HTTP_HX_REQUEST="true")
    with django_assert_num_queries(QUERIES["refresh"]):
        response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.content.decode().count('class="message ') == rows


@pytest.mark.parametrize("rows", [2, 20])
def test_wish_page_has_fixed_queries(client, world, rows, django_assert_num_queries):
    make_mutual(world)
    fill(world, rows, exhibition=world.exhibition, buyer=world.buyer, exhibitor=world.exhibitor)
    client.force_login(world.buyer_user)
    url = reverse(
        "exhibitions:wish_conversation",
        kwargs={"slug": world.exhibition.slug, "buyer": world.buyer.ref, "exhibitor": world.exhibitor.ref},
    )
    client.get(url)
    with django_assert_num_queries(QUERIES["wish"]):
        response = client.get(url)
    assert response.content.decode().count('class="message ') == rows


# The meeting page as before, plus: the conversation, its messages, their authors' companies,
# and the read state (insert-if-missing, then move forward). The htmx refresh: session, user,
# membership, exhibition, meeting, and those five.
QUERIES = {"meeting": 19, "refresh": 9, "wish": 12}
