"""Staff create and edit exhibitions; the public list and page; drafts stay hidden."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from exhibitions.models import Exhibition
from tests import factories

pytestmark = pytest.mark.django_db


def exhibition_post(**overrides):
    today = timezone.localdate()
    data = {
        "slug": "mold-japan-2031",
        "title_en": "Mold Japan 2031",
        "title_ko": "몰드 재팬 2031",
        "title_ja": "金型ジャパン2031",
        "description_en": "Korean die-mould makers meet Japanese buyers.",
        "venue": "Tokyo Big Sight",
        "city": "Tokyo",
        "country": "jp",
        "timezone": "Asia/Tokyo",
        "starts_on": (today + datetime.timedelta(days=100)).isoformat(),
        "ends_on": (today + datetime.timedelta(days=102)).isoformat(),
        "application_deadline": (today + datetime.timedelta(days=50)).isoformat(),
        "status": "draft",
        "cooperative": "",
    }
    data.update(overrides)
    return data


def test_staff_create_exhibition_defaults_to_their_cooperative(client, staff):
    client.force_login(staff)
    page = client.get(reverse("exhibitions:create"))
    assert page.context["form"]["cooperative"].value() == staff.cooperative_id
    response = client.post(reverse("exhibitions:create"), exhibition_post(cooperative=staff.cooperative_id))
    exhibition = Exhibition.objects.get(slug="mold-japan-2031")
    assert response.status_code == 302
    assert response["Location"] == reverse("exhibitions:layout", kwargs={"slug": exhibition.slug})
    assert exhibition.cooperative == staff.cooperative
    assert exhibition.country == "JP"
    assert exhibition.title_ja == "金型ジャパン2031"


def test_unknown_time_zone_and_reversed_dates_are_named(client, staff):
    client.force_login(staff)
    today = timezone.localdate()
    response = client.post(
        reverse("exhibitions:create"),
        exhibition_post(
            cooperative=staff.cooperative_id,
            timezone="Asia/Atlantis",
            ends_on=(today + datetime.timedelta(days=90)).isoformat(),
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "IANA" in str(form.errors["timezone"])
    assert "last day" in str(form.errors["ends_on"])
    assert not Exhibition.objects.exists()
    # What was typed is still there.
    assert 'value="Mold Japan 2031"' in response.content.decode()


def test_title_needed_in_one_language(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("exhibitions:create"),
        exhibition_post(cooperative=staff.cooperative_id, title_en="", title_ko="", title_ja=""),
    )
    assert "title" in str(response.context["form"].errors["title_en"])
    assert not Exhibition.objects.exists()


def test_staff_edit_exhibition(client, staff, exhibition):
    client.force_login(staff)
    data = exhibition_post(slug=exhibition.slug, cooperative=exhibition.cooperative_id, status="open", city="Osaka")
    response = client.post(reverse("exhibitions:edit", kwargs={"slug": exhibition.slug}), data)
    assert response.status_code == 302
    exhibition.refresh_from_db()
    assert exhibition.city == "Osaka"


@pytest.mark.parametrize("persona", ["exhibitor_owner", "buyer_owner", "outsider"])
def test_non_staff_get_404_on_staff_pages(client, request, persona, exhibition, booths):
    client.force_login(request.getfixturevalue(persona))
    slug = {"slug": exhibition.slug}
    urls = [reverse("exhibitions:create")] + [
        reverse(f"exhibitions:{name}", kwargs=slug)
        for name in ("edit", "dashboard", "layout", "applications", "registrations")
    ]
    urls.append(reverse("exhibitions:export", kwargs={**slug, "what": "exhibitors", "fmt": "csv"}))
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("exhibitions:layout_hall", kwargs=slug), {"name": "X"}).status_code == 404
    assert exhibition.halls.count() == 1


def test_anonymous_is_sent_to_log_in_on_staff_pages(client, exhibition):
    response = client.get(reverse("exhibitions:dashboard", kwargs={"slug": exhibition.slug}))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_drafts_are_for_organisers_only(client, staff, exhibitor_owner):
    draft = factories.ExhibitionFactory(status=Exhibition.Status.DRAFT, title_en="Secret Draft Show")
    url = draft.get_absolute_url()
    assert client.get(url).status_code == 404
    assert "Secret Draft Show" not in client.get(reverse("exhibitions:list")).content.decode()
    client.force_login(exhibitor_owner)
    assert client.get(url).status_code == 404
    assert client.get(reverse("exhibitions:directory", kwargs={"slug": draft.slug})).status_code == 404
    client.force_login(staff)
    assert client.get(url).status_code == 200
    assert "Secret Draft Show" in client.get(reverse("exhibitions:list")).content.decode()


def test_list_shows_upcoming_first_then_past(client):
    today = timezone.localdate()
    past = factories.ExhibitionFactory(
        title_en="Past Show", starts_on=today - datetime.timedelta(days=300), status="closed"
    )
    later = factories.ExhibitionFactory(title_en="Later Show", starts_on=today + datetime.timedelta(days=200))
    soon = factories.ExhibitionFactory(title_en="Soon Show", starts_on=today + datetime.timedelta(days=20))
    response = client.get(reverse("exhibitions:list"))
    assert [e.pk for e in response.context["page"]] == [soon.pk, later.pk, past.pk]


def test_detail_in_reader_language(client, exhibition):
    client.cookies["django_language"] = "ja"
    response = client.get(exhibition.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ja")
    html = response.content.decode()
    assert 'lang="ja"' in html
    assert "金型ジャパン テスト" in html


def test_detail_offers_apply_to_exhibitors_and_register_to_buyers(client, exhibition, exhibitor_owner, buyer_owner):
    apply_url = reverse("exhibitions:apply", kwargs={"slug": exhibition.slug})
    register_url = reverse("exhibitions:register", kwargs={"slug": exhibition.slug})
    client.force_login(exhibitor_owner)
    html = client.get(exhibition.get_absolute_url()).content.decode()
    assert apply_url in html and register_url not in html
    client.force_login(buyer_owner)
    html = client.get(exhibition.get_absolute_url()).content.decode()
    assert register_url in html and apply_url not in html


def test_list_query_count_is_fixed(client, assert_fixed_queries):
    factories.ExhibitionFactory.create_batch(5)

    def fetch():
        return client.get(reverse("exhibitions:list"))

    assert_fixed_queries(fetch, lambda: factories.ExhibitionFactory.create_batch(195), at_most=3)
    assert fetch().context["page"].paginator.count == 200


def test_a_new_exhibition_cannot_start_in_the_past(client, staff):
    client.force_login(staff)
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("exhibitions:create"),
        exhibition_post(cooperative=staff.cooperative_id, starts_on=yesterday, application_deadline=""),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["starts_on"] == ["The first day cannot be in the past."]
    assert not Exhibition.objects.filter(slug="mold-japan-2031").exists()


def test_a_past_exhibition_keeps_its_dates_when_edited(client, staff, exhibition):
    exhibition.starts_on = timezone.localdate() - datetime.timedelta(days=30)
    exhibition.ends_on = exhibition.starts_on + datetime.timedelta(days=2)
    exhibition.application_deadline = None
    exhibition.save()
    client.force_login(staff)
    data = exhibition_post(
        slug=exhibition.slug,
        cooperative=exhibition.cooperative_id,
        starts_on=exhibition.starts_on.isoformat(),
        ends_on=exhibition.ends_on.isoformat(),
        application_deadline="",
        city="Osaka",
        status="closed",
    )
    response = client.post(reverse("exhibitions:edit", kwargs={"slug": exhibition.slug}), data)
    assert response.status_code == 302
    exhibition.refresh_from_db()
    assert exhibition.city == "Osaka"
