"""Two staff import the same version 2 file at the same moment (PostgreSQL only): the second
waits for the first and then finds everything there, slots and seats included."""

import threading

import pytest
from django.db import connection

from exhibitions.interchange import import_exhibition_data
from exhibitions.models import Interpreter, Meeting, MeetingHours, Slot, Wish

from .conftest import load


@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_of_one_version_2_file_write_each_row_once():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time; the race needs PostgreSQL")
    barrier = threading.Barrier(2)
    plans, errors = [], []

    def run():
        from django.db import connection as own

        try:
            barrier.wait()
            plans.append(import_exhibition_data(data=load("v2/example-2.json")))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(p.counts()["wish"]["create"] for p in plans) == [0, 3]
    assert sorted(p.changes_anything for p in plans) == [False, True]
    assert (Interpreter.objects.count(), Wish.objects.count(), MeetingHours.objects.count()) == (1, 3, 2)
    assert Slot.objects.filter(exhibition__slug="mold-japan-2027").count() == 24
    assert Meeting.objects.count() == 2
