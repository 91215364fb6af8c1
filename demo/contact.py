"""The demo's check-ins and issues: weekly calls held (and meeting public holidays), issues raised and answered
within or past the response target, and a declared factory closure."""

from datetime import time as clock
from datetime import timedelta

from django.utils import timezone

from communications import services as talk
from communications.models import CheckIn, CheckInSchedule, SupplierIssue

from .history import History


def checkins(history: History, *, weekday: int = 1) -> None:
    """A weekly check-in since eight weeks ago: most held with minutes, one missed, the next ones planned."""
    start = history.today - timedelta(weeks=8)
    schedule = talk.schedule_save(
        supplier=history.supplier,
        by=history.buyer,
        cadence=CheckInSchedule.Cadence.WEEKLY,
        weekday=weekday,
        local_time=clock(9, 30),
        channel=CheckInSchedule.Channel.VIDEO,
        starts_on=start,
        staff_participants=[history.buyer, history.qc],
        contact_participants=list(history.supplier.contacts.all()),
    )
    talk.checkins_generate(schedule=schedule, today=start, weeks=8)
    past = list(schedule.checkins.filter(scheduled_at__lt=timezone.now()).order_by("scheduled_at"))
    for n, checkin in enumerate(past):
        if n == len(past) - 3 and history.rng.random() < 0.6:
            continue  # this one nobody held: it becomes "missed"
        talk.checkin_record_minutes(
            checkin=checkin,
            by=history.buyer,
            attendees=f"{history.buyer}, {history.supplier.name} sales lead",
            notes="Reviewed open orders and the next shipments; capacity confirmed for next month.",
            action_items=[
                {
                    "description": "Send the updated production schedule",
                    "owner_side": "supplier",
                    "owner_name": "Sales lead",
                    "due_on": checkin.date + timedelta(days=5),
                }
            ],
        )
        CheckIn.objects.filter(pk=checkin.pk).update(held_at=checkin.scheduled_at + timedelta(minutes=40))
    talk.checkins_mark_missed(now=timezone.now())


PAST_ISSUES = [
    ("Shipping marks on the outer cartons are incomplete", "documentation"),
    ("Certificate of analysis missing for the last lot", "documentation"),
    ("Loose threads found at the pre-shipment inspection", "quality"),
    ("Booking confirmation arrived after the cut-off", "delivery"),
    ("Pallet height above the agreed maximum", "delivery"),
    ("Surface scratches on a few units of the last lot", "quality"),
]


def past_issues(history: History) -> None:
    """Issues of the last six months, answered and resolved, so the monthly and quarterly response trends have data:
    the troubled suppliers answer in one to three days, the others within a day."""
    now = timezone.now()
    for n, (subject, category) in enumerate(PAST_ISSUES):
        raised = now - timedelta(days=165 - n * 27, hours=history.rng.randint(0, 12))
        hours = history.rng.randint(26, 70) if history.troubled else history.rng.randint(2, 20)
        issue = talk.issue_raise(
            supplier=history.supplier,
            by=history.buyer,
            category=category,
            subject=subject,
            description="Seen at receipt; details in the inspection report.",
        )
        SupplierIssue.objects.filter(pk=issue.pk).update(raised_at=raised)
        issue.refresh_from_db()
        talk.issue_reply(
            issue=issue,
            by=history.buyer,
            on_behalf_of_supplier=True,
            author_name="Sales lead",
            sent_at=raised + timedelta(hours=hours),
            body="Noted; corrected from the next lot on.",
        )
        talk.issue_resolve(issue=issue, by=history.buyer, note="Corrected from the next lot.")
        SupplierIssue.objects.filter(pk=issue.pk).update(resolved_at=raised + timedelta(hours=hours + 30))


def issues(history: History) -> None:
    """Issues answered fast, slowly and not at all (escalated), and one the factory raised with us."""
    now = timezone.now()
    cases = [
        ("Carton labels missing the barcode", 2),
        ("Colour shade differs from the approved sample", 31),
        ("Packing list does not match the shipment", None),
    ]
    for subject, reply_after in cases:
        issue = talk.issue_raise(
            supplier=history.supplier,
            by=history.buyer,
            category="quality",
            subject=subject,
            description="Found at receipt; photos in the inspection report.",
        )
        raised = now - timedelta(hours=52 if reply_after is None else reply_after + 20)
        SupplierIssue.objects.filter(pk=issue.pk).update(raised_at=raised)
        issue.refresh_from_db()
        if reply_after is not None:
            talk.issue_reply(
                issue=issue,
                by=history.buyer,
                on_behalf_of_supplier=True,
                author_name="Sales lead",
                sent_at=raised + timedelta(hours=reply_after),
                body="Sorry for this; we are checking the line and will send the corrective action.",
            )
    asked = talk.issue_raise(
        supplier=history.supplier,
        by=history.portal or history.buyer,
        category="documentation",
        subject="Which revision of the drawing applies to PO 12?",
        description="Revision B and C differ on the hole spacing.",
    )
    if history.portal is not None:
        SupplierIssue.objects.filter(pk=asked.pk).update(raised_at=now - timedelta(hours=30))
        talk.issue_reply(
            issue=asked, by=history.buyer, body="Revision C; the updated drawing is attached to the PO."
        )
    talk.issues_escalate(now=now)


def closure(history: History) -> None:
    """The factory declares its annual maintenance shutdown; check-ins inside it move."""
    start = history.today + timedelta(days=16)
    talk.closure_declare(
        supplier=history.supplier,
        by=history.portal or history.buyer,
        starts_on=start,
        ends_on=start + timedelta(days=3),
        reason="Annual maintenance shutdown",
    )
