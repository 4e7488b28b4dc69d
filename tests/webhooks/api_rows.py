"""The webhook endpoints' rows of the API permission matrix (tests/api/test_permission_matrix.py):
cooperative staff and admins; another cooperative's endpoint is the admins' only."""

from tests import factories
from tests.permissions import roles as r
from tests.permissions.matrix_webhooks import endpoint_of, new_endpoint


def two_cooperatives(world):
    world.extra["own"] = endpoint_of(world.cooperative)
    world.extra["other"] = endpoint_of(factories.CooperativeFactory())
    return {}


def listed(world, role):
    if role == r.ADMIN:
        return [world.extra["own"].pk, world.extra["other"].pk]
    if role == r.OTHER_STAFF:  # a third cooperative's staff: none of these two
        return []
    return [world.extra["own"].pk]


def own(world):
    return {"pk": endpoint_of(world.cooperative).pk}


def others(world):
    return {"pk": endpoint_of(factories.CooperativeFactory()).pk}


def rows(ApiRow):  # noqa: N803 - the matrix's own row class, passed in to avoid a circular import
    return [
        ApiRow("api:webhook_list", allowed=r.ANY_STAFF, build=two_cooperatives, shows=listed),
        ApiRow("api:webhook_list", label="create", method="post", data=new_endpoint, allowed=r.ANY_STAFF),
        ApiRow("api:webhook_detail", allowed=r.ORGANISERS, build=own),
        ApiRow("api:webhook_detail", label="other", allowed={r.ADMIN}, build=others),
        ApiRow("api:webhook_detail", label="delete", method="delete", allowed=r.ORGANISERS, build=own),
        ApiRow("api:webhook_deliveries", allowed=r.ORGANISERS, build=own),
        ApiRow("api:webhook_deliveries", label="other", allowed={r.ADMIN}, build=others),
        ApiRow("api:webhook_test", method="post", allowed=r.ORGANISERS, build=own),
        ApiRow("api:webhook_test", label="other", method="post", allowed={r.ADMIN}, build=others),
    ]
