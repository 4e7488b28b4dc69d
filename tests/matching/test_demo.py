"""The matching demo on a stand-in for the other areas' demos."""

import datetime

import pytest

from matching import demo
from matching.models import MatchRun, Suggestion
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world():
    cooperative = factories.CooperativeFactory()
    factories.StaffFactory(email=demo.STAFF_LOGIN, cooperative=cooperative)
    exhibitor = factories.MembershipFactory(
        company=factories.ExhibitorFactory(ref="KR-0001", hs=["848071"], keywords="injection mould"),
        user=factories.UserFactory(email=demo.EXHIBITOR_LOGIN),
    ).user.company
    buyer = factories.MembershipFactory(
        company=factories.BuyerFactory(ref="JP-0001", hs=["8480"], description_ja="射出成形金型"),
        user=factories.UserFactory(email=demo.BUYER_LOGIN),
    ).user.company
    codes = ["848071", "848079", "820730", "848041", "8480", "847710"]
    exhibitors = [exhibitor] + [factories.ExhibitorFactory(hs=[codes[i % 6]]) for i in range(12)]
    buyers = [buyer] + [factories.BuyerFactory(hs=[codes[i % 6]]) for i in range(8)]
    exhibition = factories.ExhibitionFactory(
        slug=demo.OPEN,
        cooperative=cooperative,
        starts_on=datetime.date(2027, 4, 14),
        ends_on=datetime.date(2027, 4, 16),
    )
    for company in exhibitors:
        factories.ApplicationFactory(exhibition=exhibition, company=company, status="approved")
    for company in buyers:
        factories.BuyerRegistrationFactory(exhibition=exhibition, company=company)
    return exhibition, buyer, exhibitor


def test_demo_has_a_finished_run_pending_and_approved_suggestions_and_is_idempotent(demo_world):
    exhibition, buyer, exhibitor = demo_world
    demo.seed()
    run = MatchRun.objects.get(exhibition=exhibition)
    assert run.status == "finished"
    approved = Suggestion.objects.filter(exhibition=exhibition, status="approved")
    assert approved.filter(buyer=buyer).count() == demo.APPROVE_FOR_BUYER
    assert approved.filter(exhibitor=exhibitor).exists()
    pending = Suggestion.objects.filter(exhibition=exhibition, status="pending_review").count()
    assert pending > approved.count()
    before = list(Suggestion.objects.order_by("pk").values_list("pk", "status"))
    demo.seed()
    assert MatchRun.objects.filter(exhibition=exhibition).count() == 1
    assert list(Suggestion.objects.order_by("pk").values_list("pk", "status")) == before


def test_demo_without_the_exhibition_does_nothing():
    demo.seed()
    assert not MatchRun.objects.exists()
