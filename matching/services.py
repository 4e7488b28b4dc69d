"""Writes of the matching app: starting and running the matcher, reviewing and dismissing
suggestions. Each function names its side effects."""

import logging
import math
import os
import queue
import socket
import threading
import time
import traceback
import uuid
from datetime import timedelta

import numpy as np
from django.core.cache import cache
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from companies import outbox
from companies.models import Company
from companies.webhooks import events as webhook_events
from exhibitions.models import Exhibition
from matching.engine import scoring, shortlist
from matching.loading import load_exhibition
from matching.models import MatchChunk, MatchRun, Suggestion
from matching.saving import save_suggestions

log = logging.getLogger(__name__)

TOP_K = 20
# Buyers per chunk (one task each); MATCHING_CHUNK_SIZE in the environment overrides it.
# Once the last chunk is scored a run still waits for the chunks being saved (run_chunks_here):
# with 500 rather than 1,000 that tail is half as long (7,600 x 2,900: 8.0 s median
# against 8.7 s over 4 runs each, docs/performance.md).
CHUNK_SIZE = 500
# A claim lasts this long unless its holder renews it (every HEARTBEAT_EVERY seconds while
# it scores); an expired claim is taken over, by a redelivered task or by the sweeper that
# beat runs every 15 s, so a dead worker's chunk is running again within about a minute.
CLAIM_TTL = timedelta(seconds=30)
HEARTBEAT_EVERY = 5.0
# A run or chunk whose heartbeat is older than this is taken to be dead and is re-queued.
STALE_AFTER = CLAIM_TTL
# A run, or one chunk, tried this many times fails with a visible error.
MAX_ATTEMPTS = 5
# Threads saving chunks while a run done in this process scores the next (run_chunks_here):
# two, so that PostgreSQL writes on both cores while Python scores.
WRITERS = int(os.environ.get("MATCHING_WRITERS") or 2)
RESCORE_DEBOUNCE_SECONDS = 30


class MatchingError(Exception):
    """A user-facing reason why a matcher action could not be done."""


class RescoreBusy(Exception):
    """A run of the exhibition is under way: the rescoring request waits and is tried again."""


def run_start(*, exhibition, trigger=MatchRun.Trigger.MANUAL, by=None, company_ids=(), queue=True):
    """Record a queued run and queue its task after commit.

    Side effects: creates a MatchRun (the database allows one queued or running run per
    exhibition); queues `matching.run_matcher` through the outbox (unless queue=False: the
    caller queues it). Raises MatchingError when a run of this exhibition is already under way."""
    try:
        with transaction.atomic():
            run = MatchRun.objects.create(
                exhibition=exhibition, trigger=trigger, started_by=by, company_ids=sorted(set(company_ids))
            )
            if queue:
                outbox.enqueue("matching.run_matcher", args=[run.pk])
    except (IntegrityError, OperationalError):
        raise MatchingError(_("The matcher is already running for this exhibition.")) from None
    return run


def active_run(exhibition):
    return MatchRun.objects.filter(exhibition=exhibition, status__in=["queued", "running"]).first()


# ---------------------------------------------------------------- running a run

_MODEL_CACHE: dict = {}


def _model_for(run):
    """The prepared model of a run, built once per process (chunks of one run on one
    worker share it; each worker builds its own)."""
    key = (run.pk, run.attempts, run.created_at)
    model = _MODEL_CACHE.get(key)
    if model is None:
        exhibitors, buyers, history, excluded = load_exhibition(run.exhibition)
        model = scoring.prepare(exhibitors, buyers, history, excluded=excluded)
        # What was learnt, for the runs page (the same for every chunk of the run).
        MatchRun.objects.filter(pk=run.pk).update(model=model.summary)
        _MODEL_CACHE.clear()
        _MODEL_CACHE[key] = model
    return model


def run_claim(*, run_id):
    """Take a queued run (or a running one whose heartbeat went stale) with a conditional
    UPDATE; True when this caller got it. Side effects: status running, attempts + 1."""
    now = timezone.now()
    claimed = MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.QUEUED).update(
        status=MatchRun.Status.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1
    ) or MatchRun.objects.filter(
        pk=run_id, status=MatchRun.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER, chunks_total=0
    ).update(heartbeat_at=now, attempts=F("attempts") + 1)
    return bool(claimed)


def run_plan(*, run):
    """Split the run's buyers into chunks. Side effects: creates MatchChunk rows (once; a
    retried plan keeps the existing ones), sets chunks_total, buyers and exhibitors."""
    exhibition = run.exhibition
    from exhibitions.selectors import participating_buyers, participating_exhibitors

    if run.chunks.exists():
        return list(run.chunks.values_list("index", flat=True))
    buyer_ids = sorted(participating_buyers(exhibition).values_list("id", flat=True).distinct())
    if run.company_ids:
        wanted = set(run.company_ids)
        exhibitor_changed = participating_exhibitors(exhibition).filter(id__in=wanted).exists()
        if not exhibitor_changed:
            buyer_ids = [b for b in buyer_ids if b in wanted]
    n_exhibitors = participating_exhibitors(exhibition).values("id").distinct().count()
    size = int(os.environ.get("MATCHING_CHUNK_SIZE") or CHUNK_SIZE)
    chunk_rows = [
        MatchChunk(run=run, index=i, buyer_ids=buyer_ids[i * size : (i + 1) * size])
        for i in range(math.ceil(len(buyer_ids) / size))
    ]
    with transaction.atomic():
        MatchChunk.objects.bulk_create(chunk_rows, ignore_conflicts=True)
        MatchRun.objects.filter(pk=run.pk).update(
            chunks_total=len(chunk_rows), buyers=len(buyer_ids), exhibitors=n_exhibitors, heartbeat_at=timezone.now()
        )
    if not chunk_rows:
        run_finish_if_done(run_id=run.pk)
    return [c.index for c in chunk_rows]


def claim_owner(task_id=""):
    """Who is claiming: this host and process (and the task), so a takeover can tell a dead
    holder from a live one."""
    return f"{socket.gethostname()}:{os.getpid()}:{task_id or ''}"[:200]


def _owner_is_dead(owner):
    """True when `owner` ran on this host and its process is gone (a killed pool child whose
    task Celery redelivered): its claim need not be waited out."""
    host, _sep, rest = (owner or "").partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def chunk_claim(*, run_id, index, owner=""):
    """Take one chunk: pending, or running under a claim that expired or whose holder died.
    True when this caller got it. Side effects: status running, claim (owner, expiry),
    attempts + 1; the run fails with a visible error once a chunk used MAX_ATTEMPTS."""
    owner = owner or claim_owner()
    now = timezone.now()
    base = MatchChunk.objects.filter(run_id=run_id, index=index, run__status=MatchRun.Status.RUNNING)
    chunk = base.only("attempts", "claimed_by", "status").first()
    if chunk is None or chunk.status == MatchChunk.Status.DONE:
        return False
    if chunk.attempts >= MAX_ATTEMPTS:
        run_fail(
            run_id=run_id,
            error=f"Part {index} was tried {chunk.attempts} times and did not finish.\n{chunk.error}".strip(),
        )
        return False
    takeover = {"status": MatchChunk.Status.RUNNING, "heartbeat_at": now, "attempts": F("attempts") + 1}
    takeover.update(claimed_by=owner, claim_expires_at=now + CLAIM_TTL)
    claimable = Q(status=MatchChunk.Status.PENDING) | Q(status=MatchChunk.Status.RUNNING, claim_expires_at__lt=now)
    claimable |= Q(status=MatchChunk.Status.RUNNING, claim_expires_at__isnull=True, heartbeat_at__lt=now - CLAIM_TTL)
    if chunk.status == MatchChunk.Status.RUNNING and _owner_is_dead(chunk.claimed_by):
        claimable |= Q(status=MatchChunk.Status.RUNNING, claimed_by=chunk.claimed_by)
    return bool(base.filter(claimable).update(**takeover))


def _heartbeat(run_id, index, owner):
    """Renew a chunk's claim and the run's heartbeat while scoring."""
    now = timezone.now()
    MatchChunk.objects.filter(run_id=run_id, index=index, claimed_by=owner, status=MatchChunk.Status.RUNNING).update(
        heartbeat_at=now, claim_expires_at=now + CLAIM_TTL
    )
    MatchRun.objects.filter(pk=run_id).update(heartbeat_at=now)


def chunk_score(*, run_id, index, owner=""):
    """Score one claimed chunk and save its suggestions.

    Side effects: upserts suggestions (see saving.save_suggestions); marks the chunk done;
    adds to the run's chunks_done and counts, bumps its heartbeat; finishes the run when
    this was the last chunk."""
    return chunk_save(**chunk_picks(run_id=run_id, index=index, owner=owner))


def chunk_picks(*, run_id, index, owner=""):
    """Score one claimed chunk: its top suggestions with their reasons, not saved yet
    (chunk_save saves them). Side effects: builds the run's model once per process,
    renews the chunk's claim and the run's heartbeat while scoring."""
    chunk = MatchChunk.objects.select_related("run__exhibition").get(run_id=run_id, index=index)
    run = chunk.run
    model = _model_for(run)
    _heartbeat(run_id, index, owner or claim_owner())
    row_of = {int(b): i for i, b in enumerate(model.buyers.ids.tolist())}
    rows = np.array([row_of[b] for b in chunk.buyer_ids if b in row_of], dtype=np.int64)
    picks = []
    beat_at = time.monotonic()
    if len(rows):
        buyer_ids, exhibitor_ids = model.buyers.ids.tolist(), model.exhibitors.ids.tolist()
        # The chunk's picks are many small tuples without cycles: collecting while they are
        # built would walk every object of the run (see shortlist.cyclic_gc_paused).
        with shortlist.cyclic_gc_paused():
            for b_row, items in shortlist.top_k(model, rows, TOP_K):
                if time.monotonic() - beat_at > HEARTBEAT_EVERY:
                    _heartbeat(run_id, index, owner or claim_owner())
                    beat_at = time.monotonic()
                buyer_id = buyer_ids[b_row]
                for rank, (e_row, score, reasons) in enumerate(items, start=1):
                    picks.append((buyer_id, exhibitor_ids[e_row], rank, score, reasons))
    return {"chunk": chunk, "picks": picks}


class _RunNotRunning(Exception):
    """The run failed while its chunk was being saved: the chunk's transaction is undone."""


def chunk_save(*, chunk, picks):
    """Save a scored chunk's picks in one transaction. Side effects: as chunk_score.

    Chunks of one run save side by side (each locks only its own chunk while it writes);
    the run's row is locked at the end, by the UPDATE that counts the chunk, which also
    checks that the run is still running: a chunk is saved and counted once even if two
    workers raced here, and never after its run failed (a newer run of the exhibition may
    be saving by then: two runs must not interleave)."""
    run_id, run = chunk.run_id, chunk.run
    if not MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.RUNNING).exists():
        return 0, 0
    try:
        with transaction.atomic():
            locked = MatchChunk.objects.select_for_update().get(pk=chunk.pk)
            if locked.status == MatchChunk.Status.DONE:
                return 0, 0
            created, updated = save_suggestions(
                exhibition_id=run.exhibition_id, run_id=run.pk, picks=picks, buyer_ids=chunk.buyer_ids
            )
            if connection.vendor == "postgresql":
                # The deferred foreign-key checks of the new rows now (SET CONSTRAINTS ALL
                # IMMEDIATE, then DEFERRED again), before the run's row is locked, so another
                # chunk's save waits for this one's COMMIT only, not for its checks.
                connection.check_constraints()
            now = timezone.now()
            counted = MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.RUNNING).update(
                chunks_done=F("chunks_done") + 1,
                suggestions_created=F("suggestions_created") + created,
                suggestions_updated=F("suggestions_updated") + updated,
                heartbeat_at=now,
            )
            if not counted:
                raise _RunNotRunning
            MatchChunk.objects.filter(pk=chunk.pk).update(
                status=MatchChunk.Status.DONE, finished_at=now, heartbeat_at=now, claim_expires_at=None
            )
    except _RunNotRunning:
        return 0, 0
    run_finish_if_done(run_id=run_id)
    return created, updated


def chunks_can_overlap():
    """True when this process can save one chunk while it scores the next (run_chunks_here):
    PostgreSQL, and no transaction of the caller's that a second connection could not see.
    SQLite serialises writers, so there it is one chunk after the other."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


class _ChunkWriters:
    """Threads that save scored chunks (chunk_save), each on its own database connection,
    while the caller scores the next. At most `depth` chunks wait besides those being
    saved, so memory stays bounded. After an error nothing more is saved (chunks still
    queued are dropped) and the first error is kept for the caller."""

    def __init__(self, threads=None, depth=1):
        self.chunks = queue.Queue(maxsize=depth)
        self.error = None
        self.threads = [
            threading.Thread(target=self._save, name=f"matcher-writer-{i}") for i in range(threads or WRITERS)
        ]
        for thread in self.threads:
            thread.start()

    def _save(self):
        try:
            while (item := self.chunks.get()) is not None:
                if self.error is None:
                    try:
                        chunk_save(**item)
                    except BaseException as exc:  # noqa: BLE001 - handed to the scoring thread
                        self.error = self.error or exc
        finally:
            connection.close()  # this thread's own connection

    def put(self, item):
        self.chunks.put(item)

    def finish(self):
        for _thread in self.threads:
            self.chunks.put(None)
        for thread in self.threads:
            thread.join()


def run_chunks_here(*, run_id, indexes):
    """Do a run's chunks in this process (eager tasks: no worker would take them), scoring
    chunk N+1 while writer threads save the chunks before it, each on its own connection:
    PostgreSQL works (and psycopg releases the GIL) while Python scores. Each chunk is
    claimed, saved in one transaction and counted as a chunk task does it; the run finishes
    (and ANALYZE runs) when the last chunk is saved.

    Side effects: as chunk_score for each chunk; on any error (scoring, or a save in the
    writer) no further chunk is scored or saved, the run is failed with the error, and the
    error is raised. Chunks are saved whole or not at all."""
    writer = _ChunkWriters()
    try:
        for index in indexes:
            if writer.error is not None:
                break
            owner = claim_owner(f"{run_id}-{index}")
            if chunk_claim(run_id=run_id, index=index, owner=owner):
                writer.put(chunk_picks(run_id=run_id, index=index, owner=owner))
    except Exception as exc:
        writer.finish()
        run_fail(run_id=run_id, error=error_text(exc))
        raise
    writer.finish()
    if writer.error is not None:
        run_fail(run_id=run_id, error=error_text(writer.error))
        raise writer.error


def run_finish_if_done(*, run_id):
    """Side effects: marks the run finished once every chunk is done (conditional UPDATE,
    so exactly one caller finishes it)."""
    done = MatchChunk.objects.filter(run_id=run_id, status=MatchChunk.Status.DONE).count()
    with transaction.atomic():  # the run.finished webhook event exists exactly when the run is finished
        finished = bool(
            MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.RUNNING, chunks_total__lte=done).update(
                status=MatchRun.Status.FINISHED, finished_at=timezone.now(), chunks_done=done
            )
        )
        if finished:
            _announce_finished(run_id)
    if finished:
        analyze_suggestions()
    return finished


def _announce_finished(run_id):
    run = MatchRun.objects.select_related("exhibition").get(pk=run_id)
    webhook_events.run_finished(
        kind="matcher",
        run=run,
        exhibition=run.exhibition,
        figures={"suggestions_created": run.suggestions_created, "suggestions_updated": run.suggestions_updated},
    )


def analyze_suggestions():
    """Refresh the planner's statistics of the suggestions table after a run wrote its rows,
    so the review queue and the export are planned on today's numbers, not on whatever
    autovacuum last saw (PostgreSQL only; a few hundred ms at 76,000 rows)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Suggestion._meta.db_table}")


def run_fail(*, run_id, error):
    """Side effects: marks the run failed with the error text (which frees the exhibition
    for a new run)."""
    MatchRun.objects.filter(pk=run_id, status__in=["queued", "running"]).update(
        status=MatchRun.Status.FAILED, error=error[-4000:], finished_at=timezone.now()
    )


def error_text(exc):
    return "".join(traceback.format_exception(exc))


def runs_requeue_stale(*, older_than=STALE_AFTER):
    """Find the work of workers that went quiet and queue it again.

    Side effects: queues `matching.run_matcher` for runs never planned whose heartbeat is
    old; queues `matching.run_matcher_chunk` for chunks claimed by a worker whose heartbeat
    is old (it died), and, when the whole run went quiet, for chunks still pending (their
    messages were lost); fails runs tried MAX_ATTEMPTS times. Returns the number queued."""
    from matching import tasks

    cutoff = timezone.now() - older_than
    queued = 0
    for run in MatchRun.objects.filter(status__in=["queued", "running"]):
        run_quiet = (run.heartbeat_at or run.created_at) < cutoff
        if run.attempts >= MAX_ATTEMPTS and run_quiet:
            run_fail(run_id=run.pk, error=f"Gave up after {run.attempts} attempts.")
            continue
        if run.status == MatchRun.Status.QUEUED or run.chunks_total == 0:
            if run_quiet:
                MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.QUEUED)
                tasks.run_matcher.delay(run.pk)
                queued += 1
            continue
        unfinished = run.chunks.exclude(status=MatchChunk.Status.DONE)
        now = timezone.now()
        stale = unfinished.filter(
            Q(claim_expires_at__lt=now) | Q(claim_expires_at__isnull=True, heartbeat_at__lt=cutoff),
            status=MatchChunk.Status.RUNNING,
        )
        if run_quiet:
            stale = stale | unfinished.filter(status=MatchChunk.Status.PENDING)
        indexes = sorted(set(stale.values_list("index", flat=True)))
        if not indexes:
            if not unfinished.exists():
                run_finish_if_done(run_id=run.pk)
            continue
        # Only taking over from a dead worker is an attempt; re-queuing chunks whose message
        # may be lost is not (a run waiting behind another on a busy worker must not fail).
        took_over = stale.filter(status=MatchChunk.Status.RUNNING).exists()
        MatchChunk.objects.filter(run=run, index__in=indexes).exclude(status=MatchChunk.Status.DONE).update(
            status=MatchChunk.Status.PENDING, claim_expires_at=None
        )
        MatchRun.objects.filter(pk=run.pk).update(
            heartbeat_at=timezone.now(), attempts=F("attempts") + (1 if took_over else 0)
        )
        for index in indexes:
            tasks.run_matcher_chunk.delay(run.pk, index)
            queued += 1
    return queued


def nightly_runs():
    """Side effects: starts a run for each open exhibition that has none under way."""
    started = 0
    for exhibition in Exhibition.objects.filter(status=Exhibition.Status.OPEN):
        try:
            run_start(exhibition=exhibition, trigger=MatchRun.Trigger.NIGHTLY)
            started += 1
        except MatchingError:
            continue
    return started


# ---------------------------------------------------------------- incremental rescoring


def _rescore_key(exhibition_id):
    return f"matching:rescore:{exhibition_id}"


def rescore_request(*, exhibition_id, company_id, trigger):
    """Ask for the pairs of one company to be rescored soon; requests within the debounce
    window are merged and the latest one wins.

    Side effects: records the company in the cache under the exhibition's key with a new
    token; queues `matching.rescore` with a countdown through the outbox."""
    key = _rescore_key(exhibition_id)
    pending = cache.get(key) or {"companies": [], "trigger": trigger}
    token = uuid.uuid4().hex
    pending = {"companies": sorted(set(pending["companies"]) | {company_id}), "trigger": trigger, "token": token}
    cache.set(key, pending, timeout=RESCORE_DEBOUNCE_SECONDS * 20)
    outbox.enqueue("matching.rescore", args=[exhibition_id, token], countdown=RESCORE_DEBOUNCE_SECONDS)


def rescore_if_latest(*, exhibition_id, token):
    """Run an incremental run when `token` is still the latest request.

    Side effects: clears the request; starts a run. Raises RescoreBusy, keeping the request,
    when a run is under way (it may have loaded the companies before they changed)."""
    key = _rescore_key(exhibition_id)
    pending = cache.get(key)
    if not pending or pending.get("token") != token:
        return None
    exhibition = Exhibition.objects.filter(pk=exhibition_id, status=Exhibition.Status.OPEN).first()
    if exhibition is not None and active_run(exhibition) is not None:
        raise RescoreBusy(exhibition_id)
    cache.delete(key)
    if exhibition is None:
        return None
    try:
        return run_start(exhibition=exhibition, trigger=pending["trigger"], company_ids=pending["companies"])
    except MatchingError:
        log.info("rescore of exhibition %s skipped: a run is under way", exhibition_id)
        return None


# ---------------------------------------------------------------- review and use


def suggestion_review(*, suggestion, approve, by):
    """Side effects: sets the suggestion approved or rejected, with reviewer and time, when
    it is still waiting for review (conditional UPDATE: a suggestion already reviewed, or
    dismissed by its buyer or exhibitor, is left as it is). Returns it as it now stands."""
    suggestions_review_bulk(queryset=Suggestion.objects.filter(pk=suggestion.pk), approve=approve, by=by)
    suggestion.refresh_from_db(fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    return suggestion


def suggestions_review_bulk(*, queryset, approve, by):
    """Side effects: approves (or rejects) every suggestion of `queryset` still waiting for
    review, in one UPDATE. Returns how many changed."""
    status = Suggestion.Status.APPROVED if approve else Suggestion.Status.REJECTED
    with transaction.atomic():
        pending = queryset.filter(status=Suggestion.Status.PENDING_REVIEW)
        ids = list(pending.select_for_update().values_list("pk", flat=True))
        changed = Suggestion.objects.filter(pk__in=ids, status=Suggestion.Status.PENDING_REVIEW).update(
            status=status, reviewed_by=by, reviewed_at=timezone.now(), updated_at=timezone.now()
        )
        if approve and changed:
            suggestions_announce(suggestion_ids=ids)
    return changed


def suggestions_announce(*, suggestion_ids):
    """Tell both sides of newly approved suggestions: each person of each company gets ONE
    notice listing its new suggestions of this batch (not one per suggestion), in their own
    language. Side effects: Notification rows (emailed after commit)."""
    from companies.models import Membership
    from companies.notifications import notify

    approved = list(
        Suggestion.objects.filter(pk__in=suggestion_ids, status=Suggestion.Status.APPROVED).select_related("exhibition")
    )
    if not approved:
        return
    batch = max(suggestion_ids)
    counterparts = {}  # (exhibition, company) -> ids of the companies suggested to it
    for suggestion in approved:
        counterparts.setdefault((suggestion.exhibition, suggestion.buyer_id), []).append(suggestion.exhibitor_id)
        counterparts.setdefault((suggestion.exhibition, suggestion.exhibitor_id), []).append(suggestion.buyer_id)
    companies = Company.objects.in_bulk(
        {c for ids in counterparts.values() for c in ids} | {k[1] for k in counterparts}
    )
    members = {}
    for membership in Membership.objects.filter(company_id__in=[k[1] for k in counterparts]).select_related("user"):
        members.setdefault(membership.company_id, []).append(membership.user)
    for (exhibition, company_id), others in counterparts.items():
        names = ", ".join(sorted(str(companies[c]) for c in others)[:20])
        for person in members.get(company_id, []):
            notify(
                user=person,
                key=f"suggestions-approved:{exhibition.pk}:{company_id}:{batch}:{person.pk}",
                template="suggestions_approved",
                context={"exhibition": exhibition, "count": len(others), "companies": names},
                url=reverse("matching:for_me", kwargs={"slug": exhibition.slug}),
            )


def suggestion_dismiss(*, suggestion, by):
    """A buyer or exhibitor says no thanks. Side effects: status dismissed (the pair is never
    suggested again here and counts as a negative in later exhibitions)."""
    suggestion.status = Suggestion.Status.DISMISSED
    suggestion.dismissed_by = by
    suggestion.save(update_fields=["status", "dismissed_by", "updated_at"])
    return suggestion
