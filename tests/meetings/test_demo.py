"""The meetings demo on top of a stand-in for the companies and exhibitions demos."""

import datetime

import pytest

from companies.models import Notification
from exhibitions.meetings import demo, selectors
from exhibitions.models import Meeting, MeetingOutcome, Slot
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world():
    cooperative = factories.CooperativeFactory()
    factories.StaffFactory(email=demo.STAFF_LOGIN, cooperative=cooperative)
    exhibitor_login = factories.MembershipFactory(
        company=factories.ExhibitorFactory(ref="KR-0001"), user=factories.UserFactory(email=demo.EXHIBITOR_LOGIN)
    ).user
    buyer_login = factories.MembershipFactory(
        company=factories.BuyerFactory(ref="JP-0001"), user=factories.UserFactory(email=demo.BUYER_LOGIN)
    ).user
    exhibitors = [exhibitor_login.company] + [factories.ExhibitorFactory(ref=f"KR-{i:04d}") for i in range(2, 10)]
    buyers = [buyer_login.company] + [factories.BuyerFactory(ref=f"JP-{i:04d}") for i in range(2, 10)]
    shows = {
        demo.PAST: (datetime.date(2025, 4, 16), "closed"),
        demo.OPEN: (datetime.date(2027, 4, 14), "open"),
    }
    for slug, (starts_on, status) in shows.items():
        exhibition = factories.ExhibitionFactory(
            slug=slug,
            cooperative=cooperative,
            starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(days=2),
            status=status,
        )
        hall = factories.HallFactory(exhibition=exhibition)
        for n, company in enumerate(exhibitors):
            booth = factories.BoothFactory(hall=hall, exhibition=exhibition, code=f"A-{n + 1:02d}")
            application = factories.ApplicationFactory(
                exhibition=exhibition, company=company, status="approved", booth=booth
            )
            factories.RepresentativeFactory(
                application=application, user=exhibitor_login if company == exhibitor_login.company else None
            )
        for company in buyers:
            factories.BuyerRegistrationFactory(exhibition=exhibition, company=company)
    return exhibitor_login, buyer_login


def test_demo_has_every_state_and_is_idempotent(demo_world):
    exhibitor_login, buyer_login = demo_world
    first = demo.seed()
    # Made-up addresses: notices stay in-app, marked as emailed so that no email is queued.
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert Notification.objects.filter(user=exhibitor_login, template="meeting_requested").exists()
    assert first["requests"] == 11 and first["past_meetings"] == len(demo.PAST_MEETINGS)
    assert Slot.objects.filter(exhibition__slug=demo.OPEN).count() == 3 * 12  # 10-12 and 13-17, 30 min, 3 days
    open_states = set(Meeting.objects.filter(exhibition__slug=demo.OPEN).values_list("status", flat=True))
    assert open_states == {"requested", "proposed", "accepted", "declined", "cancelled", "expired"}
    past = Meeting.objects.filter(exhibition__slug=demo.PAST)
    assert set(past.values_list("status", flat=True)) == {"held", "no_show"}
    assert MeetingOutcome.objects.filter(meeting__exhibition__slug=demo.PAST).count() >= 10
    assert past.filter(outcome="deal").count() == 2
    # Agenda entries for both demo logins on both shows.
    for slug in (demo.PAST, demo.OPEN):
        exhibition = (
            past.first().exhibition
            if slug == demo.PAST
            else Meeting.objects.filter(exhibition__slug=slug).first().exhibition
        )
        for person in (exhibitor_login, buyer_login):
            assert selectors.agenda_for(user=person, exhibition=exhibition).exists(), (slug, person)
    # A moved meeting keeps its history.
    moved = Meeting.objects.get(exhibition__slug=demo.OPEN, events__action="rescheduled")
    assert moved.sequence == 2
    count = Meeting.objects.count()
    again = demo.seed()
    assert again == {"slots_created": 0, "requests": 0, "past_meetings": 0}
    assert Meeting.objects.count() == count


def test_demo_without_exhibitions_says_so(db):
    class Out:
        lines = []

        def write(self, text):
            self.lines.append(text)

    out = Out()
    assert demo.seed(stdout=out) == {"slots_created": 0, "requests": 0, "past_meetings": 0}
    assert any("run the exhibitions demo first" in line for line in out.lines)
