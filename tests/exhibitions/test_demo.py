"""The exhibitions demo: two shows on top of the companies demo, idempotent."""

import pytest

from companies import demo as companies_demo
from exhibitions import demo
from exhibitions.models import Booth, BuyerRegistration, Exhibition, ExhibitorApplication, Representative

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Exhibition, Booth, ExhibitorApplication, Representative, BuyerRegistration)
    } | {
        "products": sorted(
            ExhibitorApplication.products.through.objects.values_list("exhibitorapplication_id", "hscode_id")
        ),
        "sourcing": sorted(BuyerRegistration.sourcing.through.objects.values_list("buyerregistration_id", "hscode_id")),
    }


def test_demo_shows_and_idempotence():
    companies_demo.seed()
    first = demo.seed()
    assert first["created"] > 0
    past = Exhibition.objects.get(slug="mold-japan-2025")
    upcoming = Exhibition.objects.get(slug="mold-japan-2027")
    assert (past.status, past.city, past.starts_on.year) == ("closed", "Osaka", 2025)
    assert (upcoming.status, upcoming.venue.startswith("Tokyo Big Sight"), upcoming.starts_on.month) == (
        "open",
        True,
        4,
    )
    assert upcoming.halls.count() == 2 and upcoming.booths.count() == 70
    statuses = set(upcoming.applications.values_list("status", flat=True))
    assert statuses == {"approved", "submitted", "waitlisted", "rejected"}
    approved = upcoming.applications.approved()
    assert approved.count() == 40 and approved.filter(booth__isnull=False).count() == 40
    hanil = approved.get(company__ref="KR-0001")
    assert hanil.booth.code == "B-07"
    assert hanil.representatives.filter(user__email=demo.EXHIBITOR_LOGIN).exists()
    assert set(upcoming.buyer_registrations.values_list("status", flat=True)) == {"approved", "pending"}
    assert upcoming.buyer_registrations.filter(company__ref="JP-0001", status="approved").exists()
    assert past.applications.approved().filter(company__ref="KR-0001", booth__isnull=False).exists()
    assert past.buyer_registrations.filter(company__ref="JP-0001", status="approved").exists()
    before = snapshot()
    assert demo.seed() == {"created": 0, "updated": 0}
    assert snapshot() == before


def test_demo_without_companies_says_so():
    lines = []

    class Out:
        def write(self, text):
            lines.append(text)

    assert demo.seed(stdout=Out()) == {"created": 0, "updated": 0}
    assert "companies demo first" in lines[0]
