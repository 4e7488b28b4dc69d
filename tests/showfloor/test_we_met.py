"""'We met' from the agenda, and meetings nobody marked becoming no-show candidates for staff."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from exhibitions.meetings.services import MeetingError
from exhibitions.models import Meeting, MeetingEvent
from exhibitions.showfloor import selectors, services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def show(staff, exhibitor_owner, buyer_owner):
    exhibition = factories.ExhibitionFactory(cooperative=staff.cooperative)
    factories.ApplicationFactory(exhibition=exhibition, company=exhibitor_owner.company, status="approved")
    factories.BuyerRegistrationFactory(exhibition=exhibition, company=buyer_owner.company)
    return exhibition


def booked(show, exhibitor_owner, buyer_owner, *, started_minutes_ago, status="accepted"):
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=started_minutes_ago)
    slot = factories.SlotFactory(exhibition=show, starts_at=start, ends_at=start + datetime.timedelta(minutes=30))
    return factories.MeetingFactory(
        exhibition=show,
        buyer=buyer_owner.company,
        buyer_person=buyer_owner,
        exhibitor=exhibitor_owner.company,
        slot=slot,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        status=status,
    )


def test_each_side_marks_met_once_and_the_meeting_is_held(show, exhibitor_owner, buyer_owner):
    meeting = booked(show, exhibitor_owner, buyer_owner, started_minutes_ago=10)
    services.meeting_mark_met(meeting=meeting, by=buyer_owner)
    services.meeting_mark_met(meeting=meeting, by=buyer_owner)
    services.meeting_mark_met(meeting=meeting, by=exhibitor_owner)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    sides = sorted(e.details["side"] for e in MeetingEvent.objects.filter(meeting=meeting, action="met"))
    assert sides == ["buyer", "exhibitor"]


def test_not_before_the_start_and_not_by_outsiders(show, exhibitor_owner, buyer_owner, other_buyer, staff):
    future = booked(show, exhibitor_owner, buyer_owner, started_minutes_ago=-60)
    with pytest.raises(MeetingError, match="not started"):
        services.meeting_mark_met(meeting=future, by=buyer_owner)
    started = booked(show, exhibitor_owner, buyer_owner, started_minutes_ago=5)
    for stranger in (other_buyer, staff):
        with pytest.raises(MeetingError, match="Only the two sides"):
            services.meeting_mark_met(meeting=started, by=stranger)
    cancelled = booked(show, exhibitor_owner, buyer_owner, started_minutes_ago=45, status="cancelled")
    with pytest.raises(MeetingError):
        services.meeting_mark_met(meeting=cancelled, by=buyer_owner)
    assert Meeting.objects.filter(status="held").count() == 0


def test_the_agenda_offers_we_met_and_the_button_works(client, show, exhibitor_owner, buyer_owner):
    meeting = booked(show, exhibitor_owner, buyer_owner, started_minutes_ago=5)
    client.force_login(exhibitor_owner)
    agenda = client.get(reverse("exhibitions:meetings_agenda", kwargs={"slug": show.slug}))
    assert f'data-met="{meeting.pk}"' in agenda.content.decode()
    response = client.post(reverse("exhibitions:meetings_met", kwargs={"slug": show.slug, "pk": meeting.pk}))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "held"


def test_another_company_cannot_see_or_mark_the_meeting(client, show, exhibitor_owner, buyer_owner, other_exhibitor):
    meeting = booked(show, exhibitor_owner, buyer_owner, started_minutes_ago=5)
    client.force_login(other_exhibitor)
    url = reverse("exhibitions:meetings_met", kwargs={"slug": show.slug, "pk": meeting.pk})
    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 405
    meeting.refresh_from_db()
    assert meeting.status == "accepted"


def test_unmarked_meetings_become_no_show_candidates_after_the_grace_time(
    client, settings, show, staff, exhibitor_owner, buyer_owner
):
    settings.FAIRLINK_NO_SHOW_AFTER_MINUTES = 30
    ended_long_ago = booked(show, exhibitor_owner, buyer_owner, started_minutes_ago=90)
    just_ended = booked(show, exhibitor_owner, buyer_owner, started_minutes_ago=40)
    marked = booked(show, exhibitor_owner, buyer_owner, started_minutes_ago=120)
    services.meeting_mark_met(meeting=marked, by=buyer_owner)
    assert selectors.no_show_candidates(show) == [ended_long_ago]
    assert ended_long_ago.status == "accepted" and just_ended.pk
    settings.FAIRLINK_NO_SHOW_AFTER_MINUTES = 5
    assert selectors.no_show_candidates(show) == [ended_long_ago, just_ended]
    client.force_login(staff)
    page = client.get(reverse("exhibitions:dashboard", kwargs={"slug": show.slug})).content.decode()
    assert f'data-meeting="{ended_long_ago.pk}"' in page and f'data-meeting="{marked.pk}"' not in page
