"""Loading an exhibition into the engine's instance: pairs, availability, interpreters and
the meetings that stay where they are."""

import datetime

import numpy as np
import pytest
from django.utils import timezone

from exhibitions.meetings import services as meeting_services
from exhibitions.models import DraftMeeting
from exhibitions.scheduling.loading import load_instance
from tests import factories

from .conftest import add_buyer, add_exhibitor, block, interpreter, make_show, wish

pytestmark = pytest.mark.django_db


def pairs_of(loaded):
    inst = loaded.instance
    return {loaded.pair_ids(p): int(inst.pair_weight[p]) for p in range(loaded.n_pairs)}


def test_both_sides_wishes_add_up_and_a_no_forbids_the_pair(show):
    b0, b1, b2, b3 = show.buyers
    e0, e1, e2 = show.exhibitors
    wish(show, b0, e0, "must", by="buyer")
    wish(show, b0, e0, "want", by="exhibitor")
    wish(show, b1, e0, "want")
    wish(show, b2, e1, "must", by="buyer")
    wish(show, b2, e1, "no", by="exhibitor")  # refused: never a pair
    wish(show, b3, e2, "no", by="buyer")
    loaded = load_instance(show.exhibition)
    assert pairs_of(loaded) == {(b0.pk, e0.pk): 4, (b1.pk, e0.pk): 1}


def test_only_companies_taking_part(show):
    outsider_buyer = factories.BuyerFactory()
    factories.BuyerRegistrationFactory(exhibition=show.exhibition, company=outsider_buyer, status="pending")
    waitlisted = factories.ExhibitorFactory()
    factories.ApplicationFactory(exhibition=show.exhibition, company=waitlisted, status="waitlisted")
    wish(show, outsider_buyer, show.exhibitors[0], "must")
    wish(show, show.buyers[0], waitlisted, "must")
    wish(show, show.buyers[0], show.exhibitors[0], "want")
    loaded = load_instance(show.exhibition)
    assert pairs_of(loaded) == {(show.buyers[0].pk, show.exhibitors[0].pk): 1}
    assert outsider_buyer.pk not in loaded.buyer_ids and waitlisted.pk not in loaded.exhibitor_ids


def test_no_wishes_no_pairs(show):
    loaded = load_instance(show.exhibition)
    assert loaded.n_pairs == 0
    assert loaded.instance.buyer_available.shape == (4, 8)


def test_slots_days_and_adjacency(show):
    loaded = load_instance(show.exhibition)
    assert loaded.instance.slot_day.tolist() == [0, 0, 0, 0, 1, 1, 1, 1]
    assert loaded.instance.slot_index_in_day.tolist() == [0, 1, 2, 3, 0, 1, 2, 3]


def test_a_gap_between_slots_is_not_adjacent(db):
    show = make_show(slots_per_day=2, days=1)
    late = show.slots[-1].ends_at + datetime.timedelta(hours=1)
    factories.SlotFactory(exhibition=show.exhibition, starts_at=late, ends_at=late + datetime.timedelta(minutes=30))
    assert load_instance(show.exhibition).instance.slot_index_in_day.tolist() == [0, 1, 3]


def test_slots_that_have_passed_are_left_out(show):
    now = show.slots[2].starts_at + datetime.timedelta(minutes=1)
    loaded = load_instance(show.exhibition, now=now)
    assert loaded.slot_ids == [s.pk for s in show.slots[3:]]


def test_visit_days(show):
    second_day = (show.exhibition.starts_on + datetime.timedelta(days=1)).isoformat()
    buyer = add_buyer(show, visit_days=[second_day])
    loaded = load_instance(show.exhibition)
    row = loaded.buyer_ids.index(buyer.pk)
    assert loaded.instance.buyer_available[row].tolist() == [False] * 4 + [True] * 4
    assert loaded.instance.buyer_available[0].all()  # no visit days given: every day


def test_blocked_times_of_a_company_and_of_all_its_people(show):
    buyer, exhibitor = show.buyers[0], show.exhibitors[0]
    block(show, buyer, show.slots[1], show.slots[2])
    colleague = factories.MembershipFactory(company=exhibitor, role="member").user
    block(show, exhibitor, show.slots[5], person=show.owners[exhibitor.pk])  # a colleague can still meet
    block(show, exhibitor, show.slots[6], person=show.owners[exhibitor.pk])
    block(show, exhibitor, show.slots[6], person=colleague)  # both people away
    loaded = load_instance(show.exhibition)
    assert loaded.instance.buyer_available[0].tolist() == [True, False, False, True, True, True, True, True]
    e = loaded.exhibitor_ids.index(exhibitor.pk)
    assert loaded.instance.exhibitor_available[e].tolist() == [True] * 6 + [False, True]


def test_places_and_capacity(show):
    add_exhibitor(show, "K-09", parallel=3)
    loaded = load_instance(show.exhibition)
    assert loaded.instance.exhibitor_capacity.tolist() == [1, 1, 1, 3]
    assert loaded.instance.exhibitor_has_booth.all()
    assert loaded.instance.n_tables == 2
    assert loaded.table_ids == [t.pk for t in show.tables]


def test_interpreters_needed_only_without_a_shared_language(show):
    korean_only = add_exhibitor(show, "K-10", languages="ko")
    japanese_only = add_buyer(show, languages="ja")
    both = interpreter(show, "INT-01", "ja ko")
    interpreter(show, "INT-02", "ja en")  # speaks no Korean: not qualified
    second_day = (show.exhibition.starts_on + datetime.timedelta(days=1)).isoformat()
    day_two = interpreter(show, "INT-03", "ko ja", days=[second_day])
    wish(show, japanese_only, korean_only, "must")
    wish(show, show.buyers[0], korean_only, "want")  # the buyer also speaks English; ko-only: needed
    wish(show, show.buyers[0], show.exhibitors[0], "want")  # share English: none needed
    loaded = load_instance(show.exhibition)
    inst = loaded.instance
    by_pair = {loaded.pair_ids(p): inst.pair_interpreters[p] for p in range(loaded.n_pairs)}
    qualified = sorted(loaded.interpreter_ids[i] for i in by_pair[(japanese_only.pk, korean_only.pk)])
    assert qualified == sorted([both.pk, day_two.pk])
    assert by_pair[(show.buyers[0].pk, show.exhibitors[0].pk)] is None
    row = loaded.interpreter_ids.index(day_two.pk)
    assert inst.interpreter_available[row].tolist() == [False] * 4 + [True] * 4


def test_stand_and_registration_languages_count(show):
    exhibitor = add_exhibitor(show, "K-11", languages="ko", stand_languages="ja")
    buyer = add_buyer(show, languages="zh", registration_languages="ja")
    wish(show, buyer, exhibitor, "want")
    loaded = load_instance(show.exhibition)
    assert loaded.instance.pair_interpreters == [None]


def test_booked_meetings_and_locked_drafts_are_fixed(show, staff):
    b0, b1, b2, _b3 = show.buyers
    e0, e1, _e2 = show.exhibitors
    wish(show, b0, e0, "must")
    wish(show, b1, e1, "want")
    booked = meeting_services.meeting_book_by_staff(
        exhibition=show.exhibition, buyer_person=show.owners[b0.pk], exhibitor=e0, slot=show.slots[2], by=staff
    )
    DraftMeeting.objects.create(
        exhibition=show.exhibition, buyer=b1, exhibitor=e1, slot=show.slots[3], table=show.tables[1], locked=True
    )
    DraftMeeting.objects.create(  # not locked: a rerun replaces it, so it is no constraint
        exhibition=show.exhibition, buyer=b2, exhibitor=e1, slot=show.slots[0], booth=show.applications[e1.pk].booth
    )
    loaded = load_instance(show.exhibition)
    fixed = {(loaded.buyer_ids[f.buyer], loaded.exhibitor_ids[f.exhibitor]): f for f in loaded.instance.fixed}
    assert set(fixed) == {(b0.pk, e0.pk), (b1.pk, e1.pk)}
    assert fixed[(b0.pk, e0.pk)].place == "booth" and loaded.slot_ids[fixed[(b0.pk, e0.pk)].slot] == booked.slot_id
    assert fixed[(b1.pk, e1.pk)].place == "table" and fixed[(b1.pk, e1.pk)].table == 2
    assert all(f.pair is not None for f in fixed.values())  # both pairs count as placed


def test_a_pair_that_already_met_is_not_placed_again(show, staff):
    b0, e0 = show.buyers[0], show.exhibitors[0]
    wish(show, b0, e0, "must")
    meeting_services.meeting_book_by_staff(
        exhibition=show.exhibition, buyer_person=show.owners[b0.pk], exhibitor=e0, slot=show.slots[0], by=staff
    )
    loaded = load_instance(show.exhibition, now=show.slots[1].starts_at)
    assert loaded.n_pairs == 0 and loaded.already_booked == 1 and loaded.instance.fixed == []


def test_query_count_does_not_grow_with_the_show(django_assert_max_num_queries, db):
    show = make_show(exhibitors=6, buyers=12)
    for b in show.buyers:
        for e in show.exhibitors[:3]:
            wish(show, b, e, "want")
    block(show, show.buyers[0], show.slots[0], person=show.owners[show.buyers[0].pk])
    with django_assert_max_num_queries(12):
        loaded = load_instance(show.exhibition)
    assert loaded.n_pairs == 36
    assert isinstance(loaded.instance.buyer_available, np.ndarray)
    assert timezone.now() < show.slots[0].starts_at
