"""On PostgreSQL: staff save rates while the two sides record outcomes, all at once. Nothing
fails, and afterwards every held meeting's cached USD summary and the report agree with the
rate in force (the report converts outcome rows when it is read)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from exhibitions.meetings.services import summarise_outcomes
from exhibitions.models import ExchangeRate, Meeting, MeetingOutcome
from exhibitions.report import selectors, services

from .conftest import build_show

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL to show a race (DATABASE_URL)"),
]


def test_rates_saved_at_once_leave_summaries_at_the_rate_in_force():
    show = build_show()
    calls = [
        (
            lambda jpy=jpy: services.exchange_rate_set(
                exhibition=show.exhibition, jpy_per_usd=jpy, krw_per_usd=1400, by=show.staff
            )
        )
        for jpy in (100, 120, 125, 140, 150, 160, 200, 250)
    ]
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait(timeout=30)
            call()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    rate = ExchangeRate.objects.filter(exhibition=show.exhibition).first()
    for meeting in Meeting.objects.filter(exhibition=show.exhibition, status="held", outcomes__isnull=False).distinct():
        outcomes = list(MeetingOutcome.objects.filter(meeting=meeting))
        assert meeting.deal_value_usd == summarise_outcomes(outcomes, rate)[1], meeting.pk
    figures = selectors.report_for(show.exhibition)
    m1 = (Decimal(1500000) / rate.jpy_per_usd).quantize(Decimal("0.01"))
    assert figures.deal_value == max(m1, Decimal("8000.00")) + Decimal("3000.00")
