"""Wishes and availability pages by persona: the buyer, the exhibitor, staff, outsiders."""

import datetime

import pytest
from django.urls import reverse

from exhibitions.models import Unavailability, Wish
from tests import factories

from .conftest import add_buyer

pytestmark = pytest.mark.django_db


def url(world, name):
    return reverse(f"exhibitions:{name}", kwargs={"slug": world.exhibition.slug})


def test_buyer_marks_must_meet_from_the_directory_without_js(client, world):
    client.force_login(world.buyer_user)
    directory = url(world, "directory")
    page = client.get(directory).content.decode()
    assert 'name="priority" value="must"' in page
    response = client.post(
        url(world, "wish_set"), {"company": world.exhibitor.ref, "priority": "must", "next": directory + "?q="}
    )
    assert response.status_code == 302 and response.url == directory + "?q="
    assert Wish.objects.get().priority == "must"
    page = client.get(directory).content.decode()
    assert 'value="must" class="wish must on"' in page  # shown as chosen, not a stale cached page


def test_htmx_gets_the_control_back(client, world):
    client.force_login(world.buyer_user)
    response = client.post(
        url(world, "wish_set"), {"company": world.exhibitor.ref, "priority": "want"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith("<form") and 'value="want" class="wish want on"' in body
    response = client.post(
        url(world, "wish_set"), {"company": world.exhibitor.ref, "priority": "clear"}, headers={"HX-Request": "true"}
    )
    assert 'aria-pressed="true"' not in response.content.decode()
    assert not Wish.objects.exists()


def test_a_bad_priority_is_an_error_and_changes_nothing(client, world):
    client.force_login(world.buyer_user)
    client.post(url(world, "wish_set"), {"company": world.exhibitor.ref, "priority": "want"})
    response = client.post(
        url(world, "wish_set"), {"company": world.exhibitor.ref, "priority": "maybe"}, headers={"HX-Request": "true"}
    )
    assert 'role="alert"' in response.content.decode()
    assert Wish.objects.get().priority == "want"


def test_wishes_for_a_company_outside_the_show_are_404(client, world):
    client.force_login(world.buyer_user)
    stranger = factories.ExhibitorFactory()
    response = client.post(url(world, "wish_set"), {"company": stranger.ref, "priority": "must"})
    assert response.status_code == 404


def test_mutual_wish_shows_on_both_sides_and_other_buyers_see_nothing(client, world, other_buyer):
    client.force_login(world.buyer_user)
    client.post(url(world, "wish_set"), {"company": world.exhibitor.ref, "priority": "must"})
    client.force_login(world.exhibitor_user)
    page = client.get(url(world, "wishes")).content.decode()
    assert world.buyer.name in page and "Mutual" not in page.split("<table")[1]
    client.post(url(world, "wish_set"), {"company": world.buyer.ref, "priority": "want"})
    page = client.get(url(world, "wishes")).content.decode()
    assert 'class="badge mutual"' in page
    client.force_login(world.buyer_user)
    assert 'class="badge mutual"' in client.get(url(world, "wishes")).content.decode()
    factories.BuyerRegistrationFactory(exhibition=world.exhibition, company=other_buyer.company)
    client.force_login(other_buyer)
    page = client.get(url(world, "wishes")).content.decode()
    assert world.buyer.name not in page and world.exhibitor.name not in page


def test_no_on_an_open_request_says_it_is_not_cancelled(client, world):
    from exhibitions.meetings import services as meetings

    meetings.meeting_request(
        exhibition=world.exhibition, buyer_person=world.buyer_user, exhibitor=world.exhibitor, slots=world.slots[:1]
    )
    client.force_login(world.buyer_user)
    client.post(url(world, "wish_set"), {"company": world.exhibitor.ref, "priority": "no"})
    page = client.get(url(world, "wishes")).content.decode()
    assert "not interested does not cancel it" in page


@pytest.mark.parametrize("rows", [5, 200])
def test_my_wishes_query_count_is_fixed(client, world, django_assert_num_queries, rows):
    exhibitors = factories.ExhibitorFactory.create_batch(rows)
    for company in exhibitors:
        factories.ApplicationFactory(exhibition=world.exhibition, company=company, status="approved")
    Wish.objects.bulk_create(
        [
            Wish(exhibition=world.exhibition, buyer=world.buyer, exhibitor=c, by=by, priority="want")
            for c in exhibitors
            for by in ("buyer", "exhibitor")
        ]
    )
    client.force_login(world.buyer_user)
    # session, user, membership, exhibition, registration, wishes with companies, open meetings
    with django_assert_num_queries(7):  # the signed-in user, membership and company in one query; unread messages
        assert client.get(url(world, "wishes")).status_code == 200


def test_wishes_pages_refuse_people_outside_the_show(client, world, outsider, other_exhibitor, staff):
    for person in (outsider, other_exhibitor, staff):
        client.force_login(person)
        assert client.get(url(world, "wishes")).status_code == 404
        assert client.get(url(world, "availability")).status_code == 404
    client.logout()
    assert client.get(url(world, "wishes")).status_code == 302


def test_buyer_edits_visit_days_and_bad_days_are_field_errors(client, world):
    client.force_login(world.buyer_user)
    days = world.exhibition.days
    response = client.post(url(world, "availability"), {"action": "visit_days", "visit_days": [days[2].isoformat()]})
    assert response.status_code == 302
    world.registration.refresh_from_db()
    assert world.registration.visit_days == [days[2].isoformat()]
    outside = (days[-1] + datetime.timedelta(days=3)).isoformat()
    response = client.post(url(world, "availability"), {"action": "visit_days", "visit_days": [outside]})
    assert response.status_code == 400 and "not one of the available choices" in response.content.decode()
    world.registration.refresh_from_db()
    assert world.registration.visit_days == [days[2].isoformat()]


def test_blocked_time_ending_before_it_starts_is_a_field_error(client, world):
    client.force_login(world.exhibitor_user)
    day = world.exhibition.days[0].isoformat()
    data = {"action": "block", "day": day, "starts": "14:00", "ends": "13:00", "note": "Lunch with the bank"}
    response = client.post(url(world, "availability"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "must end after it starts" in body and "Lunch with the bank" in body  # what was typed is kept
    assert not Unavailability.objects.exists()
    data["ends"] = "15:00"
    assert client.post(url(world, "availability"), data).status_code == 302
    blocked = Unavailability.objects.get()
    assert blocked.starts_at.astimezone(world.exhibition.tzinfo).hour == 14


def test_an_exhibitor_removes_only_its_own_blocked_times(client, world, other_exhibitor):
    tz = world.exhibition.tzinfo
    day = world.exhibition.days[0]
    mine = Unavailability.objects.create(
        exhibition=world.exhibition,
        company=world.exhibitor,
        starts_at=datetime.datetime.combine(day, datetime.time(9), tz),
        ends_at=datetime.datetime.combine(day, datetime.time(10), tz),
    )
    factories.ApplicationFactory(exhibition=world.exhibition, company=other_exhibitor.company, status="approved")
    client.force_login(other_exhibitor)
    response = client.post(url(world, "availability"), {"action": "unblock", "pk": mine.pk})
    assert response.status_code == 404
    assert Unavailability.objects.filter(pk=mine.pk).exists()
    client.force_login(world.exhibitor_user)
    assert client.post(url(world, "availability"), {"action": "unblock", "pk": mine.pk}).status_code == 302
    assert not Unavailability.objects.exists()


def test_exhibitor_sets_parallel_meetings_and_stand_languages_after_approval(client, world):
    client.force_login(world.exhibitor_user)
    page = client.get(url(world, "availability")).content.decode()
    assert 'name="parallel_meetings"' in page and 'name="stand_languages"' in page
    assert client.post(url(world, "availability"), {"action": "parallel", "parallel_meetings": 2}).status_code == 302
    assert client.post(url(world, "availability"), {"action": "parallel", "parallel_meetings": 3}).status_code == 400
    response = client.post(url(world, "availability"), {"action": "languages", "stand_languages": ["ko", "ja"]})
    assert response.status_code == 302
    world.application.refresh_from_db()
    assert (world.application.parallel_meetings, world.application.stand_languages) == (2, "ja ko")


def test_staff_raise_parallel_meetings_on_the_review_page(client, world, staff):
    client.force_login(staff)
    review = reverse(
        "exhibitions:application_review", kwargs={"slug": world.exhibition.slug, "pk": world.application.pk}
    )
    assert 'id="parallel-meetings"' in client.get(review).content.decode()
    target = reverse(
        "exhibitions:application_parallel", kwargs={"slug": world.exhibition.slug, "pk": world.application.pk}
    )
    assert client.post(target, {"parallel_meetings": 6}).status_code == 302
    world.application.refresh_from_db()
    assert world.application.parallel_meetings == 6


def test_exhibitor_wishes_from_suggestions_and_company_page(client, world):
    from matching.models import Suggestion

    Suggestion.objects.create(
        exhibition=world.exhibition, buyer=world.buyer, exhibitor=world.exhibitor, score=0.9, rank=1, status="approved"
    )
    client.force_login(world.exhibitor_user)
    page = client.get(reverse("matching:for_me", kwargs={"slug": world.exhibition.slug})).content.decode()
    assert f'name="company" value="{world.buyer.ref}"' in page
    page = client.get(reverse("companies:detail", kwargs={"ref": world.buyer.ref})).content.decode()
    assert f'name="company" value="{world.buyer.ref}"' in page
    client.force_login(world.buyer_user)
    page = client.get(reverse("companies:detail", kwargs={"ref": world.exhibitor.ref})).content.decode()
    assert f'name="company" value="{world.exhibitor.ref}"' in page
    request_page = url(world, "meetings_request") + f"?exhibitor={world.exhibitor.ref}"
    assert f'name="company" value="{world.exhibitor.ref}"' in client.get(request_page).content.decode()


def test_staff_book_for_a_buyer_without_an_account_from_the_form(client, world, staff):
    silent = factories.BuyerFactory(name_en="Chubu Press Works")
    factories.BuyerRegistrationFactory(exhibition=world.exhibition, company=silent)
    add_buyer(world)
    client.force_login(staff)
    book = reverse("exhibitions:meetings_book", kwargs={"slug": world.exhibition.slug})
    assert "Chubu Press Works" in client.get(book).content.decode()
    response = client.post(book, {"buyer": silent.pk, "exhibitor": world.exhibitor.pk, "slot": world.slots[0].pk})
    assert response.status_code == 302
    response = client.post(
        book,
        {
            "buyer": silent.pk,
            "buyer_person": world.buyer_user.pk,
            "exhibitor": world.exhibitor.pk,
            "slot": world.slots[1].pk,
        },
    )
    assert response.status_code == 400 and "not in the buyer company" in response.content.decode()
