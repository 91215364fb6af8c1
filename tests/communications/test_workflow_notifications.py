"""Every workflow event reaches the other side: exactly one email per recipient, in the recipient's language
(English, Simplified Chinese, Vietnamese), with a link that opens the exact page for them; the bell shows the
same text in the reader's language whatever the language of whoever caused it."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone, translation

from accounts.roles import Role
from audits import services as audit_services
from audits.models import Audit, BatchTest, Finding, QCInspection
from communications import services as communication_services
from communications.models import Family, Notification, Timing
from communications.services.preferences import preferences_save
from orders import services as order_services
from payments import services as payment_services
from scorecards.alerts import flags_evaluate
from suppliers import services as supplier_services
from suppliers.models import Certification
from tests.factories import (
    PDF_BYTES,
    AuditFactory,
    CertificationFactory,
    CorrectiveActionFactory,
    PortalUserFactory,
    UserFactory,
)
from tests.payments.factories import InvoiceFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "zh-hans", "vi"]
ANSWER = {
    "supplier_owner": "Li Wei",
    "containment": "Sorted the lot.",
    "root_cause": "Worn needle.",
    "corrective_action": "Needles replaced.",
    "preventive_action": "Daily needle check.",
}


def today():
    return timezone.localdate()


def pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("report.pdf", PDF_BYTES, content_type="application/pdf")


# Each event: (who hears of it: "factory" or a staff fixture name, what to set up, the event itself).
def _propose(w, portal):
    return order_services.delivery_propose_date(
        delivery=w["delivery"], by=portal, proposed_on=today() + timedelta(days=40), reason="Fabric late"
    )


def _decide(accept):
    def run(w, portal, proposal):
        order_services.delivery_decide_proposal(proposal=proposal, by=w["buyer"], accept=accept, note="OK")

    return run


def _submitted_capa(w, portal):
    action = CorrectiveActionFactory(supplier=w["supplier"], raised_by=w["quality"])
    audit_services.capa_submit(action=action, by=portal, **ANSWER)
    return action


def _invoice(w, portal, status="submitted"):
    return InvoiceFactory(order=w["delivery"].order, status=status)


def _receive(w, portal, _setup):
    order_services.delivery_receive(
        delivery=w["delivery"],
        by=w["buyer"],
        received_on=today(),
        quantity_received=1000,
        quantity_rejected=12,
    )


def _overdue_capa(w, portal):
    return CorrectiveActionFactory(
        supplier=w["supplier"], raised_by=w["quality"], due_on=today() - timedelta(days=3)
    )


def _expiring_certificate(w, portal):
    return CertificationFactory(supplier=w["supplier"], valid_until=today() + timedelta(days=5))


EVENTS = {
    "red_flag": (
        "factory",
        _expiring_certificate,
        lambda w, p, cert: flags_evaluate(today=today(), now=timezone.now(), supplier_ids=[w["supplier"].pk]),
    ),
    "date_proposal_accepted": ("factory", _propose, _decide(True)),
    "date_proposal_rejected": ("factory", _propose, _decide(False)),
    "shipment_recorded": (
        "buyer",
        lambda w, p: None,
        lambda w, p, s: order_services.delivery_ship(
            delivery=w["delivery"],
            by=p,
            shipped_on=today(),
            quantity_shipped=1000,
            tracking_reference="TRK-9",
        ),
    ),
    "goods_received": ("factory", lambda w, p: None, _receive),
    "inspection_shared": (
        "factory",
        lambda w, p: None,
        lambda w, p, s: audit_services.inspection_record(
            supplier=w["supplier"],
            by=w["quality"],
            checkpoint=QCInspection.Checkpoint.PRE_SHIPMENT,
            inspected_on=today() - timedelta(days=1),
            lot_size=1000,
            level="II",
            aql_major=Decimal("2.5"),
            aql_minor=Decimal("4.0"),
            lot_number="LOT-1",
        ),
    ),
    "lab_report_reviewed": (
        "factory",
        lambda w, p: audit_services.batch_test_submit(
            supplier=w["supplier"],
            by=p,
            lot_number="LOT-7",
            standard="EN 71-3",
            laboratory="SGS",
            tested_on=today() - timedelta(days=2),
            outcome=BatchTest.Outcome.PASS,
            report=pdf(),
        ),
        lambda w, p, test: audit_services.batch_test_review(
            test=test, by=w["quality"], accept=False, note="Wrong standard"
        ),
    ),
    "audit_announced": (
        "factory",
        lambda w, p: None,
        lambda w, p, s: audit_services.audit_plan(
            supplier=w["supplier"],
            by=w["quality"],
            audit_type=Audit.Type.PERIODIC,
            planned_on=today() + timedelta(days=9),
        ),
    ),
    "finding_raised": (
        "factory",
        lambda w, p: AuditFactory(supplier=w["supplier"], passed=True),
        lambda w, p, audit: audit_services.finding_add(
            audit=audit, by=w["quality"], severity=Finding.Severity.MINOR, description="No gauge log"
        ),
    ),
    "capa_raised": (
        "factory",
        lambda w, p: None,
        lambda w, p, s: audit_services.capa_raise(
            by=w["quality"],
            title="Gauge log",
            problem="No log.",
            due_on=today() + timedelta(days=14),
            supplier=w["supplier"],
        ),
    ),
    "capa_answered": (
        "quality",
        lambda w, p: CorrectiveActionFactory(supplier=w["supplier"], raised_by=w["quality"]),
        lambda w, p, action: audit_services.capa_submit(action=action, by=p, **ANSWER),
    ),
    "capa_verified": (
        "factory",
        _submitted_capa,
        lambda w, p, action: audit_services.capa_verify(action=action, by=w["quality"], accept=True),
    ),
    "capa_sent_back": (
        "factory",
        _submitted_capa,
        lambda w, p, action: audit_services.capa_verify(
            action=action, by=w["quality"], accept=False, note="No photo."
        ),
    ),
    "capa_overdue": (
        "factory",
        _overdue_capa,
        lambda w, p, action: flags_evaluate(
            today=today(), now=timezone.now(), supplier_ids=[w["supplier"].pk]
        ),
    ),
    "certificate_verified": (
        "factory",
        lambda w, p: CertificationFactory(supplier=w["supplier"], status=Certification.Status.PENDING),
        lambda w, p, cert: supplier_services.certification_review(
            certification=cert, by=w["quality"], approve=True
        ),
    ),
    "certificate_rejected": (
        "factory",
        lambda w, p: CertificationFactory(supplier=w["supplier"], status=Certification.Status.PENDING),
        lambda w, p, cert: supplier_services.certification_review(
            certification=cert, by=w["quality"], approve=False, note="Expired scan."
        ),
    ),
    "invoice_approved": (
        "factory",
        _invoice,
        lambda w, p, invoice: payment_services.invoice_approve(invoice=invoice, by=w["buyer"]),
    ),
    "invoice_rejected": (
        "factory",
        _invoice,
        lambda w, p, invoice: payment_services.invoice_reject(
            invoice=invoice, by=w["buyer"], reason="Wrong PO."
        ),
    ),
    "invoice_paid": (
        "factory",
        lambda w, p: _invoice(w, p, status="approved"),
        lambda w, p, invoice: payment_services.payment_record(
            invoice=invoice, by=w["buyer"], paid_on=today(), amount=invoice.amount, reference="TT-1"
        ),
    ),
    "issue_resolved": (
        "factory",
        lambda w, p: communication_services.issue_raise(
            supplier=w["supplier"],
            by=w["buyer"],
            category="quality",
            subject="Loose threads",
            description="See.",
        ),
        lambda w, p, issue: communication_services.issue_resolve(
            issue=issue, by=w["buyer"], note="Reworked."
        ),
    ),
}


def run_event(key, world, portal, capture, *, outbox=None):
    """Set the event up, forget the emails that caused, then run the event itself (its emails sent).

    `outbox`: another list of sent emails to forget too (a local SMTP server's).
    """
    _audience, setup, event = EVENTS[key]
    with capture(execute=True):
        prepared = setup(world, portal)
    mail.outbox.clear()
    if outbox is not None:
        outbox.clear()
    with capture(execute=True):
        event(world, portal, prepared)


def link_path(body: str) -> str:
    match = re.search(re.escape(settings.FORGELINE_BASE_URL) + r"(/\S*)", body)
    assert match, body
    return match.group(1)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", sorted(EVENTS))
def test_each_event_reaches_the_other_side_once_in_their_language_with_a_working_link(
    key, language, world, client, django_capture_on_commit_callbacks
):
    portal = PortalUserFactory(supplier=world["supplier"], language=language)
    audience = EVENTS[key][0]
    reader = portal if audience == "factory" else world[audience]
    if reader != portal:
        reader.language = language
        reader.save(update_fields=["language"])
        # Staff read some families in the daily digest by default; this one wants each at once.
        preferences_save(user=reader, timings={family: Timing.IMMEDIATELY for family in Family.values})

    run_event(key, world, portal, django_capture_on_commit_callbacks)

    mine = [message for message in mail.outbox if message.to == [reader.email]]
    assert len(mine) == 1, [m.subject for m in mail.outbox]
    notification = Notification.objects.get(user=reader, message_key=key)
    with translation.override(language):
        title = notification.shown_title
    with translation.override("en"):
        english = notification.shown_title
    assert mine[0].subject == f"Forgeline: {title}"
    if language != "en":
        assert title != english  # translated, not the English text
    client.force_login(reader)
    assert client.get(link_path(mine[0].body)).status_code == 200


def test_goods_received_tells_the_factory_the_quantities_per_line(world, django_capture_on_commit_callbacks):
    portal = PortalUserFactory(supplier=world["supplier"])
    line = world["delivery"].order.lines.get()
    with django_capture_on_commit_callbacks(execute=True):
        order_services.delivery_receive(
            delivery=world["delivery"],
            by=world["buyer"],
            received_on=today(),
            lines=[{"line": line, "quantity_received": 900, "quantity_rejected": 7}],
        )
    (email,) = [m for m in mail.outbox if m.to == [portal.email]]
    assert "900 units received, 7 of them rejected" in email.body
    assert "TOTE-1: 900 received, 7 rejected" in email.body


def test_the_bell_shows_a_notification_in_the_readers_language_not_the_writers(
    world, client, django_capture_on_commit_callbacks
):
    portal = PortalUserFactory(supplier=world["supplier"], language="en")
    world["buyer"].language = "zh-hans"
    world["buyer"].save(update_fields=["language"])
    run_event("invoice_approved", world, portal, django_capture_on_commit_callbacks)
    client.force_login(portal)
    page = client.get("/portal/notifications/", HTTP_ACCEPT_LANGUAGE="vi")
    portal.language = "vi"
    portal.save(update_fields=["language"])
    client.cookies["django_language"] = "vi"
    page = client.get("/portal/notifications/")
    assert "đã được duyệt" in page.content.decode()


def test_an_unannounced_audit_is_never_told_to_the_factory(world, django_capture_on_commit_callbacks):
    portal = PortalUserFactory(supplier=world["supplier"])
    with django_capture_on_commit_callbacks(execute=True):
        audit = audit_services.audit_plan(
            supplier=world["supplier"],
            by=world["quality"],
            audit_type=Audit.Type.SOCIAL,
            planned_on=today() + timedelta(days=3),
            announced=False,
        )
        audit_services.finding_add(
            audit=audit, by=world["quality"], severity="major", description="Locked exit"
        )
        finding = audit.findings.get()
        audit_services.capa_raise(
            by=world["quality"],
            title="Exit",
            problem="Locked.",
            due_on=today() + timedelta(days=3),
            finding=finding,
        )
    assert not Notification.objects.filter(user=portal).exists()
    assert not [m for m in mail.outbox if m.to == [portal.email]]


def test_an_unshared_inspection_is_never_told_to_the_factory(world, django_capture_on_commit_callbacks):
    portal = PortalUserFactory(supplier=world["supplier"])
    with django_capture_on_commit_callbacks(execute=True):
        audit_services.inspection_record(
            supplier=world["supplier"],
            by=world["quality"],
            checkpoint=QCInspection.Checkpoint.IN_LINE,
            inspected_on=today(),
            lot_size=1000,
            level="II",
            aql_major=Decimal("2.5"),
            aql_minor=Decimal("4.0"),
            shared_with_supplier=False,
        )
    assert not Notification.objects.filter(user=portal).exists()


def test_another_suppliers_contact_hears_nothing_of_supplier_as_events(
    world, portal_b, django_capture_on_commit_callbacks
):
    portal = PortalUserFactory(supplier=world["supplier"])
    for key in ("goods_received", "capa_raised", "invoice_approved", "audit_announced", "capa_overdue"):
        run_event(key, world, portal, django_capture_on_commit_callbacks)
    assert Notification.objects.filter(user=portal).count() == 5
    assert not Notification.objects.filter(user=portal_b).exists()
    assert not [m for m in mail.outbox if m.to == [portal_b.email]]


def test_a_deactivated_contact_is_told_nothing(world, django_capture_on_commit_callbacks):
    gone = PortalUserFactory(supplier=world["supplier"], is_active=False)
    run_event(
        "invoice_approved",
        world,
        PortalUserFactory(supplier=world["supplier"]),
        django_capture_on_commit_callbacks,
    )
    assert not Notification.objects.filter(user=gone).exists()


def test_the_one_who_acted_is_not_told_of_their_own_step(world, django_capture_on_commit_callbacks):
    # QC raised the action and is the supplier's owner too: the factory's answer reaches QC once, not twice.
    world["supplier"].owner = world["quality"]
    world["supplier"].save(update_fields=["owner"])
    portal = PortalUserFactory(supplier=world["supplier"])
    run_event("capa_answered", world, portal, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[world["quality"].email]]


def test_a_staff_member_of_another_role_is_not_sent_the_factorys_news(
    world, django_capture_on_commit_callbacks
):
    outsider = UserFactory(role=Role.PROCUREMENT)
    preferences_save(user=world["buyer"], timings={Family.DELIVERIES: Timing.IMMEDIATELY})
    run_event(
        "shipment_recorded",
        world,
        PortalUserFactory(supplier=world["supplier"]),
        django_capture_on_commit_callbacks,
    )
    assert not Notification.objects.filter(user=outsider).exists()
