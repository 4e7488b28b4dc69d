"""The API's directory is cached like the HTML directory: a repeat costs one query (the
exhibition), and any change to the exhibitors shows at once (the key holds the exhibition's
directory version)."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_repeat_is_served_from_the_cache_and_a_change_shows_at_once(client, django_assert_num_queries):
    exhibition = factories.ExhibitionFactory()
    company = factories.ExhibitorFactory(name_en="Hanil Mold")
    factories.ApplicationFactory(exhibition=exhibition, company=company, status="approved")
    url = reverse("api:directory", kwargs={"slug": exhibition.slug})
    assert [e["name"] for e in client.get(url).json()["results"]] == ["Hanil Mold"]
    with django_assert_num_queries(1):  # the exhibition, with its directory version
        assert [e["name"] for e in client.get(url).json()["results"]] == ["Hanil Mold"]
    other = factories.ExhibitorFactory(name_en="Busan Casting")
    factories.ApplicationFactory(exhibition=exhibition, company=other, status="approved")
    company.name_en = "Hanil Precision"
    company.save()
    names = [e["name"] for e in client.get(url).json()["results"]]
    assert names == ["Busan Casting", "Hanil Precision"]
    # Other filters, languages and pages are other entries.
    assert client.get(url, {"q": "busan"}).json()["results"][0]["name"] == "Busan Casting"
    assert len(client.get(url, {"q": "busan"}).json()["results"]) == 1
