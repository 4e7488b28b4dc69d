"""Webhook pages (companies/webhooks): a cooperative's staff and admins; an endpoint of
another cooperative is the admins' only."""

from companies.webhooks import signing
from companies.webhooks.models import WebhookEndpoint
from tests import factories
from tests.permissions import roles as r
from tests.permissions.matrix import Row


def endpoint_of(cooperative):
    return WebhookEndpoint.objects.create(
        cooperative=cooperative,
        url="http://127.0.0.1:9/hook",
        events=["meeting.confirmed"],
        secret=signing.new_secret(),
    )


def own_endpoint(world):
    return {"pk": endpoint_of(world.cooperative).pk}


def other_cooperatives_endpoint(world):
    return {"pk": endpoint_of(factories.CooperativeFactory()).pk}


def new_endpoint(world):
    return {"url": "http://127.0.0.1:9/hook", "events": ["meeting.confirmed"], "cooperative": world.cooperative.pk}


ROWS = [
    Row("webhooks:list", allowed=r.ANY_STAFF),
    Row("webhooks:create", allowed=r.ANY_STAFF),
    Row("webhooks:create", method="post", label="post", data=new_endpoint, allowed=r.ANY_STAFF),
    Row("webhooks:detail", build=own_endpoint, allowed=r.ORGANISERS),
    Row("webhooks:detail", build=other_cooperatives_endpoint, label="other-cooperative", allowed={r.ADMIN}),
    Row("webhooks:test", method="post", build=own_endpoint, allowed=r.ORGANISERS),
    Row("webhooks:test", method="post", build=other_cooperatives_endpoint, label="other", allowed={r.ADMIN}),
    Row("webhooks:delete", method="post", build=own_endpoint, allowed=r.ORGANISERS),
    Row("webhooks:delete", method="post", build=other_cooperatives_endpoint, label="other", allowed={r.ADMIN}),
]
