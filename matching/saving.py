"""Save one chunk's top suggestions, idempotently: insert new pairs, update score, rank and
reasons of existing ones without touching their review status, and drop stale pairs that
were still waiting for review.

On PostgreSQL the rows go through COPY into a temporary table and one INSERT ... ON CONFLICT
DO UPDATE (about ten times faster than bulk_create's parameter arrays for 20,000 rows with
JSON); elsewhere bulk_create(update_conflicts=True) does the same upsert."""

import json

from django.db import connection, transaction
from django.utils import timezone

from matching.models import Suggestion

UPDATE_FIELDS = ["score", "rank", "reasons", "run", "updated_at"]


def _upsert_postgresql(rows):
    table = connection.ops.quote_name(Suggestion._meta.db_table)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS matching_suggestion_upsert (exhibition_id bigint, buyer_id bigint, "
            "exhibitor_id bigint, run_id bigint, rank integer, score double precision, reasons jsonb) "
            "ON COMMIT DELETE ROWS"
        )
        # Rows of an earlier save in the same (outer) transaction would be upserted twice.
        cursor.execute("DELETE FROM matching_suggestion_upsert")
        with cursor.cursor.copy(
            "COPY matching_suggestion_upsert (exhibition_id, buyer_id, exhibitor_id, run_id, rank, score, reasons) "
            "FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} (exhibition_id, buyer_id, exhibitor_id, run_id, rank, score, reasons, status, "  # noqa: S608
            "created_at, updated_at) "
            "SELECT exhibition_id, buyer_id, exhibitor_id, run_id, rank, score, reasons, %s, %s, %s "
            "FROM matching_suggestion_upsert "
            "ON CONFLICT (exhibition_id, buyer_id, exhibitor_id) DO UPDATE SET score = EXCLUDED.score, "
            "rank = EXCLUDED.rank, reasons = EXCLUDED.reasons, run_id = EXCLUDED.run_id, updated_at = EXCLUDED.updated_at",
            [Suggestion.Status.PENDING_REVIEW, now, now],
        )


def _upsert_orm(rows):
    Suggestion.objects.bulk_create(
        [
            Suggestion(
                exhibition_id=exhibition_id,
                buyer_id=buyer_id,
                exhibitor_id=exhibitor_id,
                run_id=run_id,
                rank=rank,
                score=score,
                reasons=json.loads(reasons),
            )
            for exhibition_id, buyer_id, exhibitor_id, run_id, rank, score, reasons in rows
        ],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["exhibition", "buyer", "exhibitor"],
        update_fields=UPDATE_FIELDS,
    )


def save_suggestions(*, exhibition_id, run_id, picks, buyer_ids):
    """`picks`: [(buyer id, exhibitor id, rank, score, reasons)] for the buyers `buyer_ids`.

    Side effects: upserts Suggestion rows on (exhibition, buyer, exhibitor); new ones are
    pending review, existing ones keep their status (approved stays approved); deletes
    pending suggestions of these buyers that are no longer among the picks. Returns
    (created, updated)."""
    rows = [
        (exhibition_id, b, e, run_id, rank, round(score, 4), json.dumps(reasons, ensure_ascii=False))
        for b, e, rank, score, reasons in picks
    ]
    with transaction.atomic():
        existing = set(
            Suggestion.objects.filter(exhibition_id=exhibition_id, buyer_id__in=buyer_ids).values_list(
                "buyer_id", "exhibitor_id"
            )
        )
        if rows:
            (_upsert_postgresql if connection.vendor == "postgresql" else _upsert_orm)(rows)
        kept = {(b, e) for b, e, *_ in picks}
        if any(pair not in kept for pair in existing):
            # Every pick now carries this run; pending ones that do not are stale.
            Suggestion.objects.filter(
                exhibition_id=exhibition_id, status=Suggestion.Status.PENDING_REVIEW, buyer_id__in=buyer_ids
            ).exclude(run_id=run_id).delete()
    created = sum(1 for pair in kept if pair not in existing)
    return created, len(kept) - created
