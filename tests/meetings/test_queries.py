"""Agenda, inbox, board and report pages run a fixed number of SQL queries, at 5 and at 200 rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from companies.models import Company, Membership
from exhibitions.models import Booth, ExhibitorApplication, Meeting, Slot
from tests import factories

from .conftest import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_world(exhibitor_owner, buyer_owner):
    return make_world(exhibitor_user=exhibitor_owner, buyer_user=buyer_owner, slots=0, tables=0)


def add_slots(world, n):
    start = datetime.datetime(2030, 4, 14, 0, 0, tzinfo=datetime.UTC)
    return Slot.objects.bulk_create(
        [
            Slot(
                exhibition=world.exhibition,
                starts_at=start + datetime.timedelta(minutes=30 * i),
                ends_at=start + datetime.timedelta(minutes=30 * (i + 1)),
            )
            for i in range(n)
        ]
    )


def add_exhibitors(world, n):
    companies = Company.objects.bulk_create(
        [
            Company(kind="exhibitor", ref=f"QX-{i:04d}", name_en=f"Mould {i}", country="KR", status="approved")
            for i in range(n)
        ]
    )
    booths = Booth.objects.bulk_create(
        [Booth(exhibition=world.exhibition, hall=world.booth.hall, code=f"Q-{i:03d}", x=i, y=50) for i in range(n)]
    )
    ExhibitorApplication.objects.bulk_create(
        [
            ExhibitorApplication(exhibition=world.exhibition, company=c, status="approved", booth=b)
            for c, b in zip(companies, booths, strict=True)
        ]
    )
    return companies, booths


def buyer_agenda_rows(world, n):
    """n booked meetings of the buyer person, each with its own exhibitor and slot, plus n open requests."""
    slots = add_slots(world, n)
    companies, booths = add_exhibitors(world, n)
    Meeting.objects.bulk_create(
        [
            Meeting(
                exhibition=world.exhibition,
                buyer=world.buyer,
                exhibitor=c,
                buyer_person=world.buyer_user,
                status="accepted",
                slot=s,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                booth=b,
                interpreter_needed=True,
            )
            for c, b, s in zip(companies, booths, slots, strict=True)
        ]
    )
    pending = Meeting.objects.bulk_create(
        [
            Meeting(
                exhibition=world.exhibition,
                buyer=world.buyer,
                exhibitor=c,
                buyer_person=world.buyer_user,
                status="requested",
            )
            for c in companies
        ]
    )
    Meeting.proposed_slots.through.objects.bulk_create(
        [Meeting.proposed_slots.through(meeting_id=m.pk, slot_id=s.pk) for m, s in zip(pending, slots, strict=True)]
    )


def exhibitor_inbox_rows(world, n):
    """n requests to the exhibitor from n buyers, and n booked meetings at its booth."""
    slots = add_slots(world, n)
    buyers = Company.objects.bulk_create(
        [
            Company(kind="buyer", ref=f"QJ-{i:04d}", name_en=f"Buyer {i}", country="JP", status="approved")
            for i in range(n)
        ]
    )
    people = [factories.UserFactory(verified=False) for _ in range(n)]
    Membership.objects.bulk_create([Membership(company=b, user=p) for b, p in zip(buyers, people, strict=True)])
    Meeting.objects.bulk_create(
        [
            Meeting(
                exhibition=world.exhibition,
                buyer=b,
                exhibitor=world.exhibitor,
                buyer_person=p,
                representative=world.rep,
                status="accepted",
                slot=s,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                booth=world.booth,
            )
            for b, p, s in zip(buyers, people, slots, strict=True)
        ]
        + [Meeting(exhibition=world.exhibition, buyer=b, exhibitor=world.exhibitor, status="requested") for b in buyers]
    )


def board_rows(world, n):
    """n exhibitors on the board, each with one booked meeting on the first day (a buyer is in
    one meeting at a time, so each meeting has its own buyer)."""
    slots = add_slots(world, 2)
    companies, booths = add_exhibitors(world, n)
    buyers = Company.objects.bulk_create(
        [
            Company(kind="buyer", ref=f"QB-{i:04d}", name_en=f"Board buyer {i}", country="JP", status="approved")
            for i in range(n)
        ]
    )
    Meeting.objects.bulk_create(
        [
            Meeting(
                exhibition=world.exhibition,
                buyer=buyers[i],
                exhibitor=c,
                status="accepted",
                slot=slots[i % 2],
                starts_at=slots[i % 2].starts_at,
                ends_at=slots[i % 2].ends_at,
                booth=b,
            )
            for i, (c, b) in enumerate(zip(companies, booths, strict=True))
        ]
    )


def count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("rows", [5, 200])
def test_buyer_agenda_queries(client, big_world, rows, django_assert_num_queries):
    buyer_agenda_rows(big_world, rows)
    client.force_login(big_world.buyer_user)
    path = reverse("exhibitions:meetings_agenda", kwargs={"slug": big_world.exhibition.slug})
    client.get(path)  # warm the session
    with django_assert_num_queries(8):
        response = client.get(path)
    assert response.content.decode().count("Mould ") >= rows * 2


@pytest.mark.parametrize("rows", [5, 200])
def test_exhibitor_agenda_and_inbox_queries(client, big_world, rows, django_assert_num_queries):
    exhibitor_inbox_rows(big_world, rows)
    client.force_login(big_world.exhibitor_user)
    path = reverse("exhibitions:meetings_agenda", kwargs={"slug": big_world.exhibition.slug})
    client.get(path)
    with django_assert_num_queries(8):
        response = client.get(path)
    assert len(response.context["open_requests"]) == rows


@pytest.mark.parametrize("rows", [5, 200])
def test_board_queries(client, big_world, staff, rows, django_assert_num_queries):
    board_rows(big_world, rows)
    client.force_login(staff)
    path = reverse("exhibitions:meetings_board", kwargs={"slug": big_world.exhibition.slug})
    client.get(path)
    with django_assert_num_queries(8):
        response = client.get(path)
    assert response.content.decode().count("Board buyer ") == min(
        rows, 49
    )  # page 1: booth A-01 (no meeting) and 49 others


@pytest.mark.parametrize("rows", [5, 200])
def test_report_queries(client, big_world, staff, rows, django_assert_num_queries):
    board_rows(big_world, rows)
    client.force_login(staff)
    path = reverse("exhibitions:meetings_report", kwargs={"slug": big_world.exhibition.slug})
    client.get(path)
    with django_assert_num_queries(5):
        response = client.get(path)
    assert response.context["figures"]["accepted"] == rows
    csv_path = reverse("exhibitions:meetings_report_csv", kwargs={"slug": big_world.exhibition.slug})
    with django_assert_num_queries(7):  # staff have no membership: the user is read in two queries
        response = client.get(csv_path)
    assert response.content.decode("utf-8-sig").count("\n") > rows
