"""The interpreter pool: editing, CSV import, assignment rules, and the token agenda and feed."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from exhibitions.interpreters import services
from exhibitions.interpreters.services import InterpreterError
from exhibitions.meetings import services as meetings
from exhibitions.models import Interpreter, Meeting
from tests import factories

from .conftest import add_buyer

pytestmark = pytest.mark.django_db


def pool_member(world, ref="INT-1", languages=("ja", "ko"), days=()):
    return services.interpreter_save(
        exhibition=world.exhibition, by=None, ref=ref, name=f"Interpreter {ref}", languages=languages, days=days
    )


def booked(world, slot_index=0, buyer_user=None):
    meeting = meetings.meeting_request(
        exhibition=world.exhibition,
        buyer_person=buyer_user or world.buyer_user,
        exhibitor=world.exhibitor,
        slots=[world.slots[slot_index]],
    )
    return meetings.meeting_accept(meeting=meeting, slot=world.slots[slot_index], by=world.exhibitor_user)


def test_save_checks_languages_days_and_unique_ref(world):
    person = pool_member(world, days=[world.exhibition.days[0]])
    assert person.languages == "ko ja" and person.days == [world.exhibition.days[0].isoformat()]
    with pytest.raises(InterpreterError) as error:
        pool_member(world, ref="INT-2", languages=["ja"], days=[world.exhibition.ends_on + datetime.timedelta(days=1)])
    assert set(error.value.errors) == {"languages", "days"}
    with pytest.raises(InterpreterError) as error:
        pool_member(world, ref="INT-1")
    assert "ref" in error.value.errors
    assert Interpreter.objects.count() == 1


def test_csv_import_is_all_or_nothing_and_names_every_bad_line(world):
    day = world.exhibition.days[0].isoformat()
    good = f"ref,name,email,languages,days\nINT-1,Sato Yuki,sato@example.com,ja ko,{day}\n"
    bad = (
        good + "INT-2,,x@example.com,ja ko,\nINT-3,Lee,lee@example.com,ja,\nINT-1,Dup,d@example.com,ja en,\nshort,row\n"
    )
    with pytest.raises(InterpreterError) as error:
        services.interpreters_import(exhibition=world.exhibition, by=None, text=bad)
    assert sorted(error.value.errors) == [3, 4, 5, 6]
    assert not Interpreter.objects.exists()
    assert services.interpreters_import(exhibition=world.exhibition, by=None, text=good) == (1, 0)
    updated = "ref,name,email,languages,days\nINT-1,Sato Yuki,sato@example.com,ja ko en,\n"
    assert services.interpreters_import(exhibition=world.exhibition, by=None, text=updated) == (0, 1)
    assert Interpreter.objects.get().languages == "en ko ja"  # in the order of the language list
    with pytest.raises(InterpreterError, match="first line"):
        services.interpreters_import(exhibition=world.exhibition, by=None, text="a,b\n")


def test_assign_checks_day_languages_and_other_meetings(world, staff):
    meeting = booked(world)
    day = meeting.starts_at.astimezone(world.exhibition.tzinfo).date()
    other_day = next(d for d in world.exhibition.days if d != day)
    away = pool_member(world, ref="AWAY", days=[other_day])
    with pytest.raises(meetings.MeetingError, match="not available that day"):
        services.meeting_interpreter_assign(meeting=meeting, interpreter=away, by=staff)
    english = pool_member(world, ref="EN", languages=["en", "zh"])
    with pytest.raises(meetings.MeetingError, match="language of each side"):
        services.meeting_interpreter_assign(meeting=meeting, interpreter=english, by=staff)
    good = pool_member(world, ref="GOOD")
    meeting = services.meeting_interpreter_assign(meeting=meeting, interpreter=good, by=staff)
    assert meeting.interpreter == good and meeting.sequence == 2

    world.application.parallel_meetings = 2
    world.application.save()
    world.application.representatives.exclude(pk=world.rep.pk).delete()
    second = meetings.meeting_request(
        exhibition=world.exhibition,
        buyer_person=add_buyer(world),
        exhibitor=world.exhibitor,
        slots=[world.slots[0]],
        representative=factories.RepresentativeFactory(application=world.application, languages="ko"),
    )
    second = meetings.meeting_accept(meeting=second, slot=world.slots[0], by=world.exhibitor_user)
    with pytest.raises(meetings.MeetingConflict, match="interpreter already has a meeting"):
        services.meeting_interpreter_assign(meeting=second, interpreter=good, by=staff)
    with pytest.raises(InterpreterError, match="unassign them first"):
        services.interpreter_delete(interpreter=good, by=staff)
    services.meeting_interpreter_unassign(meeting=meeting, by=staff)
    services.meeting_interpreter_assign(meeting=second, interpreter=good, by=staff)
    assert Meeting.objects.get(pk=second.pk).interpreter == good


def test_only_organisers_assign(world):
    meeting = booked(world)
    with pytest.raises(meetings.MeetingError):
        services.meeting_interpreter_assign(meeting=meeting, interpreter=pool_member(world), by=world.exhibitor_user)


def test_agenda_and_feed_only_with_the_right_token(client, world, staff):
    meeting = booked(world)
    person = pool_member(world)
    services.meeting_interpreter_assign(meeting=meeting, interpreter=person, by=staff)
    agenda = reverse("exhibitions:interpreter_agenda", kwargs={"slug": world.exhibition.slug, "token": person.token})
    feed = reverse("exhibitions:interpreter_calendar", kwargs={"slug": world.exhibition.slug, "token": person.token})
    response = client.get(agenda + "?lang=en")
    assert response.status_code == 200
    body = response.content.decode()
    assert world.buyer.name in body and world.exhibitor.name in body and "Japanese" in body
    local = meeting.starts_at.astimezone(world.exhibition.tzinfo)
    assert f"{local:%H:%M}" in body
    events = list(Calendar.from_ical(client.get(feed).content).walk("VEVENT"))
    assert [str(e["uid"]) for e in events] == [f"{meeting.uid}@fairlink"]

    wrong = reverse("exhibitions:interpreter_agenda", kwargs={"slug": world.exhibition.slug, "token": "nope"})
    assert client.get(wrong).status_code == 404
    other_show = factories.ExhibitionFactory()
    elsewhere = reverse("exhibitions:interpreter_agenda", kwargs={"slug": other_show.slug, "token": person.token})
    assert client.get(elsewhere).status_code == 404

    old = person.token
    services.interpreter_link_reset(interpreter=person, by=staff)
    assert person.token != old
    assert client.get(agenda).status_code == 404
    assert client.get(feed).status_code == 404


def test_agenda_language_defaults_to_japanese_then_english(client, world):
    japanese = pool_member(world, ref="JA")
    english = pool_member(world, ref="EN", languages=["en", "ko"])
    from exhibitions.interpreters.selectors import page_language

    assert page_language(japanese, "") == "ja"
    assert page_language(english, "") == "en"
    assert page_language(japanese, "ko") == "ko"
    assert page_language(japanese, "xx") == "ja"


def test_pool_pages_for_staff_of_this_cooperative_only(client, world, staff):
    world.exhibition.cooperative = staff.cooperative
    world.exhibition.save()
    url = reverse("exhibitions:interpreters", kwargs={"slug": world.exhibition.slug})
    client.force_login(factories.StaffFactory())  # staff of another cooperative
    assert client.get(url).status_code == 404
    client.force_login(staff)
    person = pool_member(world)
    body = client.get(url).content.decode()
    assert person.token in body  # the link to copy


def test_import_view_names_bad_lines_and_keeps_nothing(client, world, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    world.exhibition.cooperative = staff.cooperative
    world.exhibition.save()
    client.force_login(staff)
    url = reverse("exhibitions:interpreters_import", kwargs={"slug": world.exhibition.slug})
    text = "ref,name,email,languages,days\nINT-1,Sato,s@example.com,ja ko,\nINT-2,Kim,k@example.com,ko,\n"
    response = client.post(url, {"file": SimpleUploadedFile("pool.csv", text.encode())})
    assert response.status_code == 400
    assert "Line 3" in response.content.decode()
    assert not Interpreter.objects.exists()


def test_staff_assign_from_the_meeting_page(client, world, staff):
    world.exhibition.cooperative = staff.cooperative
    world.exhibition.save()
    meeting = booked(world)
    person = pool_member(world)
    client.force_login(staff)
    detail = reverse("exhibitions:meetings_detail", kwargs={"slug": world.exhibition.slug, "pk": meeting.pk})
    assert 'name="interpreter"' in client.get(detail).content.decode()
    url = reverse("exhibitions:meetings_interpreter", kwargs={"slug": world.exhibition.slug, "pk": meeting.pk})
    assert client.post(url, {"interpreter": person.pk}).status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).interpreter == person
    assert client.post(url, {"interpreter": ""}).status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).interpreter is None


@pytest.mark.parametrize("rows", [5, 200])
def test_pool_and_agenda_query_counts_are_fixed(client, world, staff, django_assert_num_queries, rows):
    world.exhibition.cooperative = staff.cooperative
    world.exhibition.save()
    Interpreter.objects.bulk_create(
        [
            Interpreter(exhibition=world.exhibition, ref=f"I-{n:03d}", name=f"I {n}", languages="ja ko")
            for n in range(rows)
        ]
    )
    person = Interpreter.objects.order_by("ref").first()
    start = world.slots[-1].ends_at
    for n in range(rows):
        slot = factories.SlotFactory(
            exhibition=world.exhibition,
            starts_at=start + datetime.timedelta(minutes=30 * n),
            ends_at=start + datetime.timedelta(minutes=30 * (n + 1)),
        )
        factories.MeetingFactory(
            exhibition=world.exhibition,
            buyer=world.buyer,
            exhibitor=world.exhibitor,
            status="accepted",
            slot=slot,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            booth=world.booth,
            interpreter=person,
        )
    client.force_login(staff)
    # session, user, membership, exhibition, interpreters with their meeting counts
    with django_assert_num_queries(5):
        assert (
            client.get(reverse("exhibitions:interpreters", kwargs={"slug": world.exhibition.slug})).status_code == 200
        )
    client.logout()
    agenda = reverse("exhibitions:interpreter_agenda", kwargs={"slug": world.exhibition.slug, "token": person.token})
    # exhibition, interpreter, meetings with companies and places, registrations, applications
    with django_assert_num_queries(5):
        assert client.get(agenda).status_code == 200
