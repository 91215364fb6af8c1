"""The change log and stage history speak the reader's language: dates in the locale's format, stage and segment
names, people's names and gate labels, never stored codes. Irreversible actions ask before they are sent."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils.formats import date_format

from payments.models import Invoice
from suppliers.models import Segment, Stage, StageChange
from tests.factories import PurchaseOrderFactory, UserFactory
from tests.payments.factories import InvoiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def test_the_change_log_shows_stage_and_segment_names_and_peoples_names(manager_client, supplier_a, buyer):
    colleague = UserFactory(full_name="Carla Colleague")
    with time_machine.travel(datetime(2026, 11, 3, 14, 5, tzinfo=ZoneInfo("UTC")), tick=False):
        supplier_a.stage, supplier_a.segment, supplier_a.owner = Stage.APPROVED, Segment.LEVERAGE, colleague
        supplier_a.save()
    page = manager_client.get(reverse("suppliers:tab", args=[supplier_a.pk, "changes"])).content.decode()
    assert "Approved" in page and "Leverage" in page and "Carla Colleague" in page
    assert "→ approved" not in page and "→ leverage" not in page
    assert f"→ {colleague.pk}<" not in page
    # The short date of the reader's locale (formats/<lang>/formats.py), not the stored timestamp.
    assert date_format(date(2026, 11, 3), "SHORT_DATE_FORMAT") in page


def test_the_stage_history_names_waived_gates_by_their_label(manager_client, supplier_a, manager):
    StageChange.objects.create(
        supplier=supplier_a,
        from_stage=Stage.PILOT,
        to_stage=Stage.APPROVED,
        changed_by=manager,
        reason="Good pilot",
        checks=[{"code": "certification", "label": "old label", "passed": False, "detail": "none"}],
        waived=["certification"],
        waiver_reason="Audit booked",
    )
    page = manager_client.get(reverse("suppliers:tab", args=[supplier_a.pk, "stages"])).content.decode()
    waived = page[page.index("Waived") :]
    assert "A verified certification in force —" in waived and "certification —" not in waived
    assert "old label" not in page


def test_irreversible_actions_ask_before_they_are_sent(manager_client, supplier_a):
    page = manager_client.get(reverse("suppliers:stage", args=[supplier_a.pk])).content.decode()
    assert 'data-confirm-values="offboarded"' in page and "data-confirm=" in page
    assert "js/confirm.js" in page


def test_cancelling_an_order_and_rejecting_an_invoice_ask_first(manager_client, supplier_a):
    order = PurchaseOrderFactory(supplier=supplier_a)
    page = manager_client.get(order.get_absolute_url()).content.decode()
    assert 'data-confirm="Cancel this order?' in page
    invoice = InvoiceFactory(order=order, status=Invoice.Status.SUBMITTED)
    page = manager_client.get(reverse("payments:invoice_detail", args=[invoice.pk])).content.decode()
    assert 'data-confirm="Reject this invoice?' in page
