"""The demo's year of history: audits, pilots, orders and deliveries, inspections, lab reports and corrective
actions, created through the services so that every rule and timeline line is exactly as in real use."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import User
from audits import services as quality
from audits.models import (
    Audit,
    ChecklistQuestion,
    ChecklistSection,
    ChecklistTemplate,
    CorrectiveAction,
    QCInspection,
    Severity,
)
from audits.severity_selectors import severity_in_force
from config.first_run import CHECKLIST  # the standard checklist `manage.py setup` creates
from orders import services as orders
from orders.models import PilotProgram, PurchaseOrder
from suppliers.models import Stage, Supplier

# Suppliers whose demo history shows quality trouble (more defects, late deliveries).
TROUBLED = {"Xiamen Coastal Footwear", "Qingdao Ironworks", "Puebla Empaques", "Chennai Leather Exports"}
SKUS = [
    ("BAG-TOTE-01", "Canvas tote bag", "pcs", "3.40"),
    ("LAMP-DESK-02", "LED desk lamp", "pcs", "11.80"),
    ("TEE-ORG-03", "Organic cotton T-shirt", "pcs", "4.15"),
    ("CHAIR-OAK-04", "Oak dining chair", "pcs", "38.00"),
    ("BOX-KRAFT-05", "Kraft shipping box", "pcs", "0.42"),
    ("BRKT-STL-06", "Steel mounting bracket", "pcs", "1.95"),
]


def demo_file(name: str, title: str) -> ContentFile:
    """Return a small real PDF (the demo's reports)."""
    from .files import demo_pdf

    pdf = demo_pdf(title)
    pdf.name = name
    return pdf


def checklist_template() -> ChecklistTemplate:
    """Return the demo's factory audit checklist, creating it once."""
    template, created = ChecklistTemplate.objects.get_or_create(name="Factory quality and social audit")
    if created:
        for position, (title, questions) in enumerate(CHECKLIST.items()):
            section = ChecklistSection.objects.create(template=template, title=title, position=position)
            for q_position, (text, weight) in enumerate(questions):
                ChecklistQuestion.objects.create(
                    section=section, text=text, weight=weight, position=q_position
                )
    return template


class History:
    """Builds one supplier's history; `rng` makes the same demo on every machine."""

    def __init__(
        self,
        *,
        supplier: Supplier,
        buyer: User,
        qc: User,
        manager: User,
        portal: User | None,
        rng: random.Random,
        today: date,
        index: int,
    ):
        self.supplier, self.buyer, self.qc, self.manager, self.portal = supplier, buyer, qc, manager, portal
        self.rng, self.today, self.index = rng, today, index
        self.troubled = supplier.name in TROUBLED
        self.order_count = 0
        self.trial = False  # trial orders of a pilot that passed went well: on time, few defects

    # --- audits --------------------------------------------------------------------------------------------

    def audit(self, *, audit_type: str, days_ago: int, low: int = 3, findings=(), announced=True) -> Audit:
        audit = quality.audit_plan(
            supplier=self.supplier,
            by=self.qc,
            audit_type=audit_type,
            announced=announced,
            planned_on=self.today - timedelta(days=days_ago + 3),
            template=checklist_template(),
        )
        for severity, clause, text in findings:
            quality.finding_add(audit=audit, by=self.qc, severity=severity, clause=clause, description=text)
        questions = ChecklistQuestion.objects.filter(section__template=audit.template)
        scores = {q.pk: (self.rng.randint(low, 5), "") for q in questions}
        return quality.audit_complete(
            audit=audit,
            by=self.qc,
            performed_on=self.today - timedelta(days=days_ago),
            scores=scores,
            summary="Factory visit with the production manager; records sampled for the last three months.",
        )

    # --- orders --------------------------------------------------------------------------------------------

    def order(
        self,
        *,
        ordered_on: date,
        pilot_program: PilotProgram | None = None,
        lead_days: int = 45,
        split: bool = False,
    ) -> PurchaseOrder:
        self.order_count += 1
        sku, description, unit, price = self.rng.choice(SKUS)
        quantity = self.rng.choice([500, 800, 1200, 2000, 3000])
        lines = [
            {
                "sku": sku,
                "description": description,
                "quantity": quantity,
                "unit": unit,
                "unit_price": Decimal(price),
                "required_on": ordered_on + timedelta(days=lead_days),
            }
        ]
        if split:
            lines.append(
                {
                    "sku": sku,
                    "description": f"{description} (second lot)",
                    "quantity": quantity // 2,
                    "unit": unit,
                    "unit_price": Decimal(price),
                    "required_on": ordered_on + timedelta(days=lead_days + 21),
                }
            )
        order = orders.order_create(
            supplier=self.supplier,
            by=self.buyer,
            number=f"PO-{self.index:02d}-{self.order_count:03d}",
            ordered_on=ordered_on,
            lines=lines,
            pilot=pilot_program is not None,
            pilot_program=pilot_program,
            incoterm=self.rng.choice(["FOB", "CIF", "DAP"]),
        )
        orders.order_send(order=order, by=self.buyer)
        orders.order_acknowledge(order=order, by=self.portal or self.buyer)
        for delivery in order.deliveries.all():
            self.fulfil(delivery)
        return order

    def fulfil(self, delivery) -> None:
        """Ship, inspect and receive a delivery whose date has come, some late, some partial, some missing."""
        roll = self.rng.random()
        late_share = 0.0 if self.trial else 0.35 if self.troubled else 0.12
        delay = self.rng.randint(2, 12) if roll < late_share else -self.rng.randint(0, 5)
        arrival = delivery.promised_on + timedelta(days=delay)
        if arrival > self.today - timedelta(days=1):
            if delivery.promised_on < self.today and self.rng.random() < 0.5:
                return  # overdue and still missing: counts as late
            if delivery.promised_on >= self.today:
                return  # not due yet
            arrival = self.today - timedelta(days=1)
        shipped_on = arrival - timedelta(days=self.rng.randint(14, 24))
        if shipped_on < delivery.order.ordered_on:
            shipped_on = delivery.order.ordered_on + timedelta(days=7)
        self.inspect(delivery, on=shipped_on - timedelta(days=2))
        orders.delivery_ship(
            delivery=delivery,
            by=self.portal or self.buyer,
            shipped_on=shipped_on,
            quantity_shipped=delivery.quantity_planned,
            tracking_reference=f"MSKU{self.rng.randint(1000000, 9999999)}",
        )
        partial = self.rng.random() < 0.1
        quantity = int(delivery.quantity_planned * 0.9) if partial else delivery.quantity_planned
        orders.delivery_receive(
            delivery=delivery, by=self.buyer, received_on=arrival, quantity_received=quantity
        )

    def resume_if_discontinued(self, order) -> None:
        """Resume a SKU whose inspection the switching rules discontinued (five lots failed on tightened), as QC
        does once the factory's corrective action is accepted: a troubled demo supplier may get there."""
        state = severity_in_force(supplier=self.supplier, order=order)
        if state.severity == Severity.DISCONTINUED:
            quality.severity_switch(
                supplier=self.supplier,
                by=self.qc,
                sku=state.sku,
                category=state.category,
                severity=Severity.TIGHTENED,
                reason="Corrective action accepted after a re-audit of the sewing lines.",
            )

    def inspect(self, delivery, *, on: date) -> QCInspection:
        weights = (
            [0, 0, 0, 1]
            if self.trial
            else [0, 0, 1, 1, 2, 3, 5, 8]
            if self.troubled
            else [0, 0, 0, 0, 1, 1, 2, 3]
        )
        defective = self.rng.choice(weights)
        minor = defective // 2
        self.resume_if_discontinued(delivery.order)
        inspection = quality.inspection_record(
            supplier=self.supplier,
            by=self.qc,
            checkpoint=QCInspection.Checkpoint.PRE_SHIPMENT,
            inspected_on=on,
            lot_size=delivery.quantity_planned,
            order=delivery.order,
            delivery=delivery,
            lot_number=f"L{on:%y%m%d}-{delivery.pk}",
            major_defects=defective - minor,
            minor_defects=minor,
            defective_units=defective,
            report=demo_file("inspection.pdf", f"Inspection {delivery}"),
        )
        if inspection.result == QCInspection.Result.REJECT:
            self.corrective_action(
                inspection=inspection,
                title=f"Defects above AQL on {delivery}",
                problem="Stitching and finish defects above the AQL at pre-shipment inspection.",
                age_days=(self.today - on).days,
            )
        return inspection

    def corrective_action(
        self,
        *,
        title: str,
        problem: str,
        age_days: int,
        inspection=None,
        finding=None,
        answer: bool | None = None,
    ) -> CorrectiveAction:
        action = quality.capa_raise(
            by=self.qc,
            title=title,
            problem=problem,
            inspection=inspection,
            finding=finding,
            due_on=self.today + timedelta(days=14),
        )
        raised = timezone.now() - timedelta(days=age_days)
        CorrectiveAction.objects.filter(pk=action.pk).update(
            raised_at=raised, due_on=(raised + timedelta(days=21)).date()
        )
        action.refresh_from_db()
        if answer is None:
            answer = age_days > 30  # old ones were answered and closed
        if answer:
            quality.capa_submit(
                action=action,
                by=self.portal or self.qc,
                supplier_owner="Production manager",
                containment="Lot held and 100 % re-inspected before shipping.",
                root_cause="Needle wear on line 3 not caught by the hourly check.",
                corrective_action="Needles replaced; hourly check now includes a seam pull test.",
                preventive_action="Needle change every 8 hours logged in the maintenance sheet.",
            )
            quality.capa_verify(
                action=action, by=self.qc, accept=True, note="Checked on the next inspection."
            )
        return action

    # --- the stages ----------------------------------------------------------------------------------------

    def before_stage(self, stage: str) -> None:
        """Create the evidence a stage's gates ask for, as it would have come about."""
        if stage == Stage.APPROVED and not self.supplier.audits.filter(result="pass").exists():
            self.audit(audit_type=Audit.Type.VETTING, days_ago=320, low=5)
            self.pilot(passed=True)

    def pilot(self, *, passed: bool) -> PilotProgram:
        starts = self.today - timedelta(days=300) if passed else self.today - timedelta(days=75)
        pilot = orders.pilot_create(
            supplier=self.supplier,
            by=self.buyer,
            name=f"{self.supplier.name} pilot",
            starts_on=starts,
            ends_on=starts + timedelta(days=120),
            other_criteria="Samples approved; packaging to spec.",
        )
        for offset in (0, 20, 40):
            if starts + timedelta(days=offset + 40) < self.today + timedelta(days=60):
                self.order(
                    ordered_on=starts + timedelta(days=offset), pilot_program=pilot, lead_days=30, split=True
                )
        if passed:
            orders.pilot_decide(
                pilot=pilot,
                by=self.manager,
                decision=PilotProgram.Status.PASSED,
                note="On time and within the defect target on all trial orders.",
            )
        return pilot

    def volume_history(self) -> None:
        """Orders every eight days since the pilot passed, the last ones still open."""
        start = self.today - timedelta(days=170)
        for n in range(22):  # the last one ordered two days ago
            self.order(ordered_on=start + timedelta(days=n * 8), split=n % 4 == 0)
        self.audit(
            audit_type=Audit.Type.PERIODIC,
            days_ago=60,
            low=3 if self.troubled else 4,
            findings=[("minor", "ISO 9001 7.1.5", "Two gauges past their calibration date.")],
        )
