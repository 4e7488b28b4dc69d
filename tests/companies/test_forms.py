import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict

from companies.forms import CompanyCreateForm, CompanyForm
from tests import factories
from tests.companies.conftest import image_bytes

pytestmark = pytest.mark.django_db


def edit_data(**extra):
    data = QueryDict(mutable=True)
    data.update({"name_en": "Daehan Mold", "country": "kr"})
    for key, value in extra.items():
        if isinstance(value, list):
            data.setlist(key, value)
        else:
            data[key] = value
    return data


def test_picked_and_typed_codes_are_merged_and_checked(exhibitor_owner):
    company = exhibitor_owner.company
    form = CompanyForm(edit_data(hs_codes=["848071"], hs_codes_text="8480, 84.80.71, 3926"), instance=company)
    assert form.is_valid(), form.errors
    assert [h.code for h in form.cleaned_data["hs_codes"]] == ["848071", "8480", "3926"]
    assert form.cleaned_data["country"] == "KR"


def test_unknown_hs_codes_are_named_in_the_field_error(exhibitor_owner):
    form = CompanyForm(
        edit_data(hs_codes=["848071"], hs_codes_text="980000, 12, 7777"), instance=exhibitor_owner.company
    )
    assert not form.is_valid()
    assert form.errors["hs_codes"] == ["Unknown HS codes: 980000, 7777."]


def test_removed_code_is_dropped(exhibitor_owner):
    form = CompanyForm(edit_data(hs_codes=["848071", "8480"], hs_codes_remove="8480"), instance=exhibitor_owner.company)
    assert form.is_valid(), form.errors
    assert [h.code for h in form.cleaned_data["hs_codes"]] == ["848071"]


def test_languages_become_space_separated_codes_in_a_fixed_order(exhibitor_owner):
    form = CompanyForm(edit_data(languages=["ja", "ko", "en"]), instance=exhibitor_owner.company)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["languages"] == "en ko ja"


def test_a_name_is_needed_in_some_language(exhibitor_owner):
    form = CompanyForm(edit_data(name_en=""), instance=exhibitor_owner.company)
    assert not form.is_valid()
    assert form.errors["name_en"] == ["Give the company's name in at least one language."]
    assert "__all__" not in form.errors  # the database constraint is not reported a second time


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("logo.png", b"not an image at all", "image/png"), "Upload a valid image"),
        (SimpleUploadedFile("logo.gif", image_bytes("GIF"), "image/gif"), "PNG, JPEG or WebP"),
    ],
)
def test_logo_must_be_a_png_jpeg_or_webp_image(exhibitor_owner, upload, message):
    form = CompanyForm(edit_data(), {"logo": upload}, instance=exhibitor_owner.company)
    assert not form.is_valid()
    assert message in form.errors["logo"][0]


def test_logo_size_is_limited(exhibitor_owner, settings):
    settings.COMPANY_LOGO_MAX_BYTES = 1000
    big = SimpleUploadedFile("logo.png", image_bytes("PNG", size=(400, 400)) + b"\0" * 2000, "image/png")
    form = CompanyForm(edit_data(), {"logo": big}, instance=exhibitor_owner.company)
    assert not form.is_valid()
    assert "may be at most 1000" in form.errors["logo"][0]


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_good_logo_is_accepted(exhibitor_owner, fmt):
    upload = SimpleUploadedFile(f"logo.{fmt.lower()}", image_bytes(fmt), f"image/{fmt.lower()}")
    form = CompanyForm(edit_data(), {"logo": upload}, instance=exhibitor_owner.company)
    assert form.is_valid(), form.errors


def test_create_form_refuses_a_duplicate_or_reserved_ref(db):
    factories.ExhibitorFactory(ref="KR-0042")
    form = CompanyCreateForm({"kind": "exhibitor", "name_en": "X", "country": "KR", "ref": "kr-0042"})
    assert not form.is_valid()
    assert form.errors["ref"] == ["The reference kr-0042 is already taken."]
    form = CompanyCreateForm({"kind": "exhibitor", "name_en": "X", "country": "KR", "ref": "review"})
    assert not form.is_valid() and "reserved" in form.errors["ref"][0]
    form = CompanyCreateForm({"kind": "exhibitor", "name_en": "X", "country": "KR", "ref": "KR/42"})
    assert not form.is_valid() and "ref" in form.errors


def test_create_form_checks_country(db):
    form = CompanyCreateForm({"kind": "buyer", "name_ja": "東京商事", "country": "Japan"})
    assert not form.is_valid()
    assert "country" in form.errors
