"""The signature on every delivery, like Stripe's: a header

    Fairlink-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>

The receiver recomputes it over the raw body and refuses a timestamp older than a few
minutes (a replay). `verify` is the reference check, and docs/api.md shows it standalone."""

import hashlib
import hmac
import secrets
import time

HEADER = "Fairlink-Signature"
TOLERANCE_SECONDS = 300


def new_secret():
    return f"whsec_{secrets.token_urlsafe(32)}"


def signature(secret, timestamp, body):
    message = f"{int(timestamp)}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def header_value(secret, body, *, timestamp=None):
    timestamp = int(time.time() if timestamp is None else timestamp)
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(secret, body, header, *, now=None, tolerance=TOLERANCE_SECONDS):
    """True when `header` signs `body` with `secret` and is recent enough."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), parts.get("v1", ""))
