"""Running calls at the same moment on PostgreSQL, for the race tests: each call in its own
thread and database connection, released together by a barrier."""

import threading

import pytest
from django.db import connection

# A race test's marks: real transactions, and PostgreSQL (SQLite serialises writers).
POSTGRES_ONLY = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises writers, so it cannot show a race (set DATABASE_URL)",
    ),
]


def race(calls, *, refusal, won="ok", refused="conflict", join_timeout=60):
    """Run `calls` at once; [(won, result) | (refused, refusal's message) | ("error", repr)]
    in the calls' order (None for a thread still running after `join_timeout`)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=30)
            results[i] = (won, call())
        except refusal as error:
            results[i] = (refused, error.message)
        except Exception as error:  # noqa: BLE001 - reported by the test's assertions
            results[i] = ("error", repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=join_timeout)
    return results
