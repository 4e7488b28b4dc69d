"""Saving a chunk's suggestions (matching/saving.py): on PostgreSQL new pairs go in by one
COPY straight into the table and existing ones through the COPY + upsert; both write what
bulk_create writes, and a chunk is saved whole or not at all."""

import pytest
from django.db import connection, transaction

from matching import saving, services, tasks
from matching.models import MatchChunk, MatchRun, Suggestion
from tests.matching.helpers import small_exhibition

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY paths are PostgreSQL's")

# Reasons whose JSON holds what COPY's text format treats specially (backslashes, tabs,
# newlines, quotes) and text that is not ASCII.
AWKWARD = [
    {"code": "text_concepts", "concepts": ["a\\b", "tab\there", "line\nbreak", 'quote"d']},
    {"code": "hs_subheading", "hs": "848071"},
    {"code": "language", "lang": "金型 \\N 상담"},
]


def stored(exhibition):
    fields = ("buyer_id", "exhibitor_id", "run_id", "rank", "score", "reasons", "status")
    return sorted(Suggestion.objects.filter(exhibition=exhibition).values_list(*fields))


def rows_for(w, run):
    buyers, exhibitors = [w["buyer"], w["other_buyer"]], [w["moulds"], w["press"], w["casting"]]
    picks = [
        (b.pk, e.pk, rank, 0.123456789 * (rank + i), AWKWARD if rank == 1 else [{"code": "similar_buyers"}])
        for i, b in enumerate(buyers)
        for rank, e in enumerate(exhibitors, start=1)
    ]
    return picks, [b.pk for b in buyers]


def a_run(w):
    return MatchRun.objects.create(exhibition=w["exhibition"], status=MatchRun.Status.FINISHED)


@postgresql_only
def test_copy_writes_the_same_rows_as_bulk_create(monkeypatch):
    w = small_exhibition()
    run = a_run(w)
    picks, buyer_ids = rows_for(w, run)
    assert saving.save_suggestions(
        exhibition_id=w["exhibition"].pk, run_id=run.pk, picks=picks, buyer_ids=buyer_ids
    ) == (6, 0)
    by_copy = stored(w["exhibition"])
    Suggestion.objects.all().delete()
    monkeypatch.setattr(saving.connection, "vendor", "sqlite")  # the ORM path, on the same database
    assert saving.save_suggestions(
        exhibition_id=w["exhibition"].pk, run_id=run.pk, picks=picks, buyer_ids=buyer_ids
    ) == (6, 0)
    monkeypatch.undo()
    assert stored(w["exhibition"]) == by_copy
    assert by_copy[0][5] == AWKWARD and by_copy[0][4] == round(0.123456789, 4)


@postgresql_only
def test_a_second_save_updates_existing_pairs_inserts_new_ones_and_keeps_review_status():
    w = small_exhibition()
    first, second = a_run(w), a_run(w)
    picks, buyer_ids = rows_for(w, first)
    saving.save_suggestions(exhibition_id=w["exhibition"].pk, run_id=first.pk, picks=picks[:4], buyer_ids=buyer_ids)
    approved = Suggestion.objects.get(buyer=w["buyer"], exhibitor=w["moulds"])
    Suggestion.objects.filter(pk=approved.pk).update(status=Suggestion.Status.APPROVED)
    stale = Suggestion.objects.get(buyer=w["other_buyer"], exhibitor=w["moulds"])
    # The second run keeps all but the other buyer's first pair and adds two new ones.
    again = [p for p in picks if (p[0], p[1]) != (stale.buyer_id, stale.exhibitor_id)]
    created, updated = saving.save_suggestions(
        exhibition_id=w["exhibition"].pk, run_id=second.pk, picks=again, buyer_ids=buyer_ids
    )
    assert (created, updated) == (2, 3)
    assert not Suggestion.objects.filter(pk=stale.pk).exists()
    approved.refresh_from_db()
    assert approved.status == Suggestion.Status.APPROVED and approved.run_id == second.pk
    assert Suggestion.objects.filter(run=second).count() == 5


@postgresql_only
def test_a_chunk_whose_save_fails_halfway_saves_nothing(monkeypatch):
    """The new pairs are already COPYed when the update of the existing ones fails: the
    chunk's transaction takes them back, the chunk is not done, the run not counted."""
    w = small_exhibition()
    first = services.run_start(exhibition=w["exhibition"], queue=False)
    tasks.run_matcher.delay(first.pk)
    before = stored(w["exhibition"])
    assert before
    Suggestion.objects.filter(exhibition=w["exhibition"], rank=2).delete()  # some pairs will be new again
    before = stored(w["exhibition"])
    copied = []
    real_insert = saving._insert_postgresql

    def insert(rows):
        real_insert(rows)
        copied.append(len(rows))

    def upsert(rows):
        raise RuntimeError("connection lost")

    monkeypatch.setattr(saving, "_insert_postgresql", insert)
    monkeypatch.setattr(saving, "_upsert_postgresql", upsert)
    run = services.run_start(exhibition=w["exhibition"], queue=False)
    with pytest.raises(RuntimeError):
        tasks.run_matcher.delay(run.pk)
    assert copied and copied[0] > 0
    assert stored(w["exhibition"]) == before
    run.refresh_from_db()
    assert run.status == MatchRun.Status.FAILED and run.chunks_done == 0 and run.suggestions_created == 0
    assert not MatchChunk.objects.filter(run=run, status=MatchChunk.Status.DONE).exists()


@postgresql_only
def test_a_pair_inserted_by_someone_else_meanwhile_fails_the_chunk_whole():
    """A pair that appeared after the chunk read the existing ones breaks the unique
    constraint in the COPY: nothing of the chunk is saved."""
    w = small_exhibition()
    run = a_run(w)
    picks, buyer_ids = rows_for(w, run)
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        saving._insert_postgresql(
            [(w["exhibition"].pk, b, e, run.pk, rank, score, "[]") for b, e, rank, score, _r in picks + picks[:1]]
        )
    assert not Suggestion.objects.exists()
