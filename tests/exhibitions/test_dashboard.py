"""The staff dashboard and its CSV and Excel exports of exhibitors and buyers."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(exhibition, booths):
    hanil = factories.ExhibitorFactory(
        ref="KR-0001", name_en="Hanil Precision Mold", name_ko="한일정밀금형", hs=["848071"]
    )
    application = factories.ApplicationFactory(
        exhibition=exhibition,
        company=hanil,
        status="approved",
        booth=booths[26],
        needs_interpreter=True,
        stand_languages="ko ja",
    )
    application.products.set(["848071"])
    factories.RepresentativeFactory(application=application, name="Kim Min-jun", role="CEO", email="kim@hanil.example")
    factories.ApplicationFactory(exhibition=exhibition, status="approved", company__name_en="=HYPERLINK(evil)")
    factories.ApplicationFactory(exhibition=exhibition, status="submitted")
    factories.ApplicationFactory.create_batch(2, exhibition=exhibition, status="waitlisted")
    factories.ApplicationFactory(exhibition=exhibition, status="rejected")
    buyer = factories.BuyerFactory(ref="JP-0001", name_en="Nagoya Auto Parts", name_ja="名古屋オートパーツ")
    registration = factories.BuyerRegistrationFactory(
        exhibition=exhibition,
        company=buyer,
        visit_days=[exhibition.days[0].isoformat()],
        visitors=2,
        sourcing_notes="Lamp moulds",
    )
    registration.sourcing.set(["848071"])
    factories.BuyerRegistrationFactory(exhibition=exhibition, status="pending")
    return exhibition


def test_dashboard_counts(client, staff, filled):
    client.force_login(staff)
    response = client.get(reverse("exhibitions:dashboard", kwargs={"slug": filled.slug}))
    context = response.context
    counts = {value: count for value, _label, count in context["application_counts"]}
    assert counts == {"submitted": 1, "approved": 2, "waitlisted": 2, "rejected": 1, "withdrawn": 0}
    assert context["booths"] == {"total": 40, "filled": 1}
    assert {value: count for value, _l, count in context["registration_counts"]} == {
        "pending": 1,
        "approved": 1,
        "rejected": 0,
    }
    assert "1 / 40" in response.content.decode()


def export(client, exhibition, what, fmt):
    response = client.get(reverse("exhibitions:export", kwargs={"slug": exhibition.slug, "what": what, "fmt": fmt}))
    assert response.status_code == 200
    assert f"{exhibition.slug}-{what}.{fmt}" in response["Content-Disposition"]
    return response.content


def test_exhibitors_csv(client, staff, filled):
    client.force_login(staff)
    text = export(client, filled, "exhibitors", "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:7] == ["Reference", "Name (English)", "Name (Korean)", "Name (Japanese)", "City", "Hall", "Booth"]
    hanil = next(row for row in rows if row[0] == "KR-0001")
    assert hanil[2] == "한일정밀금형" and hanil[6] == "B-07" and hanil[5] == "Hall 1"
    assert hanil[8] == "848071" and hanil[10] == "yes"
    assert "Kim Min-jun, CEO, kim@hanil.example" in hanil[14]
    assert len(rows) == 3  # header + the two approved exhibitors
    assert any(row[1] == "'=HYPERLINK(evil)" for row in rows)  # never a live formula


def test_exhibitors_and_buyers_xlsx(client, staff, filled):
    client.force_login(staff)
    book = load_workbook(io.BytesIO(export(client, filled, "exhibitors", "xlsx")))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "Reference"
    assert rows[1][:3] == ("KR-0001", "Hanil Precision Mold", "한일정밀금형")
    book = load_workbook(io.BytesIO(export(client, filled, "buyers", "xlsx")))
    rows = list(book.active.iter_rows(values_only=True))
    nagoya = next(row for row in rows if row[0] == "JP-0001")
    assert nagoya[2] == "名古屋オートパーツ" and nagoya[4] == "Approved" and nagoya[6] == 2 and nagoya[8] == "848071"
    assert len(rows) == 3


def test_buyers_csv(client, staff, filled):
    client.force_login(staff)
    rows = list(csv.reader(io.StringIO(export(client, filled, "buyers", "csv").decode("utf-8-sig"))))
    nagoya = next(row for row in rows if row[0] == "JP-0001")
    assert nagoya[5] == filled.days[0].isoformat() and nagoya[9] == "Lamp moulds"


def test_unknown_export_is_404(client, staff, filled):
    client.force_login(staff)
    url = reverse("exhibitions:export", kwargs={"slug": filled.slug, "what": "passwords", "fmt": "csv"})
    assert client.get(url).status_code == 404
