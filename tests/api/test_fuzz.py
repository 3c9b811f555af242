"""Schema-driven fuzzing: schemathesis generates requests for every operation of the live OpenAPI
document and checks each answer: no server error, a status the document declares for that
operation, the declared content type, and a body that matches the declared schema.

Deterministic (``derandomize``) and bounded: ``EXAMPLES`` per operation, about 1,000 requests in all,
as an administrator (so requests reach past authentication into every route).
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks

from kodeks.api.app import create_app
from tests.governance.world import BOOTSTRAP, build_world

EXAMPLES = 12
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(build_world().kodeks))


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    phases=[Phase.generate],
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented(case: schemathesis.Case) -> None:
    # call_and_validate raises on any failed check (server error, undeclared status, schema mismatch).
    response = case.call_and_validate(headers={"Authorization": f"Bearer {BOOTSTRAP}"}, checks=CHECKS)
    assert response.status_code < 500
