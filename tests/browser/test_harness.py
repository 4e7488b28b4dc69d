"""The browser harness itself: signing in, and keeping evidence when a test fails."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _keep_artifacts, login

pytestmark = pytest.mark.browser


def test_login_signs_in_and_leaves_the_login_page(page, exhibitor_owner):
    login(page, exhibitor_owner.email, "correct-horse-battery")
    page.goto("/")
    expect(page.locator(".mainnav")).to_contain_text("Log out")


def test_login_with_a_wrong_password_stays_on_the_form(page, exhibitor_owner):
    with pytest.raises(AssertionError):
        login(page, exhibitor_owner.email, "wrong-password", timeout=1500)
    expect(page.locator("form:has(input[name=password])")).to_be_visible()


def test_a_failed_test_leaves_a_screenshot_and_the_html(page, tmp_path, monkeypatch):
    from tests.browser import conftest

    monkeypatch.setattr(conftest, "ARTIFACTS", tmp_path)
    page.goto("/accounts/login/")
    _keep_artifacts(page, "tests/browser/test_x.py::test_y[ja]")
    png = tmp_path / "tests_browser_test_x.py_test_y_ja.png"
    html = tmp_path / "tests_browser_test_x.py_test_y_ja.html"
    assert png.read_bytes().startswith(b"\x89PNG")
    assert 'name="password"' in html.read_text(encoding="utf-8")
