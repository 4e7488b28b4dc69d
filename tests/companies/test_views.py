import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from companies.models import Company, Membership
from tests import factories
from tests.companies.conftest import image_bytes

pytestmark = pytest.mark.django_db


def test_directory_lists_approved_companies_with_search_and_kind(client):
    factories.ExhibitorFactory(name_en="Daehan Mold", keywords="injection mould, die casting", hs=["848071"])
    factories.ExhibitorFactory(name_en="Hidden Pending", status="pending")
    factories.BuyerFactory(name_en="Tokai Trading", name_ja="東海商事")
    html = client.get(reverse("companies:list")).content.decode()
    assert "Daehan Mold" in html and "Tokai Trading" in html
    assert "Hidden Pending" not in html
    assert "Daehan Mold" in client.get(reverse("companies:list"), {"q": "mould"}).content.decode()
    assert "Daehan Mold" in client.get(reverse("companies:list"), {"q": "8480"}).content.decode()
    by_kind = client.get(reverse("companies:list"), {"kind": "buyer"}).content.decode()
    assert "Tokai Trading" in by_kind and "Daehan Mold" not in by_kind
    assert "Tokai Trading" in client.get(reverse("companies:list"), {"q": "東海"}).content.decode()


def test_directory_sorts_by_the_name_in_the_readers_language(client):
    factories.BuyerFactory(name_en="", name_ja="東海商事")
    factories.ExhibitorFactory(name_en="Alpha Mold", name_ja="ワ金型")
    factories.ExhibitorFactory(name_en="Beta Mold", name_ja="ア金型")
    english = client.get(reverse("companies:list")).content.decode()
    assert english.index("Alpha Mold") < english.index("Beta Mold") < english.index("東海商事")
    japanese = client.get(reverse("companies:list"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert japanese.index("ア金型") < japanese.index("ワ金型")


def test_directory_paginates(client):
    for n in range(30):
        factories.ExhibitorFactory(name_en=f"Firm {n:02d}")
    first = client.get(reverse("companies:list")).content.decode()
    second = client.get(reverse("companies:list"), {"page": 2}).content.decode()
    assert "Firm 00" in first and "Firm 29" not in first
    assert "Firm 29" in second and "Page 2 of 2" in second


def test_profile_shows_the_readers_language_with_fallback(client):
    company = factories.ExhibitorFactory(
        name_en="Daehan Mold", name_ko="대한금형", description_ko="사출 금형 전문", hs=["848071"], founded=1998
    )
    company.certifications.create(name="ISO 9001")
    english = client.get(company.get_absolute_url()).content.decode()
    assert "<h1>Daehan Mold</h1>" in english
    assert "사출 금형 전문" in english  # no English description: falls back
    assert "8480.71" in english and "Moulds; for rubber or plastics" in english
    assert "ISO 9001" in english and "1998" in english
    korean = client.get(company.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "<h1>대한금형</h1>" in korean


@pytest.mark.parametrize("language", ["ko", "ja"])
def test_profile_and_company_list_name_hs_codes_in_the_readers_language(client, language):
    from django.utils.html import escape

    from companies.models import HSCode

    HSCode.objects.filter(code="010121").update(**{f"name_{language}": ""})  # a code the file does not name
    company = factories.ExhibitorFactory(name_en="Daehan Mold", hs=["848071", "010121"])
    named, unnamed = HSCode.objects.get(code="848071"), HSCode.objects.get(code="010121")
    name = getattr(named, f"name_{language}")
    assert name and name != named.description
    profile = client.get(company.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert escape(name) in profile and "8480.71" in profile
    assert "Moulds; for rubber or plastics" not in profile
    assert escape(unnamed.description) in profile  # no name in this language: English stands in
    listing = client.get(reverse("companies:list"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert escape(named.label(language)) in listing  # the full name and dotted code as the tag's title


def test_pending_company_is_hidden_from_outsiders_but_not_its_members(client, outsider, staff):
    company = factories.ExhibitorFactory(status="pending")
    owner = factories.MembershipFactory(company=company).user
    assert client.get(company.get_absolute_url()).status_code == 404
    client.force_login(outsider)
    assert client.get(company.get_absolute_url()).status_code == 404
    client.force_login(owner)
    assert "Only your team and the cooperative" in client.get(company.get_absolute_url()).content.decode()
    client.force_login(staff)
    assert client.get(company.get_absolute_url()).status_code == 200


def test_owner_edits_the_whole_profile(client, exhibitor_owner):
    company = exhibitor_owner.company
    client.force_login(exhibitor_owner)
    page = client.get(reverse("companies:edit", kwargs={"ref": company.ref})).content.decode()
    assert 'hx-trigger="input changed delay:250ms, search"' in page
    assert 'name="hs_codes_text"' in page
    logo = SimpleUploadedFile("logo.png", image_bytes("PNG"), "image/png")
    response = client.post(
        reverse("companies:edit", kwargs={"ref": company.ref}),
        {
            "name_en": "Daehan Mold",
            "name_ko": "대한금형",
            "name_ja": "大韓金型",
            "description_en": "Injection moulds for cars.",
            "country": "KR",
            "city": "Ansan",
            "website": "https://daehan.example",
            "languages": ["ko", "en"],
            "employees": "85",
            "founded": "1998",
            "keywords": "injection mould, automotive",
            "certifications_text": "ISO 9001\nIATF 16949",
            "hs_codes": ["848071"],
            "hs_codes_text": "8480",
            "logo": logo,
        },
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.name_ja == "大韓金型" and company.city == "Ansan" and company.languages == "en ko"
    assert company.employees == 85 and company.founded == 1998
    assert sorted(c.name for c in company.certifications.all()) == ["IATF 16949", "ISO 9001"]
    assert sorted(h.code for h in company.hs_codes.all()) == ["8480", "848071"]
    assert company.logo.name.startswith(f"logos/{company.ref}-")
    detail = client.get(company.get_absolute_url()).content.decode()
    assert company.logo.url in detail


def test_bad_input_shows_field_errors_and_keeps_what_was_typed(client, exhibitor_owner):
    company = exhibitor_owner.company
    client.force_login(exhibitor_owner)
    response = client.post(
        reverse("companies:edit", kwargs={"ref": company.ref}),
        {
            "name_en": "Renamed But Not Saved",
            "description_en": "Keep this text",
            "country": "KR",
            "founded": "1200",
            "hs_codes": ["848071"],
            "hs_codes_text": "777777",
            "logo": SimpleUploadedFile("logo.png", b"GIF89a nonsense", "image/png"),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="errorlist"') == 3
    assert "Ensure this value is greater than or equal to 1800." in html
    assert "Unknown HS code: 777777." in html
    assert "Keep this text" in html
    assert 'value="848071"' in html  # the picked code is still picked
    assert 'name="hs_codes_text" inputmode="numeric" placeholder="848071, 8480" value="777777"' in html
    company.refresh_from_db()
    assert company.name_en != "Renamed But Not Saved"


def test_non_owner_member_may_view_but_not_edit(client, exhibitor_colleague):
    company = exhibitor_colleague.company
    client.force_login(exhibitor_colleague)
    page = client.get(company.get_absolute_url()).content.decode()
    assert reverse("companies:edit", kwargs={"ref": company.ref}) not in page
    assert client.get(reverse("companies:edit", kwargs={"ref": company.ref})).status_code == 404
    response = client.post(reverse("companies:edit", kwargs={"ref": company.ref}), {"name_en": "X", "country": "KR"})
    assert response.status_code == 404
    company.refresh_from_db()
    assert company.name_en != "X"


def test_a_member_edits_only_its_own_company(client, exhibitor_owner, other_exhibitor):
    client.force_login(exhibitor_owner)
    other = other_exhibitor.company
    response = client.post(reverse("companies:edit", kwargs={"ref": other.ref}), {"name_en": "Taken", "country": "KR"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.name_en != "Taken"


def test_organiser_may_edit_any_company(client, staff, exhibitor_owner):
    client.force_login(staff)
    company = exhibitor_owner.company
    response = client.post(
        reverse("companies:edit", kwargs={"ref": company.ref}), {"name_en": "Fixed", "country": "KR"}
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.name_en == "Fixed"


def test_onboarding_create_company(client, outsider, staff, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(outsider)
    page = client.get(reverse("companies:onboarding")).content.decode()
    assert "?kind=buyer" in page
    form = client.get(reverse("companies:create"), {"kind": "buyer"}).content.decode()
    assert 'value="JP"' in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("companies:create"), {"kind": "buyer", "name_ja": "東海商事", "country": "jp"})
    company = Company.objects.get(name_ja="東海商事")
    assert response["Location"] == reverse("companies:edit", kwargs={"ref": company.ref})
    assert company.ref == "JP-0001" and company.status == "pending" and company.kind == "buyer"
    assert Membership.objects.get(user=outsider).role == "owner"
    assert [m.to for m in mailoutbox] == [[staff.email]]
    # Now in a company: onboarding leads to it, and a second company is refused.
    assert client.get(reverse("companies:onboarding"))["Location"] == company.get_absolute_url()
    assert client.get(reverse("companies:create")).status_code == 404


def test_create_form_errors_are_shown(client, outsider):
    client.force_login(outsider)
    response = client.post(reverse("companies:create"), {"kind": "exhibitor", "country": "Korea"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Give the company&#x27;s name in at least one language." in html
    assert "Enter a two-letter country code" in html
    assert not Company.objects.exists() or not Membership.objects.filter(user=outsider).exists()


def test_notifications_list_shows_only_own_notices_newest_first(client, outsider, other_buyer):
    from companies.notifications import notify

    notify(user=outsider, key="one", template="company_approved", context={"company_name": "Alpha", "ref": "KR-1"})
    notify(
        user=outsider,
        key="two",
        template="company_rejected",
        context={"company_name": "Beta", "ref": "KR-2", "reason": "No website"},
    )
    notify(user=other_buyer, key="three", template="company_approved", context={"company_name": "Gamma", "ref": "JP-3"})
    client.force_login(outsider)
    html = client.get(reverse("companies:notifications")).content.decode()
    assert "Gamma" not in html
    assert html.index("Beta was not approved") < html.index("Alpha is approved")
    assert "No website" in html
    assert html.count("notice-item unread") == 2
    client.post(reverse("companies:notifications_read"))
    html = client.get(reverse("companies:notifications")).content.decode()
    assert "notice-item unread" not in html
    ja = client.get(reverse("companies:notifications"), HTTP_ACCEPT_LANGUAGE="ja")
    assert ja.status_code == 200


def test_owner_removes_the_logo(client, exhibitor_owner):
    company = exhibitor_owner.company
    client.force_login(exhibitor_owner)
    url = reverse("companies:edit", kwargs={"ref": company.ref})
    logo = SimpleUploadedFile("logo.webp", image_bytes("WEBP"), "image/webp")
    client.post(url, {"name_en": company.name_en, "country": "KR", "logo": logo})
    company.refresh_from_db()
    assert company.logo
    assert 'name="logo-clear"' in client.get(url).content.decode()
    client.post(url, {"name_en": company.name_en, "country": "KR", "logo-clear": "on"})
    company.refresh_from_db()
    assert not company.logo


def test_profile_lists_its_exhibitions_and_offers_buyers_a_meeting_request(client, buyer_owner, other_exhibitor):
    exhibitor = factories.ExhibitorFactory(name_en="Hanil Precision Mold")
    booth = factories.BoothFactory(code="B-07")
    shown = booth.exhibition
    factories.ApplicationFactory(exhibition=shown, company=exhibitor, status="approved", booth=booth)
    draft = factories.ExhibitionFactory(status="draft", title_en="Secret Draft Show")
    factories.ApplicationFactory(exhibition=draft, company=exhibitor, status="approved")
    request_url = reverse("exhibitions:meetings_request", kwargs={"slug": shown.slug})

    client.force_login(buyer_owner)
    html = client.get(exhibitor.get_absolute_url()).content.decode()
    assert shown.title_en in html and "Booth B-07" in html
    assert "Secret Draft Show" not in html
    assert f"{request_url}?exhibitor={exhibitor.ref}" in html

    client.force_login(other_exhibitor)
    html = client.get(exhibitor.get_absolute_url()).content.decode()
    assert shown.title_en in html
    assert request_url not in html


@pytest.mark.parametrize("filename", ["logo.pdf", "logo.ps", "logo.jpg"])
def test_logo_is_stored_under_the_extension_of_its_real_format(client, exhibitor_owner, filename):
    """Django accepts any extension Pillow knows (pdf, ps, ...); a PNG uploaded under such a name
    must not be stored, and later served from our origin, as a PDF or PostScript document."""
    company = exhibitor_owner.company
    client.force_login(exhibitor_owner)
    polyglot = image_bytes("PNG") + b"<script>alert(document.cookie)</script>"
    response = client.post(
        reverse("companies:edit", kwargs={"ref": company.ref}),
        {
            "name_en": "Daehan Mold",
            "country": "KR",
            "hs_codes_text": "",
            "logo": SimpleUploadedFile(filename, polyglot, "text/html"),
        },
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.logo.name.startswith(f"logos/{company.ref}-")
    assert company.logo.name.endswith(".png")


def test_a_replaced_or_removed_logo_leaves_no_file_behind(client, exhibitor_owner, django_capture_on_commit_callbacks):
    company = exhibitor_owner.company
    client.force_login(exhibitor_owner)
    url = reverse("companies:edit", kwargs={"ref": company.ref})
    data = {"name_en": "Daehan Mold", "country": "KR", "hs_codes_text": ""}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**data, "logo": SimpleUploadedFile("a.png", image_bytes("PNG"), "image/png")})
    company.refresh_from_db()
    first = company.logo.name
    assert company.logo.storage.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**data, "logo": SimpleUploadedFile("b.png", image_bytes("PNG"), "image/png")})
    company.refresh_from_db()
    second = company.logo.name
    assert second != first and company.logo.storage.exists(second)
    assert not company.logo.storage.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**data, "logo-clear": "on"})
    company.refresh_from_db()
    assert not company.logo and not company.logo.storage.exists(second)
