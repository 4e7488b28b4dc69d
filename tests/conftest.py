import pytest

from tests import factories

DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}


@pytest.fixture(autouse=True)
def _hs_codes(request, django_db_blocker):
    """The HS tree comes from a data migration; a transactional test's flush empties it,
    so put it back for the tests that follow."""
    if not (request.node.get_closest_marker("django_db") or DB_FIXTURES & set(request.fixturenames)):
        return
    request.getfixturevalue("django_db_setup")
    from companies.hs import load_hs2022
    from companies.models import HSCode

    with django_db_blocker.unblock():
        if not HSCode.objects.exists():
            load_hs2022()


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def staff(db):
    """Staff of the cooperative that runs ExhibitionFactory's exhibitions."""
    return factories.StaffFactory(email="staff@coop.example", cooperative=factories.default_cooperative())


@pytest.fixture
def admin_user(db):
    return factories.AdminFactory(email="admin@fairlink.example")


@pytest.fixture
def exhibitor_owner(db):
    """An owner of an approved Korean exhibitor company."""
    return factories.MembershipFactory(company=factories.ExhibitorFactory(), role="owner").user


@pytest.fixture
def exhibitor_colleague(exhibitor_owner):
    return factories.MembershipFactory(company=exhibitor_owner.company, role="member").user


@pytest.fixture
def other_exhibitor(db):
    return factories.MembershipFactory(company=factories.ExhibitorFactory(), role="owner").user


@pytest.fixture
def buyer_owner(db):
    return factories.MembershipFactory(company=factories.BuyerFactory(), role="owner").user


@pytest.fixture
def other_buyer(db):
    return factories.MembershipFactory(company=factories.BuyerFactory(), role="owner").user


@pytest.fixture
def outsider(db):
    """Signed up and verified, but in no company."""
    return factories.UserFactory()


@pytest.fixture
def celery_worker_process(transactional_db, settings):
    """A real `celery worker` (prefork) on Redis, using this test's database; this process
    publishes to it. PostgreSQL and Redis only: the worker is another process, and SQLite's
    in-memory test database cannot be shared with it."""
    import os
    import uuid

    from django.db import connection

    from config.celery import app
    from tests.worker import WorkerProcess, database_url_for, forget_queue, producing_to_redis

    redis_url = os.environ.get("REDIS_URL", "")
    if connection.vendor != "postgresql" or not redis_url:
        # CI has both; there a missing one is a broken setup, not a reason to skip.
        (pytest.fail if os.environ.get("CI") == "true" else pytest.skip)(
            "needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)"
        )
    queue = f"test-{uuid.uuid4().hex[:12]}"
    worker = WorkerProcess(database_url=database_url_for(connection.settings_dict), redis_url=redis_url, queue=queue)
    try:
        worker.wait_ready()
        # Celery reads Django's settings once, at first use: switch the app before the
        # settings, so that what it restores afterwards is the eager test configuration.
        with producing_to_redis(app, redis_url=redis_url, queue=queue):
            settings.CELERY_TASK_ALWAYS_EAGER = False
            yield worker
    finally:
        worker.stop()
        forget_queue(redis_url=redis_url, queue=queue)
