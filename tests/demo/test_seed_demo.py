"""seed_demo: realistic, deterministic, idempotent; the demo logins work; the demo exports."""

import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.urls import reverse

from companies import demo
from companies.management.commands.seed_demo import AREA_SEEDERS, load_seeder
from companies.models import Certification, Company, Cooperative, Membership, User
from exhibitions.interchange import export_exhibition_data, validate_exhibition_data

pytestmark = pytest.mark.django_db
LOGINS = [
    "staff@demo.fairlink.example",
    "admin@demo.fairlink.example",
    "exhibitor@demo.fairlink.example",
    "buyer@demo.fairlink.example",
]


def state():
    return {
        "companies": list(Company.objects.order_by("ref").values()),
        "codes": sorted(Company.hs_codes.through.objects.values_list("company__ref", "hscode_id")),
        "certifications": sorted(
            Company.certifications.through.objects.values_list("company__ref", "certification__name")
        ),
        "users": list(User.objects.order_by("email").values()),
        "emails": list(EmailAddress.objects.order_by("email").values()),
        "memberships": list(Membership.objects.order_by("id").values()),
        "cooperatives": list(Cooperative.objects.values()),
        "certification_names": list(Certification.objects.values()),
    }


def test_seed_makes_the_demo_companies():
    counts = demo.seed()
    assert counts["companies_created"] == 140
    exhibitors = Company.objects.exhibitors()
    buyers = Company.objects.buyers()
    assert sorted(exhibitors.values_list("ref", flat=True)) == [f"KR-{n:04d}" for n in range(1, 61)]
    assert sorted(buyers.values_list("ref", flat=True)) == [f"JP-{n:04d}" for n in range(1, 81)]
    assert set(exhibitors.values_list("country", flat=True)) == {"KR"}
    assert set(buyers.values_list("country", flat=True)) == {"JP"}
    assert sorted(Company.objects.filter(status="pending").values_list("ref", flat=True)) == sorted(demo.PENDING_REFS)
    assert Company.objects.filter(status="approved").count() == 136
    for company in Company.objects.prefetch_related("hs_codes"):
        assert company.name_en and (company.name_ko if company.kind == "exhibitor" else company.name_ja)
        assert company.hs_codes.all(), company.ref
        assert company.description_ko if company.kind == "exhibitor" else company.description_ja
        assert company.keyword_list and company.city and company.employees and company.founded
    assert Company.objects.values("name_en").distinct().count() == 140
    assert exhibitors.exclude(name_ja="").count() >= 10  # some have Japanese names too
    # Injection moulds for plastics are the commonest trade among the exhibitors.
    top = Company.hs_codes.through.objects.filter(company__kind="exhibitor").values_list("hscode_id", flat=True)
    assert max(set(top), key=list(top).count) == "848071"
    hanil = Company.objects.get(ref="KR-0001")
    assert (hanil.name_en, hanil.name_ko, hanil.city) == ("Hanil Precision Mold", "한일정밀금형", "Incheon")
    assert sorted(hanil.certifications.values_list("name", flat=True)) == ["IATF 16949", "ISO 9001"]
    assert Company.objects.get(ref="JP-0001").name_ja == "東海オートインテリア"
    coop = Cooperative.objects.get()
    assert (coop.name_en, coop.name_ko, coop.name_ja) == (
        "Korea Die Mold Cooperative",
        "한국금형공업협동조합",
        "韓国金型工業協同組合",
    )


def test_seed_is_deterministic():
    assert demo.company_profiles() == demo.company_profiles()


def test_seeding_twice_changes_nothing():
    demo.seed()
    before = state()
    counts = demo.seed()
    assert counts == {
        "companies_created": 0,
        "companies_updated": 0,
        "companies": 140,
        "logins_written": 0,
        "cooperatives_created": 0,
    }
    assert state() == before  # same rows, same values, even updated_at


def test_seed_repairs_what_was_changed():
    demo.seed()
    company = Company.objects.get(ref="KR-0005")
    wanted_name = company.name_en
    company.name_en = "Renamed"
    company.save()
    company.hs_codes.set(["01"])
    staff = User.objects.get(email="staff@demo.fairlink.example")
    staff.set_password("forgotten")
    staff.save()
    counts = demo.seed()
    assert (counts["companies_updated"], counts["logins_written"]) == (1, 1)
    company.refresh_from_db()
    assert company.name_en == wanted_name
    assert "01" not in company.hs_codes.values_list("code", flat=True)
    assert User.objects.get(email="staff@demo.fairlink.example").check_password("demo-pass-2027")


def test_demo_logins_have_their_roles():
    demo.seed()
    staff = User.objects.get(email="staff@demo.fairlink.example")
    assert staff.is_organiser and not staff.is_superuser and staff.cooperative.name_en == "Korea Die Mold Cooperative"
    assert User.objects.get(email="admin@demo.fairlink.example").is_superuser
    exhibitor = User.objects.get(email="exhibitor@demo.fairlink.example")
    assert (exhibitor.company.ref, exhibitor.membership.role) == ("KR-0001", "owner")
    buyer = User.objects.get(email="buyer@demo.fairlink.example")
    assert (buyer.company.ref, buyer.membership.role) == ("JP-0001", "owner")
    assert EmailAddress.objects.filter(email__in=LOGINS, verified=True, primary=True).count() == 4


@pytest.mark.parametrize("email", LOGINS)
def test_demo_logins_can_log_in(client, email):
    demo.seed()
    response = client.post(reverse("account_login"), {"login": email, "password": "demo-pass-2027"})
    assert response.status_code == 302
    assert "/accounts/" not in response["Location"]  # not sent to verify the email or log in again
    assert client.session.get("_auth_user_id") == str(User.objects.get(email=email).pk)


def test_missing_area_module_is_a_clear_import_error():
    with pytest.raises(ImportError, match=r"seed_demo needs exhibitions\.no_such_demo\.seed\(stdout=\.\.\.\)"):
        load_seeder("exhibitions.no_such_demo")
    assert AREA_SEEDERS == (
        "exhibitions.demo",
        "exhibitions.meetings.demo",
        "matching.demo",
        "exhibitions.scheduling_demo",
    )


def test_seed_demo_command_seeds_every_area_and_exports_valid_data():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    for email in LOGINS:
        assert email in text
    assert "demo-pass-2027" in text
    data = export_exhibition_data()
    assert validate_exhibition_data(data) == []
    assert len(data["companies"]) >= 136
    assert data["exhibitions"] and data["participations"] and data["meetings"]
    assert all(re.fullmatch(r"(KR|JP)-\d{4}", c["ref"]) for c in data["companies"])
    counts_before = state()
    call_command("seed_demo", stdout=io.StringIO())
    assert state()["companies"] == counts_before["companies"]


def test_demo_companies_export_as_valid_exhibition_data():
    demo.seed()
    data = export_exhibition_data()
    assert validate_exhibition_data(data) == []
    assert [c["ref"] for c in data["companies"]][:2] == ["JP-0001", "JP-0002"]
    assert len(data["companies"]) == 136  # approved ones; pending companies join once they take part
