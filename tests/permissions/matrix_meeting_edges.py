"""Who may answer a proposed move, download a meeting's .ics, confirm a cancellation and
reset the calendar address (rows run by test_matrix.py). The show and meetings come from
matrix_meetings: `buyer` and `exhibitor` take part with `other_buyer` and `other_exhibitor`,
who never see the meeting of the first two (404)."""

from exhibitions.meetings import services
from exhibitions.models import Meeting
from tests.permissions import roles as r
from tests.permissions.matrix import Row
from tests.permissions.matrix_meetings import BOTH_SIDES, EXHIBITOR_SIDE, meeting, slug


def move_proposed_by_buyer(world):
    """build(): an accepted meeting whose buyer proposes another time."""
    kwargs = meeting("accepted")(world)
    services.meeting_move_propose(
        meeting=Meeting.objects.get(pk=kwargs["pk"]), slot=world.extra["slots"][3], by=world.user(r.BUYER_OWNER)
    )
    return kwargs


ROWS = [
    Row(
        "exhibitions:meetings_move_accept",
        method="post",
        build=move_proposed_by_buyer,
        allowed=EXHIBITOR_SIDE,
    ),
    Row(
        "exhibitions:meetings_move_decline",
        method="post",
        build=move_proposed_by_buyer,
        data=lambda w: {"reason": "That hour we are at the seminar."},
        allowed=BOTH_SIDES,
    ),
    Row("exhibitions:meetings_ics", build=meeting("accepted"), allowed=BOTH_SIDES | r.ORGANISERS),
    Row(
        "exhibitions:meetings_cancel",
        label="confirm page",
        build=meeting("accepted"),
        allowed=BOTH_SIDES | r.ORGANISERS,
    ),
    Row("exhibitions:meetings_calendar_reset", build=slug, allowed=r.COMPANY_PEOPLE | r.ORGANISERS),
    Row(
        "exhibitions:meetings_calendar_reset",
        method="post",
        label="reset",
        build=slug,
        allowed=r.COMPANY_PEOPLE | r.ORGANISERS,
    ),
]
