"""run.finished from the matcher and the scheduler, and which URLs an endpoint may have."""

import socket
from io import StringIO

import pytest
from django.core.management import call_command

from companies.webhooks import transport
from companies.webhooks.models import WebhookEvent
from exhibitions.scheduling import services as schedule_services
from exhibitions.scheduling import tasks as schedule_tasks
from tests.matching.helpers import small_exhibition
from tests.scheduling.conftest import make_show

from .conftest import make_endpoint

pytestmark = pytest.mark.django_db


def test_a_finished_matcher_run_is_an_event(receiver):
    w = small_exhibition()
    make_endpoint(w["exhibition"].cooperative, receiver.url, events=["run.finished"])
    call_command("run_matcher", w["exhibition"].slug, stdout=StringIO())
    event = WebhookEvent.objects.get()
    assert event.type == "run.finished"
    run = event.data["run"]
    assert (run["kind"], run["exhibition"], run["status"]) == ("matcher", w["exhibition"].slug, "finished")
    assert run["suggestions_created"] > 0


def test_a_finished_scheduler_run_is_an_event(receiver):
    show = make_show()
    make_endpoint(show.exhibition.cooperative, receiver.url, events=["run.finished"])
    run = schedule_services.schedule_run_start(exhibition=show.exhibition, by=None, seconds=1, queue=False)
    schedule_tasks.run_schedule(run.pk)
    event = WebhookEvent.objects.get()
    assert event.data["run"]["kind"] == "scheduler" and event.data["run"]["id"] == run.pk
    assert event.data["run"]["placed"] == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/hook",  # not https
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://169.254.169.254/latest/meta-data",  # cloud metadata
        "https://[::1]/hook",
        "https://[fd00::1]/hook",
        "https://0.0.0.0/hook",
        "https://user:pass@93.184.216.34/hook",
        "ftp://93.184.216.34/hook",
    ],
)
def test_production_refuses_unsafe_urls(settings, url):
    settings.WEBHOOKS_ALLOW_LOCAL = False
    with pytest.raises(transport.UnsafeURL):
        transport.check_url(url)


def test_production_refuses_a_name_that_resolves_to_a_private_address(settings, monkeypatch):
    settings.WEBHOOKS_ALLOW_LOCAL = False
    answers = {"hooks.example.com": "10.0.0.7", "public.example.com": "93.184.216.34"}

    def fake_getaddrinfo(host, port, *args, **kwargs):  # DNS is the outside world
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    with pytest.raises(transport.UnsafeURL):
        transport.check_url("https://hooks.example.com/in")
    transport.check_url("https://public.example.com/in")
    # Checked again at sending time: a name that now points inside is not called.
    response = transport.post("https://hooks.example.com/in", b"{}", {})
    assert response.status_code is None and "public address" in response.error


def test_production_accepts_https_on_a_public_address(settings):
    settings.WEBHOOKS_ALLOW_LOCAL = False
    transport.check_url("https://93.184.216.34/hooks?x=1")


def test_debug_and_tests_allow_a_local_http_receiver(settings):
    settings.WEBHOOKS_ALLOW_LOCAL = True
    transport.check_url("http://127.0.0.1:8001/hooks")
    with pytest.raises(transport.UnsafeURL):
        transport.check_url("ftp://127.0.0.1/hooks")
