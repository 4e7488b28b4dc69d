"""Issue 3's journey in a real browser: staff create an exhibition with 40 booths, an SME
applies, staff approve it and assign booth B-07, a buyer registers, and the directory shows
the SME at B-07 on the floor plan, in Japanese."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exhibitions.models import Booth, BuyerRegistration, Exhibition, ExhibitorApplication
from tests import factories
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's
TITLE_JA = "金型ジャパン2031 韓国パビリオン"
SME_JA = "ハンイル精密金型"


def switch_user(page, email):
    page.context.clear_cookies()
    login(page, email, PASSWORD)


def test_exhibition_journey(page, live_url):
    staff = factories.StaffFactory(email="organiser@coop.example")
    sme = factories.ExhibitorFactory(
        name_en="Hanil Precision Mold", name_ja=SME_JA, name_ko="한일정밀금형", hs=["848071", "848041"]
    )
    factories.MembershipFactory(company=sme, user=factories.UserFactory(email="owner@hanil.example"))
    buyer = factories.BuyerFactory(name_en="Tokai Auto Interior", name_ja="東海オートインテリア", hs=["848071"])
    factories.MembershipFactory(company=buyer, user=factories.UserFactory(email="buyer@tokai.example"))
    today = timezone.localdate()
    starts = today + datetime.timedelta(days=120)

    # Staff create the exhibition...
    login(page, staff.email, PASSWORD)
    page.goto("/exhibitions/new/")
    form = page.locator("main form")
    form.locator("input[name=slug]").fill("mold-japan-2031")
    form.locator("input[name=title_en]").fill("Mold Japan 2031")
    form.locator("input[name=title_ja]").fill(TITLE_JA)
    form.locator("input[name=venue]").fill("Tokyo Big Sight")
    form.locator("input[name=city]").fill("Tokyo")
    form.locator("input[name=country]").fill("JP")
    form.locator("input[name=timezone]").fill("Asia/Tokyo")
    form.locator("input[name=starts_on]").fill(starts.isoformat())
    form.locator("input[name=ends_on]").fill((starts + datetime.timedelta(days=2)).isoformat())
    form.locator("input[name=application_deadline]").fill((today + datetime.timedelta(days=60)).isoformat())
    form.locator("select[name=status]").select_option("open")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/exhibitions/mold-japan-2031/layout/$"))
    exhibition = Exhibition.objects.get(slug="mold-japan-2031")
    assert exhibition.cooperative == staff.cooperative

    # ... a hall, and 40 booths from the grid generator.
    hall_form = page.locator("form[action$='/layout/halls/']")
    hall_form.locator("input[name=name]").fill("East 4")
    hall_form.locator("button[type=submit]").click()
    grid = page.locator("form[action$='/layout/grid/']")
    grid.locator("select[name=hall]").select_option(label="East 4")
    grid.locator("input[name=rows]").fill("A-B")
    grid.locator("input[name=numbers]").fill("1-20")
    grid.locator("input[name=size]").fill("3x3")
    grid.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("40")
    expect(page.locator("svg.floorplan a.booth")).to_have_count(40)
    assert Booth.objects.filter(exhibition=exhibition).count() == 40

    # The SME applies from the exhibition page.
    switch_user(page, "owner@hanil.example")
    page.goto("/exhibitions/mold-japan-2031/")
    page.locator("a[href$='/apply/']").click()
    form = page.locator("main form")
    form.locator("select[name=booth_kind]").select_option("standard")
    form.locator("input[name=preferred_booths]").fill("B-07")
    form.locator("input[name=products][value='848071']").check()
    form.locator("input[name=stand_languages][value=ko]").check()
    form.locator("input[name=stand_languages][value=ja]").check()
    form.locator("input[name=needs_interpreter]").check()
    form.locator("input[name='reps-0-name']").fill("Kim Min-jun")
    form.locator("input[name='reps-0-role']").fill("CEO")
    form.locator("input[name='reps-0-languages'][value=ko]").check()
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/exhibitions/mold-japan-2031/application/$"))
    expect(page.locator("#application-status")).to_have_text("Submitted")
    application = ExhibitorApplication.objects.get(exhibition=exhibition, company=sme)

    # Staff approve the application and assign booth B-07.
    switch_user(page, staff.email)
    page.goto("/exhibitions/mold-japan-2031/applications/")
    page.locator("a", has_text="Hanil Precision Mold").click()
    decision = page.locator("form:has(select[name=status])")
    decision.locator("select[name=status]").select_option("approved")
    decision.locator("button[type=submit]").click()
    expect(page.locator("#application-status")).to_have_text("Approved")
    b07 = Booth.objects.get(exhibition=exhibition, code="B-07")
    assign = page.locator("form[action$='/booth/']")
    assign.locator("select[name=booth]").select_option(str(b07.pk))
    assign.locator("button[type=submit]").first.click()
    expect(page.locator(".messages")).to_contain_text("B-07")
    application.refresh_from_db()
    assert application.booth == b07

    # A buyer registers to visit.
    switch_user(page, "buyer@tokai.example")
    page.goto("/exhibitions/mold-japan-2031/")
    page.locator("a[href$='/register/']").click()
    form = page.locator("main form")
    form.locator("input[name=visit_days]").first.check()
    form.locator("input[name=sourcing][value='848071']").check()
    form.locator("input[name=languages][value=ja]").check()
    form.locator("input[name=visitors]").fill("2")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/exhibitions/mold-japan-2031/registration/$"))
    assert BuyerRegistration.objects.filter(exhibition=exhibition, company=buyer).exists()

    # In Japanese, the directory shows the SME at B-07 and leads to it on the floor plan.
    page.locator(".langswitch button[value=ja]").click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    page.goto("/exhibitions/mold-japan-2031/exhibitors/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    entry = page.locator("li.exhibitor", has_text=SME_JA)
    expect(entry).to_be_visible()
    booth_link = entry.locator("a.booth-link")
    expect(booth_link).to_contain_text("B-07")
    booth_link.click()
    expect(page).to_have_url(re.compile(r"/exhibitions/mold-japan-2031/\?booth=B-07#floorplan$"))
    expect(page.locator("h1")).to_have_text(TITLE_JA)
    expect(page.locator("svg.floorplan a#booth-B-07")).to_have_class(re.compile(r"\bhighlight\b"))
    expect(page.locator("#booth-info")).to_contain_text(SME_JA)
    # Clicking another booth on the plan shows who is there (htmx), without leaving the page.
    page.locator("svg.floorplan a#booth-A-01").click()
    expect(page.locator("#booth-info [data-booth='A-01']")).to_be_visible()
    page.locator("svg.floorplan a#booth-B-07").click()
    expect(page.locator("#booth-info [data-booth='B-07']")).to_contain_text(SME_JA)
    expect(page).to_have_url(re.compile(r"\?booth=B-07#floorplan$"))
