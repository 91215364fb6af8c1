"""A pilot programme's results against its success criteria."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from audits.models import QCInspection
from orders.models import Delivery, PilotProgram

from .. import kpis


@dataclass(frozen=True)
class PilotEvaluation:
    """A pilot's on-time delivery and defect rate against its targets, and what to do about it."""

    pilot: PilotProgram
    on_time: kpis.KpiValue
    defects: kpis.KpiValue
    recommendation: str  # "approve", "extend" or "reject"
    reasons: list[str]

    @property
    def on_time_met(self) -> bool | None:
        value = self.on_time.value
        return None if value is None else value >= self.pilot.target_on_time_rate

    @property
    def defects_met(self) -> bool | None:
        value = self.defects.value
        return None if value is None else value < self.pilot.target_defect_rate


def pilot_evaluation(*, pilot: PilotProgram, today: date) -> PilotEvaluation:
    """Measure a pilot's trial orders with the KPI formulas and recommend approve, extend or reject.

    Approve when both targets are met on enough data; reject when either is missed by a wide margin
    (on-time more than 10 points under target, or defects at twice the target or more); otherwise extend.
    """
    deliveries = Delivery.objects.filter(order__pilot_program=pilot)
    inspections = QCInspection.objects.filter(order__pilot_program=pilot)
    end = min(pilot.ends_on, today)
    on_time = kpis.on_time_delivery(
        start=pilot.starts_on, end=pilot.ends_on, today=today, deliveries=deliveries
    ).get(pilot.supplier_id, kpis.EMPTY_DELIVERIES)
    defects = kpis.defect_rate(start=pilot.starts_on, end=end, inspections=inspections).get(
        pilot.supplier_id, kpis.EMPTY_INSPECTIONS
    )
    reasons: list[str] = []
    wide_miss, all_met = False, True
    for label, value, met, badly in (
        (
            _("On-time delivery"),
            on_time,
            on_time.value is not None and on_time.value >= pilot.target_on_time_rate,
            on_time.value is not None and on_time.value < pilot.target_on_time_rate - 10,
        ),
        (
            _("Defect rate"),
            defects,
            defects.value is not None and defects.value < pilot.target_defect_rate,
            defects.value is not None and defects.value >= pilot.target_defect_rate * 2,
        ),
    ):
        all_met = all_met and met
        if value.value is None:
            reasons.append(
                _("%(kpi)s: not enough data yet (%(n)s of at least %(min)s).")
                % {"kpi": label, "n": value.sample, "min": value.minimum_sample}
            )
        elif badly:
            wide_miss = True
            reasons.append(_("%(kpi)s missed the target by a wide margin.") % {"kpi": label})
        elif not met:
            reasons.append(_("%(kpi)s narrowly missed the target.") % {"kpi": label})
        else:
            reasons.append(_("%(kpi)s met the target.") % {"kpi": label})
    if wide_miss:
        recommendation = "reject"
    elif all_met:
        recommendation = "approve"
    else:
        recommendation = "extend"
    return PilotEvaluation(pilot, on_time, defects, recommendation, reasons)
