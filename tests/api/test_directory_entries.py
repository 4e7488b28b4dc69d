"""The API's directory builds its entries as plain dicts (selectors.directory_api_entries)
instead of the HTML directory's entries run through a serializer: the same answer, field for
field, as the serializer the OpenAPI description is generated from, and as the HTML page's
entries; sorted by the stored sort name of the reader's language."""

import pytest
from django.urls import reverse
from django.utils import translation

from companies.models import Certification
from exhibitions.api import DirectoryEntrySerializer
from exhibitions.selectors import directory_entries, directory_for
from tests import factories
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db

EIGHT_CODES = ["848079", "848071", "848049", "848041", "848020", "846229", "820730", "732690"]


def exhibition_with_varied_exhibitors():
    exhibition = factories.ExhibitionFactory()
    hall = factories.HallFactory(exhibition=exhibition, name="Hall C")
    iso, iatf = Certification.objects.create(name="ISO 9001"), Certification.objects.create(name="IATF 16949")
    rich = factories.ExhibitorFactory(
        name_en="Hanil Precision Mold",
        name_ja="ハンイル精密金型",
        languages="ko ja en",
        description_en="Injection moulds for car lamps. " * 12,  # longer than the 180 shown
        hs=EIGHT_CODES,
    )
    rich.certifications.set([iso, iatf])
    factories.ApplicationFactory(
        exhibition=exhibition, company=rich, status="approved", booth=factories.BoothFactory(hall=hall, code="C-01")
    )
    plain = factories.ExhibitorFactory(name_en="Busan Casting", name_ja="", languages="", city="Busan")
    factories.ApplicationFactory(exhibition=exhibition, company=plain, status="approved")
    japanese_only = factories.ExhibitorFactory(name_en="", name_ja="アサヒ金型", languages="ja")
    factories.ApplicationFactory(exhibition=exhibition, company=japanese_only, status="approved")
    return exhibition


@pytest.mark.parametrize("language", ["en", "ko", "ja"])
def test_entries_are_what_the_serializer_and_the_html_directory_say(client, language):
    exhibition = exhibition_with_varied_exhibitors()
    url = reverse("api:directory", kwargs={"slug": exhibition.slug})
    results = client.get(url, HTTP_ACCEPT_LANGUAGE=language).json()["results"]
    assert results == DirectoryEntrySerializer(results, many=True).data
    with translation.override(language):
        html_entries = directory_entries(directory_for(exhibition, {}))
    assert [entry["ref"] for entry in results] == [entry["ref"] for entry in html_entries]
    for entry, html in zip(results, html_entries, strict=True):
        assert list(entry) == list(DirectoryEntrySerializer().fields)
        for field in ("ref", "name", "city", "country", "languages", "description", "booth", "hall", "certifications"):
            assert entry[field] == html[field], field
        assert entry["hs_codes"] == [code["code"] for code in html["codes"]]
    rich = next(entry for entry in results if entry["booth"] == "C-01")
    assert rich["hs_codes"] == sorted(EIGHT_CODES)[:6]  # the first six by number, as on the page
    assert rich["hall"] == "Hall C" and rich["certifications"] == ["IATF 16949", "ISO 9001"]
    assert len(rich["description"]) == 180 and rich["description"].endswith("…")


def test_names_sort_in_the_readers_language(client):
    exhibition = exhibition_with_varied_exhibitors()
    url = reverse("api:directory", kwargs={"slug": exhibition.slug})

    def names(language):
        return [e["name"] for e in client.get(url, HTTP_ACCEPT_LANGUAGE=language).json()["results"]]

    assert names("en") == ["Busan Casting", "Hanil Precision Mold", "アサヒ金型"]
    assert names("ja") == ["Busan Casting", "アサヒ金型", "ハンイル精密金型"]


@pytest.mark.parametrize("rows", [5, 200])
def test_a_token_costs_one_query_and_its_last_use_one_a_minute(
    client, django_assert_num_queries, exhibitor_owner, rows
):
    exhibition = factories.ExhibitionFactory()
    for _ in range(rows):
        factories.ApplicationFactory(
            exhibition=exhibition, company=factories.ExhibitorFactory(hs=["848071"]), status="approved"
        )
    url = reverse("api:directory", kwargs={"slug": exhibition.slug})
    headers = bearer(exhibitor_owner)
    # token and user, its last use, exhibition, page of rows, their HS codes, their certifications
    with django_assert_num_queries(6):
        assert client.get(url, {"sort": "city"}, **headers).status_code == 200
    # Another miss within the minute: the last use is not written again.
    with django_assert_num_queries(5):
        assert client.get(url, {"sort": "booth"}, **headers).status_code == 200
