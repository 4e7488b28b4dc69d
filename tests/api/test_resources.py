"""The API's resources show what the web pages show: drafts for organisers only, the
directory with its filters and cursor pages, public profiles, HS search in three languages,
one's own agenda. Lists cost a fixed number of queries."""

import pytest
from django.urls import reverse

from companies.models import Certification
from tests import factories
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def add_exhibitor(exhibition, booth=None, hs=(), certifications=(), **company):
    company = factories.ExhibitorFactory(hs=list(hs), **company)
    company.certifications.set(certifications)
    factories.ApplicationFactory(exhibition=exhibition, company=company, status="approved", booth=booth)
    return company


def test_drafts_are_for_organisers_only(client, staff, exhibitor_owner):
    shown = factories.ExhibitionFactory(status="open")
    draft = factories.ExhibitionFactory(status="draft")
    list_url = reverse("api:exhibition_list")
    draft_url = reverse("api:exhibition_detail", kwargs={"slug": draft.slug})
    for headers in ({}, bearer(exhibitor_owner)):
        assert [e["slug"] for e in client.get(list_url, **headers).json()["results"]] == [shown.slug]
        assert client.get(draft_url, **headers).status_code == 404
    assert {e["slug"] for e in client.get(list_url, **bearer(staff)).json()["results"]} == {shown.slug, draft.slug}
    assert client.get(draft_url, **bearer(staff)).json()["status"] == "draft"


def test_directory_filters_like_the_html_directory(client):
    exhibition = factories.ExhibitionFactory()
    iso = Certification.objects.create(name="ISO 9001")
    hall = factories.HallFactory(exhibition=exhibition)
    add_exhibitor(
        exhibition,
        booth=factories.BoothFactory(hall=hall, code="B-07"),
        hs=["848071"],
        certifications=[iso],
        name_en="Hanil Precision Mold",
        name_ja="ハンイル精密金型",
        city="Incheon",
        languages="ko ja",
        description_ja="自動車ランプ用の射出成形金型",
    )
    add_exhibitor(exhibition, hs=["848041"], name_en="Daesung Die Casting", city="Busan", languages="ko en")
    add_exhibitor(exhibition, hs=["732690"], name_en="Cheon Tooling", city="Changwon", languages="ko zh")
    factories.ApplicationFactory(exhibition=exhibition, status="submitted")  # not in the directory
    url = reverse("api:directory", kwargs={"slug": exhibition.slug})

    def names(**params):
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        return [entry["name"] for entry in response.json()["results"]]

    assert names() == ["Cheon Tooling", "Daesung Die Casting", "Hanil Precision Mold"]
    assert names(hs="8480") == ["Daesung Die Casting", "Hanil Precision Mold"]
    assert names(city="busan") == ["Daesung Die Casting"]
    assert names(certification=iso.pk) == ["Hanil Precision Mold"]
    assert names(language="zh") == ["Cheon Tooling"]
    assert names(q="射出成形") == ["Hanil Precision Mold"]
    assert names(sort="city") == ["Daesung Die Casting", "Cheon Tooling", "Hanil Precision Mold"]
    assert names(sort="booth")[0] == "Hanil Precision Mold"
    entry = client.get(url, {"hs": "848071"}).json()["results"][0]
    assert entry["booth"] == "B-07" and entry["hs_codes"] == ["848071"] and entry["certifications"] == ["ISO 9001"]


@pytest.mark.parametrize("sort", ["name", "city", "booth"])
def test_directory_cursor_walks_every_exhibitor_once_50_a_page(client, sort):
    exhibition = factories.ExhibitionFactory()
    hall = factories.HallFactory(exhibition=exhibition)
    for n in range(120):
        # Repeated names and cities: the cursor must not lose or repeat ties.
        booth = factories.BoothFactory(hall=hall, code=f"C-{n % 7:02d}-{n:03d}") if n % 3 else None
        add_exhibitor(exhibition, booth=booth, name_en=f"Mold {n % 10}", city=f"City {n % 4}")
    url = reverse("api:directory", kwargs={"slug": exhibition.slug})
    seen, pages, params = [], 0, {"sort": sort}
    while url:
        body = client.get(url, params).json()
        params = None
        pages += 1
        assert len(body["results"]) == (50 if pages < 3 else 20)
        seen += [entry["ref"] for entry in body["results"]]
        url = body["next"]
    assert pages == 3
    assert len(seen) == len(set(seen)) == 120


@pytest.mark.parametrize("rows", [5, 200])
def test_directory_costs_fixed_queries(client, django_assert_num_queries, rows):
    exhibition = factories.ExhibitionFactory()
    iso = Certification.objects.create(name="ISO 9001")
    for n in range(rows):
        add_exhibitor(exhibition, hs=["848071", "8480"], certifications=[iso], name_en=f"Mold {n:03d}")
    url = reverse("api:directory", kwargs={"slug": exhibition.slug})
    # exhibition, page of rows, their HS codes, their certifications
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", [5, 200])
def test_exhibition_list_costs_fixed_queries(client, django_assert_num_queries, rows):
    factories.ExhibitionFactory.create_batch(rows)
    with django_assert_num_queries(1):
        assert client.get(reverse("api:exhibition_list")).status_code == 200


@pytest.mark.parametrize("rows", [5, 200])
def test_agenda_costs_fixed_queries(client, django_assert_num_queries, buyer_owner, rows):
    exhibition = factories.ExhibitionFactory()
    buyer = buyer_owner.company
    for _ in range(rows):
        slot = factories.SlotFactory(exhibition=exhibition)
        factories.MeetingFactory(
            exhibition=exhibition,
            buyer=buyer,
            status="accepted",
            slot=slot,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
        )
    headers = bearer(buyer_owner)
    # token and user, its last use, exhibition, membership, meetings
    with django_assert_num_queries(5):
        response = client.get(reverse("api:agenda", kwargs={"slug": exhibition.slug}), **headers)
    assert response.status_code == 200
    assert len(response.json()) == rows


def test_agenda_is_one_own_meetings_only(client, buyer_owner):
    exhibition = factories.ExhibitionFactory()
    slot = factories.SlotFactory(exhibition=exhibition)
    booked = {"status": "accepted", "slot": slot, "starts_at": slot.starts_at, "ends_at": slot.ends_at}
    mine = factories.MeetingFactory(exhibition=exhibition, buyer=buyer_owner.company, **booked)
    theirs = factories.MeetingFactory(exhibition=exhibition, **booked)
    other_buyer = factories.MembershipFactory(company=theirs.buyer).user
    url = reverse("api:agenda", kwargs={"slug": exhibition.slug})
    assert [m["id"] for m in client.get(url, **bearer(buyer_owner)).json()] == [mine.pk]
    assert [m["id"] for m in client.get(url, **bearer(other_buyer)).json()] == [theirs.pk]
    response = client.get(url)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_company_profiles_follow_the_web_rules(client, exhibitor_owner, buyer_owner, staff):
    pending = factories.ExhibitorFactory(status="pending", name_en="Pending Mold")
    member = factories.MembershipFactory(company=pending).user
    url = reverse("api:company_detail", kwargs={"ref": pending.ref})
    assert client.get(url).status_code == 404
    assert client.get(url, **bearer(buyer_owner)).status_code == 404
    assert client.get(url, **bearer(member)).json()["name"] == "Pending Mold"
    assert client.get(url, **bearer(staff)).status_code == 200
    approved = reverse("api:company_detail", kwargs={"ref": exhibitor_owner.company.ref})
    assert client.get(approved).status_code == 200


@pytest.mark.parametrize(
    ("text", "language", "code"),
    [("injection moulds", "en", "848071"), ("사출", "ko", "848071"), ("射出", "ja", "848071")],
)
def test_hs_search_in_three_languages(client, text, language, code):
    response = client.get(reverse("api:hs_search"), {"q": text}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    results = response.json()
    assert code in [r["code"] for r in results]
    if language != "en":
        named = next(r for r in results if r["code"] == code)
        assert named["name"] != "Injection or compression types"


def test_hs_search_without_text_is_empty(client):
    assert client.get(reverse("api:hs_search")).json() == []
