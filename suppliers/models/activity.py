"""The activity timeline: one line per thing that happened to a supplier, by kind."""

from django.conf import settings
from django.db import models
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from ..querysets import InternalQuerySet
from .suppliers import Supplier


class ActivityKind(models.TextChoices):
    """What a timeline line records; its label is the line's text, translated when the line is shown."""

    SUPPLIER_CREATED = "supplier_created", _("Supplier created")
    PROFILE_UPDATED = "profile_updated", _("Profile updated")
    STAGE_CHANGED = "stage_changed", _("Stage changed")
    CONTACT_ADDED = "contact_added", _("Contact added")
    CONTACT_UPDATED = "contact_updated", _("Contact updated")
    CONTACT_LEFT = "contact_left", _("Contact left")
    PORTAL_INVITED = "portal_invited", _("Invited to the portal")
    PORTAL_INVITATION_RESENT = "portal_invitation_resent", _("Portal invitation sent again")
    PORTAL_INVITATION_REVOKED = "portal_invitation_revoked", _("Portal invitation revoked")
    PORTAL_INVITATION_ACCEPTED = "portal_invitation_accepted", _("Portal invitation accepted")
    PORTAL_ACCESS_ENDED = "portal_access_ended", _("Portal account deactivated")
    CERTIFICATE_ADDED = "certificate_added", _("Certificate added")
    CERTIFICATE_SUBMITTED = "certificate_submitted", _("Certificate submitted in the portal")
    CERTIFICATE_UPDATED = "certificate_updated", _("Certificate updated")
    CERTIFICATE_VERIFIED = "certificate_verified", _("Certificate verified")
    CERTIFICATE_REJECTED = "certificate_rejected", _("Certificate rejected")
    REFERENCE_ADDED = "reference_added", _("Reference added")
    REFERENCE_UPDATED = "reference_updated", _("Reference updated")
    CAPACITY_ASSESSED = "capacity_assessed", _("Capacity assessed")
    ASSESSMENT_UPDATED = "assessment_updated", _("Assessment updated")
    CONTRACT_ADDED = "contract_added", _("Contract added")
    CONTRACT_UPDATED = "contract_updated", _("Contract updated")
    ORDER_CREATED = "order_created", _("Order created")
    ORDER_SENT = "order_sent", _("Order sent")
    ORDER_ACKNOWLEDGED = "order_acknowledged", _("Order acknowledged")
    ORDER_CHANGED = "order_changed", _("Order changed")
    ORDER_CANCELLED = "order_cancelled", _("Order cancelled")
    DATE_PROPOSED = "date_proposed", _("New delivery date proposed")
    DATE_ACCEPTED = "date_accepted", _("Proposed date accepted")
    DATE_REJECTED = "date_rejected", _("Proposed date rejected")
    SHIPMENT_RECORDED = "shipment_recorded", _("Shipment recorded")
    DELIVERY_RECEIVED = "delivery_received", _("Delivery received")
    DELIVERY_RECEIVED_LATE = "delivery_received_late", _("Delivery received late")
    DISRUPTION_DECLARED = "disruption_declared", _("Disruption declared")
    DELIVERY_EXCUSED = "delivery_excused", _("Delivery excused from on-time delivery")
    DELIVERY_EXCUSE_WITHDRAWN = "delivery_excuse_withdrawn", _("Delivery excuse withdrawn")
    PRICE_AGREED = "price_agreed", _("Price agreement recorded")
    PRICE_CHANGE_REQUESTED = "price_change_requested", _("Price change requested")
    PRICE_CHANGE_COUNTERED = "price_change_countered", _("Price change countered")
    PRICE_CHANGE_ACCEPTED = "price_change_accepted", _("Price change accepted")
    PRICE_CHANGE_REFUSED = "price_change_refused", _("Price change refused")
    PRICE_COUNTER_ANSWERED = "price_counter_answered", _("Answer to a price counter")
    COST_BREAKDOWN_REQUESTED = "cost_breakdown_requested", _("Cost breakdown requested")
    COST_BREAKDOWN_GIVEN = "cost_breakdown_given", _("Cost breakdown given")
    COST_ESTIMATE_RECORDED = "cost_estimate_recorded", _("Cost estimate recorded (internal)")
    COST_BREAKDOWN_ASSESSED = "cost_breakdown_assessed", _("Cost breakdown assessed (internal)")
    PILOT_STARTED = "pilot_started", _("Pilot programme started")
    PILOT_PASSED = "pilot_passed", _("Pilot programme passed")
    PILOT_EXTENDED = "pilot_extended", _("Pilot programme extended")
    PILOT_REJECTED = "pilot_rejected", _("Pilot programme rejected")
    REFERENCE_LETTER_ISSUED = "reference_letter_issued", _("Reference letter issued")
    REFERENCE_LETTER_REVOKED = "reference_letter_revoked", _("Reference letter revoked")
    AUDIT_PLANNED = "audit_planned", _("Audit planned")
    AUDIT_PERFORMED = "audit_performed", _("Audit performed")
    HOLD_PROPOSED = "hold_proposed", _("Hold proposed")
    HOLD_DISMISSED = "hold_dismissed", _("Hold proposal dismissed")
    LAB_REPORT_UPLOADED = "lab_report_uploaded", _("Lab report uploaded")
    INSPECTION_PASSED = "inspection_passed", _("Inspection passed")
    INSPECTION_FAILED = "inspection_failed", _("Inspection failed")
    CAPA_REQUESTED = "capa_requested", _("Corrective action requested")
    CAPA_ANSWERED = "capa_answered", _("Corrective action answered")
    CAPA_VERIFIED = "capa_verified", _("Corrective action verified")
    CAPA_REJECTED = "capa_rejected", _("Corrective action rejected")
    CHECKIN_SCHEDULE_SET = "checkin_schedule_set", _("Check-in schedule set")
    CLOSURE_DECLARED = "closure_declared", _("Closure declared")
    CHECKIN_HELD = "checkin_held", _("Check-in held")
    ISSUE_RAISED = "issue_raised", _("Issue raised")
    ISSUE_RESOLVED = "issue_resolved", _("Issue resolved")
    ISSUE_ESCALATED = "issue_escalated", _("Issue escalated")
    INVOICE_RECEIVED = "invoice_received", _("Invoice received")
    INVOICE_RECEIVED_WITH_DISCREPANCIES = (
        "invoice_received_with_discrepancies",
        _("Invoice received with discrepancies"),
    )
    DISCREPANCY_RESOLVED = "discrepancy_resolved", _("Invoice discrepancy resolved")
    INVOICE_APPROVED = "invoice_approved", _("Invoice approved for payment")
    INVOICE_REJECTED = "invoice_rejected", _("Invoice rejected")
    INVOICE_PAID = "invoice_paid", _("Invoice paid")
    INVOICE_PAID_LATE = "invoice_paid_late", _("Invoice paid late")
    PART_PAYMENT = "part_payment", _("Part payment made")
    TERMS_PROPOSED = "terms_proposed", _("New payment terms proposed")
    TERMS_ACCEPTED = "terms_accepted", _("Payment terms accepted by the supplier")
    TERMS_DISPUTED = "terms_disputed", _("Payment terms disputed by the supplier")
    TERMS_AGREED = "terms_agreed", _("Payment terms agreed outside the portal")
    TERMS_WITHDRAWN = "terms_withdrawn", _("Payment-term proposal withdrawn")
    REGISTRATION_ACCEPTED = "registration_accepted", _("Registered through the invitation and accepted")
    BANK_CHANGE_REQUESTED = "bank_change_requested", _("Change of bank details requested")
    BANK_CHANGE_VERIFIED = "bank_change_verified", _("Change of bank details verified and applied")
    BANK_CHANGE_REJECTED = "bank_change_rejected", _("Change of bank details rejected")


class Activity(models.Model):
    """One line of a supplier's activity timeline: what happened (a kind) to which row; every app's services add
    to it. The text is the kind's label in the reader's language; lines written before kinds keep their verb."""

    Kind = ActivityKind

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="activities")
    occurred_at = models.DateTimeField(_("when"), default=dj_timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("what"), max_length=40, choices=ActivityKind.choices, blank=True)
    # The row the line is about, as an app label and primary key ("orders.delivery", 12).
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    verb = models.CharField(_("text as written"), max_length=200, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    url = models.CharField(max_length=300, blank=True)

    objects = InternalQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["supplier", "-occurred_at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d} {self.text}"

    @property
    def text(self) -> str:
        """Return what happened in the reader's language (a line from before kinds: its text as written)."""
        return self.get_kind_display() if self.kind else self.verb

    def is_about(self, model: type[models.Model]) -> bool:
        """Return whether the line is about a row of this model."""
        return self.object_type == model._meta.label_lower
