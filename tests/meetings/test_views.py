"""Pages: who may open what (anonymous -> login, others -> 404), the forms, and privacy."""

import pytest
from django.urls import reverse

from exhibitions.meetings import services
from exhibitions.models import ExchangeRate, Meeting, MeetingBreak, MeetingHours, MeetingTable, Slot
from tests import factories

from .conftest import add_buyer, past

pytestmark = pytest.mark.django_db


def url(world, name, **kwargs):
    return reverse(f"exhibitions:{name}", kwargs={"slug": world.exhibition.slug, **kwargs})


def make_request(world, slots=None):
    return services.meeting_request(
        exhibition=world.exhibition,
        buyer_person=world.buyer_user,
        exhibitor=world.exhibitor,
        slots=slots or world.slots[:2],
        message="Hello",
    )


def make_accepted(world):
    meeting = make_request(world)
    return services.meeting_accept(meeting=meeting, slot=world.slots[0], by=world.exhibitor_user)


ACTIONS = [
    "meetings_accept",
    "meetings_decline",
    "meetings_propose",
    "meetings_accept_proposal",
    "meetings_cancel",
    "meetings_reschedule",
    "meetings_outcome",
    "meetings_no_show",
]


def test_anonymous_is_sent_to_log_in(client, world):
    meeting = make_request(world)
    names = [
        "meetings_agenda",
        "meetings_request",
        "meetings_board",
        "meetings_book",
        "meetings_report",
        "meetings_report_csv",
        "meetings_setup",
    ]
    for name in names:
        response = client.get(url(world, name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
    response = client.get(url(world, "meetings_detail", pk=meeting.pk))
    assert response.status_code == 302
    for name in ACTIONS:
        response = client.post(url(world, name, pk=meeting.pk))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_outsiders_get_404_everywhere(client, world, outsider, other_buyer, other_exhibitor):
    meeting = make_request(world)
    for person in (outsider, other_buyer, other_exhibitor):
        client.force_login(person)
        for name in [
            "meetings_agenda",
            "meetings_board",
            "meetings_book",
            "meetings_report",
            "meetings_report_csv",
            "meetings_setup",
        ]:
            assert client.get(url(world, name)).status_code == 404, (person, name)
        assert client.get(url(world, "meetings_detail", pk=meeting.pk)).status_code == 404
        for name in ACTIONS:
            assert client.post(url(world, name, pk=meeting.pk)).status_code == 404, (person, name)
    client.force_login(other_exhibitor)
    assert client.get(url(world, "meetings_request") + f"?exhibitor={world.exhibitor.ref}").status_code == 404


def test_a_registered_buyer_never_sees_another_buyers_meetings(client, world):
    meeting = make_accepted(world)
    rival = add_buyer(world)
    client.force_login(rival)
    assert client.get(url(world, "meetings_detail", pk=meeting.pk)).status_code == 404
    agenda = client.get(url(world, "meetings_agenda") + "?all=1")
    assert agenda.status_code == 200
    assert world.exhibitor.name not in agenda.content.decode()
    assert client.post(url(world, "meetings_cancel", pk=meeting.pk)).status_code == 404
    meeting.refresh_from_db()
    assert meeting.status == "accepted"


def test_exhibitors_and_buyers_are_refused_staff_pages(client, world):
    for person in (world.exhibitor_user, world.buyer_user):
        client.force_login(person)
        for name in ["meetings_board", "meetings_book", "meetings_report", "meetings_report_csv", "meetings_setup"]:
            assert client.get(url(world, name)).status_code == 404, name


def test_exhibitor_cannot_open_the_request_form(client, world):
    client.force_login(world.exhibitor_user)
    assert client.get(url(world, "meetings_request")).status_code == 404


def test_draft_exhibition_is_hidden(client, world):
    world.exhibition.status = "draft"
    world.exhibition.save()
    client.force_login(world.buyer_user)
    assert client.get(url(world, "meetings_agenda")).status_code == 404


def test_request_journey_through_the_form(client, world):
    client.force_login(world.buyer_user)
    choose = client.get(url(world, "meetings_request"))
    assert choose.status_code == 200 and world.exhibitor.ref in choose.content.decode()
    page = client.get(url(world, "meetings_request") + f"?exhibitor={world.exhibitor.ref}")
    assert page.status_code == 200
    assert f'value="{world.slots[0].pk}"' in page.content.decode()
    response = client.post(
        url(world, "meetings_request"),
        {"exhibitor": world.exhibitor.ref, "slots": [world.slots[0].pk, world.slots[1].pk], "message": "Hot runners"},
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == url(world, "meetings_detail", pk=meeting.pk)
    assert meeting.message == "Hot runners" and meeting.proposed_slots.count() == 2


def test_request_without_a_time_shows_the_error_and_keeps_the_message(client, world):
    client.force_login(world.buyer_user)
    response = client.post(
        url(world, "meetings_request"), {"exhibitor": world.exhibitor.ref, "message": "Please keep this text"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "This field is required." in body and "Please keep this text" in body
    assert Meeting.objects.count() == 0


def test_request_over_the_cap_shows_the_rule(client, world):
    world.exhibition.meeting_pending_cap = 0
    world.exhibition.save()
    client.force_login(world.buyer_user)
    response = client.post(
        url(world, "meetings_request"), {"exhibitor": world.exhibitor.ref, "slots": [world.slots[0].pk]}
    )
    assert response.status_code == 400 and "open requests" in response.content.decode()


def test_unknown_exhibitor_ref_is_404(client, world, other_exhibitor):
    client.force_login(world.buyer_user)
    assert client.get(url(world, "meetings_request") + "?exhibitor=NOPE").status_code == 404
    assert client.get(url(world, "meetings_request") + f"?exhibitor={other_exhibitor.company.ref}").status_code == 404


def test_exhibitor_answers_from_the_detail_page(client, world, exhibitor_colleague):
    meeting = make_request(world)
    client.force_login(exhibitor_colleague)
    page = client.get(url(world, "meetings_detail", pk=meeting.pk))
    assert page.status_code == 200
    body = page.content.decode()
    assert (
        url(world, "meetings_accept", pk=meeting.pk) in body and url(world, "meetings_propose", pk=meeting.pk) in body
    )
    response = client.post(url(world, "meetings_accept", pk=meeting.pk), {"slot": world.slots[1].pk, "table": ""})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "accepted" and meeting.slot == world.slots[1]


def test_decline_without_reason_shows_the_error(client, world):
    meeting = make_request(world)
    client.force_login(world.exhibitor_user)
    response = client.post(url(world, "meetings_decline", pk=meeting.pk), {"reason": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "requested"


def test_conflict_message_is_shown(client, world):
    make_accepted(world)
    rival = add_buyer(world)
    second = services.meeting_request(
        exhibition=world.exhibition,
        buyer_person=rival,
        exhibitor=world.exhibitor,
        slots=[world.slots[0], world.slots[2]],
    )
    client.force_login(world.exhibitor_user)
    response = client.post(url(world, "meetings_accept", pk=second.pk), {"slot": world.slots[0].pk})
    assert response.status_code == 400
    assert "no longer free" in response.content.decode() or "already has a meeting" in response.content.decode()


def test_buyer_accepts_a_proposal_and_moves_it(client, world):
    meeting = services.meeting_propose(meeting=make_request(world), by=world.exhibitor_user, slots=[world.slots[3]])
    client.force_login(world.buyer_user)
    response = client.post(url(world, "meetings_accept_proposal", pk=meeting.pk), {"slot": world.slots[3].pk})
    assert response.status_code == 302
    response = client.post(
        url(world, "meetings_reschedule", pk=meeting.pk), {"slot": world.slots[2].pk, "place": "keep"}
    )
    assert response.status_code == 302
    client.force_login(world.exhibitor_user)
    assert client.post(url(world, "meetings_move_accept", pk=meeting.pk)).status_code == 302
    meeting.refresh_from_db()
    assert meeting.slot == world.slots[2] and meeting.sequence == 2
    page = client.get(url(world, "meetings_detail", pk=meeting.pk)).content.decode()
    assert "moved the meeting" in page and "accepted a proposed time" in page


def test_private_notes_stay_with_their_side(client, world, staff, exhibitor_colleague):
    meeting = past(make_accepted(world))
    buyer_colleague = factories.MembershipFactory(company=world.buyer, role="member").user
    services.meeting_record_outcome(
        meeting=meeting,
        by=world.buyer_user,
        outcome="quotation",
        estimated_value=5000,
        currency="USD",
        note="BUYER-SECRET",
    )
    services.meeting_record_outcome(meeting=meeting, by=world.exhibitor_user, outcome="deal", note="EXHIBITOR-SECRET")
    detail = url(world, "meetings_detail", pk=meeting.pk)

    client.force_login(buyer_colleague)
    body = client.get(detail).content.decode()
    assert "BUYER-SECRET" in body and "EXHIBITOR-SECRET" not in body

    client.force_login(exhibitor_colleague)
    body = client.get(detail).content.decode()
    assert "EXHIBITOR-SECRET" in body and "BUYER-SECRET" not in body
    assert "5000" not in body  # the other side's estimate is private too

    client.force_login(staff)
    body = client.get(detail).content.decode()
    assert "BUYER-SECRET" not in body and "EXHIBITOR-SECRET" not in body
    assert "Quotation" in body and "5000" in body  # staff see kinds and values
    csv_body = client.get(url(world, "meetings_report_csv")).content.decode()
    assert "SECRET" not in csv_body


def test_outcome_form_errors(client, world):
    meeting = past(make_accepted(world))
    client.force_login(world.buyer_user)
    response = client.post(
        url(world, "meetings_outcome", pk=meeting.pk),
        {"outcome": "", "estimated_value": "-5", "currency": "JPY", "note": "kept"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "This field is required." in body and "kept" in body
    response = client.post(
        url(world, "meetings_outcome", pk=meeting.pk),
        {"outcome": "deal", "estimated_value": "3000000", "currency": "JPY"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.outcome == "deal"


def test_staff_mark_no_show_from_the_page(client, world, staff):
    meeting = past(make_accepted(world))
    client.force_login(world.buyer_user)
    assert client.post(url(world, "meetings_no_show", pk=meeting.pk), {"absent": "buyer"}).status_code == 404
    client.force_login(staff)
    assert client.post(url(world, "meetings_no_show", pk=meeting.pk), {"absent": "buyer"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "no_show"


def test_staff_book_from_the_board(client, world, staff):
    client.force_login(staff)
    board = client.get(url(world, "meetings_board"))
    assert board.status_code == 200
    book_link = url(world, "meetings_book") + f"?slot={world.slots[0].pk}&amp;exhibitor={world.exhibitor.pk}"
    assert book_link in board.content.decode()
    form = client.get(url(world, "meetings_book") + f"?slot={world.slots[0].pk}&exhibitor={world.exhibitor.pk}")
    assert form.status_code == 200
    response = client.post(
        url(world, "meetings_book"),
        {"buyer_person": world.buyer_user.pk, "exhibitor": world.exhibitor.pk, "slot": world.slots[0].pk, "table": ""},
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.status == "accepted" and meeting.booth == world.booth
    board = client.get(url(world, "meetings_board")).content.decode()
    assert world.buyer.name in board
    again = client.post(
        url(world, "meetings_book"),
        {"buyer_person": world.buyer_user.pk, "exhibitor": world.exhibitor.pk, "slot": world.slots[0].pk},
    )
    assert again.status_code == 400


def test_report_and_csv(client, world, staff):
    ExchangeRate.objects.create(exhibition=world.exhibition, jpy_per_usd=150, krw_per_usd=1400)
    meeting = past(make_accepted(world))
    services.meeting_record_outcome(
        meeting=meeting, by=world.buyer_user, outcome="deal", estimated_value=1500000, currency="JPY"
    )
    client.force_login(staff)
    page = client.get(url(world, "meetings_report"))
    assert page.status_code == 200
    figures = page.context["figures"]
    assert (figures["requested"], figures["accepted"], figures["held"], figures["no_show"]) == (1, 1, 1, 0)
    assert {k: c for k, _l, c in figures["outcomes"]}["deal"] == 1
    assert str(figures["total_value_usd"]) == "10000.00"
    response = client.get(url(world, "meetings_report_csv"))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "total_value_usd,10000.00" in text and "outcome_deal,1" in text
    assert world.buyer.ref in text


def test_report_csv_neutralises_formulas_in_company_names(client, world, staff):
    """Company names are user input: a name that a spreadsheet would run as a formula is
    written with a leading quote (CSV injection), as in the exhibitor and buyer exports."""
    import csv
    import io

    evil = '=HYPERLINK("http://evil.example","x")'
    world.buyer.name_en = world.buyer.name_ko = world.buyer.name_ja = evil
    world.buyer.save()
    world.exhibitor.name_en = world.exhibitor.name_ko = world.exhibitor.name_ja = "+cmd|' /C calc'!A0"
    world.exhibitor.save()
    make_accepted(world)
    client.force_login(staff)
    text = client.get(url(world, "meetings_report_csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    row = next(r for r in rows if r and r[0].isdigit())
    assert row[4] == "'" + evil
    assert row[6] == "'+cmd|' /C calc'!A0"
    assert not any(cell[:1] in ("=", "+", "@") for r in rows for cell in r)


def hours_data(world, hours):
    """The set-up page's one form for every day's hours; `hours`: {day: (from, until)}."""
    days = world.exhibition.days
    data = {"action": "hours", "hours-TOTAL_FORMS": str(len(days)), "hours-INITIAL_FORMS": str(len(days))}
    for n, day in enumerate(days):
        starts, ends = hours.get(day, ("", ""))
        data.update({f"hours-{n}-day": day.isoformat(), f"hours-{n}-starts": starts, f"hours-{n}-ends": ends})
    return data


def test_setup_page_generates_slots(client, world, staff):
    client.force_login(staff)
    assert client.get(url(world, "meetings_setup")).status_code == 200
    day = world.exhibition.days[0]
    response = client.post(url(world, "meetings_setup"), hours_data(world, {day: ("10:00", "12:00")}))
    assert response.status_code == 302
    assert MeetingHours.objects.filter(exhibition=world.exhibition, day=day).exists()
    response = client.post(
        url(world, "meetings_setup"),
        {"action": "break", "day": day.isoformat(), "starts": "11:00", "ends": "11:30", "label": "Tea"},
    )
    assert response.status_code == 302 and MeetingBreak.objects.filter(exhibition=world.exhibition).count() == 1
    assert client.post(url(world, "meetings_setup"), {"action": "tables", "count": "4"}).status_code == 302
    assert MeetingTable.objects.filter(exhibition=world.exhibition).count() == 4
    assert client.post(url(world, "meetings_setup"), {"action": "generate"}).status_code == 302
    # The hand-made fixture slots (no hours) go; the hours and break give 10:00, 10:30, 11:30.
    tz = world.exhibition.tzinfo
    local = [s.starts_at.astimezone(tz).strftime("%H:%M") for s in Slot.objects.filter(exhibition=world.exhibition)]
    assert local == ["10:00", "10:30", "11:30"]
    bad = client.post(
        url(world, "meetings_setup"), {"action": "break", "day": day.isoformat(), "starts": "12:00", "ends": "11:00"}
    )
    assert bad.status_code == 400 and "must end after" in bad.content.decode()


def test_agenda_shows_meetings_in_local_time_with_place_and_interpreter(client, world):
    meeting = make_accepted(world)
    client.force_login(world.buyer_user)
    page = client.get(url(world, "meetings_agenda"))
    body = page.content.decode()
    local = meeting.starts_at.astimezone(world.exhibition.tzinfo).strftime("%H:%M")
    assert local in body and "A-01" in body and "Interpreter" in body and world.exhibitor.name in body
    assert "data-print" in body
    assert world.buyer_user.calendar_token in body
    client.force_login(world.exhibitor_user)
    body = client.get(url(world, "meetings_agenda")).content.decode()
    assert world.buyer.name in body and world.rep.name in body


def test_inbox_lists_requests_to_answer(client, world):
    make_request(world)
    client.force_login(world.exhibitor_user)
    page = client.get(url(world, "meetings_agenda"))
    assert len(page.context["open_requests"]) == 1
    assert "Requests to answer" in page.content.decode()


def test_staff_on_agenda_go_to_the_board(client, world, staff):
    client.force_login(staff)
    response = client.get(url(world, "meetings_agenda"))
    assert response.status_code == 302 and response["Location"] == url(world, "meetings_board")


def test_staff_mark_no_show_from_the_board(client, world, staff):
    meeting = past(make_accepted(world))
    client.force_login(staff)
    board_url = url(world, "meetings_board") + f"?day={meeting.starts_at.astimezone(world.exhibition.tzinfo).date()}"
    board = client.get(board_url).content.decode()
    no_show = url(world, "meetings_no_show", pk=meeting.pk)
    assert no_show in board
    response = client.post(no_show, {"absent": "both", "next": board_url})
    assert response.status_code == 302 and response["Location"] == board_url
    meeting.refresh_from_db()
    assert meeting.status == "no_show"
    # An outside address in `next` is ignored.
    other = past(make_accepted_at(world, 2), minutes=90)
    response = client.post(
        url(world, "meetings_no_show", pk=other.pk), {"absent": "buyer", "next": "https://evil.example/"}
    )
    assert response["Location"] == url(world, "meetings_detail", pk=other.pk)


def make_accepted_at(world, index):
    buyer = add_buyer(world)
    meeting = services.meeting_request(
        exhibition=world.exhibition, buyer_person=buyer, exhibitor=world.exhibitor, slots=[world.slots[index]]
    )
    return services.meeting_accept(meeting=meeting, slot=world.slots[index], by=world.exhibitor_user)


def test_companies_not_taking_part_get_a_404_that_says_why(client, world, other_buyer, other_exhibitor):
    for person in (other_buyer, other_exhibitor):
        client.force_login(person)
        response = client.get(url(world, "meetings_agenda"))
        assert response.status_code == 404
        assert "does not take part" in response.content.decode()
    client.force_login(other_buyer)
    response = client.get(url(world, "meetings_request") + f"?exhibitor={world.exhibitor.ref}")
    assert response.status_code == 404 and "does not take part" in response.content.decode()
