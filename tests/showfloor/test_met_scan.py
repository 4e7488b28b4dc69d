"""'We met' by scanning the other side's badge (either side), or both badges (staff at a
table): the confirmed meeting of the two companies today nearest to now is marked as met."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from exhibitions.models import Meeting, MeetingEvent
from exhibitions.showfloor import badges
from tests import factories

pytestmark = pytest.mark.django_db


def midday_zone():
    """A fixed-offset zone where it is now around noon, so "today" never crosses midnight."""
    offset = 12 - timezone.now().astimezone(datetime.UTC).hour
    return f"Etc/GMT{-offset:+d}" if offset else "UTC"


@pytest.fixture
def show(staff, exhibitor_owner, other_exhibitor, buyer_owner, other_buyer):
    exhibition = factories.ExhibitionFactory(cooperative=staff.cooperative, timezone=midday_zone())
    for person in (exhibitor_owner, other_exhibitor):
        factories.ApplicationFactory(exhibition=exhibition, company=person.company, status="approved")
    for person in (buyer_owner, other_buyer):
        factories.BuyerRegistrationFactory(exhibition=exhibition, company=person.company)
    return exhibition


def booked(show, exhibitor, buyer_person, *, minutes_from_now, status="accepted"):
    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(minutes=minutes_from_now)
    slot = factories.SlotFactory(exhibition=show, starts_at=start, ends_at=start + datetime.timedelta(minutes=30))
    return factories.MeetingFactory(
        exhibition=show,
        buyer=buyer_person.company,
        buyer_person=buyer_person,
        exhibitor=exhibitor.company,
        slot=slot,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        status=status,
    )


def scan(client, show, **tokens):
    url = reverse("exhibitions:meetings_met_scan", kwargs={"slug": show.slug})
    return client.post(url, tokens, follow=True).content.decode()


def token(show, person):
    return badges.badge_token(exhibition=show, user=person)


def test_a_buyer_scans_the_exhibitors_badge_and_the_nearest_meeting_is_held(client, show, exhibitor_owner, buyer_owner):
    earlier = booked(show, exhibitor_owner, buyer_owner, minutes_from_now=-120)
    current = booked(show, exhibitor_owner, buyer_owner, minutes_from_now=-5)
    client.force_login(buyer_owner)
    page = scan(client, show, token=token(show, exhibitor_owner))
    assert "Marked as met" in page
    current.refresh_from_db()
    earlier.refresh_from_db()
    assert (current.status, earlier.status) == ("held", "accepted")
    event = MeetingEvent.objects.get(meeting=current, action="met")
    assert (event.actor, event.details) == (buyer_owner, {"side": "buyer"})


def test_the_exhibitor_scans_the_buyers_badge(client, show, exhibitor_owner, exhibitor_colleague, buyer_owner):
    meeting = booked(show, exhibitor_owner, buyer_owner, minutes_from_now=-10)
    client.force_login(exhibitor_colleague)
    assert "Marked as met" in scan(client, show, token=token(show, buyer_owner))
    assert MeetingEvent.objects.get(meeting=meeting, action="met").details == {"side": "exhibitor"}


def test_clear_messages_when_there_is_no_such_meeting(
    client, show, exhibitor_owner, exhibitor_colleague, other_exhibitor, buyer_owner
):
    client.force_login(buyer_owner)
    page = scan(client, show, token=token(show, other_exhibitor))
    assert "No confirmed meeting today between" in page and other_exhibitor.company.name in page
    booked(show, exhibitor_owner, buyer_owner, minutes_from_now=60 * 24 * 2)  # another day
    booked(show, exhibitor_owner, buyer_owner, minutes_from_now=-30, status="cancelled")
    assert "No confirmed meeting today between" in scan(client, show, token=token(show, exhibitor_owner))
    later = booked(show, exhibitor_owner, buyer_owner, minutes_from_now=60)
    assert "This meeting has not started yet." in scan(client, show, token=token(show, exhibitor_owner))
    client.force_login(exhibitor_owner)
    assert "Scan the badge of the other side" in scan(client, show, token=token(show, exhibitor_colleague))
    assert "This code is not a Fairlink badge." in scan(client, show, token="nonsense")
    later.refresh_from_db()
    assert not Meeting.objects.filter(status="held").exists()


def test_staff_at_a_table_scan_both_badges(client, show, staff, exhibitor_owner, buyer_owner):
    meeting = booked(show, exhibitor_owner, buyer_owner, minutes_from_now=-3)
    client.force_login(staff)
    assert "Marked as met" in scan(client, show, token2=token(show, buyer_owner), token=token(show, exhibitor_owner))
    meeting.refresh_from_db()
    assert meeting.status == "held"
    events = MeetingEvent.objects.filter(meeting=meeting, action="met")
    assert sorted(e.details["side"] for e in events) == ["buyer", "exhibitor"]
    assert {e.actor for e in events} == {staff}
    # One badge is not enough for staff, and two badges of one side find nothing.
    assert "This code is not a Fairlink badge." in scan(client, show, token=token(show, buyer_owner))
    page = scan(client, show, token2=token(show, buyer_owner), token=token(show, buyer_owner))
    assert "Scan the badge of the other side" in page


def test_staff_of_another_cooperative_and_outsiders_get_404(client, show, outsider):
    other_staff = factories.StaffFactory()
    url = reverse("exhibitions:meetings_met_scan", kwargs={"slug": show.slug})
    for person in (other_staff, outsider):
        client.force_login(person)
        assert client.get(url).status_code == 404
