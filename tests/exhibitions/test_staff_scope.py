"""Staff run their own cooperative's shows: another cooperative's staff see a show's public
page without its staff links, and get 404 on its staff pages and its drafts."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

STAFF_LINKS = ("matching:review", "exhibitions:meetings_board", "exhibitions:dashboard")


@pytest.fixture
def show():
    return factories.ExhibitionFactory()


def test_the_shows_own_staff_see_its_staff_links(client, staff, show):
    client.force_login(staff)
    page = client.get(show.get_absolute_url()).content.decode()
    for name in STAFF_LINKS:
        assert reverse(name, kwargs={"slug": show.slug}) in page


def test_another_cooperatives_staff_see_the_public_page_only(client, show):
    client.force_login(factories.StaffFactory())  # a cooperative of its own
    response = client.get(show.get_absolute_url())
    assert response.status_code == 200
    for name in STAFF_LINKS:
        url = reverse(name, kwargs={"slug": show.slug})
        assert url not in response.content.decode()
        assert client.get(url).status_code == 404


def test_a_draft_is_seen_by_its_cooperatives_staff_and_admins_only(client, staff, show):
    show.status = "draft"
    show.save()
    for person, status in ((staff, 200), (factories.AdminFactory(), 200), (factories.StaffFactory(), 404)):
        client.force_login(person)
        assert client.get(show.get_absolute_url()).status_code == status
