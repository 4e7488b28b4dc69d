"""The conversation on the meeting page and the mutual-wish page: who sees and posts, htmx
and no-JS posting, form errors, read state, and the interpreter's read-along link."""

import pytest
from django.urls import reverse

from exhibitions.conversations import services
from exhibitions.interpreters import services as interpreter_services
from exhibitions.meetings import services as meeting_services
from exhibitions.models import ConversationRead, Interpreter, Message
from tests import factories

from .conftest import make_mutual

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def detail_url(meeting):
    return reverse("exhibitions:meetings_detail", kwargs={"slug": meeting.exhibition.slug, "pk": meeting.pk})


def messages_url(meeting):
    return reverse("exhibitions:meetings_messages", kwargs={"slug": meeting.exhibition.slug, "pk": meeting.pk})


def wish_url(world):
    return reverse(
        "exhibitions:wish_conversation",
        kwargs={"slug": world.exhibition.slug, "buyer": world.buyer.ref, "exhibitor": world.exhibitor.ref},
    )


def test_meeting_page_shows_the_thread_and_marks_it_read(client, meeting, world, exhibitor_colleague):
    message = services.message_post(author=world.buyer_user, body="Do you make hot runners?", meeting=meeting)
    client.force_login(exhibitor_colleague)
    response = client.get(detail_url(meeting))
    assert response.status_code == 200
    assert "Do you make hot runners?" in response.content.decode()
    assert ConversationRead.objects.get(user=exhibitor_colleague).last_read_id == message.pk


def test_post_without_js_redirects_back_to_the_meeting(client, meeting, world):
    client.force_login(world.exhibitor_user)
    response = client.post(messages_url(meeting), {"body": "Yes, we do."})
    assert response.status_code == 302
    assert response["Location"] == detail_url(meeting) + "#conversation"
    assert Message.objects.get().author == world.exhibitor_user


def test_post_with_htmx_returns_the_refreshed_thread(client, meeting, world):
    client.force_login(world.buyer_user)
    response = client.post(messages_url(meeting), {"body": "Booth A-01?"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="conversation"' in html and "Booth A-01?" in html
    assert "<html" not in html


def test_htmx_poll_returns_the_thread_and_plain_get_goes_to_the_meeting(client, meeting, world):
    services.message_post(author=world.buyer_user, body="Ping", meeting=meeting)
    client.force_login(world.exhibitor_user)
    assert "Ping" in client.get(messages_url(meeting), **HTMX).content.decode()
    assert client.get(messages_url(meeting))["Location"].endswith("#conversation")


def test_too_long_message_without_js_shows_the_meeting_page_with_the_error(client, meeting, world):
    client.force_login(world.buyer_user)
    text = "x" * 2001
    response = client.post(messages_url(meeting), {"body": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert "at most 2000 characters" in html
    assert text in html  # nothing lost
    assert not Message.objects.exists()


def test_over_the_rate_limit_shows_a_clear_error_in_place(client, meeting, world, time_machine):
    time_machine.move_to("2026-11-29 10:00:00+00:00", tick=False)
    client.force_login(world.buyer_user)
    for n in range(services.PER_MINUTE):
        assert client.post(messages_url(meeting), {"body": f"spam {n}"}, **HTMX).status_code == 200
    response = client.post(messages_url(meeting), {"body": "one more"}, **HTMX)
    assert response.status_code == 200  # htmx swaps 2xx only
    html = response.content.decode()
    assert "at most 10 messages a minute" in html and "one more" in html
    assert Message.objects.count() == services.PER_MINUTE


def test_closed_meeting_keeps_its_messages_but_has_no_form(client, meeting, world):
    services.message_post(author=world.buyer_user, body="Hello", meeting=meeting)
    meeting_services.meeting_decline(meeting=meeting, by=world.exhibitor_user, reason="Fully booked")
    client.force_login(world.buyer_user)
    html = client.get(detail_url(meeting)).content.decode()
    assert "Hello" in html and 'id="conversation-closed"' in html
    assert f'action="{messages_url(meeting)}"' not in html
    response = client.post(messages_url(meeting), {"body": "Please reconsider"})
    assert response.status_code == 400
    assert Message.objects.count() == 1


@pytest.mark.parametrize("who", ["other_buyer", "other_exhibitor", "outsider", "foreign_staff"])
def test_others_get_404_and_never_see_messages(client, meeting, world, who, other_buyer, other_exhibitor, outsider):
    services.message_post(author=world.buyer_user, body="Secret price list", meeting=meeting)
    person = {
        "other_buyer": other_buyer,
        "other_exhibitor": other_exhibitor,
        "outsider": outsider,
        "foreign_staff": factories.StaffFactory(),  # staff of another cooperative
    }[who]
    client.force_login(person)
    assert client.get(messages_url(meeting), **HTMX).status_code == 404
    assert client.post(messages_url(meeting), {"body": "Hi"}).status_code == 404
    assert client.get(wish_url(world)).status_code == 404
    assert Message.objects.count() == 1
    if who == "foreign_staff":  # they see the meeting (organisers do), not its messages
        html = client.get(detail_url(meeting)).content.decode()
        assert "Secret price list" not in html and 'id="conversation"' not in html


def test_show_organiser_reads_and_writes(client, meeting, world, organiser):
    client.force_login(organiser)
    assert client.post(messages_url(meeting), {"body": "The lounge opens at 9."}).status_code == 302
    assert Message.objects.get().author == organiser


def test_wish_page_is_404_until_the_wish_is_mutual(client, world):
    client.force_login(world.buyer_user)
    assert client.get(wish_url(world)).status_code == 404
    make_mutual(world)
    response = client.get(wish_url(world))
    assert response.status_code == 200
    assert client.post(wish_url(world), {"body": "Shall we meet?"}).status_code == 302
    client.force_login(world.exhibitor_user)
    assert "Shall we meet?" in client.get(wish_url(world)).content.decode()


def test_my_wishes_links_the_conversation_with_unread_count(client, world):
    make_mutual(world)
    services.message_post(
        author=world.buyer_user, body="Hi", exhibition=world.exhibition, buyer=world.buyer, exhibitor=world.exhibitor
    )
    client.force_login(world.exhibitor_user)
    html = client.get(reverse("exhibitions:wishes", kwargs={"slug": world.exhibition.slug})).content.decode()
    assert wish_url(world) in html and "1 unread" in html
    client.get(wish_url(world))
    html = client.get(reverse("exhibitions:wishes", kwargs={"slug": world.exhibition.slug})).content.decode()
    assert wish_url(world) in html and "unread" not in html


def test_wish_thread_stays_readable_when_the_wish_is_withdrawn(client, world):
    from exhibitions.wishes import services as wish_services

    make_mutual(world)
    services.message_post(
        author=world.buyer_user, body="Hi", exhibition=world.exhibition, buyer=world.buyer, exhibitor=world.exhibitor
    )
    wish_services.wish_set(
        exhibition=world.exhibition,
        buyer=world.buyer,
        exhibitor=world.exhibitor,
        by="exhibitor",
        priority="no",
        person=world.exhibitor_user,
    )
    client.force_login(world.buyer_user)
    response = client.get(wish_url(world))
    assert response.status_code == 200 and "no longer mutual" in response.content.decode()
    assert client.post(wish_url(world), {"body": "Why?"}).status_code == 400
    assert Message.objects.count() == 1


def test_unknown_or_swapped_refs_are_404(client, world):
    make_mutual(world)
    client.force_login(world.buyer_user)
    for buyer, exhibitor in ((world.exhibitor.ref, world.buyer.ref), ("nope", world.exhibitor.ref)):
        url = reverse(
            "exhibitions:wish_conversation",
            kwargs={"slug": world.exhibition.slug, "buyer": buyer, "exhibitor": exhibitor},
        )
        assert client.get(url).status_code == 404


# Interpreter read-along


@pytest.fixture
def interpreted(meeting, world, organiser):
    meeting_services.meeting_accept(meeting=meeting, slot=world.slots[0], by=world.exhibitor_user)
    interpreter = Interpreter.objects.create(exhibition=world.exhibition, ref="I-1", name="Sato", languages="ja ko")
    meeting.refresh_from_db()
    interpreter_services.meeting_interpreter_assign(meeting=meeting, interpreter=interpreter, by=organiser)
    services.message_post(author=world.buyer_user, body="Please bring the drawings", meeting=meeting)
    return meeting, interpreter


def interpreter_url(meeting, interpreter):
    return reverse(
        "exhibitions:interpreter_messages",
        kwargs={"slug": meeting.exhibition.slug, "token": interpreter.token, "pk": meeting.pk},
    )


def test_interpreter_reads_along_without_a_form(client, interpreted):
    meeting, interpreter = interpreted
    agenda = client.get(
        reverse("exhibitions:interpreter_agenda", kwargs={"slug": meeting.exhibition.slug, "token": interpreter.token})
    )
    assert interpreter_url(meeting, interpreter) in agenda.content.decode()
    response = client.get(interpreter_url(meeting, interpreter))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please bring the drawings" in html
    assert "<form" not in html.split('id="conversation"')[1]
    assert response["Cache-Control"] == "private, no-store"
    assert client.post(interpreter_url(meeting, interpreter), {"body": "Hi"}).status_code == 405
    assert not ConversationRead.objects.exclude(user=meeting.buyer_person).exists()


def test_interpreter_reads_in_their_language(client, interpreted):
    meeting, interpreter = interpreted
    html = client.get(interpreter_url(meeting, interpreter) + "?lang=ja").content.decode()
    assert "メッセージ" in html


def test_interpreter_link_is_404_for_another_meeting_or_a_wrong_token(client, interpreted, world):
    meeting, interpreter = interpreted
    other = Interpreter.objects.create(exhibition=world.exhibition, ref="I-2", name="Kim", languages="ja ko")
    assert client.get(interpreter_url(meeting, other)).status_code == 404
    bad = reverse(
        "exhibitions:interpreter_messages",
        kwargs={"slug": meeting.exhibition.slug, "token": "x" * 32, "pk": meeting.pk},
    )
    assert client.get(bad).status_code == 404


def test_interpreter_link_with_a_huge_meeting_number_is_404(client, interpreted):
    meeting, interpreter = interpreted
    url = interpreter_url(meeting, interpreter).replace(f"/meetings/{meeting.pk}/", "/meetings/" + "9" * 40 + "/")
    assert client.get(url).status_code == 404
