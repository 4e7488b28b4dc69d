"""A scheduler run end to end in eager mode: start, claim, solve, save drafts that keep every
rule; reruns keep locked drafts and booked meetings; stuck runs fail visibly."""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from exhibitions.meetings import services as meeting_services
from exhibitions.models import DraftMeeting, Meeting, ScheduleRun, Wish
from exhibitions.scheduling import services, tasks
from exhibitions.scheduling.services import ScheduleError

from .conftest import add_buyer, add_exhibitor, block, interpreter, make_show, wish

pytestmark = pytest.mark.django_db


def run_now(show, seconds=2, by=None):
    run = services.schedule_run_start(exhibition=show.exhibition, by=by, seconds=seconds, queue=False)
    tasks.run_schedule(run.pk)
    run.refresh_from_db()
    return run


def assert_keeps_every_rule(show):
    """Check the drafts plus booked meetings against the rules, independently of the engine."""
    exhibition = show.exhibition
    tz = exhibition.tzinfo
    rows = [
        (d.buyer_id, d.exhibitor_id, d.slot, d.booth_id, d.table_id, d.interpreter)
        for d in DraftMeeting.objects.filter(exhibition=exhibition).select_related("slot", "interpreter")
    ] + [
        (m.buyer_id, m.exhibitor_id, m.slot, m.booth_id, m.table_id, m.interpreter)
        for m in Meeting.objects.filter(exhibition=exhibition, status__in=Meeting.BOOKED).select_related(
            "slot", "interpreter"
        )
    ]
    refused = set(Wish.objects.filter(exhibition=exhibition, priority="no").values_list("buyer_id", "exhibitor_id"))
    pairs = Counter((b, e) for b, e, *_ in rows)
    assert max(pairs.values(), default=1) == 1, "a pair meets twice"
    assert not set(pairs) & refused, "a refused pair was scheduled"
    for key, label in ((0, "buyer"), (3, "booth"), (4, "table")):
        seen = Counter((r[2].pk, r[key]) for r in rows if r[key] is not None)
        assert max(seen.values(), default=1) == 1, f"a {label} is in two meetings at once"
    interpreters = Counter((r[2].pk, r[5].pk) for r in rows if r[5] is not None)
    assert max(interpreters.values(), default=1) == 1, "an interpreter is in two meetings at once"
    per_exhibitor = Counter((r[2].pk, r[1]) for r in rows)
    for (_slot, exhibitor_id), count in per_exhibitor.items():
        assert count <= show.applications[exhibitor_id].parallel_meetings
    registrations = {r.company_id: r for r in exhibition.buyer_registrations.all()}
    for buyer_id, exhibitor_id, slot, booth_id, table_id, person in rows:
        assert (booth_id is None) != (table_id is None)
        if booth_id is not None:
            assert booth_id == show.applications[exhibitor_id].booth_id
        day = slot.starts_at.astimezone(tz).date()
        visit = registrations[buyer_id].visit_days
        assert not visit or day.isoformat() in visit
        buyer = registrations[buyer_id]
        application = show.applications[exhibitor_id]
        buyer_langs = set(buyer.company.languages.split()) | set(buyer.languages.split())
        exhibitor_langs = set(application.company.languages.split()) | set(application.stand_languages.split())
        if not buyer_langs & exhibitor_langs:
            assert person is not None, "no interpreter where the sides share no language"
            spoken = set(person.language_list())
            assert spoken & buyer_langs and spoken & exhibitor_langs and person.works_on(day)
    return rows


def test_a_run_places_wishes_in_drafts_that_keep_every_rule(db):
    show = make_show(exhibitors=3, buyers=6, slots_per_day=3, days=2, tables=2)
    add_exhibitor(show, "K-20", parallel=2)
    korean_only = add_exhibitor(show, "K-21", languages="ko")
    second_day = (show.exhibition.starts_on + datetime.timedelta(days=1)).isoformat()
    add_buyer(show, visit_days=[second_day])
    interpreter(show, "INT-01", "ja ko")
    for i, buyer in enumerate(show.buyers):
        for j, exhibitor in enumerate(show.exhibitors):
            if (i + j) % 3 != 2:
                wish(show, buyer, exhibitor, "must" if (i * j) % 4 == 0 else "want")
    wish(show, show.buyers[0], show.exhibitors[1], "no", by="exhibitor")
    block(show, show.buyers[1], show.slots[0], show.slots[2])
    run = run_now(show)
    assert run.status == "done", run.error
    assert run.pairs > 0 and 0 < run.placed <= run.pairs
    assert run.value <= run.upper_bound + 1e-6
    assert run.greedy_value is not None and run.greedy_value <= run.value
    assert run.progress == 1.0 and run.finished_at is not None and run.solver_seconds is not None
    rows = assert_keeps_every_rule(show)
    assert len(rows) == DraftMeeting.objects.filter(run=run).count() == run.placed
    assert run.placed + len(run.unplaced) == run.pairs
    for item in run.unplaced:
        assert item["reason"] in ("no_common_slot", "exhibitor_full", "buyer_full", "no_interpreter", "no_place")
    assert DraftMeeting.objects.filter(exhibitor=korean_only, interpreter__isnull=True).count() == 0


def test_value_counts_both_sides_and_accepted_meetings(show, staff):
    b0, b1 = show.buyers[:2]
    e0 = show.exhibitors[0]
    wish(show, b0, e0, "must", by="buyer")
    wish(show, b0, e0, "must", by="exhibitor")
    wish(show, b1, e0, "want")
    meeting_services.meeting_book_by_staff(
        exhibition=show.exhibition, buyer_person=show.owners[b1.pk], exhibitor=e0, slot=show.slots[0], by=staff
    )
    run = run_now(show)
    assert (run.pairs, run.placed, run.value) == (2, 2, 7)
    assert run.upper_bound == pytest.approx(7)
    draft = DraftMeeting.objects.get()
    assert (draft.buyer, draft.exhibitor, draft.weight) == (b0, e0, 6)
    assert draft.slot != show.slots[0]  # the exhibitor's booth is taken by the accepted meeting then
    assert Meeting.objects.get().slot == show.slots[0]  # the accepted meeting stays


def test_rerun_replaces_unlocked_drafts_and_keeps_locked_ones(show):
    for buyer in show.buyers:
        for exhibitor in show.exhibitors:
            wish(show, buyer, exhibitor, "want")
    first = run_now(show)
    drafts = list(DraftMeeting.objects.order_by("pk"))
    keep = drafts[0]
    services.draft_set_locked(draft=keep, locked=True, by=None)
    second = run_now(show)
    assert second.status == "done"
    keep.refresh_from_db()
    assert keep.locked and keep.run_id == first.pk  # untouched
    assert not DraftMeeting.objects.filter(run=first, locked=False).exists()
    assert DraftMeeting.objects.filter(run=second).count() == second.placed - 1
    assert_keeps_every_rule(show)


def test_one_active_run_per_exhibition(show, staff):
    services.schedule_run_start(exhibition=show.exhibition, by=staff, seconds=5, queue=False)
    with pytest.raises(ScheduleError, match="already running"):
        services.schedule_run_start(exhibition=show.exhibition, by=staff, seconds=5, queue=False)


@pytest.mark.parametrize("seconds", ["", "abc", "0", "601", "-3"])
def test_time_limit_is_checked(show, staff, seconds):
    with pytest.raises(ScheduleError) as caught:
        services.schedule_run_start(exhibition=show.exhibition, by=staff, seconds=seconds, queue=False)
    assert caught.value.field == "seconds"
    assert not ScheduleRun.objects.exists()


def test_the_task_is_idempotent(show):
    wish(show, show.buyers[0], show.exhibitors[0], "must")
    run = run_now(show)
    first = list(DraftMeeting.objects.values_list("pk", flat=True))
    assert tasks.run_schedule(run.pk) is None  # redelivered: the run is no longer queued
    assert list(DraftMeeting.objects.values_list("pk", flat=True)) == first
    assert tasks.run_schedule(999999) is None


def test_start_queues_the_task_after_commit(show, staff, django_capture_on_commit_callbacks):
    wish(show, show.buyers[0], show.exhibitors[0], "must")
    with django_capture_on_commit_callbacks(execute=True):
        run = services.schedule_run_start(exhibition=show.exhibition, by=staff, seconds=1)
    run.refresh_from_db()
    assert run.status == "done" and run.placed == 1


def test_a_failing_solve_fails_the_run_and_frees_the_exhibition(show, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(services, "solve", broken)
    run = services.schedule_run_start(exhibition=show.exhibition, by=None, seconds=1, queue=False)
    with pytest.raises(RuntimeError):
        tasks.run_schedule(run.pk)
    run.refresh_from_db()
    assert run.status == "failed" and "solver exploded" in run.error
    services.schedule_run_start(exhibition=show.exhibition, by=None, seconds=1, queue=False)  # not blocked


def test_stuck_runs_are_queued_again_then_fail_visibly(show, monkeypatch):
    queued = []
    monkeypatch.setattr(services, "enqueue_run", queued.append)
    run = services.schedule_run_start(exhibition=show.exhibition, by=None, seconds=1, queue=False)
    now = timezone.now()
    assert services.runs_sweep_stale(now=now) == 0  # fresh: left alone
    assert services.runs_sweep_stale(now=now + datetime.timedelta(minutes=3)) == 1
    assert queued == [run.pk]  # its task was lost: queued again
    assert services.runs_sweep_stale(now=now + datetime.timedelta(minutes=16)) == 1
    run.refresh_from_db()
    assert run.status == "failed" and "worker" in run.error


def test_a_running_run_whose_worker_died_is_retried_then_failed(show, monkeypatch):
    queued = []
    monkeypatch.setattr(services, "enqueue_run", queued.append)
    run = services.schedule_run_start(exhibition=show.exhibition, by=None, seconds=1, queue=False)
    assert services.run_claim(run_id=run.pk)
    later = timezone.now() + datetime.timedelta(minutes=3)
    assert services.runs_sweep_stale(now=later) == 1
    run.refresh_from_db()
    assert run.status == "queued" and queued == [run.pk]
    ScheduleRun.objects.filter(pk=run.pk).update(status="running", attempts=services.MAX_ATTEMPTS)
    assert services.runs_sweep_stale(now=later + datetime.timedelta(minutes=3)) == 1
    run.refresh_from_db()
    assert run.status == "failed"


def test_a_run_with_no_wishes_finishes_empty(show):
    run = run_now(show, seconds=1)
    assert run.status == "done", run.error
    assert (run.pairs, run.placed, run.value) == (0, 0, 0)
    assert not DraftMeeting.objects.exists()


def test_a_run_with_no_future_slots_leaves_every_wish_unplaced(db):
    show = make_show(slots_per_day=0, days=1)
    wish(show, show.buyers[0], show.exhibitors[0], "must")
    run = run_now(show, seconds=1)
    assert run.status == "done", run.error
    assert (run.pairs, run.placed) == (1, 0)
    assert [u["reason"] for u in run.unplaced] == ["no_common_slot"]


def test_a_draft_locked_while_the_run_solves_is_kept_and_nothing_clashes(show):
    """Staff lock (or move) a draft after the run loaded the exhibition: the save keeps the
    locked draft and drops the new meetings that would clash with it."""
    from exhibitions.scheduling.engine import solve
    from exhibitions.scheduling.loading import load_instance
    from exhibitions.scheduling.saving import save_solution

    for buyer in show.buyers:
        for exhibitor in show.exhibitors:
            wish(show, buyer, exhibitor, "must")
    b0, e0 = show.buyers[0], show.exhibitors[0]
    late = DraftMeeting.objects.create(
        exhibition=show.exhibition,
        buyer=b0,
        exhibitor=e0,
        slot=show.slots[0],
        booth=show.applications[e0.pk].booth,
        weight=3,
    )
    run = services.schedule_run_start(exhibition=show.exhibition, by=None, seconds=1, queue=False)
    services.run_claim(run_id=run.pk)
    loaded = load_instance(show.exhibition)  # the draft is not locked yet: not fixed
    solution = solve(loaded.instance, seconds=1)
    services.draft_set_locked(draft=late, locked=True, by=None)
    assert save_solution(run=run, loaded=loaded, solution=solution, solver_seconds=1.0)
    run.refresh_from_db()
    assert DraftMeeting.objects.filter(pk=late.pk, locked=True).exists()
    assert_keeps_every_rule(show)
    assert run.placed + len(run.unplaced) == run.pairs
    assert run.value == sum(DraftMeeting.objects.values_list("weight", flat=True))
    assert run.stats["dropped_for_changes_during_run"] >= 1  # at least the engine's own b0 x e0
