"""Browser harness: Playwright for Python driving Debian's chromium against the live server.

Fixtures: `browser` (one chromium per test session), `page` (a fresh context and page per
test, English by default), `live_url` (the base URL of pytest-django's live server, which
runs in this process, so `django.core.mail.outbox` sees its emails; `page.goto("/path/")`
goes there). Helper: `login(page, email, password)` (`from tests.browser.conftest import login`).
On failure a screenshot and the page's HTML are kept in `test-artifacts/`.

Chromium comes from Debian (`apt-get install chromium fonts-noto-cjk`), never from
`playwright install`: only package registries are reachable from CI.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"
TIMEOUT_MS = 15_000


def _install_chromium():
    """apt-get chromium when it is missing; returns an error message, or None when it is there."""
    if Path(CHROMIUM).exists():
        return None
    if shutil.which("apt-get") is None:
        return "chromium is missing and apt-get is not available"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium", "fonts-noto-cjk"]):
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900, check=False)
        if result.returncode != 0:
            return f"`{' '.join(command)}` failed: {result.stderr.strip()[-500:]}"
    return None if Path(CHROMIUM).exists() else f"apt-get ran but {CHROMIUM} is still missing"


def require_chromium():
    """The chromium path; installs it when missing. Without it: skip, or fail in CI (CI=true)."""
    problem = _install_chromium()
    if problem:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser tests need {CHROMIUM}: {problem}")
        pytest.skip(f"browser tests need {CHROMIUM}: {problem}")
    return CHROMIUM


@pytest.fixture(scope="session")
def chromium_path():
    return require_chromium()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API leaves an event loop running in this thread until it stops, and
    # Django refuses ORM calls under a running loop ("You cannot call this from an async
    # context"), in browser tests and in every test that runs after them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def live_url(live_server, transactional_db):
    return live_server.url


@pytest.fixture
def page(browser, live_url, request):
    """A fresh browser context (no cookies, English) whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_url, locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        _keep_artifacts(page, request.node.nodeid)
    context.close()


def _keep_artifacts(page, nodeid):
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")
    try:
        page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
        (ARTIFACTS / f"{stem}.html").write_text(page.content(), encoding="utf-8")
    except Exception as exc:  # the page may have crashed; the test's own error matters more
        (ARTIFACTS / f"{stem}.error.txt").write_text(f"could not save the page: {exc}\n", encoding="utf-8")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so `page` can tell that the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def login(page, email, password, *, timeout=TIMEOUT_MS):
    """Sign in through the allauth login form and wait until the browser has left it
    (AssertionError when it does not: wrong password, or the form shows an error)."""
    from playwright.sync_api import expect

    page.goto("/accounts/login/")
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"), timeout=timeout)
    return page
