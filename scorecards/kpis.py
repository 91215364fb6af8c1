"""The KPI formulas: the single source of truth for every page, the portal, the API, alerts and PDFs.

Each function aggregates in SQL over all suppliers at once (one GROUP BY query) and returns, per supplier,
a KpiValue that carries its numerator and denominator. Below the minimum sample the value is None
("insufficient data"): never 100 % and never 0 %.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum

from audits.models import QCInspection
from orders.models import Delivery

MIN_DELIVERIES = 5
MIN_INSPECTIONS = 1
DEFAULT_TARGETS = {
    "on_time_delivery": Decimal("95"),  # at least, in %
    "defect_rate": Decimal("1"),  # below, in %
}


@dataclass(frozen=True)
class KpiValue:
    """A KPI for one supplier and window: value in %, with the counts it comes from."""

    numerator: int
    denominator: int
    sample: int  # how many events (deliveries, inspections) the value rests on
    minimum_sample: int

    @property
    def sufficient(self) -> bool:
        """Return whether there is enough data to state the value."""
        return self.sample >= self.minimum_sample and self.denominator > 0

    @property
    def value(self) -> Decimal | None:
        """Return numerator ÷ denominator in %, or None when the sample is too small."""
        if not self.sufficient:
            return None
        return (Decimal(self.numerator) * 100 / Decimal(self.denominator)).quantize(Decimal("0.01"))

    @property
    def ppm(self) -> int | None:
        """Return the value in parts per million (for defect rates), or None."""
        if not self.sufficient:
            return None
        return round(Decimal(self.numerator) * 1_000_000 / Decimal(self.denominator))


EMPTY_DELIVERIES = KpiValue(0, 0, 0, MIN_DELIVERIES)
EMPTY_INSPECTIONS = KpiValue(0, 0, 0, MIN_INSPECTIONS)


def on_time_delivery(
    *, start: date, end: date, today: date, deliveries: QuerySet[Delivery] | None = None
) -> dict[int, KpiValue]:
    """Return, per supplier, deliveries received on or before their promised date ÷ deliveries due.

    A delivery is due when its promised date falls in [start, end] and it was received or its promised
    date has passed; one past its date and not received counts as late. The promised date is the latest
    one the buyer accepted (a proposal the buyer did not accept never moved it). Cancelled ones do not count.
    """
    base = deliveries if deliveries is not None else Delivery.objects.all()
    due = Q(received_on__isnull=False) | Q(promised_on__lt=today)
    rows = (
        base.filter(promised_on__gte=start, promised_on__lte=end)
        .exclude(status=Delivery.Status.CANCELLED)
        .filter(due)
        .order_by()
        .values("supplier_id")
        .annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=Q(received_on__isnull=False, received_on__lte=F("promised_on"))),
        )
    )
    return {
        row["supplier_id"]: KpiValue(row["on_time"], row["due"], row["due"], MIN_DELIVERIES) for row in rows
    }


def defect_rate(
    *, start: date, end: date, inspections: QuerySet[QCInspection] | None = None
) -> dict[int, KpiValue]:
    """Return, per supplier, defective units found ÷ units inspected over the inspections in [start, end]."""
    base = inspections if inspections is not None else QCInspection.objects.all()
    rows = (
        base.filter(inspected_on__gte=start, inspected_on__lte=end)
        .order_by()
        .values("supplier_id")
        .annotate(defective=Sum("defective_units"), inspected=Sum("sample_size"), n=Count("pk"))
    )
    return {
        row["supplier_id"]: KpiValue(row["defective"] or 0, row["inspected"] or 0, row["n"], MIN_INSPECTIONS)
        for row in rows
    }
