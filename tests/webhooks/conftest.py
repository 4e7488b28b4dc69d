import http.server
import threading
import time
from dataclasses import dataclass, field

import pytest

from companies.webhooks import signing
from companies.webhooks.models import EventType, WebhookEndpoint


@dataclass
class Receiver:
    """A local HTTP server that answers each POST with the next of `answers` (a status code,
    or "slow" to sleep past the client's timeout), then 200; it keeps what it received."""

    url: str = ""
    answers: list = field(default_factory=list)
    received: list = field(default_factory=list)
    slow_seconds: float = 2.0
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture
def receiver():
    state = Receiver()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with state.lock:
                state.received.append({"headers": dict(self.headers), "body": body, "path": self.path})
                answer = state.answers.pop(0) if state.answers else 200
            if answer == "slow":
                time.sleep(state.slow_seconds)
                answer = 200
            self.send_response(answer)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(f"answer {answer}".encode())

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/fairlink"
    yield state
    server.shutdown()
    server.server_close()


def make_endpoint(cooperative, url, events=tuple(EventType.values), **kwargs):
    return WebhookEndpoint.objects.create(
        cooperative=cooperative, url=url, events=list(events), secret=signing.new_secret(), **kwargs
    )
