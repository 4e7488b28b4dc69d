"""Issue 2's journey in a real browser: sign up, verify the email, create an exhibitor
company, pick HS codes with the code picker, save, and read the site in Japanese and Korean."""

import re

import pytest
from playwright.sync_api import expect

from companies.models import Company, dotted_hs

pytestmark = pytest.mark.browser

EMAIL = "jiwoo.park@hanil-mould.example"
PASSWORD = "Mould-press-2027!"


def _verification_link(mailoutbox):
    assert len(mailoutbox) == 1, [m.subject for m in mailoutbox]
    message = mailoutbox[0]
    assert message.to == [EMAIL]
    match = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)
    assert match, message.body
    return match.group(0)


def _pick_hs_code(page, query, code):
    search = page.locator(".hs-picker input[type=search]")
    search.fill(query)
    result = page.locator(".picker-results button", has_text=dotted_hs(code)).first  # shown as 8480.71
    expect(result).to_be_visible()
    result.click()
    expect(page.locator(f".picked input[name=hs_codes][value='{code}']")).to_have_count(1)


def test_sign_up_verify_create_company_pick_codes_and_switch_language(page, live_url, mailoutbox):
    # Sign up.
    page.goto("/accounts/signup/")
    form = page.locator("form:has(input[name=password1])")
    form.locator("input[name=email]").fill(EMAIL)
    form.locator("input[name=password1]").fill(PASSWORD)
    form.locator("input[name=password2]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))

    # Verify the address with the link from the email.
    page.goto(_verification_link(mailoutbox))
    page.locator("main form button[type=submit]").click()

    # Verified and signed in: onboarding offers to create a company.
    expect(page).to_have_url(re.compile(r"/companies/start/$"))
    page.locator("a.choice[href*='kind=exhibitor']").click()
    expect(page).to_have_url(re.compile(r"/companies/new/"))
    expect(page.locator("input[name=kind][value=exhibitor]")).to_be_checked()
    page.locator("input[name=name_en]").fill("Hanil Precision Mould")
    page.locator("input[name=name_ko]").fill("한일정밀금형")
    page.locator("input[name=city]").fill("Changwon")
    page.locator("main form button[type=submit]").click()

    # The new company waits for vetting; its owner edits the profile and picks HS codes.
    company = Company.objects.get(name_en="Hanil Precision Mould")
    assert company.kind == Company.Kind.EXHIBITOR
    assert company.status == Company.Status.PENDING
    assert company.memberships.get().user.email == EMAIL
    expect(page).to_have_url(re.compile(rf"/companies/{company.ref}/edit/$"))
    _pick_hs_code(page, "8480", "848071")
    _pick_hs_code(page, "injection", "848071")  # already picked: not added twice
    page.locator(".hs-picker input[type=search]").fill("injection")
    injection = page.locator(".picker-results button", has_text=re.compile("injection", re.I)).first
    expect(injection).to_be_visible()
    injection_code = injection.locator("strong").inner_text().strip().replace(".", "")
    injection.click()
    expect(page.locator(f".picked input[name=hs_codes][value='{injection_code}']")).to_have_count(1)
    expect(page.locator(".picked input[name=hs_codes][value='848071']")).to_have_count(1)
    page.locator("form.company-form .actions button[type=submit]").click()

    # Saved: the public profile lists the codes.
    expect(page).to_have_url(re.compile(rf"/companies/{company.ref}/$"))
    codes = page.locator(".hs-list")
    expect(codes).to_contain_text("8480.71")
    expect(codes).to_contain_text(dotted_hs(injection_code))
    assert set(company.hs_codes.values_list("code", flat=True)) == {"848071", injection_code}

    # The same page in Japanese, then in Korean.
    page.locator(".langswitch button[value=ja]").click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page).to_have_url(re.compile(rf"/companies/{company.ref}/$"))
    expect(page.locator(".mainnav")).to_contain_text("展示会")  # "Exhibitions"
    expect(page.locator("main")).to_contain_text("HSコード")  # "HS codes"
    page.locator(".langswitch button[value=ko]").click()
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator(".mainnav")).to_contain_text("전시회")  # "Exhibitions"
    expect(page.locator("main")).to_contain_text("HS 코드")  # "HS codes"
    expect(page.locator("h1")).to_contain_text("한일정밀금형")
