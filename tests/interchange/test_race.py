"""Two staff import the same file at the same moment (PostgreSQL only)."""

import threading

import pytest
from django.db import connection

from companies.models import Company
from exhibitions.interchange import import_exhibition_data
from exhibitions.models import BuyerRegistration, Exhibition, ExhibitorApplication, Meeting

from .conftest import load


@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_of_one_file_create_each_row_once():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time; the race needs PostgreSQL")
    barrier = threading.Barrier(2)
    plans, errors = [], []

    def run():
        from django.db import connection as own

        try:
            barrier.wait()
            plans.append(import_exhibition_data(data=load("example.json")))
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
    assert sorted(p.counts()["company"]["create"] for p in plans) == [0, 3]  # the second saw the first's rows
    assert Company.objects.count() == 3
    assert Exhibition.objects.count() == 2
    assert ExhibitorApplication.objects.count() + BuyerRegistration.objects.count() == 5
    assert Meeting.objects.count() == 1
