"""The matcher through real `celery worker` processes on Redis and PostgreSQL: a run split
into chunks finishes, re-running adds no duplicates, and a worker killed mid-run (kill -9)
is replaced by another that finishes the run with no duplicates."""

import os
import signal
from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import Count

from exhibitions.models import Exhibition
from matching import services, synthetic
from matching.models import MatchChunk, MatchRun, Suggestion
from tests.worker import WorkerProcess, database_url_for, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _celery_conf_restored():
    """Put the Celery app's eager setting back as it was before the worker fixture changed
    it (it restores what it saw after the test settings were already switched), so the
    tests that run after these stay eager."""
    from config.celery import app

    eager = app.conf.task_always_eager
    yield
    app.conf.task_always_eager = eager


@pytest.fixture
def small_chunks(monkeypatch):
    """Two buyers per chunk, in this process and in the workers it starts."""
    monkeypatch.setenv("MATCHING_CHUNK_SIZE", "2")


@pytest.fixture
def world(small_chunks):
    data = synthetic.generate(variant="a", n_exhibitors=40, n_buyers=120, n_exhibitions=2, seed=5, everyone_last=True)
    synthetic.save_world(data)
    return Exhibition.objects.get(slug=data.test_exhibition)


def start_run(exhibition):
    with transaction.atomic():  # queued when this commits, as in the app
        return services.run_start(exhibition=exhibition)


def finished(run_pk):
    return MatchRun.objects.filter(pk=run_pk, status__in=["finished", "failed"]).first()


def assert_no_duplicates(exhibition):
    assert not (
        Suggestion.objects.filter(exhibition=exhibition)
        .values("buyer", "exhibitor")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .exists()
    )
    per_buyer = Suggestion.objects.filter(exhibition=exhibition).values("buyer").annotate(n=Count("id"))
    assert max(row["n"] for row in per_buyer) <= services.TOP_K


def test_a_run_through_the_worker_finishes_and_a_rerun_adds_nothing(world, celery_worker_process):
    run = start_run(world)
    done = wait_for(lambda: finished(run.pk), timeout=90)
    assert done and done.status == "finished", "\n".join(celery_worker_process.output[-40:])
    assert done.chunks_total == 60 and done.chunks_done == 60
    count = Suggestion.objects.filter(exhibition=world).count()
    assert count == done.suggestions_created > 0
    assert_no_duplicates(world)

    again = start_run(world)
    done = wait_for(lambda: finished(again.pk), timeout=90)
    assert done.status == "finished" and done.suggestions_created == 0
    assert Suggestion.objects.filter(exhibition=world).count() == count


def test_a_worker_killed_mid_run_is_replaced_and_the_run_finishes(world, celery_worker_process):
    from django.db import connection

    run = start_run(world)
    progressed = wait_for(
        lambda: MatchRun.objects.filter(pk=run.pk, status="running", chunks_done__gte=3).first(),
        timeout=60,
        interval=0.02,
    )
    assert progressed, "\n".join(celery_worker_process.output[-40:])
    os.killpg(celery_worker_process.process.pid, signal.SIGKILL)
    celery_worker_process.process.wait(timeout=10)
    run.refresh_from_db()
    assert run.status == "running" and run.chunks_done < run.chunks_total, "the run ended before the kill"

    replacement = WorkerProcess(
        database_url=database_url_for(connection.settings_dict),
        redis_url=os.environ["REDIS_URL"],
        queue=celery_worker_process.queue,
    )
    try:
        replacement.wait_ready()

        # The beat sweeper's job (every second here): the dead worker's claimed chunk is
        # re-queued, and so are chunks whose messages it held unacknowledged, once the run
        # goes quiet.
        def sweep_then_check():
            services.runs_requeue_stale(older_than=timedelta(seconds=1))
            return finished(run.pk)

        done = wait_for(sweep_then_check, timeout=90, interval=1.0)
        assert done and done.status == "finished", "\n".join(replacement.output[-40:])
    finally:
        replacement.stop()
    assert done.chunks_done == done.chunks_total == 60
    assert MatchChunk.objects.filter(run=run).exclude(status="done").count() == 0
    assert_no_duplicates(world)
    assert Suggestion.objects.filter(exhibition=world).count() == done.suggestions_created
