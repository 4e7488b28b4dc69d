"""Lead capture at an exhibitor's booth: by badge scan, by picking a registered buyer, or from a
business card; one lead per exhibitor and buyer (a second capture updates it, even racing);
the exhibitor's own list, edits and exports; nobody else sees them."""

import csv
import datetime
import io
import threading

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from exhibitions.models import Lead
from exhibitions.showfloor import badges, selectors, services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def show(staff, exhibitor_owner, other_exhibitor, buyer_owner, other_buyer):
    exhibition = factories.ExhibitionFactory(
        cooperative=staff.cooperative, timezone="Asia/Shanghai"
    )  # not the server's zone (Tokyo)
    for person in (exhibitor_owner, other_exhibitor):
        factories.ApplicationFactory(exhibition=exhibition, company=person.company, status="approved")
    for person in (buyer_owner, other_buyer):
        factories.BuyerRegistrationFactory(exhibition=exhibition, company=person.company)
    return exhibition


def url(name, show, **kwargs):
    return reverse(f"exhibitions:{name}", kwargs={"slug": show.slug, **kwargs})


def test_a_scan_records_a_lead_and_a_second_scan_updates_it(
    client, show, exhibitor_owner, exhibitor_colleague, buyer_owner
):
    token = badges.badge_token(exhibition=show, user=buyer_owner)
    client.force_login(exhibitor_owner)
    first = client.post(url("lead_capture", show), {"via": "token", "token": token, "interest": "low", "note": "Molds"})
    lead = Lead.objects.get()
    assert first.status_code == 302 and first.url == url("lead_edit", show, pk=lead.pk)
    assert (lead.exhibitor, lead.buyer, lead.person, lead.source) == (
        exhibitor_owner.company,
        buyer_owner.company,
        buyer_owner,
        "scan",
    )
    assert (lead.interest, lead.note, lead.captured_by) == ("low", "Molds", exhibitor_owner)
    client.force_login(exhibitor_colleague)
    second = client.post(
        url("lead_capture", show), {"via": "token", "token": token, "interest": "high", "note": "Dies"}, follow=True
    )
    assert "was already a lead" in second.content.decode()
    lead.refresh_from_db()
    assert Lead.objects.count() == 1
    assert (lead.interest, lead.note, lead.captured_by) == ("high", "Molds\nDies", exhibitor_colleague)
    # A scan with nothing typed keeps the interest and note.
    client.post(url("lead_capture", show), {"via": "token", "token": token})
    lead.refresh_from_db()
    assert (lead.interest, lead.note) == ("high", "Molds\nDies")


def test_picking_a_registered_buyer_from_the_search(client, show, exhibitor_owner, other_exhibitor, buyer_owner):
    client.force_login(exhibitor_owner)
    found = client.get(url("lead_capture", show), {"q": buyer_owner.company.name_en})
    assert list(found.context["found"]) == [buyer_owner]
    # Exhibitors are no leads: another exhibitor is never found, nor taken by id.
    assert client.get(url("lead_capture", show), {"q": other_exhibitor.email}).context["found"] == []
    client.post(url("lead_capture", show), {"via": "person", "person": other_exhibitor.pk})
    assert not Lead.objects.exists()
    client.post(url("lead_capture", show), {"via": "person", "person": buyer_owner.pk})
    lead = Lead.objects.get()
    assert (lead.buyer, lead.person, lead.source, lead.interest) == (buyer_owner.company, buyer_owner, "pick", "medium")


def test_a_bad_token_or_an_exhibitors_badge_names_nobody(
    client, staff, show, exhibitor_owner, other_exhibitor, other_buyer
):
    elsewhere = factories.ExhibitionFactory(cooperative=staff.cooperative)
    factories.BuyerRegistrationFactory(exhibition=elsewhere, company=other_buyer.company)
    client.force_login(exhibitor_owner)
    tokens = {
        "not-a-badge": "This code is not a Fairlink badge.",
        badges.badge_token(exhibition=elsewhere, user=other_buyer): "This badge is for another exhibition.",
        badges.badge_token(exhibition=show, user=other_exhibitor): "This is not a buyer of this exhibition.",
    }
    for token, message in tokens.items():
        page = client.post(url("lead_capture", show), {"via": "token", "token": token}, follow=True).content.decode()
        assert message in page
        assert other_exhibitor.display_name not in page and other_exhibitor.company.name not in page
    assert not Lead.objects.exists()


def test_a_business_card_needs_a_name_and_keeps_what_was_typed(client, show, exhibitor_owner):
    client.force_login(exhibitor_owner)
    data = {
        "via": "card",
        "card-visitor_company": "Kyoto Tools",
        "card-visitor_email": "not-an-email",
        "card-interest": "high",
    }
    bad = client.post(url("lead_capture", show), data)
    assert bad.status_code == 400
    assert set(bad.context["card_form"].errors) == {"visitor_name", "visitor_email"}
    assert 'value="Kyoto Tools"' in bad.content.decode()
    data.update(
        {"card-visitor_name": "Aiko Sato", "card-visitor_email": "aiko@kyoto.example", "card-note": "Met at the bar"}
    )
    assert client.post(url("lead_capture", show), data).status_code == 302
    lead = Lead.objects.get()
    assert (lead.buyer, lead.visitor_name, lead.visitor_company, lead.source, lead.interest) == (
        None,
        "Aiko Sato",
        "Kyoto Tools",
        "card",
        "high",
    )


def test_editing_and_deleting_own_leads(client, show, exhibitor_colleague, exhibitor_owner, buyer_owner):
    lead, _ = services.lead_capture_buyer(
        exhibition=show,
        exhibitor=exhibitor_owner.company,
        person=badges.person_in(show, buyer_owner.pk),
        source="pick",
        by=exhibitor_owner,
    )
    client.force_login(exhibitor_colleague)
    edit = client.get(url("lead_edit", show, pk=lead.pk))
    assert "visitor_name" not in edit.context["form"].fields  # a registered buyer's details are not typed
    bad = client.post(url("lead_edit", show, pk=lead.pk), {"interest": "huge", "note": "x"})
    assert bad.status_code == 400
    client.post(url("lead_edit", show, pk=lead.pk), {"interest": "low", "note": "Send catalogue"})
    lead.refresh_from_db()
    assert (lead.interest, lead.note) == ("low", "Send catalogue")
    assert client.post(url("lead_delete", show, pk=lead.pk)).status_code == 302
    assert not Lead.objects.exists()


def test_nobody_else_sees_an_exhibitors_leads(client, show, staff, exhibitor_owner, other_exhibitor, buyer_owner):
    lead = Lead.objects.create(
        exhibition=show, exhibitor=exhibitor_owner.company, buyer=buyer_owner.company, note="secret"
    )
    for person in (other_exhibitor, buyer_owner, staff):
        client.force_login(person)
        assert client.get(url("lead_edit", show, pk=lead.pk)).status_code == 404
        assert client.post(url("lead_delete", show, pk=lead.pk)).status_code == 404
        listing = client.get(url("leads", show))
        assert listing.status_code == 404 or "secret" not in listing.content.decode()
        export = client.get(url("leads_csv", show))
        assert export.status_code == 404 or b"secret" not in export.content
    assert Lead.objects.filter(pk=lead.pk).exists()
    # Staff see counts only (for the show report).
    assert selectors.lead_counts(show) == {"total": 1, "by_exhibitor": {exhibitor_owner.company.pk: 1}}


def test_an_exhibitor_not_in_this_show_has_no_leads_page(client, show, exhibitor_owner):
    elsewhere = factories.ExhibitionFactory()
    client.force_login(exhibitor_owner)
    assert client.get(url("leads", elsewhere)).status_code == 404
    assert client.get(url("lead_capture", elsewhere)).status_code == 404


def _leads(show, exhibitor, count):
    buyers = factories.BuyerFactory.create_batch(count)
    for n, buyer in enumerate(buyers):
        person = factories.MembershipFactory(company=buyer).user
        Lead.objects.create(
            exhibition=show, exhibitor=exhibitor, buyer=buyer, person=person, captured_by=person, note=f"n{n}"
        )


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_reads_a_fixed_number_of_queries(client, show, exhibitor_owner, count, django_assert_num_queries):
    _leads(show, exhibitor_owner.company, count)
    Lead.objects.create(exhibition=show, exhibitor=exhibitor_owner.company, visitor_name="Card visitor")
    client.force_login(exhibitor_owner)
    client.get(url("leads", show))  # warm the session
    # session+user, exhibition, company, its approved application, the leads
    with django_assert_num_queries(5):
        page = client.get(url("leads", show))
    assert len(page.context["leads"]) == count + 1


def test_exports_are_in_the_readers_language_with_local_times(client, show, exhibitor_owner, buyer_owner):
    exhibitor_owner.preferred_language = "ja"
    exhibitor_owner.save(update_fields=["preferred_language"])
    moment = datetime.datetime(2030, 4, 14, 1, 5, tzinfo=datetime.UTC)  # 09:05 in Shanghai
    lead = Lead.objects.create(
        exhibition=show,
        exhibitor=exhibitor_owner.company,
        buyer=buyer_owner.company,
        person=buyer_owner,
        interest="high",
        note="=1+1",
    )
    Lead.objects.filter(pk=lead.pk).update(created_at=moment)
    client.force_login(exhibitor_owner)
    response = client.get(url("leads_csv", show))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "記録日時" and rows[0][4] == "関心度"
    assert rows[1][0] == "2030-04-14 09:05"
    assert rows[1][4] == "高" and rows[1][5] == "'=1+1"  # a formula stays text
    book = load_workbook(io.BytesIO(client.get(url("leads_xlsx", show)).content))
    sheet = book.active
    assert sheet["A1"].value == "記録日時" and sheet["A2"].value == "2030-04-14 09:05" and sheet["E2"].value == "高"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL to show a race (set DATABASE_URL)")
def test_two_people_of_the_booth_scanning_the_same_buyer_at_once(exhibitor_owner, exhibitor_colleague, buyer_owner):
    show = factories.ExhibitionFactory()
    factories.ApplicationFactory(exhibition=show, company=exhibitor_owner.company, status="approved")
    factories.BuyerRegistrationFactory(exhibition=show, company=buyer_owner.company)
    person = badges.person_in(show, buyer_owner.pk)
    barrier = threading.Barrier(2)
    results = [None, None]

    def capture(i, by, note):
        try:
            barrier.wait(timeout=30)
            results[i] = services.lead_capture_buyer(
                exhibition=show, exhibitor=exhibitor_owner.company, person=person, source="scan", by=by, note=note
            )[1]
        except Exception as error:  # noqa: BLE001 - reported below
            results[i] = repr(error)
        finally:
            connection.close()

    for _round in range(5):
        Lead.objects.all().delete()
        threads = [
            threading.Thread(target=capture, args=(0, exhibitor_owner, "one")),
            threading.Thread(target=capture, args=(1, exhibitor_colleague, "two")),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(results) == [False, True], results
        lead = Lead.objects.get()
        assert sorted(lead.note.split("\n")) == ["one", "two"]
