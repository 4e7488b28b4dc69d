"""Staff import a data file through the browser: upload, read the preview, confirm."""

import pytest
from playwright.sync_api import expect

from companies.models import Company
from exhibitions.models import Meeting
from tests import factories
from tests.browser.conftest import ARTIFACTS, login
from tests.interchange.conftest import DATA

pytestmark = pytest.mark.browser


def test_staff_upload_preview_and_confirm(page):
    factories.StaffFactory(email="staff@coop.example")
    login(page, "staff@coop.example", "correct-horse-battery")

    page.goto("/exhibitions/data/import/")
    page.set_input_files("input[type=file]", str(DATA / "bad_roles.json"))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".problem-list li")).to_have_count(5)
    expect(page.locator(".problem-list")).to_contain_text("meetings[0].buyer: 'KR-0001' is an exhibitor, not a buyer")

    page.set_input_files("input[type=file]", str(DATA / "example.json"))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Preview of example.json")).to_be_visible()
    expect(page.locator(".preview-counts")).to_contain_text("Companies")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "interchange-preview.png"), full_page=True)
    assert not Company.objects.exists()

    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator(".messages")).to_contain_text("companies: 3 created")
    assert Company.objects.count() == 3
    assert Meeting.objects.filter(status="held", outcome="quotation").count() == 1
