import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_home_lists_coming_shows_but_not_drafts_or_past_ones(client):
    factories.ExhibitionFactory(title_en="Mold Japan Next Spring")
    factories.ExhibitionFactory(title_en="Hidden Draft", status="draft")
    past = factories.ExhibitionFactory.build().starts_on.replace(year=2020)
    factories.ExhibitionFactory(title_en="Old Show", starts_on=past, ends_on=past, status="closed")
    html = client.get(reverse("home")).content.decode()
    assert "Mold Japan Next Spring" in html
    assert "Hidden Draft" not in html and "Old Show" not in html


def test_home_shows_a_participants_own_shows_with_agenda_and_suggestions(client, exhibitor_owner, buyer_owner):
    booth = factories.BoothFactory(code="C-03")
    exhibition = booth.exhibition
    factories.ApplicationFactory(exhibition=exhibition, company=exhibitor_owner.company, status="approved", booth=booth)
    client.force_login(exhibitor_owner)
    html = client.get(reverse("home")).content.decode()
    assert "Booth C-03" in html
    assert reverse("exhibitions:meetings_agenda", kwargs={"slug": exhibition.slug}) in html
    assert reverse("matching:for_me", kwargs={"slug": exhibition.slug}) in html

    client.force_login(buyer_owner)  # not registered for it: no agenda link
    html = client.get(reverse("home")).content.decode()
    assert reverse("exhibitions:meetings_agenda", kwargs={"slug": exhibition.slug}) not in html


def test_home_query_count_does_not_grow_with_shows(client, exhibitor_owner, django_assert_max_num_queries):
    client.force_login(exhibitor_owner)
    for _ in range(5):
        application = factories.ApplicationFactory(company=exhibitor_owner.company, status="approved")
        factories.ExhibitionFactory(cooperative=application.exhibition.cooperative)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("home")).status_code == 200
