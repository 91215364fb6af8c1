"""The defect-rate playbook's "Switch to tightened inspection": a hand switch of a SKU with the flag's figures as
the reason, refused (with a message, nothing changed) when the SKU is already tightened; the factory is told."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from audits import services
from audits.models import InspectionSeverity, QCInspection, Severity, SeveritySwitch, SwitchRule
from communications.messages import message_render
from communications.models import Notification
from scorecards.models import RedFlag
from scorecards.playbooks.models import PlaybookAction
from scorecards.playbooks.services import playbook_action_take
from tests.factories import OrderLineFactory, PurchaseOrderFactory

pytestmark = pytest.mark.django_db
Kind = PlaybookAction.Kind


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-25 09:00 +00:00", tick=False):
        yield


def defect_flag(supplier):
    return RedFlag.objects.create(
        supplier=supplier,
        rule=RedFlag.Rule.DEFECT_RATE,
        period="2026-W48",
        observed="3.00 %",
        target="< 1 %",
        recommended_action="Strengthen QC processes.",
    )


def rejected_lot(supplier, quality, sku="TOTE-01", lot="B2"):
    order = PurchaseOrderFactory(supplier=supplier)
    OrderLineFactory(order=order, sku=sku)
    return services.inspection_record(
        supplier=supplier,
        by=quality,
        order=order,
        lot_number=lot,
        checkpoint=QCInspection.Checkpoint.PRE_SHIPMENT,
        inspected_on=timezone.localdate() - timedelta(days=1),
        lot_size=1000,
        aql_major=Decimal("2.5"),
        major_defects=6,
        defective_units=6,
    )


def test_the_defect_playbook_tightens_the_sku_of_the_latest_rejected_lot_and_tells_the_factory(
    supplier_a, quality, portal_a
):
    rejected_lot(supplier_a, quality)
    portal_a.language = "vi"
    portal_a.save(update_fields=["language"])
    flag = defect_flag(supplier_a)
    action = playbook_action_take(flag=flag, by=quality, kind=Kind.TIGHTENED_INSPECTION)
    state = InspectionSeverity.objects.get(supplier=supplier_a, sku="TOTE-01")
    assert (state.severity, state.rule) == (Severity.TIGHTENED, SwitchRule.DEFECT_FLAG)
    assert action.severity_switch == SeveritySwitch.objects.get(state=state)
    assert "3.00 %" in state.explanation and "< 1 %" in state.explanation
    told = Notification.objects.get(user=portal_a, message_key="inspection_severity_switched")
    assert told.params["severity"] == "tightened" and told.params["product"] == "TOTE-01"
    with translation.override("vi"):
        title, body = message_render(told.message_key, told.params)
    assert "TOTE-01" in title and "3.00 %" in body
    assert title != "Inspection of TOTE-01 is now tightened"  # in Vietnamese


def test_the_step_is_refused_with_a_message_when_the_sku_is_already_tightened(supplier_a, quality):
    rejected_lot(supplier_a, quality, lot="A1")
    rejected_lot(supplier_a, quality, lot="A2")  # the rules tightened it already
    flag = defect_flag(supplier_a)
    with pytest.raises(ValidationError, match="already tightened"):
        playbook_action_take(flag=flag, by=quality, kind=Kind.TIGHTENED_INSPECTION, sku="TOTE-01")
    assert not flag.playbook_actions.exists()
    assert SeveritySwitch.objects.count() == 1  # the rules' own


def test_a_named_sku_never_inspected_is_tightened_too(supplier_a, quality):
    flag = defect_flag(supplier_a)
    playbook_action_take(flag=flag, by=quality, kind=Kind.TIGHTENED_INSPECTION, sku="MUG-9")
    assert InspectionSeverity.objects.get(supplier=supplier_a, sku="MUG-9").severity == Severity.TIGHTENED


def test_without_a_rejected_lot_the_step_asks_for_the_sku(supplier_a, quality):
    flag = defect_flag(supplier_a)
    with pytest.raises(ValidationError, match="name the SKU"):
        playbook_action_take(flag=flag, by=quality, kind=Kind.TIGHTENED_INSPECTION)


def test_a_buyer_cannot_tighten_inspection(supplier_a, buyer):
    flag = defect_flag(supplier_a)
    with pytest.raises(PermissionDenied):
        playbook_action_take(flag=flag, by=buyer, kind=Kind.TIGHTENED_INSPECTION, sku="MUG-9")
    assert not InspectionSeverity.objects.exists()
