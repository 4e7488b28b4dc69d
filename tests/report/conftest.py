"""A small past show whose every report figure is counted by hand in the tests.

Show: 2025-06-10..12, Asia/Tokyo. Rates in force: 1 USD = 150 JPY = 1400 KRW (an older
100/1000 must be ignored). Exhibitors E1, E2, E3 approved (E0 only submitted); buyers B1..B4
approved (B0 pending).

  M1 E1×B1 day 1 10:00–10:30 held  buyer deal 1,500,000 JPY, exhibitor quotation 8,000 USD
                                    → deal, US$ 10,000; interpreter; approved suggestion
  M2 E1×B2 day 1 11:00–11:30 held  exhibitor follow-up 2,800,000 KRW → US$ 2,000;
                                    suggestion only pending review (not the matcher's)
  M3 E2×B1 day 2 10:00–10:45 held  buyer quotation 5,000 USD; interpreter; approved suggestion
  M4 E2×B3 day 2 11:00–11:30 no-show
  M5 E3×B4 day 2 14:00–14:30 held  imported: deal, US$ 3,000, no outcome rows
  M6 E3×B2 day 3 10:00–10:30 accepted (booked, never marked)
  M7 E1×B3 cancelled               (not counted anywhere)
  M8 E2×B4 day 3 09:00–09:30 held  exhibitor no interest, no value
Leads: E1←B3, E1←a business card, E2←B4; one lead on another show.
"""

import datetime
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

import pytest

from exhibitions.models import ExchangeRate, Interpreter, Lead, MeetingOutcome
from matching.models import Suggestion
from tests import factories

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
DAY1 = datetime.date(2025, 6, 10)


@dataclass
class Show:
    exhibition: object
    staff: object
    e: list
    b: list
    people: dict
    meetings: dict


def at(day, hour, minute=0):
    return datetime.datetime.combine(DAY1 + datetime.timedelta(days=day - 1), datetime.time(hour, minute), TOKYO)


def build_show(cooperative=None, *, starts_on=DAY1, rates=True):
    staff = factories.StaffFactory(cooperative=cooperative) if cooperative else factories.StaffFactory()
    exhibition = factories.ExhibitionFactory(
        cooperative=staff.cooperative,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=2),
        status="closed",
    )
    e = [factories.ExhibitorFactory(name_en=f"E{i}") for i in range(4)]
    b = [factories.BuyerFactory(name_en=f"B{i}", name_ja="") for i in range(5)]
    factories.ApplicationFactory(exhibition=exhibition, company=e[0], status="submitted")
    for company in e[1:]:
        factories.ApplicationFactory(exhibition=exhibition, company=company, status="approved")
    factories.BuyerRegistrationFactory(exhibition=exhibition, company=b[0], status="submitted")
    for company in b[1:]:
        factories.BuyerRegistrationFactory(exhibition=exhibition, company=company, status="approved")
    people = {
        "e1": factories.MembershipFactory(company=e[1]).user,
        "e2": factories.MembershipFactory(company=e[2]).user,
        "b1": factories.MembershipFactory(company=b[1]).user,
        "b2": factories.MembershipFactory(company=b[2]).user,
    }
    if rates:
        ExchangeRate.objects.create(exhibition=exhibition, jpy_per_usd=100, krw_per_usd=1000, set_by=staff)
        ExchangeRate.objects.create(exhibition=exhibition, jpy_per_usd=150, krw_per_usd=1400, set_by=staff)
    interpreter = Interpreter.objects.create(exhibition=exhibition, ref="I1", name="Kim", languages="ko ja")

    def meeting(ex, buyer, status, day=None, hour=None, minutes=30, **extra):
        starts = at(day, *hour) if day else None
        ends = starts + datetime.timedelta(minutes=minutes) if starts else None
        return factories.MeetingFactory(
            exhibition=exhibition, exhibitor=ex, buyer=buyer, status=status, starts_at=starts, ends_at=ends, **extra
        )

    def said(m, side, outcome, value=None, currency="USD"):
        MeetingOutcome.objects.create(
            meeting=m, side=side, outcome=outcome, estimated_value=value and Decimal(value), currency=currency
        )

    m = {}
    m[1] = meeting(e[1], b[1], "held", 1, (10, 0), interpreter=interpreter, outcome="deal")
    said(m[1], "buyer", "deal", 1500000, "JPY")
    said(m[1], "exhibitor", "quotation", 8000, "USD")
    m[2] = meeting(e[1], b[2], "held", 1, (11, 0), outcome="follow_up")
    said(m[2], "exhibitor", "follow_up", 2800000, "KRW")
    m[3] = meeting(e[2], b[1], "held", 2, (10, 0), minutes=45, interpreter=interpreter, outcome="quotation")
    said(m[3], "buyer", "quotation", 5000, "USD")
    m[4] = meeting(e[2], b[3], "no_show", 2, (11, 0))
    m[5] = meeting(e[3], b[4], "held", 2, (14, 0), outcome="deal", deal_value_usd=Decimal("3000.00"), origin="import")
    slot = factories.SlotFactory(exhibition=exhibition, starts_at=at(3, 10), ends_at=at(3, 10, 30))
    m[6] = meeting(e[3], b[2], "accepted", 3, (10, 0), slot=slot)
    m[7] = meeting(e[1], b[3], "cancelled")
    m[8] = meeting(e[2], b[4], "held", 3, (9, 0), outcome="no_interest")
    said(m[8], "exhibitor", "no_interest")
    for ex, buyer, status in ((e[1], b[1], "approved"), (e[2], b[1], "approved"), (e[1], b[2], "pending_review")):
        Suggestion.objects.create(exhibition=exhibition, exhibitor=ex, buyer=buyer, score=0.9, rank=1, status=status)
    Lead.objects.create(exhibition=exhibition, exhibitor=e[1], buyer=b[3])
    Lead.objects.create(exhibition=exhibition, exhibitor=e[1], visitor_name="Walk-in Tanaka")
    Lead.objects.create(exhibition=exhibition, exhibitor=e[2], buyer=b[4])
    elsewhere = factories.ExhibitionFactory()
    Lead.objects.create(exhibition=elsewhere, exhibitor=e[1], buyer=b[1])
    return Show(exhibition=exhibition, staff=staff, e=e, b=b, people=people, meetings=m)


@pytest.fixture
def show(db):
    return build_show()
