"""exhibition-data/1 import: the example file, bad files, idempotence, updates."""

import datetime
import decimal
import io
import json

import pytest
from django.core.management import CommandError, call_command

from companies.models import Certification, Company, Cooperative
from exhibitions.interchange import (
    ImportRejected,
    import_exhibition_data,
    parse_exhibition_data,
    plan_import,
    validate_exhibition_data,
)
from exhibitions.models import Booth, BuyerRegistration, Exhibition, ExhibitorApplication, Hall, Meeting, Slot
from tests import factories

from .conftest import DATA, load

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything an import may touch, to prove a rejected file changed nothing."""
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (
            Company,
            Cooperative,
            Certification,
            Exhibition,
            Hall,
            Booth,
            ExhibitorApplication,
            BuyerRegistration,
            Meeting,
            Slot,
        )
    } | {"companies": list(Company.objects.order_by("pk").values()), "meetings": list(Meeting.objects.values())}


def test_example_file_imports(example):
    plan = import_exhibition_data(data=example)

    assert plan.counts() == {
        "exhibition": {"create": 2, "update": 0, "unchanged": 0},
        "company": {"create": 3, "update": 0, "unchanged": 0},
        "participation": {"create": 5, "update": 0, "unchanged": 0},
        "meeting": {"create": 1, "update": 0, "unchanged": 0},
    }
    hanil = Company.objects.get(ref="KR-0001")
    assert (hanil.kind, hanil.name_en, hanil.name_ko, hanil.city) == (
        "exhibitor",
        "Hanil Precision Mold",
        "한일정밀금형",
        "Incheon",
    )
    assert hanil.status == Company.Status.APPROVED
    assert sorted(hanil.hs_codes.values_list("code", flat=True)) == ["848020", "848071"]
    assert sorted(hanil.certifications.values_list("name", flat=True)) == ["IATF 16949", "ISO 9001"]
    assert hanil.keyword_list == ["injection mold", "automotive", "hot runner"]
    assert hanil.language_list == ["ko", "en"]
    assert (hanil.employees, hanil.founded) == (85, 1994)
    assert Company.objects.get(ref="JP-0001").hs_codes.filter(code="3926").exists()

    show = Exhibition.objects.get(slug="mold-japan-2023")
    assert (show.title_ja, show.venue, show.status, show.starts_on) == (
        "韓国金型展示会2023",
        "Intex Osaka",
        "closed",
        datetime.date(2023, 4, 19),
    )
    assert show.cooperative.name_en == "Korea Die Mold Cooperative"

    application = ExhibitorApplication.objects.get(exhibition=show, company=hanil)
    assert application.status == "approved"
    assert application.booth.code == "A-12"
    assert application.booth.hall.name == "Imported"
    assert BuyerRegistration.objects.get(exhibition=show, company__ref="JP-0001").status == "approved"
    assert ExhibitorApplication.objects.filter(exhibition__slug="mold-japan-2027", status="approved").count() == 2

    meeting = Meeting.objects.get()
    assert (meeting.exhibition, meeting.buyer.ref, meeting.exhibitor.ref) == (show, "JP-0001", "KR-0001")
    assert (meeting.status, meeting.outcome) == ("held", "quotation")
    assert meeting.starts_at == datetime.datetime(2023, 4, 19, 1, 30, tzinfo=datetime.UTC)
    assert meeting.buyer_person_id is None and meeting.slot_id is None


def test_new_exhibitions_belong_to_the_existing_cooperative(example):
    cooperative = factories.CooperativeFactory(name_en="Busan Mold Cooperative")
    import_exhibition_data(data=example)
    assert set(Exhibition.objects.values_list("cooperative", flat=True)) == {cooperative.pk}
    assert Cooperative.objects.count() == 1


def test_reimport_changes_nothing(example):
    import_exhibition_data(data=example)
    before = snapshot()
    plan = import_exhibition_data(data=example)
    assert not plan.changes_anything
    assert {kind: n["unchanged"] for kind, n in plan.counts().items()} == {
        "exhibition": 2,
        "company": 3,
        "participation": 5,
        "meeting": 1,
    }
    assert snapshot() == before  # not even updated_at moved


def test_changed_fields_are_updated_and_absent_ones_left_alone(example):
    import_exhibition_data(data=example)
    hanil = example["companies"][0]
    hanil["city"] = "Siheung"
    hanil["hs_codes"] = ["848071", "848041"]
    hanil["name"] = {"en": "Hanil Precision Mould"}
    del hanil["description"]
    example["meetings"][0]["outcome"] = "deal"
    example["meetings"][0]["deal_value_usd"] = 250000.5
    example["participations"][0]["booth"] = "B-03"

    plan = plan_import(example)
    updates = {(c.kind, c.label): c.fields for c in plan.changes if c.action == "update"}
    assert updates == {
        ("company", "KR-0001"): ["name", "city", "hs_codes"],
        ("participation", "mold-japan-2023 / KR-0001"): ["booth"],
        ("meeting", "mold-japan-2023: JP-0001 × KR-0001 2023-04-19T10:30:00+09:00"): ["outcome", "deal_value_usd"],
    }
    import_exhibition_data(data=example)

    company = Company.objects.get(ref="KR-0001")
    assert (company.city, company.name_en, company.name_ko) == ("Siheung", "Hanil Precision Mould", "")
    assert sorted(company.hs_codes.values_list("code", flat=True)) == ["848041", "848071"]
    assert company.description_en.startswith("Multi-cavity")  # left out of the file: kept
    meeting = Meeting.objects.get()
    assert (meeting.outcome, meeting.deal_value_usd) == ("deal", decimal.Decimal("250000.50"))
    assert ExhibitorApplication.objects.get(company=company, exhibition__slug="mold-japan-2023").booth.code == "B-03"
    assert not plan_import(example).changes_anything


BAD_FILES = {
    "bad_schema.json": [
        "(root): Additional properties are not allowed ('notes' was unexpected)",
        "format: 'exhibition-data/9' is not one of ['exhibition-data/1', 'exhibition-data/2']",
        "exhibitions[0].slug: 'Mold Japan' does not match '^[a-z0-9]+(-[a-z0-9]+)*$'",
        "exhibitions[0].title: {} should be non-empty",
        "companies[0]: 'country' is a required property",
        "companies[0].employees: -3 is less than the minimum of 0",
        "companies[0].role: 'maker' is not one of ['exhibitor', 'buyer']",
        "participations[0]: 'company' is a required property",
        "meetings[0]: Additional properties are not allowed ('colour' was unexpected)",
    ],
    "bad_hs_codes.json": [
        "companies[2].hs_codes[1]: '77' is not a HS code",
        "companies[3].hs_codes[0]: '84807' is not a HS code",
        "companies[3].hs_codes[1]: '848099' is not a HS code",
    ],
    "bad_references.json": [
        "participations[0].exhibition: no exhibition 'no-such-show' in this file or the database",
        "participations[1].company: no company 'KR-0404' in this file or the database",
        "meetings[0].exhibition: no exhibition 'mold-japan-2099' in this file or the database",
        "meetings[1].buyer: no company 'JP-0404' in this file or the database",
    ],
    "bad_roles.json": [
        "participations[0].booth: 'JP-0001' is a buyer; only exhibitors have booths",
        "meetings[0].buyer: 'KR-0001' is an exhibitor, not a buyer",
        "meetings[0].exhibitor: 'JP-0001' is a buyer, not an exhibitor",
        "meetings[1].exhibitor: a company cannot meet itself",
    ],
    "bad_dates.json": [
        "exhibitions[0].ends_on: 2027-04-14 is before the first day, 2027-04-16",
        "exhibitions[1].starts_on: '2028-02-30' is not a date (YYYY-MM-DD)",
        "exhibitions[1].ends_on: 'April 2028' is not a date (YYYY-MM-DD)",
        "exhibitions[1].timezone: 'Asia/Nagoya' is not an IANA time zone, e.g. Asia/Tokyo",
        "meetings[0].starts_at: '2027-04-14 10:30' is not a date and time with a UTC offset"
        " (2027-04-14T10:30:00+09:00)",
        "meetings[1]: an accepted meeting needs its starts_at",
    ],
    "bad_duplicates.json": [
        "exhibitions[1].slug: 'mold-japan-2027' appears more than once in this file (first at exhibitions[0])",
        "companies[2].ref: 'KR-0001' appears more than once in this file (first at companies[0])",
        "participations[1]: 'KR-0001' takes part in 'mold-japan-2027' more than once in this file"
        " (first at participations[0])",
        "participations[2].booth: booth A-12 is given to 'KR-0001' too (participations[0])",
    ],
    "bad_outcomes.json": [
        "companies[0].website: 'hanil mold' is not a web address (https://...)",
        "companies[0].keywords[0]: a keyword cannot contain a comma",
        "meetings[0].outcome: only a held meeting has an outcome or a deal value (this one is requested)",
        "meetings[1].deal_value_usd: has more than two decimals",
    ],
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_names_every_problem_and_changes_nothing(name, example):
    import_exhibition_data(data=example)  # something in the database to leave alone
    before = snapshot()
    with pytest.raises(ImportRejected) as caught:
        import_exhibition_data(data=load(name))
    lines = [str(p) for p in caught.value.problems]
    for expected in BAD_FILES[name]:
        assert expected in lines
    assert len(lines) == len(set(lines))
    assert snapshot() == before


def test_problems_come_in_file_order():
    lines = [str(p) for p in validate_exhibition_data(load("bad_dates.json"))]
    assert lines.index("exhibitions[1].starts_on: '2028-02-30' is not a date (YYYY-MM-DD)") < lines.index(
        "meetings[1]: an accepted meeting needs its starts_at"
    )
    company = load("example.json")["companies"][0]
    bad = {
        "format": "exhibition-data/1",
        "companies": [dict(company, ref=f"KR-{i:04d}", hs_codes=["84807"]) for i in range(12)],
    }
    paths = [p.path for p in validate_exhibition_data(bad)]
    assert paths == [f"companies[{i}].hs_codes[0]" for i in range(12)]  # [2] before [10]


def test_not_json_is_one_problem_at_file_level():
    data, problems = parse_exhibition_data((DATA / "not_json.json").read_bytes())
    assert data is None
    assert [p.path for p in problems] == ["(file)"]
    assert "line 2" in problems[0].message
    assert parse_exhibition_data(b"\xff\xfe")[1][0].message == "the file is not UTF-8 text"
    assert parse_exhibition_data(b"[" * 100_000)[1][0].message == "not valid JSON: nested too deeply"


def test_problems_against_the_database(example):
    import_exhibition_data(data=example)
    factories.ApplicationFactory(
        exhibition=Exhibition.objects.get(slug="mold-japan-2023"),
        company=factories.ExhibitorFactory(ref="KR-0042"),
        status="approved",
    )
    other = load("example.json")
    other["companies"][0]["role"] = "buyer"
    other["participations"].append({"exhibition": "mold-japan-2023", "company": "KR-0042", "booth": "A-12"})
    lines = [str(p) for p in validate_exhibition_data(other)]
    assert "companies[0].role: 'KR-0001' is an exhibitor in the database; an import cannot change its role" in lines
    assert "participations[5].booth: booth A-12 of 'mold-japan-2023' is already assigned to 'KR-0001'" in lines


def test_companies_and_exhibitions_may_come_from_the_database(example):
    import_exhibition_data(data=example)
    only_links = {
        "format": "exhibition-data/1",
        "participations": [{"exhibition": "mold-japan-2027", "company": "KR-0002", "booth": "C-1"}],
        "meetings": [
            {"exhibition": "mold-japan-2027", "buyer": "JP-0001", "exhibitor": "KR-0002", "status": "requested"}
        ],
    }
    plan = import_exhibition_data(data=only_links)
    assert plan.counts()["participation"] == {"create": 0, "update": 1, "unchanged": 0}
    assert (
        ExhibitorApplication.objects.get(company__ref="KR-0002", exhibition__slug="mold-japan-2027").booth.code == "C-1"
    )
    assert Meeting.objects.filter(exhibitor__ref="KR-0002", status="requested").count() == 1


def test_two_exhibitors_can_swap_booths(example):
    example["participations"][2]["booth"] = "A-01"
    example["participations"][3]["booth"] = "A-02"
    import_exhibition_data(data=example)
    example["participations"][2]["booth"] = "A-02"
    example["participations"][3]["booth"] = "A-01"
    assert validate_exhibition_data(example) == []
    import_exhibition_data(data=example)
    booths = dict(
        ExhibitorApplication.objects.filter(exhibition__slug="mold-japan-2027").values_list(
            "company__ref", "booth__code"
        )
    )
    assert booths == {"KR-0001": "A-02", "KR-0002": "A-01"}
    assert Booth.objects.filter(exhibition__slug="mold-japan-2027").count() == 2


def test_an_existing_application_is_approved_by_import(example):
    import_exhibition_data(
        data={"format": "exhibition-data/1", "exhibitions": example["exhibitions"], "companies": example["companies"]}
    )
    application = factories.ApplicationFactory(
        exhibition=Exhibition.objects.get(slug="mold-japan-2027"), company=Company.objects.get(ref="KR-0002")
    )
    plan = import_exhibition_data(data=example)
    assert [c.fields for c in plan.of("participation", "update")] == [["status"]]
    application.refresh_from_db()
    assert application.status == "approved"


def test_repeated_meetings_match_one_to_one(example):
    import_exhibition_data(data=example)
    again = {"exhibition": "mold-japan-2027", "buyer": "JP-0001", "exhibitor": "KR-0002", "status": "declined"}
    example["meetings"] += [again, dict(again, status="requested")]
    plan = import_exhibition_data(data=example)
    assert plan.counts()["meeting"] == {"create": 2, "update": 0, "unchanged": 1}
    assert not plan_import(example).changes_anything
    example["meetings"][2]["status"] = "cancelled"
    plan = import_exhibition_data(data=example)
    assert plan.counts()["meeting"] == {"create": 0, "update": 1, "unchanged": 2}
    assert sorted(Meeting.objects.filter(exhibitor__ref="KR-0002").values_list("status", flat=True)) == [
        "cancelled",
        "declined",
    ]


def test_an_accepted_meeting_gets_a_slot_at_its_start(example):
    example["meetings"].append(
        {
            "exhibition": "mold-japan-2027",
            "buyer": "JP-0001",
            "exhibitor": "KR-0002",
            "status": "accepted",
            "starts_at": "2027-04-14T11:00:00+09:00",
        }
    )
    import_exhibition_data(data=example)
    meeting = Meeting.objects.get(status="accepted")
    assert meeting.slot.starts_at == datetime.datetime(2027, 4, 14, 2, 0, tzinfo=datetime.UTC)
    assert meeting.ends_at - meeting.starts_at == datetime.timedelta(minutes=30)
    assert not plan_import(example).changes_anything


def test_command_imports_and_prints_a_summary(capsys):
    call_command("import_exhibition_data", str(DATA / "example.json"))
    out = capsys.readouterr().out
    assert "companies: 3 created, 0 updated, 0 unchanged" in out
    call_command("import_exhibition_data", str(DATA / "example.json"))
    assert "companies: 0 created, 0 updated, 3 unchanged" in capsys.readouterr().out


def test_command_reads_standard_input(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO((DATA / "example.json").read_bytes())))
    call_command("import_exhibition_data", "-")
    assert "Imported -:" in capsys.readouterr().out
    assert Company.objects.count() == 3


def test_command_dry_run_writes_nothing(capsys):
    call_command("import_exhibition_data", str(DATA / "example.json"), "--dry-run")
    assert "Would import" in capsys.readouterr().out
    assert not Company.objects.exists()


def test_command_lists_every_problem_and_exits_non_zero(capsys, example):
    import_exhibition_data(data=example)
    before = snapshot()
    with pytest.raises(CommandError, match=r"3 problem\(s\)"):
        call_command("import_exhibition_data", str(DATA / "bad_hs_codes.json"))
    err = capsys.readouterr().err
    assert "companies[3].hs_codes[0]: '84807' is not a HS code" in err
    assert "companies[2].hs_codes[1]: '77' is not a HS code" in err
    assert snapshot() == before
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_exhibition_data", str(DATA / "missing.json"))


def test_command_exit_status_is_non_zero():
    """Run as a process (the file fails before any database access, so no database is touched)."""
    import subprocess
    import sys

    from django.conf import settings

    result = subprocess.run(
        [sys.executable, "manage.py", "import_exhibition_data", "--dry-run", str(DATA / "not_json.json")],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "(file): not valid JSON" in result.stderr


def test_schema_shipped_is_the_shared_contract():
    from django.conf import settings

    from exhibitions.interchange import SCHEMA_PATH

    shared = settings.BASE_DIR.parent / "shared" / "formats" / "exhibition-data.schema.json"
    if not shared.exists():
        pytest.skip("shared/formats is not next to the repository here")
    assert json.loads(SCHEMA_PATH.read_text()) == json.loads(shared.read_text())


@pytest.mark.parametrize("ref", ["KR/0001", "KR 0001", "review", "../x"])
def test_a_new_company_needs_a_reference_its_page_can_have(example, ref):
    """The reference is the company's URL (/companies/<ref>/): a slash or space would make every
    page linking to the company fail, and "review" would be shadowed by the vetting page."""
    old = example["companies"][0]["ref"]
    example["companies"][0]["ref"] = ref
    for section in ("participations", "meetings"):
        for record in example[section]:
            for key in ("company", "buyer", "exhibitor"):
                if record.get(key) == old:
                    record[key] = ref
    lines = [str(p) for p in validate_exhibition_data(example)]
    message = f"companies[0].ref: {ref!r} cannot be a company reference: use letters, digits, hyphens and underscores"
    assert message in lines
    with pytest.raises(ImportRejected):
        import_exhibition_data(data=example)
    assert not Company.objects.filter(ref=ref).exists()
