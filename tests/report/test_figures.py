"""Every figure of the report against the hand-counted show in conftest.py."""

import datetime
from decimal import Decimal

from exhibitions.report import selectors

from .conftest import DAY1


def test_headline_figures_match_the_hand_count(show):
    f = selectors.report_for(show.exhibition)
    assert (f.exhibitors, f.buyers) == (3, 4)  # E0 only submitted, B0 pending
    assert f.booked == 7  # M1–M6, M8 (M7 cancelled)
    assert f.consultations == 5  # M1, M2, M3, M5, M8
    assert f.no_shows == 1 and f.no_show_rate == 1 / 6
    assert f.leads == 3  # the lead on the other show does not count
    assert f.consultation_value == Decimal("20000.00")  # 10,000 + 2,000 + 5,000 + 3,000 + 0
    assert f.deal_value == Decimal("13000.00")  # M1 10,000 + M5 3,000
    assert f.consultation_amounts == {
        "USD": Decimal("20000.00"),
        "JPY": Decimal("3000000"),
        "KRW": Decimal("28000000"),
    }
    assert f.deal_amounts == {"USD": Decimal("13000.00"), "JPY": Decimal("1950000"), "KRW": Decimal("18200000")}
    assert f.interpreter_minutes == 75 and f.interpreter_hours == Decimal("1.25")  # M1 30 + M3 45
    assert f.unconverted == 0


def test_funnel_outcomes_days_and_matcher_share(show):
    f = selectors.report_for(show.exhibition)
    assert [(stage, count) for stage, _label, count in f.funnel] == [
        ("booked", 7),
        ("held", 5),
        ("no_interest", 5),
        ("follow_up", 4),
        ("quotation", 3),
        ("deal", 2),
    ]
    assert {kind: count for kind, _label, count in f.outcome_rows} == {
        "no_interest": 1,
        "follow_up": 1,
        "quotation": 1,
        "deal": 2,
        "": 0,
    }
    assert f.days == [(DAY1, 2), (DAY1 + datetime.timedelta(days=1), 2), (DAY1 + datetime.timedelta(days=2), 1)]
    # M1 and M3 came from approved suggestions; M2's suggestion was never approved.
    assert (f.matched, f.matched_deals, f.matched_value) == (2, 1, Decimal("15000.00"))
    assert f.matched_share == 2 / 5


def _lines(lines):
    return {
        line.company.name_en: (
            line.consultations,
            line.no_shows,
            line.leads,
            line.deals,
            line.consultation_value,
            line.deal_value,
        )
        for line in lines
    }


def test_per_exhibitor_and_per_buyer(show):
    f = selectors.report_for(show.exhibition)
    assert _lines(f.exhibitor_lines()) == {
        "E1": (2, 0, 2, 1, Decimal("12000.00"), Decimal("10000.00")),
        "E2": (2, 1, 1, 0, Decimal("5000.00"), Decimal("0.00")),
        "E3": (1, 0, 0, 1, Decimal("3000.00"), Decimal("3000.00")),
    }
    assert [line.company.name_en for line in f.exhibitor_lines()] == ["E1", "E2", "E3"]  # largest value first
    assert _lines(f.buyer_lines()) == {
        "B1": (2, 0, 0, 1, Decimal("15000.00"), Decimal("10000.00")),
        "B2": (1, 0, 0, 0, Decimal("2000.00"), Decimal("0.00")),
        "B3": (0, 1, 1, 0, Decimal("0.00"), Decimal("0.00")),
        "B4": (2, 0, 1, 1, Decimal("3000.00"), Decimal("3000.00")),
    }


def test_a_company_report_counts_only_its_own_business(show):
    e1 = show.e[1]
    f = selectors.report_for(show.exhibition, company=e1)
    assert (f.consultations, f.no_shows, f.leads) == (2, 0, 2)
    assert (f.consultation_value, f.deal_value) == (Decimal("12000.00"), Decimal("10000.00"))
    assert _lines(selectors.counterparts(f, e1)) == {
        "B1": (1, 0, 0, 1, Decimal("10000.00"), Decimal("10000.00")),
        "B2": (1, 0, 0, 0, Decimal("2000.00"), Decimal("0.00")),
        "B3": (0, 0, 1, 0, Decimal("0.00"), Decimal("0.00")),
    }
    b1 = show.b[1]
    f = selectors.report_for(show.exhibition, company=b1)
    assert (f.consultations, f.consultation_value, f.deal_value) == (2, Decimal("15000.00"), Decimal("10000.00"))
    assert set(_lines(selectors.counterparts(f, b1))) == {"E1", "E2"}


def test_without_rates_yen_and_won_estimates_are_not_counted_and_said_so(db):
    from .conftest import build_show

    show = build_show(rates=False)
    f = selectors.report_for(show.exhibition)
    # M1: only the USD 8,000 of the exhibitor's side; M2 (KRW) counts nothing.
    assert f.consultation_value == Decimal("16000.00")  # 8,000 + 0 + 5,000 + 3,000 + 0
    assert f.unconverted == 1  # M2: its only estimate is in KRW
    assert f.consultation_amounts == {"USD": Decimal("16000.00")}
