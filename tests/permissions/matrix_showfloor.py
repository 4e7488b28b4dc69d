"""Who may print badges and check people in (rows run by test_matrix.py).

Every company of the world takes part in the show (see matrix_meetings.show): staff of the
show's cooperative print everyone's badge or one person's; each company person prints their
own; staff have no badge of their own (404). Only staff check people in.
"""

from tests.permissions import roles as r
from tests.permissions.matrix import Row
from tests.permissions.matrix_meetings import meeting, show, slug


def buyer_person(world):
    return {"slug": show(world).slug, "pk": world.user(r.BUYER_OWNER).pk}


ROWS = [
    Row("exhibitions:badges", build=slug, allowed=r.ORGANISERS),
    Row("exhibitions:badge_person", build=buyer_person, allowed=r.ORGANISERS),
    Row("exhibitions:my_badge", build=slug, allowed=r.COMPANY_PEOPLE),
    Row("exhibitions:checkin", build=slug, allowed=r.ORGANISERS),
    Row("exhibitions:arrivals", build=slug, allowed=r.ORGANISERS),
    Row(
        "exhibitions:checkin",
        method="post",
        label="by person",
        build=slug,
        data=lambda w: {"person": w.user(r.BUYER_OWNER).pk},
        allowed=r.ORGANISERS,
    ),
    Row(
        "exhibitions:meetings_met",
        method="post",
        build=meeting("past"),
        data=lambda w: {},
        allowed=r.EXHIBITOR_PEOPLE - {r.OTHER_EXHIBITOR} | {r.BUYER_OWNER},
    ),
]
