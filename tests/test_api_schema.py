"""The API against its own OpenAPI schema: the schema is valid OpenAPI 3, and Schemathesis
sends every operation requests generated from it (valid and invalid parameters alike) to
the real app, on every curated record: no answer may be a server error, nor break the
schema (status codes, content types, bodies and headers as documented)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# Generated requests per operation: enough to reach every parameter's odd values, few enough
# for CI (about 20 operations).
EXAMPLES = 25


# The schema as the app serves it (drawing it reads no record, so it is read at collection).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@pytest.fixture(autouse=True)
def _served_to_schemathesis(curated_data, settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    # Schemathesis sends hundreds of requests from one address; the limit is tested apart.
    settings.CASEBOOK_RATE_LIMITS = {**settings.CASEBOOK_RATE_LIMITS, "api": "100000/m"}
    # The app is called as a server calls it, whose request signals close the database
    # connection after each request (DATABASE_CONN_MAX_AGE=0); the test's transaction must
    # outlive them, as Django's own test client arranges.
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_its_schema_says(case):
    case.call_and_validate(checks=CHECKS)


def test_the_schema_is_valid_openapi_3_and_documents_every_operation(client):
    from drf_spectacular.validation import validate_schema

    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    document = response.json()
    validate_schema(document)
    assert document["openapi"].startswith("3.")
    operations = [op for path in document["paths"].values() for op in path.values()]
    assert len(operations) >= 20
    for operation in operations:
        assert operation.get("summary"), operation["operationId"]
        for parameter in operation.get("parameters", []):
            has_example = "example" in parameter or parameter.get("examples")
            assert parameter.get("description"), (operation["operationId"], parameter["name"])
            assert has_example, (operation["operationId"], parameter["name"])
        assert {"200", "404", "429"} <= set(operation["responses"])
