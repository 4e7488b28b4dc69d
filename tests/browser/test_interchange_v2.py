"""Staff import an exhibition-data/2 file through the browser: the preview counts meeting
hours, interpreters and wishes; confirm imports them."""

import pytest
from playwright.sync_api import expect

from exhibitions.models import Interpreter, Wish
from tests import factories
from tests.browser.conftest import ARTIFACTS, login
from tests.interchange.conftest import DATA

pytestmark = pytest.mark.browser


def test_staff_import_a_version_2_file(page):
    factories.StaffFactory(email="staff@coop.example")
    login(page, "staff@coop.example", "correct-horse-battery")

    page.goto("/exhibitions/data/import/")
    page.set_input_files("input[type=file]", str(DATA / "v2" / "example-2.json"))
    page.get_by_role("button", name="Check the file").click()
    counts = page.locator(".preview-counts")
    for row in ("Meeting hours", "Interpreters", "Wishes"):
        expect(counts).to_contain_text(row)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "interchange-v2-preview.png"), full_page=True)
    assert not Interpreter.objects.exists()

    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator(".messages")).to_contain_text("wishes: 3 created")
    assert Interpreter.objects.count() == 1 and Wish.objects.count() == 3
