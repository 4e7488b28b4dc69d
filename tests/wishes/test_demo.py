"""The scheduling part of the demo: enough wishes from both sides, some mutual, some "no",
visit days, blocked times and interpreters; seeding again changes nothing."""

import time

import pytest

from companies import demo
from exhibitions import demo as exhibitions_demo
from exhibitions import scheduling_demo
from exhibitions.models import BuyerRegistration, ExhibitorApplication, Interpreter, Unavailability, Wish

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Wish.objects.values_list("buyer_id", "exhibitor_id", "by", "priority")),
        sorted(Interpreter.objects.values_list("ref", "languages", "token")),
        Unavailability.objects.count(),
        sorted(BuyerRegistration.objects.values_list("pk", "visit_days")),
    )


def test_scheduling_demo_is_rich_fast_and_idempotent():
    demo.seed()
    exhibitions_demo.seed()
    started = time.monotonic()
    counts = scheduling_demo.seed()
    elapsed = time.monotonic() - started
    assert 120 <= counts["wishes"] <= 200 and counts["mutual"] >= 10
    assert Wish.objects.filter(priority="no").exists()
    assert set(Wish.objects.values_list("by", flat=True)) == {"buyer", "exhibitor"}
    assert counts["interpreters"] == 3 and counts["blocked"] >= 3
    exhibition = Interpreter.objects.first().exhibition
    assert not BuyerRegistration.objects.filter(exhibition=exhibition, status="approved", visit_days=[]).exists()
    assert ExhibitorApplication.objects.filter(exhibition=exhibition, parallel_meetings=2).count() == 4
    assert elapsed < 5  # about 1 s on a quiet machine; the bound leaves room for a busy CI
    before = snapshot()
    scheduling_demo.seed()
    assert snapshot() == before
