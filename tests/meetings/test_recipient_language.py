"""Whatever leaves the screen is in the recipient's language, never the actor's: a Korean
exhibitor's decline reaches a Japanese buyer in Japanese, with the exhibition's and the
companies' Japanese names."""

import pytest
from django.utils import translation

from companies.models import Notification
from companies.notifications import render_notification
from exhibitions.meetings import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def bilingual(world):
    exhibition = world.exhibition
    exhibition.title_en, exhibition.title_ko, exhibition.title_ja = "Mold Japan", "금형 일본전", "金型ジャパン"
    exhibition.save()
    world.exhibitor.name_en, world.exhibitor.name_ko, world.exhibitor.name_ja = (
        "Hanil",
        "한일정밀금형",
        "ハンイル精密金型",
    )
    world.exhibitor.save()
    world.buyer.name_en, world.buyer.name_ja = "Asahi Press", "旭プレス工業"
    world.buyer.save()
    world.buyer_user.preferred_language = "ja"
    world.buyer_user.save()
    world.exhibitor_user.preferred_language = "ko"
    world.exhibitor_user.save()
    return world


def test_japanese_buyer_gets_japanese_when_a_korean_exhibitor_declines(bilingual, mailoutbox):
    world = bilingual
    with translation.override("ja"):
        meeting = services.meeting_request(
            exhibition=world.exhibition, buyer_person=world.buyer_user, exhibitor=world.exhibitor, slots=world.slots[:1]
        )
    with translation.override("ko"):  # the actor's language must not leak into the buyer's mail
        services.meeting_decline(meeting=meeting, by=world.exhibitor_user, reason="일정이 맞지 않습니다")
    notice = Notification.objects.get(template="meeting_declined", user=world.buyer_user)
    subject, body = render_notification(notice)
    assert "旭プレス工業" in subject and "ハンイル精密金型" in subject
    assert "한일" not in subject + body and "Hanil" not in subject
    # The Korean exhibitor's notice of the request, sent while the buyer browsed in Japanese,
    # reads the Korean names.
    request_notice = Notification.objects.get(template="meeting_requested", user=world.exhibitor_user)
    subject, body = render_notification(request_notice)
    assert "한일정밀금형" in subject + body and "ハンイル" not in subject + body


def test_a_renamed_company_reads_its_new_name_in_old_notices(bilingual):
    world = bilingual
    services.meeting_request(
        exhibition=world.exhibition, buyer_person=world.buyer_user, exhibitor=world.exhibitor, slots=world.slots[:1]
    )
    notice = Notification.objects.get(template="meeting_requested", user=world.exhibitor_user)
    assert notice.context["buyer"] == {"$model": "companies.company", "pk": world.buyer.pk}
    world.buyer.name_en = "Asahi Press Kogyo"
    world.buyer.save()
    subject, body = render_notification(notice, language="en")
    assert "Asahi Press Kogyo" in subject + body


def test_notices_page_renders_references_in_fixed_queries(client, bilingual, django_assert_max_num_queries):
    world = bilingual
    from django.urls import reverse

    from companies.notifications import notify

    for n in range(30):
        notify(
            user=world.buyer_user,
            key=f"k{n}",
            template="meeting_accepted",
            context={"exhibition": world.exhibition, "buyer": world.buyer, "exhibitor": world.exhibitor, "when": ""},
        )
    client.force_login(world.buyer_user)
    client.cookies["django_language"] = "ja"
    with django_assert_max_num_queries(12):
        response = client.get(reverse("companies:notifications"))
    assert response.content.decode().count("金型ジャパン") == 30
