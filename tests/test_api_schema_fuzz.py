"""The REST API keeps the promises of its OpenAPI schema (schemathesis over what /api/v1/schema/ serves).

Every operation is called with generated requests, valid and invalid, with a staff token and with a factory
contact's token, through the in-process WSGI app, over a database holding objects of every kind for two suppliers.
No answer may be a 5xx, use a status code or content type the schema does not list, have a body the schema does
not describe, or take seconds. Bounded for CI: the coverage phase's deterministic cases plus a few fuzzed
examples per operation, with a fixed seed, derandomized; `make fuzz-api` runs the same with many more examples.

Each operation runs as one test inside one transaction: what an example writes (a contact deleted, an order
sent) is seen by the next ones, which must still answer within the schema; the next test starts afresh.
"""

import json
import os
from datetime import datetime, time, timedelta

import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from schemathesis.checks import max_response_time, not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from communications.models import CheckIn
from imports.models import ImportJob
from integrations.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from suppliers.models import Stage, Supplier
from tests.conftest import supplier_objects
from tests.factories import api_token_for

# Fuzzed examples per operation and token, on top of the coverage phase's cases; `make fuzz-api` sets 100.
EXAMPLES = int(os.environ.get("FUZZ_API_EXAMPLES", "5"))

if "postgresql" not in settings.DATABASES["default"]["ENGINE"] and "FUZZ_API_EXAMPLES" not in os.environ:
    pytest.skip(
        "the API fuzz run (two CPU-minutes) runs on PostgreSQL, as in CI: its 32-bit integer columns overflow "
        "where SQLite's do not, and the answers are otherwise the same; `make fuzz-api` runs it on any database",
        allow_module_level=True,
    )

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20261110,
        "suppress-health-check": ["all"],
        "generation": {
            "max-examples": EXAMPLES,
            "deterministic": True,
            "database": "none",
            "mode": "all",
            # The token is ours to send; generated Authorization headers and session cookies test nothing here.
            "with-security-parameters": False,
        },
        "phases": {"stateful": {"enabled": False}},
        # Seconds: an answer takes milliseconds; one that takes this long does work the caller should not cause.
        "checks": {"max_response_time": 10},
        "operations": [
            {
                # The coverage phase sends one valid request per value of every enum: for a supplier, 249
                # countries and 600 time zones in three media types, 2,800 requests (two minutes) an operation.
                # Its invalid requests stay; the fuzzing phase picks valid countries and time zones at random.
                "include-name": [
                    "POST /api/v1/suppliers/",
                    "PUT /api/v1/suppliers/{id}/",
                    "PATCH /api/v1/suppliers/{id}/",
                ],
                "phases": {"coverage": {"generation": {"mode": "negative"}}},
            }
        ],
    }
)


def _served_schema() -> dict:
    """Return the schema as /api/v1/schema/?format=json serves it (rendered to JSON and read back)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema, renderer_context={}))


SCHEMA = schemathesis.openapi.from_dict(_served_schema(), config=CONFIG)
APP = WSGIHandler()
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    max_response_time,
]

# The objects an `{id}` in a path, or a foreign key in a body or a query string, should mostly point at.
OBJECTS_BY_RESOURCE = {
    "suppliers": "supplier",
    "contacts": "contact",
    "certifications": "certification",
    "orders": "order",
    "deliveries": "delivery",
    "order-changes": "order_change",
    "production-plans": "production_plan",
    "production-logs": "production_log",
    "disruptions": "disruption",
    "forecasts": "forecast",
    "inspections": "inspection",
    "lab-reports": "batch_test",
    "audits": "audit",
    "corrective-actions": "capa",
    "issues": "issue",
    "check-ins": "checkin",
    "closures": "closure",
    "invoices": "invoice",
    "invoice-discrepancies": "discrepancy",
    "payments": "payment",
    "payment-term-changes": "term_change",
    "price-agreements": "price_agreement",
    "price-change-requests": "price_change",
    "cost-breakdown-requests": "cost_breakdown",
    "red-flags": "red_flag",
    "scorecard-contests": "row_contest",
    "reference-letters": "reference_letter",
    "imports": "import_job",
    "registrations": "registration",
    "webhook-endpoints": "webhook_endpoint",
    "webhook-deliveries": "webhook_delivery",
    "capability-claims": "capability_claim",
    "verification-policies": "verification_policy",
    "capability-observations": "capability_observation",
    "visit-people": "visit_person",
    "visit-notes": "visit_note",
    "visit-cadences": "visit_cadence",
    "improvement-ideas": "improvement_idea",
    "trainings": "training",
    "community-programmes": "community_programme",
    "announcements": "announcement",
    "product-invitations": "product_invitation",
    "inspection-severities": "inspection_severity",
}
OBJECTS_BY_FIELD = {
    "supplier": "supplier",
    "order": "order",
    "delivery": "delivery",
    "inspection": "inspection",
    "finding": "finding",
    "invoice": "invoice",
    "order_line": "line",
    "agreement": "price_agreement",
    "replaces": "certification",
    "pilot_program": "pilot",
    "owner": "user",
    "project_manager": "user",
    "qc_lead": "user",
    "endpoint": "webhook_endpoint",
    "audit": "audit",
    "given_by": "user",
}


@pytest.fixture
def _requests_inside_the_test_transaction():
    """Keep each in-process request from closing the database connection that holds the test's transaction.

    Django's test client does the same: a WSGI request sends request_started and request_finished, on which
    close_old_connections would close the connection (and roll the test's data back) in mid-test.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=["staff", "factory"])
def caller(request, supplier_a, supplier_b, quality, admin_user, portal_a, hidden_a, buyer):
    """Return the caller's token and, by kind, the ids of real objects of both suppliers (A's factory sees A's)."""
    # Active suppliers, so that the scorecards have rows.
    Supplier.objects.filter(pk__in=[supplier_a.pk, supplier_b.pk]).update(stage=Stage.APPROVED)
    ids: dict[str, list[int]] = {"user": [buyer.pk, quality.pk]}
    for supplier in (supplier_a, supplier_b):
        for kind, obj in supplier_objects(supplier, quality).items():
            ids.setdefault(kind, []).append(obj.pk)
        # A check-in still to come, which a declared closure moves.
        day = timezone.localdate() + timedelta(days=14)
        CheckIn.objects.create(
            supplier=supplier,
            original_date=day,
            date=day,
            scheduled_at=timezone.make_aware(datetime.combine(day, time(9))),
        )
    for kind, obj in hidden_a.items():  # a planned audit (no result yet): staff see it, the factory does not
        ids[kind].append(obj.pk)
    # A spreadsheet import waiting for its confirmation (staff see it, factory contacts see no import).
    ids["import_job"] = [
        ImportJob.objects.create(
            kind="suppliers",
            file_name="suppliers.csv",
            file_kind="csv",
            content=b"name,country\nFuzz Works,CN\n",
            status=ImportJob.Status.PREVIEWED,
            total_rows=1,
            created_count=1,
            created_by=buyer,
        ).pk
    ]
    # An administrator's webhook endpoint with one delivery (no supplier's: a factory token sees neither).
    endpoint = WebhookEndpoint.objects.create(
        name="ERP", url="https://erp.example.com/hooks", owner=admin_user, event_types=["order.state_changed"]
    )
    event = WebhookEvent.objects.create(type="order.state_changed", supplier_id=supplier_a.pk)
    ids["webhook_endpoint"] = [endpoint.pk]
    ids["webhook_delivery"] = [WebhookDelivery.objects.create(event=event, endpoint=endpoint).pk]
    # A verification policy (no supplier's: a factory token sees none).
    from audits.models import VerificationPolicy

    ids["verification_policy"] = [
        VerificationPolicy.objects.create(risk_tier="high", audit_every_months=12).pk
    ]
    user = admin_user if request.param == "staff" else portal_a
    return {"token": api_token_for(user), "ids": ids}


def _real_id(value, ids: list[int]):
    """Map a generated integer onto one of the real ids, or keep it (a missing object): a fixed choice by value."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)  # the coverage phase writes path ids as strings
    if not isinstance(value, int) or isinstance(value, bool) or not ids:
        return value
    choices = [*ids, value]
    return choices[value % len(choices)]


def _point_foreign_keys_at_real_objects(data, ids: dict[str, list[int]]) -> None:
    """Point the foreign keys of a generated body or query string, at any depth, mostly at real objects."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in OBJECTS_BY_FIELD:
                data[key] = _real_id(value, ids.get(OBJECTS_BY_FIELD[key], []))
            else:
                _point_foreign_keys_at_real_objects(value, ids)
    elif isinstance(data, list):
        for item in data:
            _point_foreign_keys_at_real_objects(item, ids)


@pytest.mark.django_db
@pytest.mark.usefixtures("_requests_inside_the_test_transaction")
@SCHEMA.parametrize()
def test_api_answers_as_its_schema_says(case, caller):
    # Random ids would only ever find nothing: most requests name real objects, of both suppliers.
    ids = caller["ids"]
    if case.path_parameters and "id" in case.path_parameters:
        kind = OBJECTS_BY_RESOURCE[case.operation.path.split("/")[3]]
        case.path_parameters["id"] = _real_id(case.path_parameters["id"], ids[kind])
    _point_foreign_keys_at_real_objects(case.body, ids)
    _point_foreign_keys_at_real_objects(case.query, ids)

    response = case.call(app=APP, headers={"Authorization": f"Token {caller['token']}"})

    case.validate_response(response, checks=CHECKS)
