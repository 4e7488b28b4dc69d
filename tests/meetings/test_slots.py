"""Meeting hours, breaks, tables and slot generation (in the exhibition's time zone, stored UTC)."""

import datetime

import pytest

from exhibitions.meetings import services
from exhibitions.meetings.services import MeetingError
from exhibitions.models import MeetingTable, Slot
from tests import factories

pytestmark = pytest.mark.django_db

T = datetime.time


@pytest.fixture
def exhibition():
    return factories.ExhibitionFactory(
        starts_on=datetime.date(2030, 4, 14), ends_on=datetime.date(2030, 4, 15), meeting_slot_minutes=30
    )


def local_times(exhibition):
    tz = exhibition.tzinfo
    return [s.starts_at.astimezone(tz).strftime("%m-%d %H:%M") for s in Slot.objects.filter(exhibition=exhibition)]


def test_slots_from_hours_and_breaks_in_local_time(exhibition):
    services.meeting_hours_set(exhibition=exhibition, day=datetime.date(2030, 4, 14), starts=T(10), ends=T(13))
    services.meeting_hours_set(exhibition=exhibition, day=datetime.date(2030, 4, 15), starts=T(10), ends=T(11))
    services.meeting_break_add(
        exhibition=exhibition, day=datetime.date(2030, 4, 14), starts=T(11, 15), ends=T(12), label="Lunch"
    )
    assert services.slots_generate(exhibition=exhibition) == (6, 0)
    assert local_times(exhibition) == [
        "04-14 10:00",
        "04-14 10:30",
        "04-14 12:00",
        "04-14 12:30",
        "04-15 10:00",
        "04-15 10:30",
    ]
    first = Slot.objects.first()
    assert first.starts_at == datetime.datetime(2030, 4, 14, 1, 0, tzinfo=datetime.UTC)  # 10:00 in Tokyo
    assert first.ends_at - first.starts_at == datetime.timedelta(minutes=30)


def test_generation_is_idempotent_and_follows_changes(exhibition):
    day = datetime.date(2030, 4, 14)
    services.meeting_hours_set(exhibition=exhibition, day=day, starts=T(10), ends=T(11))
    services.slots_generate(exhibition=exhibition)
    ids = list(Slot.objects.values_list("pk", flat=True))
    assert services.slots_generate(exhibition=exhibition) == (0, 0)
    assert list(Slot.objects.values_list("pk", flat=True)) == ids
    exhibition.meeting_slot_minutes = 20
    exhibition.save()
    assert services.slots_generate(exhibition=exhibition) == (3, 2)
    assert local_times(exhibition) == ["04-14 10:00", "04-14 10:20", "04-14 10:40"]


def test_generation_refuses_to_delete_slots_with_meetings(exhibition):
    day = datetime.date(2030, 4, 14)
    services.meeting_hours_set(exhibition=exhibition, day=day, starts=T(10), ends=T(11))
    services.slots_generate(exhibition=exhibition)
    slot = Slot.objects.last()
    factories.MeetingFactory(exhibition=exhibition, status="accepted", slot=slot, starts_at=slot.starts_at)
    services.meeting_hours_set(exhibition=exhibition, day=day, starts=T(10), ends=T(10, 30))
    with pytest.raises(MeetingError, match="hold meetings"):
        services.slots_generate(exhibition=exhibition)
    assert Slot.objects.count() == 2


def test_pending_requests_lose_removed_slots(exhibition):
    day = datetime.date(2030, 4, 14)
    services.meeting_hours_set(exhibition=exhibition, day=day, starts=T(10), ends=T(11))
    services.slots_generate(exhibition=exhibition)
    meeting = factories.MeetingFactory(exhibition=exhibition)
    meeting.proposed_slots.set(Slot.objects.all())
    services.meeting_hours_set(exhibition=exhibition, day=day)  # no more hours that day
    assert services.slots_generate(exhibition=exhibition) == (0, 2)
    assert meeting.proposed_slots.count() == 0


def test_hours_rules(exhibition):
    with pytest.raises(MeetingError):
        services.meeting_hours_set(exhibition=exhibition, day=datetime.date(2030, 5, 1), starts=T(10), ends=T(11))
    with pytest.raises(MeetingError):
        services.meeting_hours_set(exhibition=exhibition, day=datetime.date(2030, 4, 14), starts=T(11), ends=T(10))
    with pytest.raises(MeetingError):
        services.meeting_settings_update(exhibition=exhibition, slot_minutes=25, request_ttl_hours=1, pending_cap=1)


def test_tables_numbered_and_protected(exhibition):
    services.meeting_tables_set(exhibition=exhibition, count=3)
    services.meeting_tables_set(exhibition=exhibition, count=3)
    assert list(MeetingTable.objects.values_list("number", flat=True)) == [1, 2, 3]
    table = MeetingTable.objects.get(number=3)
    slot = factories.SlotFactory(exhibition=exhibition)
    factories.MeetingFactory(exhibition=exhibition, status="accepted", slot=slot, table=table, starts_at=slot.starts_at)
    with pytest.raises(MeetingError):
        services.meeting_tables_set(exhibition=exhibition, count=1)
    assert MeetingTable.objects.count() == 3
    services.meeting_tables_set(exhibition=exhibition, count=5)
    assert MeetingTable.objects.count() == 5


def test_slots_across_a_dst_change_are_real_time_and_unique():
    """Hours that span the spring-forward hour: every slot lasts the slot length in real time,
    no two slots start at the same instant (a wall-clock loop made 02:00 and 03:00 collide)."""
    day = datetime.date(2030, 3, 31)  # Europe/Berlin goes from 02:00 CET to 03:00 CEST
    exhibition = factories.ExhibitionFactory(
        starts_on=day, ends_on=day, meeting_slot_minutes=30, timezone="Europe/Berlin"
    )
    services.meeting_hours_set(exhibition=exhibition, day=day, starts=T(1), ends=T(4))
    created, _deleted = services.slots_generate(exhibition=exhibition)
    slots = list(Slot.objects.filter(exhibition=exhibition).order_by("starts_at"))
    assert created == len(slots) == 4  # 01:00 and 01:30 CET, 03:00 and 03:30 CEST: two real hours
    assert all(s.ends_at - s.starts_at == datetime.timedelta(minutes=30) for s in slots)
    assert local_times(exhibition) == ["03-31 01:00", "03-31 01:30", "03-31 03:00", "03-31 03:30"]
