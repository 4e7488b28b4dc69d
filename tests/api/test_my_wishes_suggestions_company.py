"""A participant's wishes and suggestions, and an owner's own company profile, through the
API: the pages' selectors, services and forms, the pages' people."""

import pytest
from django.urls import reverse

from companies.models import Company, HSCode
from exhibitions.models import Wish
from matching.models import Suggestion
from tests import factories
from tests.api.conftest import bearer
from tests.meetings.conftest import add_buyer, add_exhibitor, make_world

pytestmark = pytest.mark.django_db
JSON = {"content_type": "application/json"}


@pytest.fixture
def world(exhibitor_owner, buyer_owner):
    return make_world(exhibitor_user=exhibitor_owner, buyer_user=buyer_owner)


def wishes_url(world):
    return reverse("api:wishes", kwargs={"slug": world.exhibition.slug})


# --- Wishes ----------------------------------------------------------------------------------


def test_a_buyer_sets_then_clears_a_wish(client, world):
    headers = bearer(world.buyer_user, "write")
    response = client.post(wishes_url(world), {"company": world.exhibitor.ref, "priority": "must"}, **JSON, **headers)
    assert response.status_code == 200, response.content
    assert response.json() == [
        {
            "company": world.exhibitor.ref,
            "name": str(world.exhibitor.name),
            "mine": "must",
            "theirs": "",
            "mutual": False,
            "open_meeting": None,
        }
    ]
    assert Wish.objects.get().created_by == world.buyer_user
    response = client.post(wishes_url(world), {"company": world.exhibitor.ref, "priority": "clear"}, **JSON, **headers)
    assert response.json() == [] and not Wish.objects.exists()


def test_mutual_wishes_show_on_both_sides(client, world):
    client.post(
        wishes_url(world),
        {"company": world.exhibitor.ref, "priority": "want"},
        **JSON,
        **bearer(world.buyer_user, "write"),
    )
    client.post(
        wishes_url(world),
        {"company": world.buyer.ref, "priority": "must"},
        **JSON,
        **bearer(world.exhibitor_user, "write"),
    )
    rows = client.get(wishes_url(world), **bearer(world.exhibitor_user)).json()
    assert [(r["company"], r["mine"], r["theirs"], r["mutual"]) for r in rows] == [
        (world.buyer.ref, "must", "want", True)
    ]


def test_an_unknown_priority_is_a_field_error(client, world):
    response = client.post(
        wishes_url(world),
        {"company": world.exhibitor.ref, "priority": "maybe"},
        **JSON,
        **bearer(world.buyer_user, "write"),
    )
    assert response.status_code == 400 and "priority" in response.json()["fields"]
    assert not Wish.objects.exists()


def test_a_company_of_the_same_side_or_not_taking_part_is_404(client, world):
    headers = bearer(world.buyer_user, "write")
    other_buyer = add_buyer(world).company
    for ref in (other_buyer.ref, factories.ExhibitorFactory().ref):
        response = client.post(wishes_url(world), {"company": ref, "priority": "must"}, **JSON, **headers)
        assert response.status_code == 404


def test_a_company_that_does_not_take_part_has_no_wishes_page(client, world):
    outsider = factories.MembershipFactory(company=factories.BuyerFactory(), role="owner").user
    assert client.get(wishes_url(world), **bearer(outsider)).status_code == 404


@pytest.mark.parametrize("rows", [5, 200])
def test_wishes_cost_fixed_queries(client, django_assert_num_queries, world, rows):
    for n in range(rows):
        exhibitor = factories.ExhibitorFactory(name_en=f"Mold {n:03d}")
        Wish.objects.create(
            exhibition=world.exhibition, buyer=world.buyer, exhibitor=exhibitor, by="buyer", priority="want"
        )
    headers = bearer(world.buyer_user)
    # token and user, last use, exhibition, membership, registration, wishes with companies, open meetings
    with django_assert_num_queries(7):
        response = client.get(wishes_url(world), **headers)
    assert len(response.json()) == rows


# --- Suggestions -----------------------------------------------------------------------------


def suggest(world, exhibitor, status="approved", rank=1):
    return Suggestion.objects.create(
        exhibition=world.exhibition,
        buyer=world.buyer,
        exhibitor=exhibitor,
        score=1 / rank,
        rank=rank,
        status=status,
        reasons=[{"code": "language", "lang": "ja"}],
    )


def test_a_buyer_sees_only_approved_suggestions_with_reasons_in_its_language(client, world):
    approved = suggest(world, world.exhibitor)
    other = add_exhibitor(world, "B-02").company
    suggest(world, other, status="pending_review", rank=2)
    url = reverse("api:suggestions", kwargs={"slug": world.exhibition.slug})
    response = client.get(url, **bearer(world.buyer_user), HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [s["id"] for s in results] == [approved.pk]
    assert results[0]["company"] == world.exhibitor.ref and results[0]["my_wish"] == ""
    assert "日本語" in results[0]["reasons"][0]


def test_the_exhibitor_sees_the_buyer_and_outsiders_see_nothing(client, world):
    suggest(world, world.exhibitor)
    url = reverse("api:suggestions", kwargs={"slug": world.exhibition.slug})
    results = client.get(url, **bearer(world.exhibitor_user)).json()["results"]
    assert [s["company"] for s in results] == [world.buyer.ref]
    assert client.get(url, **bearer(add_buyer(world))).json()["results"] == []
    assert client.get(url, **bearer(factories.UserFactory())).status_code == 404


@pytest.mark.parametrize("rows", [5, 200])
def test_suggestions_cost_fixed_queries(client, django_assert_num_queries, world, rows):
    for n in range(rows):
        application = factories.ApplicationFactory(
            exhibition=world.exhibition, company=factories.ExhibitorFactory(), status="approved"
        )
        suggest(world, application.company, rank=n + 1)
    url = reverse("api:suggestions", kwargs={"slug": world.exhibition.slug})
    headers = bearer(world.buyer_user)
    # token and user, last use, exhibition, membership, a page of suggestions, the wishes about them
    with django_assert_num_queries(6):
        response = client.get(url, **headers)
    assert len(response.json()["results"]) == min(rows, 50)


# --- The own company -------------------------------------------------------------------------


def company_url(company):
    return reverse("api:company_detail", kwargs={"ref": company.ref})


def test_an_owner_changes_some_fields_and_the_rest_stays(client, exhibitor_owner):
    company = exhibitor_owner.company
    company.description_ko = "금형 전문"
    company.save()
    body = {
        "city": "Changwon",
        "hs_codes": ["848071", "8480"],
        "languages": ["ko", "ja"],
        "certifications": ["ISO 9001"],
    }
    response = client.patch(company_url(company), body, **JSON, **bearer(exhibitor_owner, "write"))
    assert response.status_code == 200, response.content
    company = Company.objects.get(pk=company.pk)
    assert (company.city, company.description_ko, company.languages) == ("Changwon", "금형 전문", "ko ja")
    assert sorted(company.hs_codes.values_list("code", flat=True)) == ["8480", "848071"]
    assert response.json()["certifications"] == ["ISO 9001"]


def test_unknown_hs_codes_are_the_forms_field_error_and_nothing_changes(client, exhibitor_owner):
    company = exhibitor_owner.company
    before = set(company.hs_codes.values_list("code", flat=True))
    body = {"city": "Ulsan", "hs_codes": ["770000"]}
    response = client.patch(company_url(company), body, **JSON, **bearer(exhibitor_owner, "write"))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "770000" in response.json()["fields"]["hs_codes"][0]
    company.refresh_from_db()
    assert company.city != "Ulsan" and set(company.hs_codes.values_list("code", flat=True)) == before


def test_fields_the_page_does_not_edit_are_refused(client, exhibitor_owner):
    company = exhibitor_owner.company
    response = client.patch(
        company_url(company), {"ref": "KR-HACK", "status": "approved"}, **JSON, **bearer(exhibitor_owner, "write")
    )
    assert response.status_code == 400 and set(response.json()["fields"]) == {"ref", "status"}


def test_a_company_needs_a_name(client, exhibitor_owner):
    body = {"name_en": "", "name_ko": "", "name_ja": ""}
    response = client.patch(company_url(exhibitor_owner.company), body, **JSON, **bearer(exhibitor_owner, "write"))
    assert response.status_code == 400 and "name_en" in response.json()["fields"]


def test_a_plain_member_and_a_read_token_may_not_edit(client, exhibitor_owner):
    company = exhibitor_owner.company
    member = factories.MembershipFactory(company=company, role="member").user
    assert client.patch(company_url(company), {"city": "X"}, **JSON, **bearer(member, "write")).status_code == 404
    response = client.patch(company_url(company), {"city": "X"}, **JSON, **bearer(exhibitor_owner, "read"))
    assert response.status_code == 403
    assert HSCode.objects.exists()  # the catalogue the codes were checked against
