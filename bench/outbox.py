"""Notification emails end to end: notices written -> outbox -> Redis -> real Celery workers
-> a local SMTP server, on PostgreSQL.

    REDIS_URL=redis://127.0.0.1:6379/2 /work/venv/bin/python bench/outbox.py \\
        [--notices 2000] [--workers 2] [--database fairlink_bench_outbox] [--mailing 5000]

Builds a fresh database (dropped first), starts an SMTP sink (aiosmtpd, in this process) and
`celery worker --concurrency <workers>` (prefork: that many worker processes) pointed at it,
then, for each mode, writes `--notices` notices to as many people (languages en/ko/ja in
turn) in one transaction and times until every one is marked emailed and the sink has them:

- per notice: `notify()` for each (one task and one SMTP connection a notice), the path
  every notice took before issue 12 and single notices still take;
- batched: `notify_many()` (one INSERT per 500 notices, one task per 100 notices, each
  task one SMTP connection).

`--mailing N` also times queueing a staff mailing to N people (exhibitions/mailings.py:
from the confirm click to the commit, emails not awaited). Redis index REDIS_URL is
flushed first: give the bench its own index. Prints the machine load (`uptime`) with the
figures.
"""

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = ["-h", "127.0.0.1", "-U", "postgres"]


class Sink:
    """Counts the emails it receives in a shared counter."""

    def __init__(self, counter):
        self.counter = counter

    async def handle_DATA(self, server, session, envelope):
        with self.counter.get_lock():
            self.counter.value += len(envelope.rcpt_tos)
        return "250 queued"


def run_sink(port, counter, ready):
    """The SMTP sink, in a process of its own (in the bench's process it would share the GIL
    with the polling, and its replies would wait for it)."""
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # a line per SMTP command otherwise
    controller = Controller(Sink(counter), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    threading.Event().wait()


def free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--notices", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", default="fairlink_bench_outbox")
    parser.add_argument("--mailing", type=int, default=5000)
    parser.add_argument("--modes", default="per-notice,batched")
    parser.add_argument("--no-smtp", action="store_true", help="workers use a dummy backend (the ceiling without SMTP)")
    args = parser.parse_args()
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        sys.exit("REDIS_URL (an index of its own) is needed: the workers take their tasks from Redis")

    database_url = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    subprocess.run(["dropdb", *PG, "--if-exists", args.database], check=True)
    subprocess.run(["createdb", *PG, args.database], check=True)
    import multiprocessing

    counter, ready, smtp_port = multiprocessing.Value("l", 0), multiprocessing.Event(), free_port()
    smtp = multiprocessing.Process(target=run_sink, args=(smtp_port, counter, ready), daemon=True)
    smtp.start()
    ready.wait(30)
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        EMAIL_URL="dummymail://" if args.no_smtp else f"smtp://127.0.0.1:{smtp_port}",
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DJANGO_DEBUG="False",
    )
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import redis
    from django.db import transaction

    from companies.models import Notification, User
    from companies.notifications import notify, notify_many

    redis.Redis.from_url(redis_url).flushdb()
    worker = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork"),
            *(f"--concurrency={args.workers}", "--loglevel=WARNING", "--without-heartbeat", "--without-mingle"),
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
    )
    time.sleep(6)  # the worker's start-up (Django, task modules)
    results = []
    try:
        for mode in args.modes.split(","):
            users = User.objects.bulk_create(
                [
                    User(email=f"{mode}-{i}@bench.example", preferred_language=("en", "ko", "ja")[i % 3])
                    for i in range(args.notices)
                ]
            )
            rows = [
                (
                    user,
                    f"bench:{mode}:{user.pk}",
                    "company_submitted",
                    {"company_name": f"Company {i}", "ref": f"KR-{i:05}", "kind": "exhibitor"},
                    "/companies/review/",
                )
                for i, user in enumerate(users)
            ]
            before = counter.value
            start = time.monotonic()
            with transaction.atomic():
                if mode == "batched":
                    notify_many(rows)
                else:
                    for user, key, template, context, url in rows:
                        notify(user=user, key=key, template=template, context=context, url=url)
            queued = time.monotonic() - start
            pending = Notification.objects.filter(key__startswith=f"bench:{mode}:", emailed_at__isnull=True)
            deadline = start + 600
            expected = 0 if args.no_smtp else args.notices
            while (pending.exists() or counter.value - before < expected) and time.monotonic() < deadline:
                time.sleep(0.1)
            elapsed = time.monotonic() - start
            done = args.notices - pending.count()
            results.append((mode, args.notices, queued, elapsed, done, counter.value - before))
            print(
                f"{mode}: {done}/{args.notices} emailed ({counter.value - before} at the SMTP server) in {elapsed:.2f} s"
                f" = {done / elapsed:.0f} notices/s end to end; written and queued in {queued:.2f} s",
                flush=True,
            )
        if args.mailing:
            print(mailing_queue_time(args.mailing), flush=True)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        smtp.terminate()
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


def mailing_queue_time(people):
    """Time from the staff's confirm to the commit of a mailing to `people` people."""
    try:
        from exhibitions import mailings
    except ImportError:
        return "mailing: exhibitions/mailings.py not present"
    from companies.models import Cooperative, Membership, User
    from exhibitions.models import ExhibitorApplication as Application
    from tests import factories

    cooperative = Cooperative.objects.first() or factories.CooperativeFactory()
    staff = User.objects.create(email="bench-staff@bench.example", cooperative=cooperative)
    exhibition = factories.ExhibitionFactory(cooperative=cooperative)
    companies = [factories.ExhibitorFactory() for _ in range(people // 10)]
    users = User.objects.bulk_create(
        [User(email=f"mailing-{i}@bench.example", preferred_language=("en", "ko", "ja")[i % 3]) for i in range(people)]
    )
    Membership.objects.bulk_create(
        [Membership(user=user, company=companies[i % len(companies)], role="member") for i, user in enumerate(users)]
    )
    Application.objects.bulk_create(
        [Application(exhibition=exhibition, company=company, status="approved") for company in companies]
    )
    from companies.models import Notification

    start = time.monotonic()
    mailing = mailings.mailing_send(
        exhibition=exhibition,
        group="exhibitors",
        texts={"en": ("Bench", "Hello"), "ko": ("", ""), "ja": ("", "")},
        by=staff,
    )
    answered = time.monotonic() - start
    # The worker writes the notices in one transaction and queues their emails at its commit.
    while not Notification.objects.filter(mailing_ref=mailing.pk).exists() and time.monotonic() - start < 120:
        time.sleep(0.05)
    queued = time.monotonic() - start
    count = Notification.objects.filter(mailing_ref=mailing.pk).count()
    sent = Notification.objects.filter(mailing_ref=mailing.pk, emailed_at__isnull=False)
    while sent.count() < count and time.monotonic() - start < 600:
        time.sleep(0.5)
    return (
        f"mailing: staff's confirm answered in {answered:.3f} s; {count} notices written and their"
        f" email tasks queued {queued:.2f} s after the confirm; all emailed after {time.monotonic() - start:.1f} s"
    )


if __name__ == "__main__":
    main()
