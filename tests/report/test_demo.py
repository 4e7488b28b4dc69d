"""seed_demo gives the demo shows exchange rates, leads and held meetings, so the report shows something."""

import pytest

from exhibitions.meetings import demo
from exhibitions.models import ExchangeRate, Exhibition, Lead
from exhibitions.report import selectors
from tests.meetings.test_demo import demo_world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def test_demo_report_has_rates_consultations_values_and_leads(demo_world):  # noqa: F811
    demo.seed()
    past = Exhibition.objects.get(slug=demo.PAST)
    figures = selectors.report_for(past)
    assert figures.rate is not None and figures.rate.set_by.email == demo.STAFF_LOGIN
    assert figures.consultations == 9 and figures.no_shows == 2
    assert figures.leads == 3
    assert figures.unconverted == 0  # the KRW quotation is converted at the demo rate
    assert figures.consultation_value > figures.deal_value > 0
    assert set(figures.consultation_amounts) == {"USD", "JPY", "KRW"}
    assert ExchangeRate.objects.filter(exhibition__slug=demo.OPEN).exists()
    rates, leads = ExchangeRate.objects.count(), Lead.objects.count()
    demo.seed()
    assert (ExchangeRate.objects.count(), Lead.objects.count()) == (rates, leads)
