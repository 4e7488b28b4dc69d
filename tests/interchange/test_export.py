"""exhibition-data/1 export: valid, deterministic, and export → import → export round-trips."""

import datetime
import decimal
import io
import json

import pytest
from django.core.management import CommandError, call_command

from companies.models import Certification, Company, Cooperative
from exhibitions.interchange import (
    _schema_problems,
    dump_exhibition_data,
    export_exhibition_data,
    import_exhibition_data,
    plan_import,
    validate_exhibition_data,
)
from exhibitions.models import Booth, BuyerRegistration, Exhibition, ExhibitorApplication, Hall, Meeting, Slot
from tests import factories

pytestmark = pytest.mark.django_db


def wipe():
    """An empty database, as far as the format goes (HS codes stay: they are the catalogue)."""
    for model in (Meeting, Slot, ExhibitorApplication, BuyerRegistration, Booth, Hall, Exhibition, Company):
        model.objects.all().delete()
    Certification.objects.all().delete()
    Cooperative.objects.all().delete()


@pytest.fixture
def busy_show(example):
    """The example, plus rows made the way the application makes them: states the format
    does not know (proposed, expired, no-show, archived), a booth on a real floor plan, a
    meeting with its slot, a deal value, a pending company taking part."""
    import_exhibition_data(data=example)
    show = Exhibition.objects.get(slug="mold-japan-2027")
    old = factories.ExhibitionFactory(
        slug="mold-japan-2019",
        title_ko="2019 일본 한국금형전시회",
        status="archived",
        starts_on=datetime.date(2019, 4, 10),
        ends_on=datetime.date(2019, 4, 12),
        timezone="Asia/Tokyo",
    )
    maker = factories.ExhibitorFactory(
        ref="KR-0100",
        name_ko="우진테크",
        description_ko="자동차 램프 금형",
        keywords="lamp mold, 램프 금형",
        employees=40,
        founded=2005,
        hs=["848071", "870829"],
        status="pending",
    )
    maker.certifications.set([Certification.objects.get_or_create(name="ISO 14001")[0]])
    buyer = Company.objects.get(ref="JP-0001")
    booth = factories.BoothFactory(hall=factories.HallFactory(exhibition=show, name="Hall 1"), code="B-07")
    factories.ApplicationFactory(exhibition=show, company=maker, status="approved", booth=booth)
    factories.ApplicationFactory(exhibition=old, company=maker, status="rejected")
    factories.BuyerRegistrationFactory(exhibition=old, company=buyer, status="approved")
    slot = factories.SlotFactory(exhibition=show, starts_at=datetime.datetime(2027, 4, 14, 5, 0, tzinfo=datetime.UTC))
    factories.MeetingFactory(exhibition=show, buyer=buyer, exhibitor=maker, status="accepted", slot=slot)
    factories.MeetingFactory(exhibition=show, buyer=buyer, exhibitor=maker, status="proposed")
    factories.MeetingFactory(exhibition=old, buyer=buyer, exhibitor=maker, status="expired")
    factories.MeetingFactory(
        exhibition=old,
        buyer=buyer,
        exhibitor=maker,
        status="held",
        outcome="deal",
        deal_value_usd=decimal.Decimal("84000.50"),
        starts_at=datetime.datetime(2019, 4, 11, 6, 0, tzinfo=datetime.UTC),
    )
    factories.MeetingFactory(
        exhibition=old,
        buyer=buyer,
        exhibitor=maker,
        status="no_show",
        starts_at=datetime.datetime(2019, 4, 11, 7, 0, tzinfo=datetime.UTC),
    )
    return show


def test_export_is_valid_and_readable(busy_show):
    data = export_exhibition_data()
    assert _schema_problems(data) == []
    assert validate_exhibition_data(data) == []
    assert [e["slug"] for e in data["exhibitions"]] == ["mold-japan-2019", "mold-japan-2023", "mold-japan-2027"]
    assert data["exhibitions"][0]["status"] == "closed"  # archived is written as closed
    assert [c["ref"] for c in data["companies"]] == ["JP-0001", "KR-0001", "KR-0002", "KR-0100"]
    maker = data["companies"][3]
    assert maker["keywords"] == ["lamp mold", "램프 금형"]
    assert maker["certifications"] == ["ISO 14001"]
    assert maker["hs_codes"] == ["848071", "870829"]
    assert {"exhibition": "mold-japan-2027", "company": "KR-0100", "booth": "B-07"} in data["participations"]
    assert not any(p["exhibition"] == "mold-japan-2019" and p["company"] == "KR-0100" for p in data["participations"])
    statuses = [(m["exhibition"], m["status"], m.get("starts_at")) for m in data["meetings"]]
    assert ("mold-japan-2027", "accepted", "2027-04-14T14:00:00+09:00") in statuses
    assert ("mold-japan-2027", "requested", None) in statuses  # proposed
    held = next(m for m in data["meetings"] if m.get("outcome") == "deal")
    assert held["deal_value_usd"] == 84000.5
    assert held["starts_at"] == "2019-04-11T15:00:00+09:00"


def test_export_is_deterministic(busy_show):
    first = dump_exhibition_data(export_exhibition_data())
    Company.objects.filter(ref="KR-0001").update(city="Incheon")  # a save that changes nothing
    assert dump_exhibition_data(export_exhibition_data()) == first


def test_reimporting_an_export_into_the_same_database_changes_nothing(busy_show):
    assert not plan_import(export_exhibition_data()).changes_anything


def test_export_import_into_an_empty_database_round_trips(busy_show):
    exported = dump_exhibition_data(export_exhibition_data())
    wipe()
    assert not Company.objects.exists()
    import_exhibition_data(data=json.loads(exported))
    assert dump_exhibition_data(export_exhibition_data()) == exported


def test_one_exhibition_with_the_companies_it_involves(busy_show):
    data = export_exhibition_data(exhibition=Exhibition.objects.get(slug="mold-japan-2019"))
    assert [e["slug"] for e in data["exhibitions"]] == ["mold-japan-2019"]
    assert [c["ref"] for c in data["companies"]] == ["JP-0001", "KR-0100"]
    assert {p["exhibition"] for p in data["participations"]} == {"mold-japan-2019"}
    assert len(data["meetings"]) == 3
    assert validate_exhibition_data(data) == []


def test_export_command_writes_the_same_document(busy_show):
    out = io.StringIO()
    call_command("export_exhibition_data", "--exhibition", "mold-japan-2027", stdout=out)
    assert json.loads(out.getvalue()) == export_exhibition_data(exhibition=busy_show)
    out = io.StringIO()
    call_command("export_exhibition_data", stdout=out)
    assert out.getvalue() == dump_exhibition_data(export_exhibition_data())
    with pytest.raises(CommandError, match="no exhibition 'nope'"):
        call_command("export_exhibition_data", "--exhibition", "nope", stdout=io.StringIO())
