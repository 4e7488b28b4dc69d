"""Badges: PDFs by persona, page counts per layout, tokens that are opaque and resolve only
to a participant of their own exhibition."""

import re

import pytest
from django.core import signing
from django.urls import reverse

from exhibitions.showfloor import badges
from tests import factories

pytestmark = pytest.mark.django_db


def page_count(pdf_bytes):
    """The page count of a reportlab PDF: the /Count of its page tree."""
    assert pdf_bytes.startswith(b"%PDF-")
    assert pdf_bytes.rstrip().endswith(b"%%EOF")
    return int(re.search(rb"/Count (\d+)", pdf_bytes).group(1))


@pytest.fixture
def show(staff, exhibitor_owner, exhibitor_colleague, buyer_owner):
    exhibition = factories.ExhibitionFactory(cooperative=staff.cooperative)
    factories.ApplicationFactory(exhibition=exhibition, company=exhibitor_owner.company, status="approved")
    factories.BuyerRegistrationFactory(exhibition=exhibition, company=buyer_owner.company)
    exhibitor_owner.full_name, exhibitor_owner.preferred_language = "김민수", "ko"
    exhibitor_owner.save()
    buyer_owner.full_name, buyer_owner.preferred_language, buyer_owner.job_title = "佐藤 健", "ja", "購買部長"
    buyer_owner.save()
    return exhibition


def test_participants_are_the_people_of_approved_companies_only(
    show, exhibitor_owner, exhibitor_colleague, buyer_owner
):
    factories.ApplicationFactory(exhibition=show, company=factories.ExhibitorFactory(), status="submitted")
    factories.MembershipFactory(company=factories.ExhibitorFactory(), role="owner")
    pending = factories.MembershipFactory(company=factories.BuyerFactory(), role="owner").user
    factories.BuyerRegistrationFactory(exhibition=show, company=pending.company, status="pending")
    people = badges.participants(show)
    assert {p.pk for p in people} == {exhibitor_owner.pk, exhibitor_colleague.pk, buyer_owner.pk}
    assert {p.badge_company for p in people} == {exhibitor_owner.company, buyer_owner.company}


def test_staff_print_everyone_one_a6_page_each(client, staff, show):
    client.force_login(staff)
    response = client.get(reverse("exhibitions:badges", kwargs={"slug": show.slug}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert page_count(response.content) == 3


def test_label_sheets_hold_eight_badges_a_page(staff, show):
    for _ in range(6):
        factories.MembershipFactory(company=show.applications.get().company, role="member")
    people = badges.participants(show)
    assert len(people) == 9
    assert page_count(badges.badges_pdf(exhibition=show, people=people, layout="sheet")) == 2
    assert page_count(badges.badges_pdf(exhibition=show, people=people, layout="a6")) == 9


def test_staff_print_one_person_and_not_an_outsider(client, staff, show, buyer_owner, other_buyer):
    client.force_login(staff)
    one = client.get(reverse("exhibitions:badge_person", kwargs={"slug": show.slug, "pk": buyer_owner.pk}))
    assert page_count(one.content) == 1
    outsider = client.get(reverse("exhibitions:badge_person", kwargs={"slug": show.slug, "pk": other_buyer.pk}))
    assert outsider.status_code == 404


def test_staff_of_another_cooperative_are_refused(client, show):
    client.force_login(factories.StaffFactory())
    assert client.get(reverse("exhibitions:badges", kwargs={"slug": show.slug})).status_code == 404


@pytest.mark.parametrize("who", ["exhibitor_owner", "buyer_owner"])
def test_a_participant_prints_their_own_badge(client, show, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("exhibitions:my_badge", kwargs={"slug": show.slug}) + "?layout=sheet")
    assert response.status_code == 200
    assert page_count(response.content) == 1


@pytest.mark.parametrize("who", ["other_exhibitor", "other_buyer", "outsider", "staff"])
def test_people_not_taking_part_have_no_badge(client, show, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("exhibitions:my_badge", kwargs={"slug": show.slug})).status_code == 404
    if who != "staff":
        assert client.get(reverse("exhibitions:badges", kwargs={"slug": show.slug})).status_code == 404


def test_anonymous_is_sent_to_log_in(client, show):
    response = client.get(reverse("exhibitions:my_badge", kwargs={"slug": show.slug}))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_token_is_signed_opaque_and_resolves_to_its_person(show, buyer_owner):
    token = badges.badge_token(exhibition=show, user=buyer_owner)
    value = signing.Signer(salt=badges.TOKEN_SALT).unsign(token)  # raises when not signed by us
    assert str(buyer_owner.pk) not in value.split(".")
    assert buyer_owner.email not in token and str(buyer_owner.company.pk) not in value.split(".")
    assert badges.person_for_token(exhibition=show, token=token) == buyer_owner


def test_the_qr_code_carries_the_token(show, buyer_owner):
    token = badges.badge_token(exhibition=show, user=buyer_owner)
    drawn = []
    original = badges.segno.make
    badges.segno.make = lambda content, **kw: drawn.append(content) or original(content, **kw)
    try:
        badges.badges_pdf(exhibition=show, people=[p for p in badges.participants(show) if p == buyer_owner])
    finally:
        badges.segno.make = original
    assert drawn == [token]


def test_forged_foreign_and_stale_tokens_are_refused(show, staff, buyer_owner):
    token = badges.badge_token(exhibition=show, user=buyer_owner)
    with pytest.raises(badges.BadTokenError, match="not a Fairlink badge"):
        badges.person_for_token(exhibition=show, token=token[:-2] + "xx")
    with pytest.raises(badges.BadTokenError, match="not a Fairlink badge"):
        badges.person_for_token(exhibition=show, token="")
    other_show = factories.ExhibitionFactory(cooperative=staff.cooperative)
    with pytest.raises(badges.BadTokenError, match="another exhibition"):
        badges.person_for_token(exhibition=other_show, token=token)
    show.buyer_registrations.update(status="rejected")
    with pytest.raises(badges.BadTokenError, match="no longer takes part"):
        badges.person_for_token(exhibition=show, token=token)


def test_korean_and_japanese_text_get_a_cjk_font():
    assert badges.font_for("김민수") == badges.KOREAN_FONT
    assert badges.font_for("佐藤 健") == badges.JAPANESE_FONT
    assert badges.font_for("さとう") == badges.JAPANESE_FONT
    assert badges.font_for("金型", language="ko") == badges.KOREAN_FONT
    assert badges.font_for("Kim Minsu") == badges.LATIN_FONT
