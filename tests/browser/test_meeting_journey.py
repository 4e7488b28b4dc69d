"""Issue 4's journey in a real browser: a buyer requests a meeting, the exhibitor proposes
another time, the buyer accepts it; both agendas and calendar feeds show it; after the
meeting the buyer records a deal, and the staff report counts it."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from exhibitions.models import ExchangeRate, Meeting
from tests import factories
from tests.browser.conftest import login
from tests.meetings.conftest import make_world, past

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's


def switch_to(page, user):
    page.context.clear_cookies()
    login(page, user.email, PASSWORD)


def feed_events(page, user, exhibition):
    path = reverse("exhibitions:meetings_calendar", kwargs={"slug": exhibition.slug, "token": user.calendar_token})
    response = page.request.get(path)
    assert response.ok
    return list(Calendar.from_ical(response.body()).walk("VEVENT"))


def test_request_propose_accept_agendas_feeds_outcome_and_report(page, live_url):
    exhibitor_user = factories.MembershipFactory(
        company=factories.ExhibitorFactory(name_en="Hanil Precision Mold")
    ).user
    buyer_user = factories.MembershipFactory(company=factories.BuyerFactory(name_en="Tokai Auto Interior")).user
    world = make_world(exhibitor_user=exhibitor_user, buyer_user=buyer_user, slots=4)
    staff = factories.StaffFactory(cooperative=world.exhibition.cooperative)
    exhibition, slots = world.exhibition, world.slots
    tz = exhibition.tzinfo
    base = f"/exhibitions/{exhibition.slug}/meetings"

    # The buyer asks for the first time.
    switch_to(page, buyer_user)
    page.goto(f"{base}/request/?exhibitor={world.exhibitor.ref}")
    page.locator(f"input[name=slots][value='{slots[0].pk}']").check()
    page.locator("textarea[name=message]").fill("We source door-trim moulds for 2028 models.")
    page.get_by_role("button", name="Send request").click()  # the page also has the wish control
    expect(page.locator("#meeting-status")).to_have_text("Requested")
    meeting = Meeting.objects.get()
    detail = f"{base}/{meeting.pk}/"

    # The exhibitor cannot make it and proposes the third time instead.
    switch_to(page, exhibitor_user)
    page.goto(detail)
    proposal = page.locator("#propose")
    proposal.locator(f"input[name=slots][value='{slots[2].pk}']").check()
    proposal.locator("textarea[name=message]").fill("Morning is full; the afternoon works.")
    proposal.locator("button[type=submit]").click()
    expect(page.locator("#meeting-status")).to_have_text("Other times proposed")

    # The buyer accepts the proposed time.
    switch_to(page, buyer_user)
    page.goto(detail)
    answer = page.locator("#accept-proposal")
    answer.locator(f"input[name=slot][value='{slots[2].pk}']").check()
    answer.locator("button[type=submit]").click()
    expect(page.locator("#meeting-status")).to_have_text("Accepted")
    local_start = slots[2].starts_at.astimezone(tz).strftime("%H:%M")
    expect(page.locator("#meeting-when")).to_contain_text(local_start)

    # Both agendas show it, in the exhibition's time zone, at the exhibitor's booth.
    page.goto(f"{base}/")
    row = page.locator("table.agenda tbody tr").first
    expect(row).to_contain_text("Hanil Precision Mold")
    expect(row).to_contain_text(local_start)
    expect(row).to_contain_text("A-01")
    switch_to(page, exhibitor_user)
    page.goto(f"{base}/")
    row = page.locator("table.agenda tbody tr").first
    expect(row).to_contain_text("Tokai Auto Interior")
    expect(row).to_contain_text(local_start)
    expect(page.get_by_role("button", name="Print")).to_be_visible()

    # Both calendar feeds have one event at the agreed time.
    meeting.refresh_from_db()
    for person in (buyer_user, exhibitor_user):
        [event] = feed_events(page, person, exhibition)
        assert str(event["UID"]) == f"{meeting.uid}@fairlink"
        assert event.decoded("DTSTART") == slots[2].starts_at
        assert event["STATUS"] == "CONFIRMED"

    # The meeting takes place; afterwards the buyer records a deal worth 3,000,000 JPY, which
    # counts in US dollars at the rate staff entered for the show.
    ExchangeRate.objects.create(exhibition=exhibition, jpy_per_usd=150, krw_per_usd=1400)
    past(meeting)
    assert meeting.starts_at < timezone.now() - datetime.timedelta(minutes=30)
    switch_to(page, buyer_user)
    page.goto(detail)
    outcome = page.locator("#outcome")
    outcome.locator("select[name=outcome]").select_option("deal")
    outcome.locator("input[name=estimated_value]").fill("3000000")
    outcome.locator("select[name=currency]").select_option("JPY")
    outcome.locator("textarea[name=note]").fill("Trial order in May.")
    outcome.locator("button[type=submit]").click()
    expect(page.locator("#meeting-status")).to_have_text("Held")

    # The staff figures count it.
    switch_to(page, staff)
    page.goto(f"{base}/report/")
    expect(page.locator("#fig-requested")).to_have_text("1")
    expect(page.locator("#fig-accepted")).to_have_text("1")
    expect(page.locator("#fig-held")).to_have_text("1")
    expect(page.locator("#outcome-deal")).to_have_text("1")
    expect(page.locator("#fig-value")).to_have_text(re.compile(r"20,?000"))
