"""Writes of the meeting scheduler: starting and running a run, and staff's edits of the draft
schedule (lock, move, delete). Publishing lives in `publishing.py`. Each function names its
side effects.

A run: `schedule_run_start` records a queued run (the database allows one queued or running
run per exhibition) and queues `scheduling.run_schedule` after commit (`enqueue_run`, the one
place that queues it). The task claims the run with a conditional UPDATE, loads the
exhibition (`loading`), solves in a thread while this one writes progress and a heartbeat,
and saves the drafts (`saving`). `runs_sweep_stale` (celery beat, and the staff page) queues
again a run nobody picked up, and fails one whose worker went quiet, so a lost task never
blocks the exhibition.
"""

import logging
import threading
import time
import traceback
from datetime import timedelta

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from companies import outbox
from exhibitions.meetings.services import (
    BOOKED,
    approved_application,
    approved_registration,
    interpreter_needed_for,
    languages_of,
)
from exhibitions.models import DraftMeeting, Exhibition, Interpreter, Meeting, ScheduleRun, Unavailability
from exhibitions.scheduling.engine import solve
from exhibitions.scheduling.loading import load_instance
from exhibitions.scheduling.saving import save_solution

log = logging.getLogger(__name__)

MIN_SECONDS, MAX_SECONDS = 1, 600
# The running task writes a heartbeat every HEARTBEAT_SECONDS; a run quiet for STALE_AFTER
# lost its worker. A queued run nobody took for QUEUED_RETRY is queued again, and given up
# after QUEUED_GIVE_UP (no worker at all).
HEARTBEAT_SECONDS = 1.0
STALE_AFTER = timedelta(minutes=2)
QUEUED_RETRY = timedelta(minutes=2)
QUEUED_GIVE_UP = timedelta(minutes=15)
MAX_ATTEMPTS = 3


class ScheduleError(Exception):
    """A user-facing reason why a scheduler action could not be done; `field` names the form
    field it belongs to, when there is one."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


# ---------------------------------------------------------------- runs


def enqueue_run(run_id):
    """Queue the run's task through the outbox (published after commit, or by beat once the
    broker is back): the one place that does."""
    outbox.enqueue("scheduling.run_schedule", args=[run_id])


def schedule_run_start(*, exhibition, by, seconds, queue=True):
    """Record a queued scheduler run with a time limit of `seconds`.

    Side effects: creates a ScheduleRun (refused while another run of the exhibition is
    queued or running: ScheduleError); queues `scheduling.run_schedule` after commit unless
    queue=False (the caller queues it)."""
    try:
        seconds = float(seconds)
    except (TypeError, ValueError):
        raise ScheduleError(_("Give the time limit in seconds."), field="seconds") from None
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise ScheduleError(
            _("Give a time limit between %(low)s and %(high)s seconds.") % {"low": MIN_SECONDS, "high": MAX_SECONDS},
            field="seconds",
        )
    try:
        with transaction.atomic():
            run = ScheduleRun.objects.create(exhibition=exhibition, started_by=by, seconds=seconds)
    except (IntegrityError, OperationalError):
        raise ScheduleError(_("The scheduler is already running for this exhibition; wait for it to finish.")) from None
    if queue:
        enqueue_run(run.pk)
    return run


def active_run(exhibition):
    return ScheduleRun.objects.filter(exhibition=exhibition, status__in=ScheduleRun.ACTIVE).first()


def run_claim(*, run_id):
    """Take a queued run with a conditional UPDATE; True when this caller got it.
    Side effects: status running, started_at and heartbeat now, attempts + 1."""
    now = timezone.now()
    return bool(
        ScheduleRun.objects.filter(pk=run_id, status=ScheduleRun.Status.QUEUED).update(
            status=ScheduleRun.Status.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1
        )
    )


def run_fail(*, run_id, error):
    """Side effects: marks an active run failed with `error` (frees the exhibition)."""
    return ScheduleRun.objects.filter(pk=run_id, status__in=ScheduleRun.ACTIVE).update(
        status=ScheduleRun.Status.FAILED, error=error[-4000:], finished_at=timezone.now()
    )


def error_text(exc):
    return "".join(traceback.format_exception(exc))


def run_execute(*, run_id):
    """Solve a claimed run and save its draft schedule.

    The engine runs in a thread (it touches no database); this thread writes the progress
    and a heartbeat every HEARTBEAT_SECONDS. Side effects: the run's progress, heartbeat and
    figures; the exhibition's unlocked drafts replaced (see saving.save_solution).
    Returns True when saved."""
    run = ScheduleRun.objects.select_related("exhibition").get(pk=run_id)
    started = time.monotonic()
    loaded = load_instance(run.exhibition)
    loaded.stats["load_seconds"] = round(time.monotonic() - started, 3)
    ScheduleRun.objects.filter(pk=run_id).update(pairs=loaded.n_pairs, heartbeat_at=timezone.now())
    latest = {"fraction": 0.0, "value": 0}
    outcome = {}

    def progress(fraction, value, bound):
        latest.update(fraction=float(fraction), value=int(value))

    def work():
        try:
            outcome["solution"] = solve(loaded.instance, seconds=run.seconds, progress=progress)
        except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
            outcome["error"] = exc

    solving = time.monotonic()
    thread = threading.Thread(target=work, name=f"schedule-run-{run_id}", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(timeout=HEARTBEAT_SECONDS)
        elapsed = time.monotonic() - solving
        fraction = max(latest["fraction"], min(0.99, elapsed / max(run.seconds, 0.1)))
        ScheduleRun.objects.filter(pk=run_id, status=ScheduleRun.Status.RUNNING).update(
            progress=min(fraction, 0.99), value=latest["value"], heartbeat_at=timezone.now()
        )
    if "error" in outcome:
        raise outcome["error"]
    return save_solution(
        run=run, loaded=loaded, solution=outcome["solution"], solver_seconds=time.monotonic() - solving
    )


def runs_sweep_stale(*, exhibition=None, now=None):
    """Make a stuck run move or fail visibly, never block its exhibition.

    A run still queued after QUEUED_RETRY (its task was lost) is queued again, and failed
    after QUEUED_GIVE_UP (no worker takes it). A running run whose heartbeat is older than
    STALE_AFTER lost its worker: it is queued again, or failed after MAX_ATTEMPTS.
    Side effects: those status changes; `scheduling.run_schedule` queued after commit.
    Returns how many runs changed."""
    now = now or timezone.now()
    runs = ScheduleRun.objects.filter(status__in=ScheduleRun.ACTIVE)
    if exhibition is not None:
        runs = runs.filter(exhibition=exhibition)
    changed = 0
    for run in runs:
        if run.status == ScheduleRun.Status.QUEUED:
            if run.created_at < now - QUEUED_GIVE_UP:
                changed += run_fail(run_id=run.pk, error=_("No worker took this run. Is the Celery worker running?"))
            elif (run.heartbeat_at or run.created_at) < now - QUEUED_RETRY:
                changed += ScheduleRun.objects.filter(pk=run.pk, status=ScheduleRun.Status.QUEUED).update(
                    heartbeat_at=now
                )
                enqueue_run(run.pk)
            continue
        if (run.heartbeat_at or run.created_at) >= now - STALE_AFTER:
            continue
        if run.attempts >= MAX_ATTEMPTS:
            changed += run_fail(
                run_id=run.pk,
                error=_("The worker stopped answering during the run, %(n)s times.") % {"n": run.attempts},
            )
        else:
            changed += ScheduleRun.objects.filter(
                pk=run.pk, status=ScheduleRun.Status.RUNNING, heartbeat_at=run.heartbeat_at
            ).update(status=ScheduleRun.Status.QUEUED, heartbeat_at=now)
            enqueue_run(run.pk)
    return changed


# ---------------------------------------------------------------- editing the draft


def _lock_exhibition(exhibition_id):
    """Edits of one exhibition's draft schedule (and saves and publishes) take turns."""
    Exhibition.objects.select_for_update().filter(pk=exhibition_id).first()


def draft_set_locked(*, draft, locked, by):
    """Side effects: the draft's `locked` flag (reruns keep a locked draft where it is)."""
    DraftMeeting.objects.filter(pk=draft.pk).update(locked=locked, updated_at=timezone.now())
    draft.locked = locked
    return draft


def draft_delete(*, draft, by):
    """Side effects: deletes the draft (a rerun may place the pair again)."""
    DraftMeeting.objects.filter(pk=draft.pk).delete()


def draft_move(*, draft, slot, table=None, by):
    """Staff move one draft to `slot`, at the exhibitor's booth (table None) or at `table`.

    The rules of a schedule apply against booked meetings and the other drafts: the buyer
    free and there that day, the exhibitor below its parallel meetings and not blocked, the
    place free, and an interpreter (available that day, speaking both sides' languages)
    when the two share no language; the current one is kept when free, else another is
    found. The draft is locked afterwards (a rerun keeps a hand-placed meeting).
    Side effects: the draft's slot, place, interpreter and lock. Raises ScheduleError with
    the field at fault."""
    exhibition = draft.exhibition
    try:
        with transaction.atomic():
            _lock_exhibition(exhibition.pk)
            draft = DraftMeeting.objects.select_related("buyer", "exhibitor", "exhibition").get(pk=draft.pk)
            _check_move(draft, slot, table)
            draft.slot = slot
            application = approved_application(exhibition, draft.exhibitor_id)
            draft.booth_id = None if table is not None else application.booth_id
            draft.table = table
            draft.interpreter = _interpreter_for(draft, slot)
            draft.locked = True
            draft.save()
    except IntegrityError:
        raise ScheduleError(_("Someone else changed this schedule at that time; try again."), field="slot") from None
    return draft


def _busy(exhibition, slot, draft):
    """The booked meetings and the other drafts in `slot`: [(buyer, exhibitor, booth, table, interpreter)]."""
    fields = ("buyer_id", "exhibitor_id", "booth_id", "table_id", "interpreter_id")
    meetings = Meeting.objects.filter(exhibition=exhibition, slot=slot, status__in=BOOKED).values_list(*fields)
    drafts = DraftMeeting.objects.filter(exhibition=exhibition, slot=slot).exclude(pk=draft.pk).values_list(*fields)
    return list(meetings) + list(drafts)


def _check_move(draft, slot, table):
    exhibition = draft.exhibition
    if slot.exhibition_id != exhibition.pk:
        raise ScheduleError(_("That time is not at this exhibition."), field="slot")
    if slot.starts_at <= timezone.now():
        raise ScheduleError(_("That time has passed."), field="slot")
    registration = approved_registration(exhibition, draft.buyer_id)
    application = approved_application(exhibition, draft.exhibitor_id)
    if registration is None or application is None:
        raise ScheduleError(_("Both companies must take part in this exhibition."))
    day = slot.starts_at.astimezone(exhibition.tzinfo).date().isoformat()
    if registration.visit_days and day not in registration.visit_days:
        raise ScheduleError(_("The buyer is not at the exhibition that day."), field="slot")
    blocked = Unavailability.objects.filter(
        exhibition=exhibition,
        company_id__in=[draft.buyer_id, draft.exhibitor_id],
        person__isnull=True,
        starts_at__lt=slot.ends_at,
        ends_at__gt=slot.starts_at,
    ).values_list("company_id", flat=True)
    blocked = set(blocked)
    if draft.buyer_id in blocked:
        raise ScheduleError(_("The buyer has blocked that time."), field="slot")
    if draft.exhibitor_id in blocked:
        raise ScheduleError(_("The exhibitor has blocked that time."), field="slot")
    busy = _busy(exhibition, slot, draft)
    if any(b == draft.buyer_id for b, _e, _bo, _t, _i in busy):
        raise ScheduleError(_("The buyer already has a meeting at that time."), field="slot")
    held = [row for row in busy if row[1] == draft.exhibitor_id]
    if len(held) >= application.parallel_meetings:
        raise ScheduleError(_("The exhibitor already has as many meetings as it can hold at that time."), field="slot")
    if table is None:
        if application.booth_id is None:
            raise ScheduleError(_("The exhibitor has no booth; choose a table."), field="place")
        if any(bo == application.booth_id for _b, _e, bo, _t, _i in busy):
            raise ScheduleError(_("The booth already has a meeting at that time."), field="place")
    else:
        if table.exhibition_id != exhibition.pk:
            raise ScheduleError(_("That table is not at this exhibition."), field="place")
        if any(t == table.pk for _b, _e, _bo, t, _i in busy):
            raise ScheduleError(_("That table is already taken at that time."), field="place")


def _interpreter_for(draft, slot):
    """The interpreter the moved draft needs in `slot`: None when the sides share a language;
    the current one when free and working that day; else the first free qualified one."""
    exhibition = draft.exhibition
    registration = approved_registration(exhibition, draft.buyer_id)
    application = approved_application(exhibition, draft.exhibitor_id)
    if not interpreter_needed_for(
        buyer=draft.buyer, exhibitor=draft.exhibitor, registration=registration, application=application
    ):
        return None
    buyer_languages = languages_of(draft.buyer.languages, registration.languages)
    exhibitor_languages = languages_of(draft.exhibitor.languages, application.stand_languages)
    day = slot.starts_at.astimezone(exhibition.tzinfo).date()
    taken = {i for *_rest, i in _busy(exhibition, slot, draft) if i is not None}
    pool = list(Interpreter.objects.filter(exhibition=exhibition).order_by("ref", "pk"))
    pool.sort(key=lambda i: i.pk != draft.interpreter_id)  # the current one first
    for interpreter in pool:
        spoken = set(interpreter.language_list())
        if (
            interpreter.pk not in taken
            and interpreter.works_on(day)
            and spoken & buyer_languages
            and spoken & exhibitor_languages
        ):
            return interpreter
    raise ScheduleError(_("No interpreter for these two companies is free at that time."), field="slot")
