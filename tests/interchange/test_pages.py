"""Staff import page: upload → problems or preview → confirm; export download; who may."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from companies.models import Company
from exhibitions.interchange import import_exhibition_data
from exhibitions.interchange_views import SESSION_KEY
from exhibitions.models import Meeting
from tests import factories

from .conftest import DATA

pytestmark = pytest.mark.django_db
IMPORT = reverse("exhibitions:data_import")
CONFIRM = reverse("exhibitions:data_import_confirm")
EXPORT = reverse("exhibitions:data_export")


def upload(client, data, name="data.json"):
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content, content_type="application/json")})


def test_preview_then_confirm_imports_the_file(client, staff, example):
    client.force_login(staff)
    response = upload(client, example, "example.json")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview of example.json" in page
    plan = response.context["plan"]
    assert plan.counts()["company"]["create"] == 3
    assert not Company.objects.exists()  # a preview writes nothing

    response = client.post(CONFIRM, {"sha256": response.context["digest"]}, follow=True)
    assert response.redirect_chain[-1][0] == IMPORT
    assert "companies: 3 created" in response.content.decode()
    assert Company.objects.count() == 3
    company = Company.objects.get(ref="KR-0001")
    assert company.reviewed_by == staff
    assert SESSION_KEY not in client.session


def test_preview_names_the_fields_that_change(client, staff, example):
    import_exhibition_data(data=example)
    example["companies"][0]["employees"] = 120
    example["companies"][0]["city"] = "Ansan"
    client.force_login(staff)
    response = upload(client, example)
    page = response.content.decode()
    assert "<strong>KR-0001</strong>" in page
    assert "<code>city</code>, <code>employees</code>" in page
    assert [s["unchanged"] for s in response.context["sections"]] == [2, 2, 5, 1]


def test_bad_upload_lists_problems_and_stores_nothing(client, staff):
    client.force_login(staff)
    response = upload(client, (DATA / "bad_hs_codes.json").read_bytes(), "bad.json")
    page = response.content.decode()
    assert "bad.json has 3 problems; nothing was imported." in page
    assert "<code>companies[3].hs_codes[0]</code>: &#x27;84807&#x27; is not a HS code" in page
    assert "plan" not in response.context
    assert SESSION_KEY not in client.session
    response = upload(client, b"{not json", "broken.json")
    assert "not valid JSON" in response.content.decode()


def test_confirm_refuses_a_file_that_changed(client, staff, example):
    client.force_login(staff)
    first = upload(client, example).context["digest"]
    example["companies"][0]["city"] = "Ansan"
    second = upload(client, example).context["digest"]  # e.g. in another tab
    assert first != second
    response = client.post(CONFIRM, {"sha256": first}, follow=True)
    assert "has changed or is gone" in response.content.decode()
    assert not Company.objects.exists()
    session = client.session
    session[SESSION_KEY]["content"] = session[SESSION_KEY]["content"].replace("Ansan", "Busan")
    session.save()
    client.post(CONFIRM, {"sha256": second})
    assert not Company.objects.exists()
    client.post(CONFIRM, {"sha256": ""})
    assert not Company.objects.exists()


def test_confirm_without_a_preview_imports_nothing(client, staff):
    client.force_login(staff)
    response = client.post(CONFIRM, {"sha256": "0" * 64}, follow=True)
    assert "has changed or is gone" in response.content.decode()
    assert client.get(CONFIRM).status_code == 405


def test_confirm_reports_problems_that_appeared_since_the_preview(client, staff, example):
    client.force_login(staff)
    digest = upload(client, example).context["digest"]
    factories.BuyerFactory(ref="KR-0002")  # someone made KR-0002 a buyer meanwhile
    response = client.post(CONFIRM, {"sha256": digest})
    assert "is a buyer in the database" in response.content.decode()
    assert not Meeting.objects.exists()
    assert Company.objects.count() == 1


def test_too_large_upload_is_refused(client, staff, monkeypatch):
    monkeypatch.setattr("exhibitions.interchange_views.MAX_UPLOAD_BYTES", 10)
    client.force_login(staff)
    response = upload(client, {"format": "exhibition-data/1"})
    assert "larger than 5 MB" in response.content.decode()


def test_export_downloads(client, admin_user, example):
    import_exhibition_data(data=example)
    client.force_login(admin_user)
    response = client.get(EXPORT)
    assert response["Content-Disposition"] == 'attachment; filename="exhibition-data-all.json"'
    assert len(json.loads(response.content)["companies"]) == 3
    response = client.get(EXPORT, {"exhibition": "mold-japan-2023"})
    data = json.loads(response.content)
    assert [e["slug"] for e in data["exhibitions"]] == ["mold-japan-2023"]
    assert client.get(EXPORT, {"exhibition": "nope"}).status_code == 404
    page = client.get(IMPORT).content.decode()
    assert f'action="{EXPORT}"' in page
    assert '<option value="mold-japan-2023">Korea Mold Exhibition in Japan 2023 (2023-04-19)</option>' in page


@pytest.mark.parametrize("shows", [5, 200])
def test_import_page_queries_do_not_grow_with_exhibitions(client, staff, django_assert_num_queries, shows):
    factories.ExhibitionFactory.create_batch(shows, cooperative=staff.cooperative)
    client.force_login(staff)
    with django_assert_num_queries(4):  # session, user, membership (nav), exhibitions
        response = client.get(IMPORT)
    assert response.content.decode().count("<option ") == shows


@pytest.mark.parametrize("persona", ["outsider", "exhibitor_owner", "buyer_owner"])
def test_only_organisers_may(client, request, persona, example):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(IMPORT).status_code == 404
    assert upload(client, example).status_code == 404
    assert client.post(CONFIRM, {"sha256": "x"}).status_code == 404
    assert client.get(EXPORT).status_code == 404
    assert not Company.objects.filter(ref="KR-0001").exists()


def test_anonymous_is_sent_to_log_in(client):
    for url in (IMPORT, CONFIRM, EXPORT):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
