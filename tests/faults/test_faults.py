"""Fault injection with real processes: a private `redis-server` (paused with SIGSTOP, killed
and restarted empty), a real `celery worker` with beat (killed with SIGKILL mid-run), the
cache on that Redis, and a local SMTP server (stopped: connections refused).

For each scenario it prints: actions tried, answered in < 2 s, tasks lost, tasks duplicated,
time to recover; and asserts all answered, 0 lost, 0 duplicated, recovery < 60 s. The figures
are recorded in docs/reliability.md.

Runs on PostgreSQL with a `redis-server` binary (as CI has); skipped otherwise.
"""

import os
import signal
import time
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.urls import reverse

from companies.models import Company, Invitation, Notification
from exhibitions.models import Exhibition
from matching import synthetic
from matching.models import MatchChunk, MatchRun
from tests import factories
from tests.faults.processes import PrivateRedis, SMTPSink, redis_server_binary
from tests.worker import WorkerProcess, database_url_for, producing_to_redis, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ANSWER_WITHIN = 2.0
RECOVER_WITHIN = 60.0
DOMAIN = "fairlink.example"


@dataclass
class Scenario:
    name: str
    tried: int = 0
    answered: int = 0
    slowest: float = 0.0
    expected: list = field(default_factory=list)  # Message-IDs, or "run:<pk>" for a matcher run
    lost: int = 0
    duplicated: int = 0
    recovery: float = 0.0
    slow: list = field(default_factory=list)

    def timed(self, call, label=""):
        started = time.monotonic()
        response = call()
        took = time.monotonic() - started
        if took >= ANSWER_WITHIN:
            self.slow.append(f"{label or '?'} took {took:.2f}s")
        self.tried += 1
        self.slowest = max(self.slowest, took)
        if took < ANSWER_WITHIN and response.status_code < 500:
            self.answered += 1
        return response

    def line(self):
        return (
            f"{self.name:<22} tried {self.tried:>3}  answered<2s {self.answered:>3}  slowest {self.slowest:5.2f}s  "
            f"lost {self.lost}  duplicated {self.duplicated}  recovered in {self.recovery:5.1f}s"
        ) + (f"  slow: {'; '.join(self.slow)}" if self.slow else "")


def _skip_unless_possible():
    if connection.vendor != "postgresql" or not redis_server_binary():
        pytest.skip("needs PostgreSQL (DATABASE_URL) and a redis-server binary")


@pytest.fixture
def environment(transactional_db, settings, tmp_path, monkeypatch):
    _skip_unless_possible()
    from config.celery import app

    eager = app.conf.task_always_eager
    monkeypatch.setenv("MATCHING_CHUNK_SIZE", "2")
    redis = PrivateRedis()
    smtp = SMTPSink()
    smtp.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.FailSoftRedisCache",
            "LOCATION": redis.url,
            "OPTIONS": {"socket_timeout": 0.25, "socket_connect_timeout": 0.25},
        }
    }
    settings.COMPANY_INVITATIONS_PER_DAY = 1000
    workers = []

    def start_worker():
        worker = WorkerProcess(
            database_url=database_url_for(connection.settings_dict),
            redis_url=redis.url,
            queue="celery",
            extra_env={"FAIRLINK_TEST_SMTP_PORT": str(smtp.port), "MATCHING_CHUNK_SIZE": "2"},
            beat_schedule=tmp_path / f"beat-{len(workers)}",
        )
        workers.append(worker)
        worker.wait_ready()
        return worker

    try:
        with producing_to_redis(app, redis_url=redis.url, queue="celery"):
            settings.CELERY_TASK_ALWAYS_EAGER = False
            yield {"redis": redis, "smtp": smtp, "start_worker": start_worker}
    finally:
        for worker in workers:
            worker.stop()
        smtp.stop()
        redis.stop()
        app.conf.task_always_eager = eager


def _delivered(scenario, smtp):
    counts = [smtp.count(message_id) for message_id in scenario.expected]
    return all(counts) and counts


def _wait_delivery(scenario, smtp, since):
    wait_for(lambda: _delivered(scenario, smtp), timeout=RECOVER_WITHIN + 15, interval=0.25)
    scenario.recovery = time.monotonic() - since
    time.sleep(1.0)  # a late duplicate would show up here
    counts = [smtp.count(message_id) for message_id in scenario.expected]
    scenario.lost = sum(1 for n in counts if n == 0)
    scenario.duplicated = sum(n - 1 for n in counts if n > 1)


def _user_actions(scenario, client, owner, staff, tag, n=3):
    """Invitations (an email each), approvals (a notice email each), and pages that use the
    cache: login, the public directory."""
    client.force_login(owner)
    for i in range(n):
        email = f"{tag}-{i}@example.com"
        scenario.timed(
            lambda email=email: client.post(
                reverse("companies:invite", kwargs={"ref": owner.company.ref}), {"email": email, "role": "member"}
            ),
            label=f"invite {i}",
        )
        invitation = Invitation.objects.get(email=email)
        scenario.expected.append(f"<invitation-{invitation.pk}@{DOMAIN}>")
    client.force_login(staff)
    for _ in range(n):
        company = factories.ExhibitorFactory(status=Company.Status.PENDING)
        factories.MembershipFactory(company=company, role="owner")
        scenario.timed(
            lambda company=company: client.post(
                reverse("companies:review_decide", kwargs={"ref": company.ref}), {"decision": "approve"}
            ),
            label="approve",
        )
        for notice in Notification.objects.filter(user_id__in=company.memberships.values("user_id")):
            scenario.expected.append(f"<notice-{notice.pk}@{DOMAIN}>")
    client.logout()
    scenario.timed(lambda: client.get(reverse("account_login")), label="login page")
    scenario.timed(lambda: client.get(reverse("companies:list")), label="directory")


def test_faults_with_real_processes(environment, client, staff, exhibitor_owner, capsys):
    redis, smtp = environment["redis"], environment["smtp"]
    worker = environment["start_worker"]()
    scenarios = []
    # A web process in production is warm: its first request does not import half of Django.
    client.force_login(staff)
    for name in ("account_login", "companies:list", "companies:review"):
        client.get(reverse(name))
    client.logout()

    # Broker hung: Redis paused with SIGSTOP while people act, then resumed.
    paused = Scenario("broker paused (STOP)")
    redis.pause()
    _user_actions(paused, client, exhibitor_owner, staff, "paused")
    redis.resume()
    _wait_delivery(paused, smtp, since=time.monotonic())
    scenarios.append(paused)

    if os.environ.get("FAULTS_ONLY_PAUSED"):
        print(paused.line())
        return

    # Broker down: Redis killed, people act, Redis restarted empty.
    killed = Scenario("broker killed (KILL)")
    redis.kill()
    _user_actions(killed, client, exhibitor_owner, staff, "killed")
    redis.start()
    _wait_delivery(killed, smtp, since=time.monotonic())
    scenarios.append(killed)

    # SMTP refusing connections while people act, then back.
    refusing = Scenario("SMTP refusing")
    smtp.stop()
    _user_actions(refusing, client, exhibitor_owner, staff, "smtp")
    time.sleep(3)  # the worker tries and fails meanwhile (attempts are counted)
    assert Invitation.objects.filter(email__startswith="smtp-", email_attempts__gte=1).exists()
    smtp.start()
    _wait_delivery(refusing, smtp, since=time.monotonic())
    scenarios.append(refusing)

    # Cache hung: every page still answers (the cache degrades to process memory).
    cache_down = Scenario("cache paused (STOP)")
    redis.pause()
    for name in ("account_login", "companies:list", "account_signup"):
        cache_down.timed(lambda name=name: client.get(reverse(name)))
    cache_down.timed(
        lambda: client.post(reverse("account_login"), {"login": exhibitor_owner.email, "password": "wrong"})
    )
    started = time.monotonic()
    redis.resume()
    from django.core.cache import cache

    def cache_answers():
        cache.set("fault-suite", 1)
        return redis_answers(redis) and cache.get("fault-suite") == 1

    wait_for(cache_answers, timeout=RECOVER_WITHIN, interval=0.5)
    cache_down.recovery = time.monotonic() - started
    scenarios.append(cache_down)

    # Worker killed (SIGKILL, the whole worker) mid matcher run; a new worker takes over.
    run_killed = Scenario("worker killed mid-run")
    data = synthetic.generate(variant="a", n_exhibitors=30, n_buyers=80, n_exhibitions=1, seed=5, everyone_last=True)
    synthetic.save_world(data)
    exhibition = Exhibition.objects.get(slug=data.test_exhibition)
    client.force_login(staff)
    run_killed.timed(lambda: client.post(reverse("matching:run_start", kwargs={"slug": exhibition.slug})))
    run = MatchRun.objects.get(exhibition=exhibition)
    progressed = wait_for(
        lambda: MatchRun.objects.filter(pk=run.pk, chunks_done__gte=3).first(), timeout=60, interval=0.02
    )
    assert progressed, "\n".join(worker.output[-40:])
    os.killpg(worker.process.pid, signal.SIGKILL)
    worker.process.wait(timeout=10)
    killed_at = time.monotonic()
    run.refresh_from_db()
    assert run.status == "running" and run.chunks_done < run.chunks_total, "the run ended before the kill"
    run_killed.timed(lambda: client.get(reverse("matching:runs", kwargs={"slug": exhibition.slug})))
    environment["start_worker"]()
    done = wait_for(
        lambda: MatchRun.objects.filter(pk=run.pk, status__in=["finished", "failed"]).first(),
        timeout=RECOVER_WITHIN + 30,
        interval=0.5,
    )
    run_killed.recovery = time.monotonic() - killed_at
    assert done and done.status == "finished", done and done.error
    run_killed.lost = done.chunks_total - MatchChunk.objects.filter(run=run, status="done").count()
    run_killed.duplicated = max(0, done.chunks_done - done.chunks_total)
    scenarios.append(run_killed)

    with capsys.disabled():
        print("\nFault injection (real redis-server, celery worker with beat, SMTP):")
        for scenario in scenarios:
            print("  " + scenario.line())
    for scenario in scenarios:
        assert scenario.answered == scenario.tried, scenario.line()
        assert scenario.lost == 0 and scenario.duplicated == 0, scenario.line()
        assert scenario.recovery < RECOVER_WITHIN, scenario.line()


def redis_answers(redis):
    import redis as redis_client

    try:
        return redis_client.Redis.from_url(redis.url, socket_timeout=0.5).ping()
    except redis_client.RedisError:
        return False
