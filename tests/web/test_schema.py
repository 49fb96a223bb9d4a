"""Property-based test of the read API against its own OpenAPI schema: no input makes a 5xx.

schemathesis turns each GET operation of `/openapi.json` into a hypothesis strategy of
requests, which run against the app in process. The run is bounded: `EXAMPLES` requests per
operation and no example database.
"""

from __future__ import annotations

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import Case
from schemathesis.schemas import APIOperation

from newsdesk.config import Settings
from newsdesk.store import Store
from newsdesk.web import create_app

EXAMPLES = 12


def _never_a_server_error(operation: APIOperation) -> int:
    """Run generated requests for one operation; fail on the first 5xx. Returns how many ran."""
    calls = []

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(case: Case) -> None:
        response = case.call()
        calls.append(response.status_code)
        assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text}"

    check()
    return len(calls)


def test_no_read_request_makes_a_server_error(desk_store: Store, settings: Settings) -> None:
    app = create_app(desk_store, settings)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(method="GET")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 9, [operation.label for operation in operations]
    calls = [_never_a_server_error(operation) for operation in operations]
    assert sum(calls) > 5 * len(operations)


def test_control_characters_in_a_query_are_a_clear_422(client: TestClient) -> None:
    """PostgreSQL refuses NUL in text: such a query is refused before it reaches the store."""
    for path in ("/api/search?organization=%00", "/api/search?q=a%00b", "/search?outlet=%07"):
        assert client.get(path).status_code == 422
