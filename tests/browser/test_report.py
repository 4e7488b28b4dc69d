"""The report in a real browser: staff enter the show's exchange rates (a slip is refused and
kept), read the figures in USD, JPY and KRW, the SVG charts are images with names, the page
prints without the menus, the Excel file downloads; an exhibitor reads only its own report."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.report.conftest import build_show

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's


def test_staff_rates_report_charts_print_and_excel_then_an_exhibitors_own(page, live_url):
    show = build_show(rates=False)
    base = f"/exhibitions/{show.exhibition.slug}"
    login(page, show.staff.email, PASSWORD)

    page.goto(f"{base}/report/")
    expect(page.locator("#fig-consultations")).to_have_text("5")
    expect(page.locator("#fig-consultation-value")).to_have_text("USD 16,000")  # yen and won not counted yet
    page.get_by_role("link", name="Exchange rates").click()
    page.fill("input[name=jpy_per_usd]", "1.5")  # a rate per 100 yen by mistake
    page.fill("input[name=krw_per_usd]", "1400")
    expect(page.locator("input[name=jpy_per_usd]:invalid")).to_have_count(1)  # the browser flags it first
    page.evaluate("document.querySelector('form.card').noValidate = true")  # and the server refuses it too
    page.get_by_role("button", name="Save the rates").click()
    expect(page.locator(".field-error .errorlist")).to_be_visible()
    expect(page.locator("input[name=krw_per_usd]")).to_have_value("1400")
    page.fill("input[name=jpy_per_usd]", "150")
    page.get_by_role("button", name="Save the rates").click()

    expect(page).to_have_url(f"{live_url}{base}/report/")
    expect(page.locator("#fig-consultation-value")).to_contain_text("USD 20,000")
    expect(page.locator("#fig-consultation-value")).to_contain_text("JPY 3,000,000")
    expect(page.locator("#fig-consultation-value")).to_contain_text("KRW 28,000,000")
    for name in ("Consultations per day", "Outcomes funnel", "Consultation value by exhibitor (US$)"):
        expect(page.get_by_role("img", name=name, exact=True)).to_be_visible()
    # The description lists every value, for a screen reader.
    expect(page.get_by_role("img", name="Outcomes funnel", exact=True)).to_have_accessible_description(
        "Booked: 7; Held: 5; Outcome reported: 5; Follow-up or further: 4; Quotation or further: 3; Deal: 2"
    )
    page.emulate_media(media="print")
    expect(page.locator("nav.staff-nav")).to_be_hidden()
    expect(page.get_by_role("img", name="Outcomes funnel")).to_be_visible()
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").click()
    assert download.value.suggested_filename == f"report-{show.exhibition.slug}.xlsx"

    page.context.clear_cookies()
    login(page, show.people["e1"].email, PASSWORD)
    page.goto(f"{base}/report/company/{show.e[1].ref}/")
    expect(page.locator("#fig-consultations")).to_have_text("2")
    expect(page.locator("#counterparts")).to_contain_text("B1")
    response = page.goto(f"{base}/report/company/{show.e[2].ref}/")
    assert response.status == 404
