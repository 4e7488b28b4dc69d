"""Issue 13's lead capture in a real browser: an exhibitor's person, at the booth, picks a
registered buyer from the search and adds interest and a note; then types a badge code by
hand (the camera's fallback) for a second buyer; both are on "My leads", and a second capture
of the first buyer updates its lead instead of adding one."""

import pytest
from playwright.sync_api import expect

from exhibitions.models import Lead
from exhibitions.showfloor import badges
from tests import factories
from tests.browser.conftest import login

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's


def test_exhibitor_captures_leads_by_picking_and_by_typed_badge_code(page, live_url):
    exhibitor_user = factories.MembershipFactory(
        company=factories.ExhibitorFactory(name_en="Hanil Precision Mold")
    ).user
    tokai = factories.MembershipFactory(
        company=factories.BuyerFactory(name_en="Tokai Auto Interior"), user__full_name="Kenji Sato"
    ).user
    kansai = factories.MembershipFactory(
        company=factories.BuyerFactory(name_en="Kansai Seiki"), user__full_name="Yumi Ito"
    ).user
    exhibition = factories.ExhibitionFactory()
    factories.ApplicationFactory(exhibition=exhibition, company=exhibitor_user.company, status="approved")
    for buyer in (tokai, kansai):
        factories.BuyerRegistrationFactory(exhibition=exhibition, company=buyer.company)
    slug = exhibition.slug

    login(page, exhibitor_user.email, PASSWORD)
    page.goto(f"/exhibitions/{slug}/leads/")
    expect(page.get_by_role("heading", name="My leads")).to_be_visible()
    page.get_by_role("link", name="Capture a lead").click()

    # Pick a registered buyer from the search, then add interest and a note.
    page.get_by_label("Name, company or email").fill("Tokai")
    page.get_by_role("button", name="Search").click()
    results = page.locator("#search-results")
    expect(results).to_contain_text("Kenji Sato")
    results.get_by_role("button", name="Save as a lead").click()
    expect(page.get_by_role("status")).to_contain_text("Lead saved: Kenji Sato")
    page.get_by_label("High").check()
    page.get_by_label("Note").fill("Wants a quote for door trim molds")
    page.get_by_role("button", name="Save", exact=True).click()
    row = page.locator("#leads tbody tr", has_text="Tokai Auto Interior")
    expect(row).to_contain_text("High")
    expect(row).to_contain_text("Wants a quote for door trim molds")

    # The camera's fallback: the badge code typed (or pasted) by hand.
    page.get_by_role("link", name="Capture a lead").click()
    page.locator("#scan-token").fill(badges.badge_token(exhibition=exhibition, user=kansai))
    page.locator("#scan-interest").select_option("low")
    page.locator("#scan-note").fill("Just looking")
    page.locator("#scan-form").get_by_role("button", name="Save the lead").click()
    expect(page.get_by_role("status")).to_contain_text("Lead saved: Yumi Ito")
    page.get_by_role("link", name="My leads").first.click()
    expect(page.locator("#leads tbody tr")).to_have_count(2)
    expect(page.locator("#leads tbody tr", has_text="Kansai Seiki")).to_contain_text("Badge scan")

    # The same buyer again: the lead is updated, not doubled.
    page.get_by_role("link", name="Capture a lead").click()
    page.locator("#scan-token").fill(badges.badge_token(exhibition=exhibition, user=tokai))
    page.locator("#scan-note").fill("Came back with his boss")
    page.locator("#scan-form").get_by_role("button", name="Save the lead").click()
    expect(page.get_by_role("status")).to_contain_text("was already a lead")
    assert Lead.objects.count() == 2
    lead = Lead.objects.get(buyer=tokai.company)
    assert (lead.interest, lead.note) == ("high", "Wants a quote for door trim molds\nCame back with his boss")
