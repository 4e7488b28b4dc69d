"""Property-based check of the API against its committed description (docs/api/openapi.yaml)
with Schemathesis: every operation, called through the WSGI app with generated parameters
and bodies, as a buyer and as cooperative staff, never answers 500 and answers what the
description says (status code, content type, body schema). Few examples per operation
(EXAMPLES), so the whole file runs in about a minute on the CI machine."""

from pathlib import Path

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis import checks

from companies.api_auth import TokenRateThrottle
from tests import factories
from tests.api.conftest import bearer

EXAMPLES = 8
# What the description promises about each answer. Not `ignored_auth`: the exhibitions, the
# directory, companies and HS codes are public, and a token is optional there.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]
schema = schemathesis.openapi.from_path(Path(settings.BASE_DIR) / "docs" / "api" / "openapi.yaml")
schema.config.update(base_url="http://localhost")
schema.app = get_wsgi_application()


@pytest.fixture
def keep_connections():
    """Calls go through the WSGI app, not Django's test client: like the client, keep the
    end of a request from closing the database connection, which on PostgreSQL would end the
    test's transaction (on SQLite's in-memory database closing is a no-op)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def people(db, monkeypatch, keep_connections):
    """A buyer and a staff member with write tokens, and an open exhibition of the staff's
    cooperative with an approved exhibitor, so that generated calls reach real rows."""
    monkeypatch.setattr(TokenRateThrottle, "rate", "100000/min", raising=False)  # many calls in a minute
    staff = factories.StaffFactory()
    exhibition = factories.ExhibitionFactory(cooperative=staff.cooperative)
    exhibitor = factories.MembershipFactory(company=factories.ExhibitorFactory(hs=["848071"])).company
    factories.ApplicationFactory(exhibition=exhibition, company=exhibitor, status="approved")
    buyer = factories.MembershipFactory(company=factories.BuyerFactory()).user
    return {
        "buyer": bearer(buyer, scope="write")["HTTP_AUTHORIZATION"],
        "staff": bearer(staff, scope="write")["HTTP_AUTHORIZATION"],
        "slug": exhibition.slug,
        "ref": exhibitor.ref,
    }


@pytest.mark.parametrize("who", ["buyer", "staff"])
@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_answers_as_described(case, people, who):
    # Half the calls name the real exhibition and company (a random slug is only ever a 404).
    for name in ("slug", "ref"):
        if case.path_parameters and name in case.path_parameters and hash(str(case.body)) % 2 == 0:
            case.path_parameters[name] = people[name]
    case.call_and_validate(headers={"Authorization": people[who]}, checks=CHECKS)
