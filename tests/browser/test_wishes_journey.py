"""Issue 8's wishes in a real browser: a buyer marks "must meet" on an exhibitor from the
directory (htmx swaps the control in place) and finds it on "My wishes"; the exhibitor sees
the buyer's wish, wishes back, and both see the pair as mutual."""

import pytest
from playwright.sync_api import expect

from exhibitions.models import Wish
from tests import factories
from tests.browser.conftest import login
from tests.meetings.conftest import make_world

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's


def switch_to(page, user):
    page.context.clear_cookies()
    login(page, user.email, PASSWORD)


def test_buyer_must_meet_from_directory_then_exhibitor_wishes_back_mutual(page, live_url):
    exhibitor_user = factories.MembershipFactory(
        company=factories.ExhibitorFactory(name_en="Hanil Precision Mold")
    ).user
    buyer_user = factories.MembershipFactory(company=factories.BuyerFactory(name_en="Tokai Auto Interior")).user
    world = make_world(exhibitor_user=exhibitor_user, buyer_user=buyer_user)
    slug = world.exhibition.slug

    switch_to(page, buyer_user)
    page.goto(f"/exhibitions/{slug}/exhibitors/")
    card = page.locator(f"#exhibitor-{world.exhibitor.ref}")
    card.get_by_role("button", name="Must meet").click()
    expect(card.get_by_role("button", name="Must meet")).to_have_attribute("aria-pressed", "true")
    assert Wish.objects.get().priority == "must"
    page.goto(f"/exhibitions/{slug}/wishes/")
    row = page.locator("table.wishes tbody tr", has_text="Hanil Precision Mold")
    expect(row.get_by_role("button", name="Must meet")).to_have_attribute("aria-pressed", "true")
    expect(row.locator(".badge.mutual")).to_have_count(0)

    switch_to(page, exhibitor_user)
    page.goto(f"/exhibitions/{slug}/wishes/")
    row = page.locator("table.wishes tbody tr", has_text="Tokai Auto Interior")
    expect(row).to_contain_text("Must meet")  # the buyer's wish, in "their wish"
    row.get_by_role("button", name="Would like to meet").click()
    expect(row.get_by_role("button", name="Would like to meet")).to_have_attribute("aria-pressed", "true")
    page.reload()
    expect(
        page.locator("table.wishes tbody tr", has_text="Tokai Auto Interior").locator(".badge.mutual")
    ).to_be_visible()

    switch_to(page, buyer_user)
    page.goto(f"/exhibitions/{slug}/wishes/")
    expect(
        page.locator("table.wishes tbody tr", has_text="Hanil Precision Mold").locator(".badge.mutual")
    ).to_be_visible()
