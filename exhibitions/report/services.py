"""Writes for the report: the exchange rates staff enter for a show."""

from django.db import transaction

from exhibitions.meetings.services import summarise_outcomes
from exhibitions.models import ExchangeRate, Exhibition, Meeting, MeetingOutcome


@transaction.atomic
def exchange_rate_set(*, exhibition, jpy_per_usd, krw_per_usd, by, note=""):
    """Put new rates in force for `exhibition` (1 USD = `jpy_per_usd` JPY = `krw_per_usd` KRW).

    Side effects: locks the exhibition row (saves are serialised per show); a new ExchangeRate row (the old ones stay as history); every held meeting
    of the show with recorded outcomes gets its USD summary (`deal_value_usd`) converted
    again at the new rates, so the meeting pages, CSV and data export agree with the report.
    """
    # One save at a time per show: the rate that is newest (set_at, id) is then also the one
    # whose conversion of the summaries runs last.
    Exhibition.objects.select_for_update().filter(pk=exhibition.pk).first()
    rate = ExchangeRate.objects.create(
        exhibition=exhibition, jpy_per_usd=jpy_per_usd, krw_per_usd=krw_per_usd, note=note, set_by=by
    )
    # Locked, so an outcome recorded meanwhile waits and then sees the new rate. (No DISTINCT:
    # PostgreSQL refuses FOR UPDATE with it, hence the subquery.)
    with_outcomes = MeetingOutcome.objects.filter(meeting__exhibition=exhibition).values("meeting_id")
    held = (
        Meeting.objects.select_for_update()
        .filter(exhibition=exhibition, status=Meeting.Status.HELD, pk__in=with_outcomes)
        .prefetch_related("outcomes")
    )
    for meeting in held:
        outcome, value = summarise_outcomes(list(meeting.outcomes.all()), rate)
        if (outcome, value) != (meeting.outcome, meeting.deal_value_usd):
            meeting.outcome, meeting.deal_value_usd = outcome, value
            meeting.save(update_fields=["outcome", "deal_value_usd", "updated_at"])
    return rate
