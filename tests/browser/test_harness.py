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


class FakeApt:
    """Stands in for apt-get (the outside world): records commands, 'installs' chromium."""

    def __init__(self, chromium, *, fail_on=None):
        self.chromium, self.fail_on, self.commands = chromium, fail_on, []

    def __call__(self, command, **kwargs):
        import subprocess

        self.commands.append(command)
        if command[:2] == self.fail_on:
            return subprocess.CompletedProcess(command, 100, "", "E: Unable to locate package chromium")
        if command[:2] == ["apt-get", "install"]:
            self.chromium.write_text("#!/bin/sh\n")
        return subprocess.CompletedProcess(command, 0, "", "")


@pytest.fixture
def missing_chromium(tmp_path, monkeypatch):
    from tests.browser import conftest

    chromium = tmp_path / "chromium"
    monkeypatch.setattr(conftest, "CHROMIUM", str(chromium))
    return chromium


def test_missing_chromium_is_installed_with_apt(missing_chromium, monkeypatch):
    from tests.browser import conftest

    apt = FakeApt(missing_chromium)
    monkeypatch.setattr(conftest.subprocess, "run", apt)
    assert conftest.require_chromium() == str(missing_chromium)
    assert apt.commands == [["apt-get", "update"], ["apt-get", "install", "-y", "chromium", "fonts-noto-cjk"]]


def test_a_failed_install_skips_with_the_reason_outside_ci(missing_chromium, monkeypatch):
    from tests.browser import conftest

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(conftest.subprocess, "run", FakeApt(missing_chromium, fail_on=["apt-get", "install"]))
    with pytest.raises(pytest.skip.Exception, match="Unable to locate package chromium"):
        conftest.require_chromium()


def test_a_failed_install_fails_in_ci(missing_chromium, monkeypatch):
    from tests.browser import conftest

    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(conftest.subprocess, "run", FakeApt(missing_chromium, fail_on=["apt-get", "update"]))
    with pytest.raises(pytest.fail.Exception, match="apt-get update"):
        conftest.require_chromium()
