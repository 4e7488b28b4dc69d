"""Celery tasks of the matcher. Thin: ids in, fetch, return quietly if gone, call services.

A full run: `run_matcher` claims the run, splits its buyers into chunks and queues one
`run_matcher_chunk` per chunk (any worker may take any chunk; each claims its chunk with a
conditional UPDATE, so a redelivered or re-queued chunk is done once). `sweep_stale_runs`
re-queues the work of workers that died; `nightly` starts a run per open exhibition;
`rescore` runs the debounced incremental rescoring."""

from celery import group, shared_task

from matching import services
from matching.models import MatchRun


@shared_task(name="matching.run_matcher", bind=True, acks_late=True, max_retries=3)
def run_matcher(self, run_id):
    run = MatchRun.objects.select_related("exhibition").filter(pk=run_id).first()
    if run is None or not services.run_claim(run_id=run_id):
        return None
    try:
        run.refresh_from_db()
        indexes = services.run_plan(run=run)
    except Exception as exc:
        if self.request.retries < self.max_retries and not self.request.is_eager:
            MatchRun.objects.filter(pk=run_id).update(status=MatchRun.Status.QUEUED)
            raise self.retry(exc=exc, countdown=2 ** (self.request.retries + 1))
        services.run_fail(run_id=run_id, error=services.error_text(exc))
        raise
    if indexes and self.request.is_eager and services.chunks_can_overlap():
        # No worker to share the chunks with: this process does them, saving one while it
        # scores the next (the group below would do them one after the other).
        services.run_chunks_here(run_id=run_id, indexes=indexes)
    elif indexes:
        # Chunks go where this task came from (the default queue unless routed elsewhere).
        routing_key = (self.request.delivery_info or {}).get("routing_key")
        options = {"queue": routing_key} if routing_key and not self.request.is_eager else {}
        group(run_matcher_chunk.si(run_id, index) for index in indexes).apply_async(**options)
    return len(indexes)


@shared_task(name="matching.run_matcher_chunk", bind=True, acks_late=True, max_retries=3)
def run_matcher_chunk(self, run_id, index):
    owner = services.claim_owner(self.request.id)
    if not services.chunk_claim(run_id=run_id, index=index, owner=owner):
        return None
    try:
        return services.chunk_score(run_id=run_id, index=index, owner=owner)
    except Exception as exc:
        from matching.models import MatchChunk

        error = services.error_text(exc)
        if self.request.retries < self.max_retries and not self.request.is_eager:
            MatchChunk.objects.filter(run_id=run_id, index=index).update(
                status=MatchChunk.Status.PENDING, claim_expires_at=None, error=error[-4000:]
            )
            raise self.retry(exc=exc, countdown=2 ** (self.request.retries + 1))
        services.run_fail(run_id=run_id, error=error)
        raise


@shared_task(name="matching.sweep_stale_runs")
def sweep_stale_runs():
    return services.runs_requeue_stale()


@shared_task(name="matching.nightly")
def nightly():
    return services.nightly_runs()


@shared_task(name="matching.rescore", bind=True, max_retries=20)
def rescore(self, exhibition_id, token):
    try:
        run = services.rescore_if_latest(exhibition_id=exhibition_id, token=token)
    except services.RescoreBusy as exc:
        if self.request.is_eager:  # no worker to wait for: the nightly run catches up
            return None
        raise self.retry(exc=exc, countdown=services.RESCORE_DEBOUNCE_SECONDS) from None
    return run.pk if run else None
