"""Check-in at the entrance: by badge token or search, once a day, errors that name nobody,
arrivals per day on the staff dashboard."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from exhibitions.models import CheckIn
from exhibitions.showfloor import badges, selectors, services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def show(staff, exhibitor_owner, buyer_owner):
    today = timezone.localtime(timezone.now(), zoneinfo.ZoneInfo("Asia/Tokyo")).date()
    exhibition = factories.ExhibitionFactory(
        cooperative=staff.cooperative,
        timezone="Asia/Tokyo",
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=1),
    )
    factories.ApplicationFactory(exhibition=exhibition, company=exhibitor_owner.company, status="approved")
    factories.BuyerRegistrationFactory(exhibition=exhibition, company=buyer_owner.company)
    return exhibition


def url(show):
    return reverse("exhibitions:checkin", kwargs={"slug": show.slug})


def test_a_scanned_badge_checks_its_holder_in_once_a_day(client, staff, show, buyer_owner):
    client.force_login(staff)
    token = badges.badge_token(exhibition=show, user=buyer_owner)
    first = client.post(url(show), {"token": token}, follow=True)
    assert "checked in." in first.content.decode()
    second = client.post(url(show), {"token": token}, follow=True)
    assert "already checked in today" in second.content.decode()
    record = CheckIn.objects.get()
    assert (record.exhibition, record.person, record.by) == (show, buyer_owner, staff)
    assert record.day == timezone.localtime(timezone.now(), show.tzinfo).date()


def test_the_service_is_idempotent_per_day(show, staff, buyer_owner):
    _, created = services.check_in(exhibition=show, person=buyer_owner, by=staff)
    again, created_again = services.check_in(exhibition=show, person=buyer_owner, by=staff)
    assert (created, created_again) == (True, False)
    assert CheckIn.objects.count() == 1 and again.by == staff


def test_a_foreign_or_bad_token_names_nobody(client, staff, show, other_buyer):
    elsewhere = factories.ExhibitionFactory(cooperative=staff.cooperative)
    factories.BuyerRegistrationFactory(exhibition=elsewhere, company=other_buyer.company)
    client.force_login(staff)
    foreign = client.post(url(show), {"token": badges.badge_token(exhibition=elsewhere, user=other_buyer)}, follow=True)
    page = foreign.content.decode()
    assert "This badge is for another exhibition." in page
    assert other_buyer.company.name not in page and other_buyer.display_name not in page
    bad = client.post(url(show), {"token": "not-a-badge"}, follow=True)
    assert "This code is not a Fairlink badge." in bad.content.decode()
    stranger = client.post(url(show), {"person": other_buyer.pk}, follow=True)
    assert "Nobody of this exhibition was found" in stranger.content.decode()
    assert not CheckIn.objects.exists()


def test_search_finds_participants_only(client, staff, show, exhibitor_owner, other_exhibitor):
    client.force_login(staff)
    by_company = client.get(url(show), {"q": exhibitor_owner.company.name_en})
    assert by_company.status_code == 200
    assert list(by_company.context["found"]) == [exhibitor_owner]
    assert selectors.search_participants(show, other_exhibitor.email) == []
    assert selectors.search_participants(show, exhibitor_owner.email[0]) == []  # too short to search


def test_checking_in_from_the_search(client, staff, show, exhibitor_owner):
    client.force_login(staff)
    client.post(url(show), {"person": exhibitor_owner.pk})
    assert CheckIn.objects.filter(person=exhibitor_owner).count() == 1


def test_arrivals_per_day_on_the_dashboard(client, staff, show, buyer_owner, exhibitor_owner):
    services.check_in(exhibition=show, person=buyer_owner, by=staff)
    services.check_in(exhibition=show, person=exhibitor_owner, by=staff)
    CheckIn.objects.create(exhibition=show, person=buyer_owner, day=show.starts_on, by=staff)
    client.force_login(staff)
    arrivals = dict(client.get(reverse("exhibitions:dashboard", kwargs={"slug": show.slug})).context["arrivals"])
    today = timezone.localtime(timezone.now(), show.tzinfo).date()
    assert arrivals == {show.starts_on: 1, today: 2, show.ends_on: 0}


def test_arrivals_take_one_query(show, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.arrivals_by_day(show)


@pytest.mark.parametrize("who", ["exhibitor_owner", "buyer_owner", "other_exhibitor", "outsider"])
def test_only_staff_check_people_in(client, show, buyer_owner, who, request):
    client.force_login(request.getfixturevalue(who))
    token = badges.badge_token(exhibition=show, user=buyer_owner)
    assert client.post(url(show), {"token": token}).status_code == 404
    assert client.get(url(show)).status_code == 404
    assert not CheckIn.objects.exists()


def test_the_arrivals_fragment_polls_the_live_counts(client, staff, show, buyer_owner):
    client.force_login(staff)
    fragment = reverse("exhibitions:arrivals", kwargs={"slug": show.slug})
    dashboard = client.get(reverse("exhibitions:dashboard", kwargs={"slug": show.slug})).content.decode()
    assert f'hx-get="{fragment}"' in dashboard
    today = timezone.localtime(timezone.now(), show.tzinfo).date()
    before = client.get(fragment).content.decode()
    assert f'data-day="{today:%Y-%m-%d}">0<' in before
    services.check_in(exhibition=show, person=buyer_owner, by=staff)
    after = client.get(fragment).content.decode()
    assert f'data-day="{today:%Y-%m-%d}">1<' in after
