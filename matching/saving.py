"""Save one chunk's top suggestions, idempotently: insert new pairs, update score, rank and
reasons of existing ones without touching their review status, and drop stale pairs that
were still waiting for review."""

from django.db import transaction

from matching.models import Suggestion

UPDATE_FIELDS = ["score", "rank", "reasons", "run", "updated_at"]


def save_suggestions(*, exhibition_id, run_id, picks, buyer_ids):
    """`picks`: [(buyer id, exhibitor id, rank, score, reasons)] for the buyers `buyer_ids`.

    Side effects: upserts Suggestion rows on (exhibition, buyer, exhibitor) in one statement
    per batch; deletes pending suggestions of these buyers that are no longer among the
    picks. Approved, rejected and dismissed suggestions keep their status. Returns
    (created, updated)."""
    with transaction.atomic():
        existing = set(
            Suggestion.objects.filter(exhibition_id=exhibition_id, buyer_id__in=buyer_ids).values_list(
                "buyer_id", "exhibitor_id"
            )
        )
        rows = [
            Suggestion(
                exhibition_id=exhibition_id,
                buyer_id=b,
                exhibitor_id=e,
                run_id=run_id,
                rank=rank,
                score=round(score, 4),
                reasons=reasons,
            )
            for b, e, rank, score, reasons in picks
        ]
        Suggestion.objects.bulk_create(
            rows,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["exhibition", "buyer", "exhibitor"],
            update_fields=UPDATE_FIELDS,
        )
        kept = {(b, e) for b, e, *_ in picks}
        if any(pair not in kept for pair in existing):
            # Every pick now carries this run; pending ones that do not are stale.
            Suggestion.objects.filter(
                exhibition_id=exhibition_id, status=Suggestion.Status.PENDING_REVIEW, buyer_id__in=buyer_ids
            ).exclude(run_id=run_id).delete()
    created = sum(1 for pair in kept if pair not in existing)
    return created, len(kept) - created
