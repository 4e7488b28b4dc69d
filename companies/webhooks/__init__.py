"""Webhooks: cooperative staff register HTTPS endpoints that Fairlink calls, signed, when a
meeting is confirmed or cancelled, an application decided or a matcher/scheduler run
finishes (issue 14). A Django app of its own (label `webhooks`) inside companies/, because
the cooperative owns the endpoints.

Stages, one module each: `models` (endpoint, event, delivery, attempt), `events` (what the
other apps call inside their transaction: `emit`), `signing` and `transport` (the HMAC and
the HTTP call, with the URL rules), `services` (endpoints, delivery with retries), `tasks`,
then the front doors `views` (staff pages) and `api`. See docs/api.md, "Webhooks".
"""
