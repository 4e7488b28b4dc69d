"""Reliability without real fault processes (those are in tests/faults/): the outbox, emails
that count every attempt, the fail-soft cache, chunk claims with owners, and hostile input.

The broker and the cache are pointed at a closed local port: that is what "Redis down"
looks like from the application, and it needs no redis-server.
"""

import io
import json
import socket
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from companies import outbox
from companies.models import Invitation, Notification, OutboxMessage
from companies.notifications import notify, send_notification
from exhibitions import exports
from exhibitions.interchange import plan_import
from matching import services
from matching.models import MatchChunk, MatchRun
from tests import factories
from tests.matching.helpers import small_exhibition

pytestmark = pytest.mark.django_db


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def broker_down():
    """Celery publishing to a Redis that refuses connections, as in production with Redis down."""
    from config.celery import app
    from tests.worker import producing_to_redis

    outbox._broker_down_until = 0.0
    with producing_to_redis(app, redis_url=f"redis://127.0.0.1:{closed_port()}/0", queue="celery"):
        yield app
    outbox._broker_down_until = 0.0


# ---------------------------------------------------------------- the outbox


def test_enqueue_writes_a_row_with_the_change_and_nothing_when_it_rolls_back(django_capture_on_commit_callbacks):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue("companies.publish_outbox")
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue("companies.publish_outbox")
    message.refresh_from_db()
    assert message.published_at is not None  # eager here: published and run at commit


def test_a_broker_that_is_down_costs_the_request_under_a_second_and_beat_publishes_later(
    broker_down, django_capture_on_commit_callbacks
):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue("companies.publish_outbox", countdown=0)
    assert time.monotonic() - started < 2.0
    message.refresh_from_db()
    assert message.published_at is None and message.publish_attempts == 1
    assert "Error" in message.last_error or "refused" in message.last_error.lower()
    # Further requests do not even try for a while (the broker was just seen down).
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        second = outbox.enqueue("companies.publish_outbox")
    assert time.monotonic() - started < 0.2
    second.refresh_from_db()
    assert second.publish_attempts == 0
    # Beat's job, the broker still down: nothing sent, nothing lost, no exception.
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    assert outbox.publish_due() == 0
    assert OutboxMessage.objects.filter(published_at__isnull=True).count() == 2


def test_beat_publishes_what_was_left_once_the_broker_answers(settings):
    OutboxMessage.objects.create(task="companies.publish_outbox", created_at=timezone.now() - timedelta(minutes=1))
    fresh = OutboxMessage.objects.create(task="companies.publish_outbox")  # its request publishes it
    assert outbox.publish_due() == 1
    assert OutboxMessage.objects.filter(published_at__isnull=True).get() == fresh


def test_a_user_action_answers_while_the_broker_is_down(client, broker_down, exhibitor_owner):
    """The invitation is saved, the page answers at once, and its email waits in the outbox."""
    client.force_login(exhibitor_owner)
    company = exhibitor_owner.company
    started = time.monotonic()
    response = client.post(
        reverse("companies:invite", kwargs={"ref": company.ref}), {"email": "new@example.com", "role": "member"}
    )
    assert time.monotonic() - started < 2
    assert response.status_code in (200, 302)
    invitation = Invitation.objects.get(email="new@example.com")
    waiting = OutboxMessage.objects.get(task="companies.send_invitation_email")
    assert waiting.args[0] == invitation.pk and waiting.published_at is None


# ---------------------------------------------------------------- emails: claim, send, count


@pytest.fixture
def smtp_refusing(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 1
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False


def notice_for(user):
    return Notification.objects.create(user=user, key=f"t:{user.pk}", template="company_submitted", context={})


def test_every_attempt_counts_and_a_failing_smtp_stops_after_the_limit_with_the_error(staff, smtp_refusing):
    from companies import mailing

    notice = notice_for(staff)
    for attempt in range(1, mailing.MAX_EMAIL_ATTEMPTS):
        with pytest.raises(mailing.EmailNotSent):
            send_notification(notice.pk)
        notice.refresh_from_db()
        assert notice.email_attempts == attempt and notice.emailed_at is None
        assert "refused" in notice.email_error.lower() or "Error" in notice.email_error
    assert send_notification(notice.pk) is False  # the last attempt: recorded, no retry
    assert send_notification(notice.pk) is False  # and none after it
    notice.refresh_from_db()
    assert notice.email_attempts == mailing.MAX_EMAIL_ATTEMPTS and notice.email_error


def test_a_sent_or_claimed_notice_is_not_sent_again(staff):
    notice = notice_for(staff)
    assert send_notification(notice.pk) is True
    assert send_notification(notice.pk) is False
    assert len(mail.outbox) == 1 and mail.outbox[0].extra_headers["Message-ID"].startswith(f"<notice-{notice.pk}@")
    other = Notification.objects.create(user=staff, key="t:claimed", template="company_submitted")
    Notification.objects.filter(pk=other.pk).update(email_claimed_at=timezone.now())  # a worker is sending it
    assert send_notification(other.pk) is False
    # ... and that worker died: once the claim expires, the email goes (at least once).
    Notification.objects.filter(pk=other.pk).update(email_claimed_at=timezone.now() - timedelta(minutes=5))
    assert send_notification(other.pk) is True


def test_notify_goes_through_the_outbox(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice = notify(user=staff, key="t:outbox", template="company_submitted", context={})
    assert OutboxMessage.objects.get(task="companies.send_notification_email").args == [notice.pk]
    notice.refresh_from_db()
    assert notice.emailed_at and notice.email_attempts == 1


def test_an_invitation_whose_email_failed_is_sent_again_when_inviting_again(
    client, exhibitor_owner, smtp_refusing, settings, django_capture_on_commit_callbacks
):
    client.force_login(exhibitor_owner)
    url = reverse("companies:invite", kwargs={"ref": exhibitor_owner.company.ref})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": "lost@example.com", "role": "member"})
    invitation = Invitation.objects.get(email="lost@example.com")
    assert invitation.emailed_at is None and invitation.email_attempts == 1 and invitation.email_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # SMTP is back
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "lost@example.com", "role": "member"})
    assert "already been invited" not in client.get(response["Location"]).content.decode()
    invitation.refresh_from_db()
    assert invitation.emailed_at is not None
    assert [m.to for m in mail.outbox] == [["lost@example.com"]]


# ---------------------------------------------------------------- the cache


@pytest.fixture
def cache_down(settings):
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.FailSoftRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5},
        }
    }
    yield caches["default"]  # a new handler: the settings fixture resets the cache handlers


def test_a_cache_that_is_down_degrades_to_memory(cache_down, client, exhibitor_owner):
    assert cache_down.get("missing") is None
    cache_down.set("k", 1)
    assert cache_down.get("k") == 1 and cache_down.incr("k") == 2  # this process's memory stands in
    started = time.monotonic()
    for name in ("account_login", "companies:list"):
        assert client.get(reverse(name)).status_code == 200
    assert time.monotonic() - started < 2


def test_login_limits_still_count_while_the_cache_is_down(cache_down, client, exhibitor_owner, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    for _ in range(3):
        client.post(reverse("account_login"), {"login": exhibitor_owner.email, "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": exhibitor_owner.email, "password": "wrong"})
    assert response.status_code == 429 or "Too many failed login attempts" in response.content.decode()


# ---------------------------------------------------------------- matcher claims


def planned_run():
    w = small_exhibition()
    run = services.run_start(exhibition=w["exhibition"], queue=False)
    services.run_claim(run_id=run.pk)
    run.refresh_from_db()
    services.run_plan(run=run)
    return run


def test_a_live_claim_is_respected_and_an_expired_or_dead_ones_taken_over():
    run = planned_run()
    assert services.chunk_claim(run_id=run.pk, index=0, owner="elsewhere:1:a")
    assert not services.chunk_claim(run_id=run.pk, index=0, owner="elsewhere:2:b")  # live, other host
    MatchChunk.objects.filter(run=run).update(claim_expires_at=timezone.now() - timedelta(seconds=1))
    assert services.chunk_claim(run_id=run.pk, index=0, owner="elsewhere:2:b")
    # A redelivered chunk whose holder was a process of this host that is gone: at once.
    dead = f"{socket.gethostname()}:{2**22 + 12345}:c"
    MatchChunk.objects.filter(run=run).update(claimed_by=dead, claim_expires_at=timezone.now() + timedelta(minutes=1))
    assert services.chunk_claim(run_id=run.pk, index=0, owner=services.claim_owner("d"))
    chunk = MatchChunk.objects.get(run=run, index=0)
    assert chunk.attempts == 3 and chunk.claimed_by.endswith(":d")


def test_a_chunk_tried_too_often_fails_its_run_with_a_visible_error():
    run = planned_run()
    MatchChunk.objects.filter(run=run).update(attempts=services.MAX_ATTEMPTS, error="ValueError: boom")
    assert not services.chunk_claim(run_id=run.pk, index=0)
    run.refresh_from_db()
    assert run.status == "failed" and "tried 5 times" in run.error and "boom" in run.error


def test_requeuing_chunks_of_a_quiet_run_is_not_an_attempt_but_taking_over_a_dead_one_is(monkeypatch):
    from matching import tasks

    run = planned_run()
    monkeypatch.setattr(tasks.run_matcher_chunk, "delay", lambda *args: None)  # only count, do not run
    attempts = MatchRun.objects.get(pk=run.pk).attempts
    MatchRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    assert services.runs_requeue_stale() == 1  # its pending chunk: a message maybe lost
    assert MatchRun.objects.get(pk=run.pk).attempts == attempts
    services.chunk_claim(run_id=run.pk, index=0, owner="elsewhere:1:a")
    MatchChunk.objects.filter(run=run).update(claim_expires_at=timezone.now() - timedelta(seconds=1))
    assert services.runs_requeue_stale() == 1  # its holder went silent: a takeover
    assert MatchRun.objects.get(pk=run.pk).attempts == attempts + 1


def test_the_runs_page_says_when_a_run_stalls(client, staff):
    run = planned_run()
    url = reverse("matching:run_progress", kwargs={"slug": run.exhibition.slug, "pk": run.pk})
    client.force_login(staff)
    assert "data-stalled" not in client.get(url).content.decode()
    MatchRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=2))
    assert "Stalled" in client.get(url).content.decode()


# ---------------------------------------------------------------- hostile input


@pytest.mark.parametrize(
    "path",
    [
        "/companies/?q=%00",
        "/companies/hs/?q=%00",
        "/companies/%00/",
        "/companies/invitations/%00/",
    ],
)
def test_nul_bytes_get_400_or_404(client, staff, path):
    client.force_login(staff)
    assert client.get(path).status_code in (400, 404)
    assert client.post(path, {"q": "\x00"}).status_code in (400, 404, 405)


def test_nul_in_the_issue_s_exhibition_urls(client, staff):
    exhibition = factories.ExhibitionFactory(cooperative=staff.cooperative) if hasattr(staff, "cooperative") else None
    exhibition = exhibition or factories.ExhibitionFactory()
    client.force_login(staff)
    slug = exhibition.slug
    for path in (
        f"/exhibitions/{slug}/booths/%00/",
        f"/exhibitions/{slug}/meetings/request/?exhibitor=%00",
        "/exhibitions/data/export/?exhibition=%00",
        f"/exhibitions/{slug}/meetings/board/?day=9999-99-99",
    ):
        assert client.get(path).status_code in (200, 400, 404), path
    assert client.post(f"/exhibitions/{slug}/meetings/request/?exhibitor=%00").status_code in (400, 404)


def test_a_json_import_with_nul_is_refused_at_preview_naming_the_place():
    plan = plan_import({"companies": [{"ref": "KR-1", "name": {"en": "Bad\x00Name"}}]})
    assert plan.problems
    text = " ".join(str(p) for p in plan.problems)
    assert "NUL" in text and "companies" in text and "name" in text


def test_security_headers_and_the_language_cookie(client):
    response = client.get(reverse("account_login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"]
    response = client.post(reverse("set_language"), {"language": "ko", "next": "/"})
    assert response.cookies["django_language"]["samesite"] == "Lax"


def test_templates_have_no_inline_script_or_handlers():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "templates"
    offenders = []
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\ssrc=)[^>]*>", text) or re.search(r"\son[a-z]+=\"|hx-on[:-]", text):
            offenders.append(str(path.relative_to(root)))
    assert not offenders


def png_bytes(size, extra=b""):
    buffer = io.BytesIO()
    Image.new("1", size).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue() + extra


def test_a_decompression_bomb_logo_is_refused_and_appended_html_is_stripped(exhibitor_owner):
    from companies.forms import CompanyForm

    company = exhibitor_owner.company
    bomb = png_bytes((12000, 12000))  # 144 megapixels in a few KB
    assert len(bomb) < 100_000
    form = CompanyForm(
        data={"name_en": company.name_en or "X", "country": "KR"},
        files={"logo": SimpleUploadedFile("bomb.png", bomb, content_type="image/png")},
        instance=company,
    )
    assert not form.is_valid() and "logo" in form.errors
    html = b"<html><script>alert(1)</script></html>"
    form = CompanyForm(
        data={"name_en": company.name_en or "X", "country": "KR"},
        files={"logo": SimpleUploadedFile("x.png", png_bytes((40, 40), html), content_type="image/png")},
        instance=company,
    )
    form.is_valid()  # other fields may complain; the logo itself is fine
    assert "logo" not in form.errors
    logo = form.cleaned_data["logo"]
    logo.seek(0)
    content = logo.read()
    assert b"<script" not in content and content.startswith(b"\x89PNG")


def test_exports_neutralise_full_width_formula_signs_and_xlsx_keeps_text_as_text():
    header = ["name"]
    rows = [["＝HYPERLINK(evil)"], ["=1+1"], ["＠SUM(A1)"], ["plain"]]
    text = exports.as_csv(header, rows).decode("utf-8-sig")
    assert "'＝HYPERLINK" in text and "'=1+1" in text and "'＠SUM" in text and "'plain" not in text
    book = load_workbook(io.BytesIO(exports.as_xlsx(header, rows, "t")))
    cells = [row[0] for row in book.active.iter_rows(min_row=2)]
    assert [c.value for c in cells] == ["＝HYPERLINK(evil)", "=1+1", "＠SUM(A1)", "plain"]
    assert all(c.data_type == "s" for c in cells)
    assert cells[1].quotePrefix


def test_json_import_problem_message_is_shown_at_preview(client, staff):
    client.force_login(staff)
    upload = SimpleUploadedFile(
        "data.json", json.dumps({"companies": [{"ref": "KR-1\u0000"}]}).encode(), content_type="application/json"
    )
    response = client.post(reverse("exhibitions:data_import"), {"file": upload})
    assert response.status_code in (200, 400)
    assert "NUL" in response.content.decode()


def test_a_body_bigger_than_the_limit_is_refused_before_it_is_read(client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1000
    response = client.post(reverse("account_login"), {"login": "x" * 2000, "password": "y"})
    assert response.status_code == 413
    assert client.post(reverse("account_login"), {"login": "a@b.example", "password": "y"}).status_code == 200


def test_a_huge_form_field_is_refused_at_the_door(client, settings):
    """Every free text has a limit: a 9 MB company description used to be stored and shown."""
    from tests import factories

    owner = factories.UserFactory()
    client.force_login(owner)
    response = client.post("/companies/new/", {"kind": "exhibitor", "name_en": "x", "description_en": "x" * 30_000})
    assert response.status_code == 400
    assert "longer than any text" in response.content.decode()
    from companies.models import Company

    assert not Company.objects.filter(name_en="x").exists()
