"""exhibition-data/2 import: the shared example, idempotence, updates, every bad case named
with its JSON path and the database left alone, and version 1 files read as before."""

import copy
import datetime
import io

import pytest
from django.core.management import call_command

from companies.models import Company
from exhibitions.interchange import ImportRejected, import_exhibition_data, plan_import, validate_exhibition_data
from exhibitions.models import (
    BuyerRegistration,
    Exhibition,
    ExhibitorApplication,
    Interpreter,
    Meeting,
    MeetingBreak,
    MeetingHours,
    MeetingTable,
    Slot,
    Wish,
)

from .conftest import DATA, load
from .test_import import snapshot as snapshot_1

pytestmark = pytest.mark.django_db
JST = datetime.timezone(datetime.timedelta(hours=9))


def snapshot():
    """Everything a version 2 import may touch."""
    rows = {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (
            ExhibitorApplication,
            BuyerRegistration,
            Interpreter,
            Wish,
            MeetingHours,
            MeetingBreak,
            MeetingTable,
            Slot,
            Exhibition,
        )
    }
    return snapshot_1() | rows


def lines(problems):
    return [str(p) for p in problems]


def with_second_buyer(data):
    """The example plus a second buyer at the 2027 show, for who-is-busy-when cases."""
    buyer = dict(copy.deepcopy(data["companies"][2]), ref="JP-0002", name={"ja": "浜松樹脂"})
    data["companies"].append(buyer)
    data["participations"].append({"exhibition": "mold-japan-2027", "company": "JP-0002"})
    return data


def test_the_shared_example_imports(example2):
    plan = import_exhibition_data(data=example2)

    assert plan.counts() == {
        "exhibition": {"create": 2, "update": 0, "unchanged": 0},
        "company": {"create": 3, "update": 0, "unchanged": 0},
        "participation": {"create": 5, "update": 0, "unchanged": 0},
        "meeting": {"create": 2, "update": 0, "unchanged": 0},
        "meeting_hours": {"create": 1, "update": 0, "unchanged": 0},
        "interpreter": {"create": 1, "update": 0, "unchanged": 0},
        "wish": {"create": 3, "update": 0, "unchanged": 0},
    }
    show = Exhibition.objects.get(slug="mold-japan-2027")
    assert show.meeting_slot_minutes == 30
    assert list(MeetingHours.objects.filter(exhibition=show).values_list("day", "starts", "ends")) == [
        (datetime.date(2027, 4, 14), datetime.time(10), datetime.time(17)),
        (datetime.date(2027, 4, 15), datetime.time(10), datetime.time(16)),
    ]
    assert list(MeetingBreak.objects.filter(exhibition=show).values_list("day", "starts", "ends")) == [
        (datetime.date(2027, 4, 14), datetime.time(12), datetime.time(13))
    ]
    assert list(MeetingTable.objects.filter(exhibition=show).values_list("number", flat=True)) == [1, 2, 3, 4]
    # 10-12 and 13-17 on the 14th, 10-16 on the 15th, in 30-minute slots.
    assert Slot.objects.filter(exhibition=show).count() == 4 + 8 + 12
    assert not Slot.objects.filter(exhibition=show, starts_at=datetime.datetime(2027, 4, 14, 12, tzinfo=JST)).exists()

    hanil = ExhibitorApplication.objects.get(exhibition=show, company__ref="KR-0001")
    assert (hanil.booth.code, hanil.parallel_meetings, hanil.stand_languages) == ("B-07", 2, "ja")
    assert ExhibitorApplication.objects.get(exhibition=show, company__ref="KR-0002").parallel_meetings == 1
    registration = BuyerRegistration.objects.get(exhibition=show, company__ref="JP-0001")
    assert registration.visit_days == ["2027-04-15"]

    interpreter = Interpreter.objects.get(exhibition=show)
    assert (interpreter.ref, interpreter.name, interpreter.languages, interpreter.days) == (
        "INT-01",
        "Park Ji-yeon",
        "ko ja en",
        ["2027-04-15"],
    )
    assert sorted(Wish.objects.values_list("exhibitor__ref", "by", "priority")) == [
        ("KR-0001", "buyer", "must"),
        ("KR-0001", "exhibitor", "want"),
        ("KR-0002", "exhibitor", "want"),
    ]

    meeting = Meeting.objects.get(exhibition=show)
    start = datetime.datetime(2027, 4, 15, 10, tzinfo=JST)
    assert meeting.slot == Slot.objects.get(exhibition=show, starts_at=start)  # a generated slot
    assert (meeting.starts_at, meeting.ends_at) == (start, start + datetime.timedelta(minutes=30))
    assert (meeting.booth.code, meeting.table, meeting.interpreter) == ("B-08", None, interpreter)
    assert (meeting.exhibitor_seat, meeting.origin, meeting.status) == (1, "import", "accepted")
    held = Meeting.objects.get(exhibition__slug="mold-japan-2023")
    assert held.slot is not None and held.status == "held"  # version 2 gives held meetings their slot


def test_reimport_changes_nothing(example2):
    import_exhibition_data(data=example2)
    before = snapshot()
    plan = import_exhibition_data(data=example2)
    assert not plan.changes_anything
    assert {kind: n["unchanged"] for kind, n in plan.counts().items()} == {
        "exhibition": 2,
        "company": 3,
        "participation": 5,
        "meeting": 2,
        "meeting_hours": 1,
        "interpreter": 1,
        "wish": 3,
    }
    assert snapshot() == before


def test_changed_fields_are_updated(example2):
    import_exhibition_data(data=example2)
    example2["exhibitions"][1]["meetings"]["tables"] = 6
    example2["exhibitions"][1]["meetings"]["days"][1]["ends"] = "17:00"
    example2["participations"][2]["parallel_meetings"] = 3
    example2["participations"][4]["visit_days"] = ["2027-04-15", "2027-04-14"]
    example2["participations"][4]["languages"] = ["en"]
    example2["interpreters"][0]["name"] = "Park Jiyeon"
    example2["wishes"][0]["priority"] = "want"
    example2["meetings"][1]["place"] = "table-2"

    plan = plan_import(example2)
    updates = {(c.kind, c.label): c.fields for c in plan.changes if c.action == "update"}
    assert updates == {
        ("meeting_hours", "mold-japan-2027"): ["tables", "days"],
        ("participation", "mold-japan-2027 / KR-0001"): ["parallel_meetings"],
        ("participation", "mold-japan-2027 / JP-0001"): ["visit_days", "languages"],
        ("interpreter", "mold-japan-2027 / INT-01"): ["name"],
        ("wish", "mold-japan-2027: JP-0001 × KR-0001 (buyer)"): ["priority"],
        ("meeting", "mold-japan-2027: JP-0001 × KR-0002 2027-04-15T10:00:00+09:00"): ["place"],
    }
    import_exhibition_data(data=example2)

    show = Exhibition.objects.get(slug="mold-japan-2027")
    assert MeetingTable.objects.filter(exhibition=show).count() == 6
    assert Slot.objects.filter(exhibition=show).count() == 4 + 8 + 14
    assert ExhibitorApplication.objects.get(exhibition=show, company__ref="KR-0001").parallel_meetings == 3
    registration = BuyerRegistration.objects.get(exhibition=show, company__ref="JP-0001")
    assert (registration.visit_days, registration.languages) == (["2027-04-14", "2027-04-15"], "en")
    assert Interpreter.objects.get().name == "Park Jiyeon"
    assert Wish.objects.get(by="buyer").priority == "want"
    meeting = Meeting.objects.get(exhibition=show)
    assert (meeting.booth, meeting.table.number) == (None, 2)
    assert not plan_import(example2).changes_anything


def test_a_version_1_file_means_what_it_meant(example):
    plan = import_exhibition_data(data=example)
    assert set(plan.counts()) == {"exhibition", "company", "participation", "meeting"}
    held = Meeting.objects.get(status="held")
    assert held.slot is None  # history, as before version 2
    assert held.origin == "import"
    assert not Interpreter.objects.exists() and not Wish.objects.exists() and not MeetingHours.objects.exists()
    assert not plan_import(example).changes_anything


def test_a_version_1_file_cannot_hold_version_2_fields(example):
    example["participations"][4]["visit_days"] = ["2027-04-14"]
    assert "participations[4]: Additional properties are not allowed ('visit_days' was unexpected)" in lines(
        validate_exhibition_data(example)
    )


def test_the_command_reads_version_2(tmp_path):
    out = io.StringIO()
    call_command("import_exhibition_data", str(DATA / "v2" / "example-2.json"), stdout=out)
    text = out.getvalue()
    assert "interpreters: 1 created, 0 updated, 0 unchanged" in text
    assert "wishes: 3 created, 0 updated, 0 unchanged" in text
    assert "meeting hours: 1 created, 0 updated, 0 unchanged" in text


def _set(path, value):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return data

    return change


def _add_meeting(**fields):
    def change(data):
        data = with_second_buyer(data)
        meeting = {
            "exhibition": "mold-japan-2027",
            "buyer": "JP-0002",
            "exhibitor": "KR-0001",
            "status": "accepted",
            "starts_at": "2027-04-15T10:00:00+09:00",
        }
        data["meetings"].append(meeting | fields)
        return data

    return change


BAD_CASES = {
    "wish with an unknown buyer": (
        _set(("wishes", 2, "buyer"), "JP-9999"),
        "wishes[2].buyer: no company 'JP-9999' in this file or the database",
    ),
    "parallel meetings of a buyer": (
        _set(("participations", 4, "parallel_meetings"), 2),
        "participations[4].parallel_meetings: only exhibitors hold parallel meetings",
    ),
    "visit days of an exhibitor": (
        _set(("participations", 3, "visit_days"), ["2027-04-14"]),
        "participations[3].visit_days: only buyers have visit days",
    ),
    "a table the exhibition does not have": (
        _set(("meetings", 1, "place"), "table-9"),
        "meetings[1].place: 'table-9' but the exhibition has 4 tables",
    ),
    "an interpreter's day outside the exhibition": (
        _set(("interpreters", 0, "days"), ["2027-04-15", "2027-05-01"]),
        "interpreters[0].days[1]: 2027-05-01 is not a day of mold-japan-2027",
    ),
    "a break outside the meeting hours": (
        _set(("exhibitions", 1, "meetings", "days", 0, "breaks", 0), {"starts": "09:00", "ends": "10:30"}),
        "exhibitions[1].meetings.days[0].breaks[0]: the break is outside the meeting hours",
    ),
    "meeting hours on a day outside the exhibition": (
        _set(("exhibitions", 1, "meetings", "days", 1, "date"), "2027-04-20"),
        "exhibitions[1].meetings.days[1].date: 2027-04-20 is not a day of mold-japan-2027",
    ),
    "meeting hours that end before they start": (
        _set(("exhibitions", 1, "meetings", "days", 1, "ends"), "09:00"),
        "exhibitions[1].meetings.days[1].ends: the meeting hours must end after they start",
    ),
    "an interpreter of no exhibition": (
        _set(("meetings", 1, "interpreter"), "INT-07"),
        "meetings[1].interpreter: 'INT-07' is not an interpreter of this exhibition",
    ),
    "an interpreter on a day off": (
        _set(("meetings", 1, "starts_at"), "2027-04-14T10:00:00+09:00"),
        "meetings[1].interpreter: 'INT-01' is not available on 2027-04-14",
    ),
    "a wish between two exhibitors": (
        _set(("wishes", 2, "buyer"), "KR-0001"),
        "wishes[2].buyer: 'KR-0001' is an exhibitor, not a buyer",
    ),
    "the same wish twice": (
        lambda data: data["wishes"].append(dict(data["wishes"][0], priority="no")) or data,
        "wishes[3]: this wish appears more than once in this file (first at wishes[0])",
    ),
    "a visit day outside the exhibition": (
        _set(("participations", 4, "visit_days"), ["2027-04-20"]),
        "participations[4].visit_days[0]: 2027-04-20 is not a day of mold-japan-2027",
    ),
    "another exhibitor's booth": (
        _set(("meetings", 1, "place"), "B-07"),
        "meetings[1].place: 'B-07' is the booth of 'KR-0001', not of 'KR-0002'",
    ),
    "a place that is neither booth nor table": (
        _set(("meetings", 1, "place"), "Hall 3"),
        "meetings[1].place: 'Hall 3' is neither the booth of 'KR-0002' at mold-japan-2027 nor a table"
        " (table-1, table-2, …)",
    ),
    "a meeting off the slots": (
        lambda data: _set(("meetings", 1, "ends_at"), "2027-04-15T10:45:00+09:00")(
            _set(("meetings", 1, "starts_at"), "2027-04-15T10:15:00+09:00")(data)
        ),
        "meetings[1].starts_at: 2027-04-15 10:15 overlaps the meeting slots of mold-japan-2027 without starting one",
    ),
    "a meeting longer than its slot": (
        _set(("meetings", 1, "ends_at"), "2027-04-15T11:00:00+09:00"),
        "meetings[1].ends_at: the slot at 2027-04-15 10:00 ends at 2027-04-15 10:30",
    ),
    "two meetings of one buyer at the same time": (
        lambda data: _add_meeting(buyer="JP-0001", place="table-1")(data),
        "meetings[2].buyer: 'JP-0001' already has a meeting at 2027-04-15 10:00 (meetings[1])",
    ),
    "two meetings at one booth": (
        _add_meeting(exhibitor="KR-0002", place="B-08"),
        "meetings[2].place: B-08 already holds a meeting at 2027-04-15 10:00 (meetings[1])",
    ),
    "an exhibitor over its parallel meetings": (
        _add_meeting(exhibitor="KR-0002", place="table-1"),
        "meetings[2].exhibitor: 'KR-0002' holds at most 1 meeting at a time and has more at 2027-04-15 10:00",
    ),
    "one interpreter in two meetings": (
        _add_meeting(place="table-1", interpreter="INT-01"),
        "meetings[2].interpreter: 'INT-01' is already in a meeting at 2027-04-15 10:00 (meetings[1])",
    ),
    "a NUL character": (
        _set(("companies", 0, "city"), "Inch\u0000eon"),
        "companies[0].city: contains a NUL character (\\u0000), which cannot be stored",
    ),
    "a NUL character in a wish": (
        _set(("wishes", 0, "buyer"), "JP-\u00000001"),
        "wishes[0].buyer: contains a NUL character (\\u0000), which cannot be stored",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_a_bad_file_names_the_problem_at_its_path_and_changes_nothing(case, example2):
    import_exhibition_data(data=copy.deepcopy(example2))  # something in the database to leave alone
    before = snapshot()
    change, expected = BAD_CASES[case]
    bad = change(copy.deepcopy(example2))
    with pytest.raises(ImportRejected) as caught:
        import_exhibition_data(data=bad)
    assert expected in lines(caught.value.problems)
    assert snapshot() == before


def test_a_bad_file_is_refused_on_an_empty_database_too(example2):
    example2["meetings"][1]["place"] = "table-9"
    example2["wishes"][2]["buyer"] = "JP-9999"
    with pytest.raises(ImportRejected) as caught:
        import_exhibition_data(data=example2)
    assert lines(caught.value.problems) == [
        "meetings[1].place: 'table-9' but the exhibition has 4 tables",
        "wishes[2].buyer: no company 'JP-9999' in this file or the database",
    ]
    assert not Company.objects.exists() and not Slot.objects.exists()


def test_a_meeting_that_clashes_with_one_in_the_database(example2):
    import_exhibition_data(data=with_second_buyer(copy.deepcopy(example2)))
    before = snapshot()
    later = {
        "format": "exhibition-data/2",
        "meetings": [
            {
                "exhibition": "mold-japan-2027",
                "buyer": "JP-0001",
                "exhibitor": "KR-0001",
                "status": "accepted",
                "starts_at": "2027-04-15T10:00:00+09:00",
                "place": "B-07",
            },
            {
                "exhibition": "mold-japan-2027",
                "buyer": "JP-0002",
                "exhibitor": "KR-0001",
                "status": "accepted",
                "starts_at": "2027-04-15T10:30:00+09:00",
                "place": "table-1",
            },
        ],
    }
    with pytest.raises(ImportRejected) as caught:
        import_exhibition_data(data=later)
    assert lines(caught.value.problems) == [
        "meetings[0].buyer: 'JP-0001' already has a meeting at 2027-04-15 10:00 (a meeting in the database)",
    ]
    assert snapshot() == before


def test_new_hours_may_not_remove_a_slot_that_holds_a_meeting(example2):
    import_exhibition_data(data=example2)
    before = snapshot()
    example2["exhibitions"][1]["meetings"]["days"][1]["starts"] = "11:00"
    example2["meetings"].pop()
    with pytest.raises(ImportRejected) as caught:
        import_exhibition_data(data=example2)
    assert lines(caught.value.problems) == [
        "exhibitions[1].meetings.days: these hours remove slots that hold meetings in the database:"
        " 2027-04-15 10:00. Move or cancel those meetings first."
    ]
    assert snapshot() == before


def test_parallel_meetings_take_seats_booth_first(example2):
    data = with_second_buyer(example2)
    base = {"exhibition": "mold-japan-2027", "exhibitor": "KR-0001", "status": "accepted"}
    data["meetings"] += [
        dict(base, buyer="JP-0002", starts_at="2027-04-14T10:00:00+09:00", place="table-3"),
        dict(base, buyer="JP-0001", starts_at="2027-04-14T10:00:00+09:00", place="B-07"),
    ]
    data["interpreters"][0].pop("days")
    import_exhibition_data(data=data)
    seats = dict(
        Meeting.objects.filter(exhibitor__ref="KR-0001", status="accepted").values_list("buyer__ref", "exhibitor_seat")
    )
    assert seats == {"JP-0001": 1, "JP-0002": 2}  # the booth meeting is seat 1
    with pytest.raises(ImportRejected):  # a third at once is one more than KR-0001 holds
        third = copy.deepcopy(data)
        third["companies"].append(dict(third["companies"][2], ref="JP-0003"))
        third["meetings"].append(dict(base, buyer="JP-0003", starts_at="2027-04-14T10:00:00+09:00", place="table-4"))
        import_exhibition_data(data=third)


def test_problems_of_version_2_sections_come_in_file_order(example2):
    example2["interpreters"][0]["days"] = ["2027-05-01"]
    example2["wishes"][1]["exhibitor"] = "KR-0404"
    example2["companies"][0]["hs_codes"] = ["84807"]
    paths = [p.path for p in validate_exhibition_data(example2)]
    assert paths == [
        "companies[0].hs_codes[0]",
        "meetings[1].interpreter",  # not available on the meeting's day any more
        "interpreters[0].days[0]",
        "wishes[1].exhibitor",
    ]


def test_the_shared_v2_schema_is_the_one_shipped():
    import json

    from django.conf import settings

    from exhibitions.interchange.schema import SCHEMA_2_PATH

    shared = settings.BASE_DIR.parent / "shared" / "formats" / "exhibition-data-2.schema.json"
    if not shared.exists():
        pytest.skip("shared/formats is not next to the repository here")
    assert json.loads(SCHEMA_2_PATH.read_text()) == json.loads(shared.read_text())
    assert load("v2/example-2.json") == json.loads((shared.parent / "example-2.json").read_text())


def test_a_clash_the_checks_do_not_see_is_still_a_named_problem(example):
    """Version 1 files are not checked for who is busy when (they mean what they meant); the
    database's constraint still refuses two meetings of one buyer in one slot, and the import
    names the meeting instead of failing as a whole."""
    import_exhibition_data(data=example)
    before = snapshot()
    accepted = {
        "exhibition": "mold-japan-2027",
        "buyer": "JP-0001",
        "status": "accepted",
        "starts_at": "2027-04-15T10:00:00+09:00",
    }
    example["meetings"] += [dict(accepted, exhibitor="KR-0001"), dict(accepted, exhibitor="KR-0002")]
    with pytest.raises(ImportRejected) as caught:
        import_exhibition_data(data=example)
    [problem] = caught.value.problems
    assert problem.path == "meetings[2]"
    assert problem.message.startswith("the database refused this meeting: someone or some place is already booked")
    assert snapshot() == before


def test_fewer_tables_may_not_remove_a_table_that_holds_a_meeting(example2):
    example2["meetings"][1]["place"] = "table-4"
    import_exhibition_data(data=example2)
    before = snapshot()
    example2["exhibitions"][1]["meetings"]["tables"] = 2
    del example2["meetings"][1]["place"]  # left as it is: still at table 4
    with pytest.raises(ImportRejected) as caught:
        import_exhibition_data(data=example2)
    assert lines(caught.value.problems) == [
        "exhibitions[1].meetings.tables: tables that hold meetings in the database cannot be removed: 4"
    ]
    assert snapshot() == before
    example2["exhibitions"][1]["meetings"]["tables"] = 5
    import_exhibition_data(data=example2)
    assert MeetingTable.objects.count() == 5
    assert Meeting.objects.get(exhibition__slug="mold-japan-2027").table.number == 4
