"""The OpenAPI document tells the truth (issue 10): schemathesis sends generated requests,
valid and invalid, to every operation of /api/v1/openapi.json, in process through WSGI, with
an owner's token for a shop that has stock, orders from pending to delivered, documents, a
COD statement and a webhook with deliveries. Every answer must be a status the operation
documents, of a documented content type and schema, and never a 500.

Generated ids rarely name a real row, so a second test sends chosen requests for the shop's
own rows (and a few writes that succeed) and checks their answers the same way.

Bounded and repeatable: EXAMPLES_PER_OPERATION generated cases per operation plus
schemathesis's coverage cases, derandomized (the same cases every run), no example database.
"""

import re
from datetime import date

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from talad.accounting.models import Document, DocumentType
from talad.integrations.models import OutboxMessage
from talad.integrations.webhooks.services import subscribe
from talad.payments.services import import_statement
from talad.shops.actors import Actor
from tests.accounting.factories import act, goods, vat_shop
from tests.conftest import token_for
from tests.orders.factories import make_order
from tests.shipping.helpers import csv_file, delivered_cod

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 40

schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json",
    get_wsgi_application(),
    config=schemathesis.Config.from_dict(
        {
            "generation": {"max-examples": EXAMPLES_PER_OPERATION, "deterministic": True},
            "phases": {"stateful": {"enabled": False}},
        }
    ),
)


@pytest.fixture
def story(db, settings):
    """A VAT shop's rows by name, and an owner's token for it."""
    settings.TALAD_WEBHOOKS_ALLOW_PRIVATE = True  # no DNS lookups for generated URLs
    by = Actor.system("test")
    shop = vat_shop()
    webhook, _secret = subscribe(
        shop=shop, url="http://127.0.0.1:9/hook", events=["order.created"], by=by
    )
    mug = goods(shop, "MUG")
    goods(shop, "TEE", price="250.00", on_hand=20)
    pending = make_order(shop, mug)
    paid = act(make_order(shop, mug, payment_method="transfer"), "pay")  # a receipt/tax invoice
    delivered = delivered_cod(shop, mug, tracking="TH0000000701")  # a tax invoice
    statement = import_statement(
        shop=shop,
        by=by,
        carrier="flash",
        content=csv_file(
            [
                ["tracking", "cod_amount", "fee", "vat_on_fee", "net_amount"],
                ["TH0000000701", "1070.00", "32.10", "2.25", "1035.65"],
                ["TH0000009999", "50.00", "1.50", "0.11", "48.39"],
            ]
        ),
        filename="statement.csv",
    ).statement
    documents = Document.objects.for_shop(shop)
    rows = {
        "shop": shop,
        "pending": pending.pk,
        "paid": paid.pk,
        "delivered": delivered.pk,
        "shipment": delivered.shipments.get().pk,
        "receipt": documents.get(order=paid).pk,
        "tax_invoice": documents.get(order=delivered, doc_type=DocumentType.TAX_INVOICE).pk,
        "statement": statement.pk,
        "webhook": webhook.pk,
        "delivery": OutboxMessage.objects.for_shop(shop).filter(topic="webhook").first().pk,
        "month": date.today().strftime("%Y-%m"),
        "headers": {"Authorization": f"Bearer {token_for(shop)}"},
    }
    # As Django's test client does: a request ending must not close the test's connection
    # (and with it the transaction that holds this shop).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield rows
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
# One shop per operation, shared by its examples (and rolled back after): what one request
# writes, the next may read.
@hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_operation_answers_as_its_openapi_entry_says(case, story):
    case.call_and_validate(headers=story["headers"], checks=CHECKS)


ORDER_LINES = {"lines": [{"sku": "TEE", "quantity": 2}]}
NEW_ORDER = {
    "channel": "line",
    "customer": {"name": "สมหญิง", "phone": "0812345678"},
    "payment_method": "transfer",
    **ORDER_LINES,
}

# (operation id, path parameters, query, body, status): values in {braces} are the story's rows.
REAL_ROWS = [
    ("getOrder", {"order_id": "{delivered}"}, {}, None, 200),
    ("getOrder", {"order_id": "{pending}"}, {}, None, 200),
    ("listOrders", {}, {"limit": "2"}, None, 200),
    ("listStuckOrders", {}, {}, None, 200),
    ("listOrderDocuments", {"order_id": "{paid}"}, {}, None, 200),
    ("getShipment", {"shipment_id": "{shipment}"}, {}, None, 200),
    ("listShipments", {}, {"tracking": "TH0000000701"}, None, 200),
    ("getDocument", {"document_id": "{receipt}"}, {}, None, 200),
    ("getDocumentPdf", {"document_id": "{tax_invoice}"}, {"copy": "original"}, None, 200),
    ("listDocuments", {}, {}, None, 200),
    ("listJournalEntries", {}, {}, None, 200),
    ("exportJournal", {}, {"format": "csv"}, None, 200),
    ("exportJournal", {}, {"format": "xlsx"}, None, 200),
    ("vatSalesReport", {}, {"month": "{month}"}, None, 200),
    ("vatSalesReport", {}, {"month": "{month}", "format": "xlsx"}, None, 200),
    ("vatSalesReport", {}, {"month": "{month}", "format": "pdf"}, None, 200),
    ("trialBalance", {}, {}, None, 200),
    ("getCodStatement", {"statement_id": "{statement}"}, {}, None, 200),
    ("listCodStatements", {}, {}, None, 200),
    ("outstandingCod", {}, {}, None, 200),
    ("listCodMappings", {}, {}, None, 200),
    ("listCarriers", {}, {"tracking": "TH0000000702"}, None, 200),
    ("printLabels", {}, {"order_ids": "{paid},{delivered}", "layout": "a4"}, None, 200),
    ("printPickList", {}, {"order_ids": "{paid}"}, None, 200),
    ("printPackingSlips", {}, {"order_ids": "{paid}"}, None, 200),
    ("listWebhookDeliveries", {"subscription_id": "{webhook}"}, {}, None, 200),
    ("getOutboxMessage", {"message_id": "{delivery}"}, {}, None, 200),
    ("createOrder", {}, {}, NEW_ORDER, 201),
    ("replaceOrderLines", {"order_id": "{pending}"}, {}, ORDER_LINES, 200),
    ("applyOrderAction", {"order_id": "{pending}", "action": "cancel"}, {}, {"reason": "x"}, 200),
    ("bulkOrderAction", {}, {}, {"order_ids": ["{pending}", 1], "action": "cancel"}, 200),
    (
        "issueCreditNote",
        {"document_id": "{tax_invoice}"},
        {},
        {"amount": "10.00", "reason_code": "price_error"},
        201,
    ),
    ("issueDocument", {"order_id": "{paid}"}, {}, {"type": "receipt"}, 409),
    ("applyOrderAction", {"order_id": "{delivered}", "action": "pack"}, {}, {}, 409),
    ("receiveStock", {}, {}, {"sku": "NOPE", "quantity": 1, "unit_cost": "1.00"}, 404),
]


def filled(value, rows):
    """`value` with each "{name}" replaced by the story's row; a lone "{name}" keeps its type."""
    if isinstance(value, dict):
        return {key: filled(item, rows) for key, item in value.items()}
    if isinstance(value, list):
        return [filled(item, rows) for item in value]
    if isinstance(value, str) and re.fullmatch(r"\{\w+\}", value):
        return rows[value[1:-1]]
    return value.format(**rows) if isinstance(value, str) else value


@pytest.mark.parametrize("operation_id, path, query, body, status", REAL_ROWS)
def test_the_shops_own_rows_answer_as_documented(story, operation_id, path, query, body, status):
    operation = schema.find_operation_by_id(operation_id)
    extra = {} if body is None else {"body": filled(body, story), "media_type": "application/json"}
    case = operation.Case(
        path_parameters=filled(path, story), query=filled(query, story) or None, **extra
    )

    response = case.call_and_validate(headers=story["headers"], checks=CHECKS)

    assert response.status_code == status, response.text[:500]
