"""The demo's reference letter: issued once, for a supplier on target, never for one below it."""

from datetime import UTC, date, datetime, timedelta

import time_machine

from demo.letters import seed_reference_letter
from scorecards.letters.models import ReferenceLetter
from suppliers.models import Stage, Supplier
from tests.scorecards.builders import delivery

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def test_the_demo_vouches_once_for_a_supplier_on_target_and_never_for_one_below(
    buyer, supplier_a, supplier_b
):
    Supplier.objects.filter(pk__in=[supplier_a.pk, supplier_b.pk]).update(stage=Stage.APPROVED)
    with time_machine.travel(NOW, tick=False):
        for day in range(10):
            promised = date(2026, 3, 1) + timedelta(days=20 * day)
            delivery(supplier_a, promised, promised + timedelta(days=9))  # Alpha: all late
            delivery(supplier_b, promised, promised)  # Beta: all on time
        letter = seed_reference_letter(buyer=buyer)
        assert letter is not None and letter.supplier == supplier_b
        assert seed_reference_letter(buyer=buyer) is None
    assert ReferenceLetter.objects.count() == 1
