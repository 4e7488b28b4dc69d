"""exhibition-data/2 export: valid against the version 2 schema, deterministic, and export →
import into an empty database → export gives the same bytes; re-import changes nothing."""

import datetime
import json

import pytest
from jsonschema import Draft202012Validator

from companies.models import Company
from exhibitions.interchange import (
    dump_exhibition_data,
    export_exhibition_data,
    import_exhibition_data,
    plan_import,
    validate_exhibition_data,
)
from exhibitions.interchange.schema import SCHEMA_2_PATH
from exhibitions.meetings.services import meeting_break_add, meeting_hours_set, meeting_tables_set, slots_generate
from exhibitions.models import Exhibition, Interpreter, Meeting, MeetingTable, Slot, Wish
from tests import factories

from .test_export import wipe
from .test_v2_import import with_second_buyer

pytestmark = pytest.mark.django_db
JST = datetime.timezone(datetime.timedelta(hours=9))


def schema_errors(data):
    schema = json.loads(SCHEMA_2_PATH.read_text(encoding="utf-8"))
    return [error.message for error in Draft202012Validator(schema).iter_errors(data)]


@pytest.fixture
def scheduled_show(example2):
    """The version 2 example, plus rows made the way the application makes them: hours set by
    the staff services (with a break, 45-minute slots), a parallel meeting at a table, a
    second interpreter with no day limits, a 'no' wish, a held meeting at the booth."""
    import_exhibition_data(data=with_second_buyer(example2))
    show = Exhibition.objects.get(slug="mold-japan-2027")
    show.meeting_slot_minutes = 45
    show.save()
    meeting_hours_set(exhibition=show, day=datetime.date(2027, 4, 16), starts=datetime.time(9), ends=datetime.time(12))
    meeting_break_add(
        exhibition=show, day=datetime.date(2027, 4, 16), starts=datetime.time(10, 30), ends=datetime.time(11)
    )
    Meeting.objects.filter(exhibition=show).delete()  # its slot goes with the new slot length
    slots_generate(exhibition=show)
    meeting_tables_set(exhibition=show, count=3)
    interpreter = Interpreter.objects.create(exhibition=show, ref="INT-02", name="Sato Yuki", languages="ja ko")
    hanil, buyer, other = (Company.objects.get(ref=ref) for ref in ("KR-0001", "JP-0001", "JP-0002"))
    slot = Slot.objects.get(exhibition=show, starts_at=datetime.datetime(2027, 4, 16, 9, tzinfo=JST))
    booth = hanil.applications.get(exhibition=show).booth
    factories.MeetingFactory(
        exhibition=show, buyer=buyer, exhibitor=hanil, status="accepted", slot=slot, booth=booth, exhibitor_seat=1
    )
    factories.MeetingFactory(
        exhibition=show,
        buyer=other,
        exhibitor=hanil,
        status="accepted",
        slot=slot,
        table=MeetingTable.objects.get(exhibition=show, number=2),
        interpreter=interpreter,
        exhibitor_seat=2,
    )
    Wish.objects.create(exhibition=show, buyer=other, exhibitor=hanil, by="exhibitor", priority="no")
    return show


def test_export_is_version_2_and_valid(scheduled_show):
    data = export_exhibition_data()
    assert data["format"] == "exhibition-data/2"
    assert schema_errors(data) == []
    assert validate_exhibition_data(data) == []
    show = data["exhibitions"][1]
    assert show["meetings"] == {
        "slot_minutes": 45,
        "tables": 3,
        "days": [
            {
                "date": "2027-04-14",
                "starts": "10:00",
                "ends": "17:00",
                "breaks": [{"starts": "12:00", "ends": "13:00"}],
            },
            {"date": "2027-04-15", "starts": "10:00", "ends": "16:00"},
            {
                "date": "2027-04-16",
                "starts": "09:00",
                "ends": "12:00",
                "breaks": [{"starts": "10:30", "ends": "11:00"}],
            },
        ],
    }
    assert "meetings" not in data["exhibitions"][0]  # no hours, no tables
    assert {"exhibition": "mold-japan-2027", "company": "KR-0001", "booth": "B-07", "parallel_meetings": 2,
            "languages": ["ja"]} in data["participations"]  # fmt: skip
    assert {"exhibition": "mold-japan-2027", "company": "JP-0001", "visit_days": ["2027-04-15"]} in data[
        "participations"
    ]
    assert [i["ref"] for i in data["interpreters"]] == ["INT-01", "INT-02"]
    assert data["interpreters"][1] == {
        "exhibition": "mold-japan-2027",
        "ref": "INT-02",
        "name": "Sato Yuki",
        "languages": ["ja", "ko"],
    }
    assert data["wishes"][-1] == {
        "exhibition": "mold-japan-2027",
        "buyer": "JP-0002",
        "exhibitor": "KR-0001",
        "by": "exhibitor",
        "priority": "no",
    }
    booked = [m for m in data["meetings"] if m["exhibition"] == "mold-japan-2027"]
    assert booked == [
        {
            "exhibition": "mold-japan-2027",
            "buyer": "JP-0001",
            "exhibitor": "KR-0001",
            "status": "accepted",
            "starts_at": "2027-04-16T09:00:00+09:00",
            "ends_at": "2027-04-16T09:45:00+09:00",
            "place": "B-07",
        },
        {
            "exhibition": "mold-japan-2027",
            "buyer": "JP-0002",
            "exhibitor": "KR-0001",
            "status": "accepted",
            "starts_at": "2027-04-16T09:00:00+09:00",
            "ends_at": "2027-04-16T09:45:00+09:00",
            "place": "table-2",
            "interpreter": "INT-02",
        },
    ]


def test_export_is_deterministic(scheduled_show):
    first = dump_exhibition_data(export_exhibition_data())
    Interpreter.objects.filter(ref="INT-02").update(name="Sato Yuki")
    assert dump_exhibition_data(export_exhibition_data()) == first


def test_reimporting_an_export_changes_nothing(scheduled_show):
    assert not plan_import(export_exhibition_data()).changes_anything


def wipe_all():
    wipe()
    assert not Interpreter.objects.exists() and not Wish.objects.exists() and not Slot.objects.exists()


def test_export_import_into_an_empty_database_round_trips(scheduled_show):
    exported = dump_exhibition_data(export_exhibition_data())
    seats = sorted(Meeting.objects.filter(status="accepted").values_list("buyer__ref", "exhibitor_seat"))
    wipe_all()
    import_exhibition_data(data=json.loads(exported))
    assert dump_exhibition_data(export_exhibition_data()) == exported
    assert sorted(Meeting.objects.filter(status="accepted").values_list("buyer__ref", "exhibitor_seat")) == seats
    assert not plan_import(json.loads(exported)).changes_anything


def test_the_shared_example_round_trips(example2):
    import_exhibition_data(data=example2)
    exported = dump_exhibition_data(export_exhibition_data())
    wipe_all()
    import_exhibition_data(data=json.loads(exported))
    assert dump_exhibition_data(export_exhibition_data()) == exported
    data = json.loads(exported)
    for section in ("exhibitions", "interpreters", "wishes"):
        assert data[section] == example2[section]

    def by_company(records):
        return sorted(records, key=lambda r: (r["exhibition"], r["company"]))

    assert data["participations"] == by_company(example2["participations"])
    # The export says what the example leaves implicit: a meeting's end.
    assert data["meetings"][0] == dict(example2["meetings"][0], ends_at="2023-04-19T11:00:00+09:00")
    assert data["meetings"][1] == example2["meetings"][1]


def test_one_exhibition_with_its_interpreters_and_wishes(scheduled_show):
    data = export_exhibition_data(exhibition=Exhibition.objects.get(slug="mold-japan-2023"))
    assert data["interpreters"] == [] and data["wishes"] == []
    data = export_exhibition_data(exhibition=scheduled_show)
    assert len(data["wishes"]) == 4
    assert [c["ref"] for c in data["companies"]] == ["JP-0001", "JP-0002", "KR-0001", "KR-0002"]
    assert validate_exhibition_data(data) == []


def test_a_nul_in_an_edited_export_is_refused_before_the_database_sees_it(scheduled_show):
    """PostgreSQL cannot store a NUL (and refuses even to look one up): validation names it."""
    data = export_exhibition_data()
    data["interpreters"][0]["name"] = "Park\u0000"
    data["companies"][0]["ref"] = "JP-\u00000001"
    assert [str(p) for p in validate_exhibition_data(data)] == [
        "companies[0].ref: contains a NUL character (\\u0000), which cannot be stored",
        "interpreters[0].name: contains a NUL character (\\u0000), which cannot be stored",
    ]
