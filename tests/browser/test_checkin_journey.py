"""Check-in at the entrance in a real browser, on a phone-sized screen: staff type a badge
code (the camera's fallback), find a second person by name, see the day's arrivals count
both, and a second scan of the same badge says when that person came in instead of counting
them twice; the staff dashboard shows the same count."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exhibitions.models import CheckIn
from exhibitions.showfloor import badges
from tests import factories
from tests.browser.conftest import login

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's


def test_staff_check_people_in_by_badge_code_and_by_name(page, live_url):
    staff = factories.StaffFactory()
    today = timezone.localtime(timezone.now(), zoneinfo.ZoneInfo("Asia/Tokyo")).date()
    exhibition = factories.ExhibitionFactory(
        cooperative=staff.cooperative,
        timezone="Asia/Tokyo",
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=1),
    )
    buyer = factories.MembershipFactory(
        company=factories.BuyerFactory(name_en="Tokai Auto Interior"), user__full_name="Kenji Sato"
    ).user
    exhibitor = factories.MembershipFactory(
        company=factories.ExhibitorFactory(name_en="Hanil Precision Mold"), user__full_name="Minji Park"
    ).user
    factories.BuyerRegistrationFactory(exhibition=exhibition, company=buyer.company)
    factories.ApplicationFactory(exhibition=exhibition, company=exhibitor.company, status="approved")
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, staff.email, PASSWORD)
    page.goto(f"/exhibitions/{exhibition.slug}/check-in/")
    todays_count = page.locator(f"#arrivals [data-day='{today:%Y-%m-%d}']")
    expect(todays_count).to_have_text("0")

    # The badge code, typed or pasted where the camera cannot read it.
    page.locator("#scan-token").fill(badges.badge_token(exhibition=exhibition, user=buyer))
    page.get_by_role("button", name="Check in").first.click()
    expect(page.get_by_role("status")).to_contain_text("Kenji Sato (Tokai Auto Interior) checked in.")
    expect(todays_count).to_have_text("1")

    # Someone without their badge: found by name.
    page.get_by_label("Name, company or email").fill("Hanil")
    page.get_by_role("button", name="Search").click()
    page.locator("#search-results").get_by_role("button", name="Check in").click()
    expect(page.get_by_role("status")).to_contain_text("Minji Park (Hanil Precision Mold) checked in.")
    expect(todays_count).to_have_text("2")

    # The same badge again the same day counts once and says when.
    page.locator("#scan-token").fill(badges.badge_token(exhibition=exhibition, user=buyer))
    page.get_by_role("button", name="Check in").first.click()
    expect(page.get_by_role("status")).to_contain_text("was already checked in today")
    expect(todays_count).to_have_text("2")
    assert CheckIn.objects.filter(exhibition=exhibition, day=today).count() == 2

    # A forged code names nobody.
    page.locator("#scan-token").fill("not-a-badge")
    page.get_by_role("button", name="Check in").first.click()
    expect(page.locator(".messages .msg-error")).to_be_visible()
    expect(page.locator(".messages")).not_to_contain_text("Kenji")
    expect(todays_count).to_have_text("2")

    page.goto(f"/exhibitions/{exhibition.slug}/dashboard/")
    expect(page.locator(f"#arrivals [data-day='{today:%Y-%m-%d}']")).to_have_text("2")
