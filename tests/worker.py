"""Run a real `celery worker` next to the test process, both talking to Redis.

Used by the `celery_worker_process` fixture (tests/conftest.py): the worker is a separate
OS process with the test settings, pointed at the *test* database, so a task's effect can
be asserted in the database just as in production. Each worker listens on its own queue,
so parallel test processes (pytest-xdist) never take each other's tasks.
"""

import contextlib
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT = 30


def database_url_for(settings_dict):
    """A DATABASE_URL for the database a Django connection uses (the test database in tests)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{quote(settings_dict['NAME'], safe='')}"


class WorkerProcess:
    """`celery -A config worker` in a subprocess; its output is kept for error messages."""

    def __init__(self, *, database_url, redis_url, queue, extra_env=None, beat_schedule=None):
        """`beat_schedule`: a file path to also run celery beat inside the worker (-B)."""
        self.queue = queue
        self.nodename = f"test-{uuid.uuid4().hex[:8]}@%h"
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.test",
            DATABASE_URL=database_url,
            REDIS_URL=redis_url,
            CELERY_EAGER="false",
            PYTHONUNBUFFERED="1",
        )
        env.update(extra_env or {})
        command = [
            *(sys.executable, "-m", "celery", "-A", "config", "worker"),
            *("--pool=prefork", "--concurrency=1", "-Q", queue, "-n", self.nodename, "--loglevel=INFO"),
            *("--without-heartbeat", "--without-mingle", "--without-gossip"),
        ]
        if beat_schedule:
            command += ["-B", "--schedule", str(beat_schedule)]
        self.output = []
        self._ready = threading.Event()
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group, so stop() also ends the pool children
        )
        threading.Thread(target=self._read_output, daemon=True).start()

    def _read_output(self):
        for line in self.process.stdout:
            self.output.append(line.rstrip())
            if " ready." in line:
                self._ready.set()

    def wait_ready(self, timeout=READY_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._ready.wait(0.2):
                return
            if self.process.poll() is not None:
                break
        self.stop()
        raise RuntimeError("celery worker did not start:\n" + "\n".join(self.output[-40:]))

    def stop(self):
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, 9)
                self.process.wait(timeout=10)


def _reset_connections(app):
    """Forget the broker and result connections the app made with its earlier settings."""
    from kombu import pools

    pools.reset()  # closes and forgets the process-wide connection and producer pools
    app._pool = None
    app.__dict__.pop("amqp", None)  # queues, router and producer pool, all cached
    app._backend_cache = None
    with contextlib.suppress(AttributeError):
        del app._local.backend


@contextlib.contextmanager
def producing_to_redis(app, *, redis_url, queue):
    """Make `.delay()` in this process publish to Redis on `queue` instead of running eagerly.

    Celery reads Django settings once, at first use, so the app's conf is changed directly
    and put back afterwards.
    """
    changes = {
        "task_always_eager": False,
        "broker_url": redis_url,
        "result_backend": redis_url,
        "task_default_queue": queue,
    }
    saved = {key: app.conf[key] for key in changes}
    app.conf.update(changes)
    _reset_connections(app)
    try:
        yield app
    finally:
        app.conf.update(saved)
        _reset_connections(app)


def forget_queue(*, redis_url, queue):
    """Remove what kombu keeps in Redis for a one-off test queue."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    finally:
        client.close()


def wait_for(predicate, *, timeout=30.0, interval=0.2):
    """Poll `predicate` until it returns something truthy, for at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)
