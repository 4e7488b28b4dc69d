"""Who may use the conversation URLs (rows run by test_matrix.py).

A meeting's thread and a mutual wish's thread belong to `buyer` and `exhibitor` (any of their
people) and the show's organisers (world.staff of its cooperative, admins). The other buyer
and exhibitor take part in the same show and still get 404.
"""

from exhibitions.wishes import services as wish_services
from tests.permissions import roles as r
from tests.permissions.matrix import Row
from tests.permissions.matrix_meetings import meeting, show

PAIR = frozenset({r.EXHIBITOR_OWNER, r.EXHIBITOR_MEMBER, r.BUYER_OWNER}) | r.ORGANISERS


def mutual_pair(world):
    exhibition = show(world)
    for by, role in (("buyer", r.BUYER_OWNER), ("exhibitor", r.EXHIBITOR_OWNER)):
        wish_services.wish_set(
            exhibition=exhibition,
            buyer=world.buyer,
            exhibitor=world.exhibitor,
            by=by,
            priority="must",
            person=world.user(role),
        )
    return {"slug": exhibition.slug, "buyer": world.buyer.ref, "exhibitor": world.exhibitor.ref}


def message(world):
    return {"body": "Could you bring a sample?"}


ROWS = [
    # Without JS a GET goes back to the meeting page (a redirect); htmx gets the thread.
    Row("exhibitions:meetings_messages", build=meeting("requested"), allowed=PAIR),
    Row(
        "exhibitions:meetings_messages",
        method="post",
        label="post",
        build=meeting("accepted"),
        data=message,
        allowed=PAIR,
    ),
    Row("exhibitions:wish_conversation", build=mutual_pair, allowed=PAIR),
    Row(
        "exhibitions:wish_conversation",
        method="post",
        label="post",
        build=mutual_pair,
        data=message,
        allowed=PAIR,
    ),
]

EXEMPT = {
    "exhibitions:interpreter_messages": "the secret token in the URL is the only credential (tests/conversations/test_views.py)",
}
