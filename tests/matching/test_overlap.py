"""A run done in-process on PostgreSQL saves chunk N on a writer thread (its own connection)
while it scores chunk N+1 (services.run_chunks_here): the same chunk records, counts and
suggestions as one chunk after the other, and a failed save fails the run and leaves no
half-written chunk. Real transactions: the writer's connection must see the run."""

import threading

import pytest
from django.db import connection

from matching import saving, services, tasks
from matching.models import MatchChunk, MatchRun, Suggestion
from tests import factories
from tests.matching.helpers import small_exhibition
from tests.races import POSTGRES_ONLY

pytestmark = POSTGRES_ONLY


@pytest.fixture
def three_chunks(monkeypatch):
    """The small exhibition with a third buyer, one buyer per chunk."""
    monkeypatch.setenv("MATCHING_CHUNK_SIZE", "1")
    w = small_exhibition()
    third = factories.BuyerFactory(ref="JP-0003", name_en="Nagoya Dies", hs=["848071"], keywords="injection mould")
    factories.BuyerRegistrationFactory(exhibition=w["exhibition"], company=third)
    return w


def test_chunks_are_saved_by_the_writer_thread_and_the_run_finishes(three_chunks, monkeypatch):
    w = three_chunks
    savers = []
    real_save = services.chunk_save

    def save(**item):
        savers.append(threading.current_thread().name)
        return real_save(**item)

    monkeypatch.setattr(services, "chunk_save", save)
    run = services.run_start(exhibition=w["exhibition"], queue=False)
    tasks.run_matcher.delay(run.pk)
    run.refresh_from_db()
    assert len(savers) == 3 and all(name.startswith("matcher-writer-") for name in savers)
    assert run.status == MatchRun.Status.FINISHED and run.finished_at
    assert (run.chunks_done, run.chunks_total, run.buyers) == (3, 3, 3)
    assert set(run.chunks.values_list("status", flat=True)) == {MatchChunk.Status.DONE}
    saved = Suggestion.objects.filter(exhibition=w["exhibition"], run=run)
    assert saved.count() == run.suggestions_created > 0
    assert saved.values("buyer").distinct().count() == 3
    # A second run updates the same pairs (the upsert path, on the writer too).
    again = services.run_start(exhibition=w["exhibition"], queue=False)
    tasks.run_matcher.delay(again.pk)
    again.refresh_from_db()
    assert again.status == MatchRun.Status.FINISHED
    assert (again.suggestions_created, again.suggestions_updated) == (0, run.suggestions_created)


def test_a_failing_save_in_the_writer_fails_the_run_and_saves_no_half_chunk(three_chunks, monkeypatch):
    """The second chunk's save fails after its COPY: the first chunk stays saved, the
    second saves nothing, the third is never saved, the run fails with the error."""
    w = three_chunks
    monkeypatch.setattr(services, "WRITERS", 1)  # chunks saved in order
    saves = []
    real_insert = saving._insert_postgresql

    def insert(rows):
        real_insert(rows)  # the chunk's rows are in the table, inside its transaction
        saves.append(len(rows))
        if len(saves) == 2:
            raise RuntimeError("connection lost")

    monkeypatch.setattr(saving, "_insert_postgresql", insert)
    run = services.run_start(exhibition=w["exhibition"], queue=False)
    with pytest.raises(RuntimeError, match="connection lost"):
        tasks.run_matcher.delay(run.pk)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.FAILED and "connection lost" in run.error
    assert len(saves) == 2
    done = list(run.chunks.filter(status=MatchChunk.Status.DONE).values_list("index", flat=True))
    assert done == [0] and run.chunks_done == 1
    saved = Suggestion.objects.filter(exhibition=w["exhibition"])
    assert saved.count() == run.suggestions_created == saves[0]
    assert set(saved.values_list("buyer_id", flat=True)) == {run.chunks.get(index=0).buyer_ids[0]}
    # The exhibition is free for a new run, which saves everything.
    monkeypatch.setattr(saving, "_insert_postgresql", real_insert)
    again = services.run_start(exhibition=w["exhibition"], queue=False)
    tasks.run_matcher.delay(again.pk)
    again.refresh_from_db()
    assert again.status == MatchRun.Status.FINISHED and again.chunks_done == 3


def test_a_failing_scoring_stops_the_run_after_the_chunks_already_scored(three_chunks, monkeypatch):
    w = three_chunks
    real_picks = services.chunk_picks

    def picks(**kwargs):
        if kwargs["index"] == 1:
            raise ValueError("bad data")
        return real_picks(**kwargs)

    monkeypatch.setattr(services, "chunk_picks", picks)
    run = services.run_start(exhibition=w["exhibition"], queue=False)
    with pytest.raises(ValueError, match="bad data"):
        tasks.run_matcher.delay(run.pk)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.FAILED and "bad data" in run.error
    assert list(run.chunks.filter(status=MatchChunk.Status.DONE).values_list("index", flat=True)) == [0]
    assert not run.chunks.filter(index=2).exclude(status=MatchChunk.Status.PENDING).exists()


def test_with_two_writers_a_failing_save_leaves_every_chunk_whole_or_absent(three_chunks, monkeypatch):
    w = three_chunks
    monkeypatch.setattr(services, "WRITERS", 2)
    real_insert = saving._insert_postgresql
    failed = []

    def insert(rows):
        real_insert(rows)
        if not failed:
            failed.append(len(rows))
            raise RuntimeError("connection lost")

    monkeypatch.setattr(saving, "_insert_postgresql", insert)
    run = services.run_start(exhibition=w["exhibition"], queue=False)
    with pytest.raises(RuntimeError, match="connection lost"):
        tasks.run_matcher.delay(run.pk)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.FAILED and "connection lost" in run.error
    done = 0
    for chunk in run.chunks.all():
        saved = Suggestion.objects.filter(exhibition=w["exhibition"], buyer_id__in=chunk.buyer_ids).count()
        assert (chunk.status == MatchChunk.Status.DONE) == (saved > 0)
        done += chunk.status == MatchChunk.Status.DONE
    assert done < 3 and run.chunks_done == done
    assert Suggestion.objects.filter(exhibition=w["exhibition"]).count() == run.suggestions_created


def test_a_chunk_whose_run_fails_while_it_saves_is_undone(monkeypatch):
    """The run fails between the chunk's first check and its count: the counting UPDATE
    finds the run no longer running and the chunk's rows are taken back."""
    w = small_exhibition()
    run = services.run_start(exhibition=w["exhibition"], queue=False)
    services.run_claim(run_id=run.pk)
    run.refresh_from_db()
    services.run_plan(run=run)
    assert services.chunk_claim(run_id=run.pk, index=0)
    item = services.chunk_picks(run_id=run.pk, index=0)
    real_save = services.save_suggestions

    def fail_elsewhere(**kwargs):
        out = real_save(**kwargs)

        def fail():  # e.g. the sweeper, on another connection, while the chunk saves
            services.run_fail(run_id=run.pk, error="gave up")
            connection.close()

        thread = threading.Thread(target=fail)
        thread.start()
        thread.join()
        return out

    monkeypatch.setattr(services, "save_suggestions", fail_elsewhere)
    assert services.chunk_save(**item) == (0, 0)
    assert not Suggestion.objects.filter(exhibition=w["exhibition"]).exists()
    run.refresh_from_db()
    assert run.status == MatchRun.Status.FAILED and run.chunks_done == 0
    assert run.chunks.get(index=0).status == MatchChunk.Status.RUNNING
