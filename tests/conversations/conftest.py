"""The small show of tests/meetings, a requested meeting between its buyer and exhibitor,
and the show's own organiser (staff of its cooperative)."""

import pytest

from exhibitions.meetings import services as meeting_services
from exhibitions.wishes import services as wish_services
from tests import factories
from tests.meetings.conftest import add_buyer, add_exhibitor, make_world  # noqa: F401


@pytest.fixture
def world(exhibitor_owner, buyer_owner):
    return make_world(exhibitor_user=exhibitor_owner, buyer_user=buyer_owner)


@pytest.fixture
def meeting(world):
    return meeting_services.meeting_request(
        exhibition=world.exhibition,
        buyer_person=world.buyer_user,
        exhibitor=world.exhibitor,
        slots=world.slots[:2],
        message="Hot runners",
    )


@pytest.fixture
def organiser(world):
    """Staff of the cooperative that runs the show."""
    return factories.StaffFactory(cooperative=world.exhibition.cooperative, email="org@coop.example")


def make_mutual(world):
    for by, person in (("buyer", world.buyer_user), ("exhibitor", world.exhibitor_user)):
        wish_services.wish_set(
            exhibition=world.exhibition,
            buyer=world.buyer,
            exhibitor=world.exhibitor,
            by=by,
            priority="want",
            person=person,
        )
