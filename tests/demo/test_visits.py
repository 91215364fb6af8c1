"""The demo shows a supplier due for its site visit, with the report of its last one."""

from datetime import date

import pytest
import time_machine
from django.utils import timezone

from audits.models import Audit, VisitCadence, VisitNote
from demo.visits import seed_visits
from scorecards import alerts
from scorecards.models import RedFlag
from suppliers.models import Stage
from tests.factories import AuditFactory

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-11-30 10:00Z", tick=False)
def test_the_demo_seeds_one_supplier_with_a_visit_due_once(supplier_a, supplier_b, manager, quality):
    for supplier, day in ((supplier_a, date(2026, 2, 3)), (supplier_b, date(2026, 9, 1))):
        supplier.stage = Stage.APPROVED
        supplier.save(update_fields=["stage"])
        AuditFactory(supplier=supplier, status=Audit.Status.PERFORMED, performed_on=day, result="pass")
    audit = seed_visits(manager=manager, quality=quality)
    assert seed_visits(manager=manager, quality=quality) is None
    assert audit.supplier == supplier_a
    assert VisitCadence.objects.get().every_months == 9  # visited 9 months ago: due now
    assert set(VisitNote.objects.values_list("kind", "shared")) == {("challenge", True), ("idea", True)}
    alerts.flags_evaluate(today=date(2026, 11, 30), now=timezone.now())
    assert (
        RedFlag.objects.filter(rule=RedFlag.Rule.VISIT_DUE).values_list("supplier", flat=True).get()
        == supplier_a.pk
    )
