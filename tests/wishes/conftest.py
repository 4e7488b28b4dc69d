"""The small show of tests/meetings (one exhibitor with booth A-01 and a Korean-speaking
representative, one Japanese buyer, four future slots, two tables) for wishes tests."""

import pytest

from tests.meetings.conftest import add_buyer, add_exhibitor, make_world  # noqa: F401


@pytest.fixture
def world(exhibitor_owner, buyer_owner):
    return make_world(exhibitor_user=exhibitor_owner, buyer_user=buyer_owner)
