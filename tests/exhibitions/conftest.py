import datetime

import pytest
from django.utils import timezone

from exhibitions import services
from tests import factories


@pytest.fixture
def exhibition(staff):
    """An open exhibition of the staff member's cooperative, three days, deadline ahead."""
    today = timezone.localdate()
    return factories.ExhibitionFactory(
        cooperative=staff.cooperative,
        slug="mold-japan-test",
        title_en="Mold Japan Test",
        title_ja="金型ジャパン テスト",
        title_ko="몰드 재팬 테스트",
        starts_on=today + datetime.timedelta(days=60),
        ends_on=today + datetime.timedelta(days=62),
        application_deadline=today + datetime.timedelta(days=30),
    )


@pytest.fixture
def hall(exhibition):
    return factories.HallFactory(exhibition=exhibition, name="Hall 1")


@pytest.fixture
def booths(hall, staff):
    """40 booths A-01..B-20."""
    return services.booths_generate(
        hall=hall, rows="A-B", numbers="1-20", size="3x3", kind="standard", price=1500000, by=staff
    )


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def assert_fixed_queries(django_assert_num_queries):
    """Fetch a page at a small size, grow the data, fetch again: the same number of
    queries both times (asserted with django_assert_num_queries), and at most `at_most`.
    Returns the count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def check(fetch, grow, *, at_most):
        fetch()  # warm caches (session, content types)
        with CaptureQueriesContext(connection) as small:
            fetch()
        assert len(small) <= at_most, [q["sql"] for q in small.captured_queries]
        grow()
        with django_assert_num_queries(len(small)):
            fetch()
        return len(small)

    return check
