"""Issue 9's meeting edges in a real browser, on a phone-sized screen: the agenda's rows
are cards with every column visible, the calendar address has a working copy button (a
static script, no inline code), and a buyer's move waits for the exhibitor's acceptance."""

import pytest
from playwright.sync_api import expect

from exhibitions.meetings import services
from exhibitions.models import Meeting
from tests import factories
from tests.browser.conftest import login
from tests.meetings.conftest import make_world

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's


def test_phone_agenda_cards_copy_button_and_move_by_agreement(page, live_url):
    exhibitor_user = factories.MembershipFactory(company=factories.ExhibitorFactory(name_en="Hanil Precision")).user
    buyer_user = factories.MembershipFactory(company=factories.BuyerFactory(name_en="Tokai Interior")).user
    world = make_world(exhibitor_user=exhibitor_user, buyer_user=buyer_user, slots=4)
    request = services.meeting_request(
        exhibition=world.exhibition, buyer_person=buyer_user, exhibitor=world.exhibitor, slots=[world.slots[0]]
    )
    meeting = services.meeting_accept(meeting=request, slot=world.slots[0], by=exhibitor_user, table=world.tables[1])
    base = f"/exhibitions/{world.exhibition.slug}/meetings"

    page.set_viewport_size({"width": 390, "height": 844})
    login(page, buyer_user.email, PASSWORD)
    page.goto(f"{base}/")
    width = page.evaluate("document.documentElement.clientWidth")
    for label in ("Interpreter", "Status"):
        cell = page.locator(f"table.agenda td[data-label='{label}']").first
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (label, box, width)
    copy = page.locator("button[data-copy=calendar-url]")
    expect(copy).to_be_visible()  # shown by static/js/copy.js
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    copy.click()
    expect(copy).to_have_attribute("data-copied", "")

    # The buyer proposes a later time; the meeting stays until the exhibitor accepts.
    page.goto(f"{base}/{meeting.pk}/")
    form = page.locator("#reschedule")
    form.locator("select[name=slot]").select_option(str(world.slots[2].pk))
    form.locator("button[type=submit]").click()
    expect(page.locator("#move")).to_be_visible()
    meeting.refresh_from_db()
    assert meeting.slot_id == world.slots[0].pk and meeting.move_slot_id == world.slots[2].pk

    page.context.clear_cookies()
    login(page, exhibitor_user.email, PASSWORD)
    page.goto(f"{base}/{meeting.pk}/")
    page.locator("#move form").first.locator("button[type=submit]").click()
    expect(page.locator("#move")).to_have_count(0)
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.slot_id == world.slots[2].pk and meeting.table_id == world.tables[1].pk
