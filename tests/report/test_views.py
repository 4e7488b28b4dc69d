"""The report pages, rates form, exports and who may see them."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from exhibitions.models import ExchangeRate, Meeting
from tests import factories


def url(show, name, **kwargs):
    return reverse(f"exhibitions:{name}", kwargs={"slug": show.exhibition.slug, **kwargs})


def test_staff_report_shows_the_figures_and_charts(client, show):
    client.force_login(show.staff)
    page = client.get(url(show, "report"))
    assert page.status_code == 200
    html = page.content.decode()
    assert page.context["figures"].consultations == 5
    assert 'id="fig-consultations">5<' in html and "USD 20,000" in html and "JPY 3,000,000" in html
    assert "KRW 28,000,000" in html
    for chart in ("chart-per-day", "chart-funnel", "chart-value-by-exhibitor"):
        assert f'<svg class="chart" id="{chart}"' in html
    assert '<title id="chart-per-day-title">Consultations per day</title>' in html
    assert "style=" not in html and "<script>" not in html


def test_staff_of_another_cooperative_and_companies_get_404(client, show):
    for person in (factories.StaffFactory(), show.people["e1"], show.people["b1"]):
        client.force_login(person)
        for name in ("report", "report_rates", "report_xlsx", "report_pdf"):
            assert client.get(url(show, name)).status_code == 404, (person, name)


def test_rates_form_saves_who_and_when_and_converts_again(client, show):
    client.force_login(show.staff)
    response = client.post(url(show, "report_rates"), {"jpy_per_usd": "125", "krw_per_usd": "1400", "note": "bank"})
    assert response.status_code == 302
    rate = ExchangeRate.objects.filter(exhibition=show.exhibition).first()
    assert (rate.jpy_per_usd, rate.set_by, rate.note) == (Decimal("125"), show.staff, "bank")
    # M1 is worth 1,500,000 JPY / 125 = 12,000 USD now, in the report and in the meeting's summary.
    show.meetings[1].refresh_from_db()
    assert show.meetings[1].deal_value_usd == Decimal("12000.00")
    assert client.get(url(show, "report")).context["figures"].deal_value == Decimal("15000.00")
    assert "bank" in client.get(url(show, "report_rates")).content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"jpy_per_usd": "", "krw_per_usd": "1400"},
        {"jpy_per_usd": "1.5", "krw_per_usd": "1400"},  # per 100 yen by mistake
        {"jpy_per_usd": "150", "krw_per_usd": "-3"},
        {"jpy_per_usd": "abc", "krw_per_usd": "1400"},
        {"jpy_per_usd": "150", "krw_per_usd": "99999999999"},
    ],
)
def test_rates_form_rejects_bad_input_and_keeps_it(client, show, data):
    client.force_login(show.staff)
    before = ExchangeRate.objects.count()
    response = client.post(url(show, "report_rates"), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert ExchangeRate.objects.count() == before
    assert data["krw_per_usd"] in response.content.decode()


def test_excel_has_the_figures_and_native_charts(client, show):
    client.force_login(show.staff)
    response = client.get(url(show, "report_xlsx"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Summary", "Per day", "Funnel", "Exhibitors", "Buyers"]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Consultations (held meetings)"] == "5"
    assert summary["Consultation value (USD)"] == "USD 20,000"
    assert summary["Deal value (KRW)"] == "KRW 18,200,000"
    assert [len(book[name]._charts) for name in ("Per day", "Funnel", "Exhibitors")] == [1, 1, 1]
    exhibitors = list(book["Exhibitors"].iter_rows(min_row=2, values_only=True))
    assert exhibitors[0] == ("E1", 2, 0, 2, 1, 12000.0, 10000.0)


def test_excel_neutralises_formulas_in_company_names(client, show):
    show.e[1].name_en = '=HYPERLINK("http://evil.example","x")'
    show.e[1].save()
    client.force_login(show.staff)
    book = load_workbook(io.BytesIO(client.get(url(show, "report_xlsx")).content))
    names = [row[0] for row in book["Exhibitors"].iter_rows(min_row=2, values_only=True)]
    assert "'" + show.e[1].name_en in names


def test_pdf_is_in_the_readers_language(client, show):
    show.staff.preferred_language = "ko"
    show.staff.save()
    client.force_login(show.staff)
    response = client.get(url(show, "report_pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert b"HYGothic-Medium" in response.content  # Korean headings need the Korean CID font
    show.staff.preferred_language = "en"
    show.staff.save()
    assert b"HYGothic-Medium" not in client.get(url(show, "report_pdf")).content


def test_each_company_sees_its_own_report_and_nobody_elses(client, show):
    e1, b1 = show.people["e1"], show.people["b1"]
    client.force_login(e1)
    page = client.get(url(show, "report_company", ref=show.e[1].ref))
    assert page.status_code == 200
    assert page.context["figures"].consultations == 2
    html = page.content.decode()
    assert ">B1<" in html and ">E2<" not in html  # another exhibitor's business is not shown
    assert client.get(url(show, "report_company_pdf", ref=show.e[1].ref)).content.startswith(b"%PDF")
    for ref in (show.e[2].ref, show.b[1].ref, "NOPE"):
        assert client.get(url(show, "report_company", ref=ref)).status_code == 404
        assert client.get(url(show, "report_company_pdf", ref=ref)).status_code == 404
    client.force_login(b1)
    assert client.get(url(show, "report_company", ref=show.b[1].ref)).context["figures"].consultations == 2
    assert client.get(url(show, "report_company", ref=show.e[1].ref)).status_code == 404
    client.force_login(show.staff)  # staff of the show's cooperative see any participant's
    assert client.get(url(show, "report_company", ref=show.b[1].ref)).status_code == 200
    assert client.get(url(show, "report_company", ref=show.e[0].ref)).status_code == 404  # not taking part
    client.force_login(factories.StaffFactory())
    assert client.get(url(show, "report_company", ref=show.b[1].ref)).status_code == 404


def test_years_compare_the_cooperatives_shows(client, show):
    import datetime

    from .conftest import build_show

    build_show(show.staff.cooperative, starts_on=datetime.date(2024, 6, 11))
    build_show()  # another cooperative's show: not counted
    client.force_login(show.staff)
    page = client.get(reverse("exhibitions:report_years"))
    assert page.status_code == 200
    totals = dict(page.context["totals"])
    assert sorted(totals) == [2024, 2025]
    assert totals[2025].consultations == 5 and totals[2025].consultation_value == Decimal("20000.00")
    assert totals[2024].deals == 2
    html = page.content.decode()
    assert 'id="chart-years-consultations"' in html and 'id="chart-years-value"' in html
    client.force_login(show.people["e1"])
    assert client.get(reverse("exhibitions:report_years")).status_code == 404


def _grow(show, extra):
    """`extra` more exhibitors and buyers, each pair with a held, valued meeting and a lead."""
    from exhibitions.models import Lead, MeetingOutcome

    from .conftest import at

    for i in range(extra):
        ex = factories.ApplicationFactory(exhibition=show.exhibition, status="approved").company
        buyer = factories.BuyerRegistrationFactory(exhibition=show.exhibition).company
        meeting = factories.MeetingFactory(
            exhibition=show.exhibition, exhibitor=ex, buyer=buyer, status="held", starts_at=at(1 + i % 3, 15)
        )
        meeting.ends_at = meeting.starts_at
        MeetingOutcome.objects.create(
            meeting=meeting, side="buyer", outcome="deal", estimated_value=300, currency="JPY"
        )
        Lead.objects.create(exhibition=show.exhibition, exhibitor=ex, buyer=buyer)


@pytest.mark.parametrize("extra", [2, 20])
def test_pages_read_a_fixed_number_of_queries(client, show, extra, django_assert_num_queries):
    _grow(show, extra)
    client.force_login(show.staff)
    client.get(url(show, "report"))
    # session, the user and their membership, exhibition, then the figures' six: rates,
    # exhibitors, buyers, leads, meetings, outcomes
    with django_assert_num_queries(10):
        response = client.get(url(show, "report"))
    assert response.context["figures"].consultations == 5 + extra
    with django_assert_num_queries(10):
        client.get(url(show, "report_xlsx"))
    with django_assert_num_queries(10):
        client.get(url(show, "report_pdf"))
    with django_assert_num_queries(10):  # the shows instead of the exhibition
        client.get(reverse("exhibitions:report_years"))
    client.force_login(show.people["e1"])
    # session, user with membership, exhibition, company, then the six
    with django_assert_num_queries(10):
        client.get(url(show, "report_company", ref=show.e[1].ref))


def test_the_meetings_report_no_longer_uses_a_fixed_rate(client, show):
    client.force_login(show.staff)
    page = client.get(reverse("exhibitions:meetings_report", kwargs={"slug": show.exhibition.slug}))
    assert "150 JPY per USD" not in page.content.decode()
    assert Meeting.objects.filter(exhibition=show.exhibition, status="held").count() == 5


def test_the_agenda_links_to_the_companys_own_report(client, show):
    client.force_login(show.people["b1"])
    page = client.get(reverse("exhibitions:meetings_agenda", kwargs={"slug": show.exhibition.slug}))
    assert url(show, "report_company", ref=show.b[1].ref) in page.content.decode()
