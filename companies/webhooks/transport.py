"""Which URLs an endpoint may have, and the one HTTP POST of a delivery.

Rules (docs/api.md, "Webhooks"): https only, on a public address. A host that is, or
resolves to, a private, loopback, link-local, reserved or multicast address is refused when
the endpoint is saved and again before each request (the name may resolve elsewhere by
then), so a webhook cannot be pointed at the cooperative's or our own internal services.
`WEBHOOKS_ALLOW_LOCAL` (True only in DEBUG and the tests) also lets http://127.0.0.1 and
other local addresses through, for a receiver on the developer's machine. Redirects are not
followed (a 3xx is a failed attempt)."""

import http.client
import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

CONNECT_TIMEOUT = 5.0
# The whole request, connecting included, gives up after this.
TOTAL_TIMEOUT = 10.0
EXCERPT_CHARS = 500
USER_AGENT = "Fairlink-Webhooks/1"


class UnsafeURL(ValueError):
    pass


def allow_local():
    return bool(getattr(settings, "WEBHOOKS_ALLOW_LOCAL", settings.DEBUG))


def _is_public(address):
    ip = ipaddress.ip_address(address)
    return ip.is_global and not ip.is_multicast


def check_url(url, *, resolve=True):
    """Raise UnsafeURL with a reason the person can read when `url` may not be an endpoint."""
    parts = urlsplit(url)
    local = allow_local()
    if parts.scheme != "https" and not (local and parts.scheme == "http"):
        raise UnsafeURL(_("The URL must start with https://."))
    if not parts.hostname:
        raise UnsafeURL(_("The URL needs a host name."))
    if parts.username or parts.password:
        raise UnsafeURL(_("Put no user name or password in the URL; check the signature instead."))
    if local:
        return
    try:
        addresses = [ipaddress.ip_address(parts.hostname).exploded]
    except ValueError:
        if parts.hostname.rstrip(".").lower() in {"localhost"} or parts.hostname.endswith(".localhost"):
            raise UnsafeURL(_("The URL must be on a public address, not a private or local one.")) from None
        addresses = None
    if addresses is None and resolve:
        try:
            infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):
            raise UnsafeURL(_("The host name of this URL cannot be found.")) from None
        addresses = [info[4][0] for info in infos]
    if addresses and not all(_is_public(address) for address in addresses):
        raise UnsafeURL(_("The URL must be on a public address, not a private or local one."))


@dataclass
class Response:
    status_code: int | None
    duration_ms: int
    excerpt: str = ""
    error: str = ""

    @property
    def ok(self):
        return self.status_code is not None and 200 <= self.status_code < 300


def post(url, body, headers):
    """POST `body` to `url`; never raises. Timeouts, refused connections, TLS errors and
    unsafe addresses come back as a Response with `error` and no status code."""
    started = time.monotonic()

    def done(**kwargs):
        return Response(duration_ms=int((time.monotonic() - started) * 1000), **kwargs)

    try:
        check_url(url)
    except UnsafeURL as exc:
        return done(status_code=None, error=str(exc))
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname, parts.port, timeout=CONNECT_TIMEOUT)
    try:
        connection.connect()
        # What is left of the total for sending and waiting for the answer.
        connection.sock.settimeout(max(0.1, TOTAL_TIMEOUT - (time.monotonic() - started)))
        connection.request("POST", path, body=body, headers={"User-Agent": USER_AGENT, **headers})
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_CHARS * 4).decode("utf-8", errors="replace")[:EXCERPT_CHARS]
        return done(status_code=response.status, excerpt=excerpt)
    except TimeoutError:
        return done(status_code=None, error="timeout")
    except (OSError, http.client.HTTPException) as exc:
        return done(status_code=None, error=f"{type(exc).__name__}: {exc}"[:300])
    finally:
        connection.close()
