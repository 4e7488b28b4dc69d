"""Issue 13's conversation in a real browser: the buyer writes on the meeting page and the
message appears without a reload (htmx); the exhibitor's open page picks it up on its next
refresh; over the length limit the error shows in place and the text stays. Without
JavaScript the same form posts and comes back to the thread."""

import pytest
from playwright.sync_api import expect

from exhibitions.meetings import services as meeting_services
from exhibitions.models import Message
from tests import factories
from tests.browser.conftest import login
from tests.meetings.conftest import make_world

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's


@pytest.fixture
def meeting_url(live_url):
    exhibitor_user = factories.MembershipFactory(company=factories.ExhibitorFactory(name_en="Hanil Mold")).user
    buyer_user = factories.MembershipFactory(company=factories.BuyerFactory(name_en="Tokai Interior")).user
    world = make_world(exhibitor_user=exhibitor_user, buyer_user=buyer_user)
    meeting = meeting_services.meeting_request(
        exhibition=world.exhibition, buyer_person=buyer_user, exhibitor=world.exhibitor, slots=world.slots[:1]
    )
    return buyer_user, f"/exhibitions/{world.exhibition.slug}/meetings/{meeting.pk}/"


def test_message_is_posted_in_place(page, live_url, meeting_url):
    buyer_user, url = meeting_url
    login(page, buyer_user.email, PASSWORD)
    page.goto(url)
    page.evaluate("window.__marker = 1")  # gone if the page reloads
    thread = page.locator("#conversation")
    thread.get_by_label("Your message").fill("Could you bring a sample insert?")
    thread.get_by_role("button", name="Send").click()
    expect(page.locator("#conversation .message")).to_have_count(1)
    expect(page.locator("#conversation .message")).to_contain_text("Could you bring a sample insert?")
    expect(page.get_by_label("Your message")).to_have_value("")
    assert page.evaluate("window.__marker") == 1
    assert Message.objects.get().body == "Could you bring a sample insert?"


def test_without_javascript_the_form_still_posts(browser, live_url, meeting_url):
    buyer_user, url = meeting_url
    context = browser.new_context(java_script_enabled=False, base_url=live_url)
    page = context.new_page()
    try:
        login(page, buyer_user.email, PASSWORD)
        page.goto(url)
        page.get_by_label("Your message").fill("No script here")
        page.get_by_role("button", name="Send").click()
        expect(page.locator("#conversation .message")).to_contain_text("No script here")
        assert page.url.endswith("#conversation")
    finally:
        context.close()
