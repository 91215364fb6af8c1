"""Forms for inspections, batch tests, audits, findings and corrective actions."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import STAFF_ROLES
from core.inputs import DATE_BOUNDS, is_id
from core.partner_calendar import PartnerCalendarFormMixin
from core.uploads import PhotoOrPdfInput, validate_upload
from orders.models import Delivery, PurchaseOrder
from suppliers.forms import DATE
from suppliers.models import CertificationStandard, Supplier

from .models import (
    Audit,
    BatchTest,
    CapabilityObservation,
    ChecklistTemplate,
    CorrectiveAction,
    Finding,
    QCInspection,
    VerificationPolicy,
    VisitNote,
    VisitPerson,
)


def inspection_choices(supplier_id):
    """Return the orders and deliveries an inspection of this supplier may be about (none without a supplier)."""
    if not is_id(supplier_id):
        return PurchaseOrder.objects.none(), Delivery.objects.none()
    orders = (
        PurchaseOrder.objects.filter(supplier_id=supplier_id).exclude(status="draft").order_by("-ordered_on")
    )
    deliveries = (
        Delivery.objects.filter(supplier_id=supplier_id).select_related("order").order_by("-promised_on")
    )
    return orders, deliveries


# What the sampling plan preview reads: the stream (supplier, order, lot: the severity in force) and the lot.
PLAN_INPUTS = "[name=supplier],[name=order],[name=lot_number],[name=lot_size],[name=level],[name=aql_major],[name=aql_minor]"


class InspectionForm(forms.ModelForm):
    result = forms.ChoiceField(
        label=_("Override the result"),
        required=False,
        choices=[("", _("No: the sampling plan decides")), *QCInspection.Result.choices],
    )

    class Meta:
        model = QCInspection
        fields = [
            "supplier",
            "order",
            "delivery",
            "checkpoint",
            "inspected_on",
            "lot_number",
            "lot_size",
            "level",
            "aql_major",
            "aql_minor",
            "critical_defects",
            "major_defects",
            "minor_defects",
            "defective_units",
            "result",
            "override_reason",
            "notes",
            "report",
            "shared_with_supplier",
        ]
        widgets = {
            "inspected_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 2}),
            "override_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.order_by("name")
        self.fields["supplier"].widget.attrs.update(
            {
                # Choosing the supplier reloads the order and delivery choices with its own only.
                "hx-get": reverse_lazy("audits:inspection_choices"),
                "hx-target": "#order-delivery",
                "hx-swap": "outerHTML",
                "hx-trigger": "change",
            }
        )
        supplier = self.data.get("supplier") or self.initial.get("supplier")
        supplier = getattr(supplier, "pk", supplier)
        self.fields["order"].queryset, self.fields["delivery"].queryset = inspection_choices(supplier)
        if not is_id(supplier):
            for name in ("order", "delivery"):
                self.fields[name].help_text = _("Choose the supplier first: its own are offered.")
        for name in ("lot_size", "level", "aql_major", "aql_minor"):
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": reverse_lazy("audits:sampling_plan"),
                    "hx-target": "#sampling-plan",
                    "hx-include": PLAN_INPUTS,
                    "hx-trigger": "change, keyup changed delay:300ms",
                }
            )


class BatchTestForm(forms.ModelForm):
    class Meta:
        model = BatchTest
        fields = ["order", "lot_number", "standard", "laboratory", "tested_on", "outcome", "report"]
        widgets = {"tested_on": DATE, "report": PhotoOrPdfInput()}

    def __init__(self, *args, supplier: Supplier, **kwargs):
        super().__init__(*args, **kwargs)
        # Drafts are the buyer's own work: the factory never sees them.
        self.fields["order"].queryset = (
            PurchaseOrder.objects.filter(supplier=supplier).exclude(status="draft").order_by("-ordered_on")
        )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note"), required=False)


class AuditPlanForm(PartnerCalendarFormMixin, forms.ModelForm):
    partner_date_fields = ("planned_on",)

    class Meta:
        model = Audit
        fields = [
            "supplier",
            "audit_type",
            "announced",
            "third_party",
            "firm",
            "planned_on",
            "lead_auditor",
            "auditors",
            "template",
            "follows_up",
        ]
        widgets = {"planned_on": DATE}
        help_texts = {
            "announced": _("An unannounced audit is hidden from the supplier until it is performed.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by("full_name")
        self.fields["lead_auditor"].queryset = staff
        self.fields["lead_auditor"].required = False
        self.fields["auditors"].queryset = staff
        self.fields["template"].queryset = ChecklistTemplate.objects.filter(is_active=True)
        self.fields["follows_up"].queryset = Audit.objects.filter(
            status=Audit.Status.PERFORMED
        ).select_related("supplier")


class AuditCompleteForm(forms.Form):
    """The checklist scores (one field pair per question), performed date, summary and report."""

    performed_on = forms.DateField(label=_("Performed on"), widget=DATE, validators=DATE_BOUNDS)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    report = forms.FileField(
        label=_("Signed report (optional)"), required=False, validators=[validate_upload]
    )

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"score_{question.pk}"] = forms.TypedChoiceField(
                label=question.text,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("n/a")), *[(n, str(n)) for n in range(6)]],
                # The checklist shows the question beside the two fields, not as a <label>: name them for
                # screen readers.
                widget=forms.Select(attrs={"aria-label": _("Score (0–5): %(q)s") % {"q": question.text}}),
            )
            self.fields[f"note_{question.pk}"] = forms.CharField(
                label=_("Note"),
                required=False,
                widget=forms.TextInput(attrs={"aria-label": _("Note: %(q)s") % {"q": question.text}}),
            )

    def scores(self) -> dict:
        return {
            q.pk: (self.cleaned_data[f"score_{q.pk}"], self.cleaned_data[f"note_{q.pk}"])
            for q in self.questions
        }


class FindingForm(forms.ModelForm):
    class Meta:
        model = Finding
        fields = ["severity", "clause", "description", "evidence"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class CapaRaiseForm(forms.ModelForm):
    class Meta:
        model = CorrectiveAction
        fields = ["title", "problem", "due_on"]
        widgets = {"due_on": DATE, "problem": forms.Textarea(attrs={"rows": 3})}


class CapaAnswerForm(forms.ModelForm):
    """The supplier's answer to a corrective action request (all four parts required)."""

    class Meta:
        model = CorrectiveAction
        fields = ["supplier_owner", "containment", "root_cause", "corrective_action", "preventive_action"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("containment", "root_cause", "corrective_action", "preventive_action")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Evidence file"), validators=[validate_upload], widget=PhotoOrPdfInput(camera=True)
    )
    note = forms.CharField(label=_("What it shows"), required=False)


class HoldDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Put on hold")), ("dismiss", _("Dismiss"))])
    note = forms.CharField(label=_("Reason"))


class CapabilityObservationForm(forms.ModelForm):
    """What the audit saw of one field of the capability statement (a number, or a description)."""

    class Meta:
        model = CapabilityObservation
        fields = ["field", "category", "quantity", "text", "observed_on", "note"]
        widgets = {
            "observed_on": DATE,
            "text": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "category": _("For monthly capacity only."),
            "quantity": _("For capacity, lines and headcount."),
            "text": _("For equipment and QC steps."),
        }

    def __init__(self, *args, audit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if audit is not None:
            # Capacity is observed for the categories the supplier makes.
            self.fields["category"].queryset = audit.supplier.categories.order_by("name")


class VisitPersonForm(forms.ModelForm):
    """Someone met on the factory side."""

    class Meta:
        model = VisitPerson
        fields = ["role", "name", "area"]


class VisitNoteForm(forms.ModelForm):
    """A challenge, an idea or a follow-up of the visit (a follow-up needs an owner and a due date)."""

    class Meta:
        model = VisitNote
        fields = ["kind", "text", "owner", "due_on", "shared"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "due_on": DATE}


class PortalVisitNoteForm(VisitNoteForm):
    """What the factory adds to the shared part of a visit report."""

    class Meta(VisitNoteForm.Meta):
        fields = ["kind", "text", "owner", "due_on"]


class VisitCadenceForm(forms.Form):
    """How often the supplier is visited on site; left empty, the supplier has no visit cadence."""

    every_months = forms.IntegerField(
        label=_("Visit every (months)"),
        required=False,
        min_value=1,
        max_value=60,
        help_text=_("From 1 to 60, e.g. 12 for a yearly visit. Leave empty to stop tracking visits."),
        error_messages={
            "min_value": _("Visit at least every 60 months and at most every month: 1 to 60."),
            "max_value": _("Visit at least every 60 months and at most every month: 1 to 60."),
            "invalid": _("Write a whole number of months, from 1 to 60."),
        },
    )


class VerificationPolicyForm(forms.ModelForm):
    """A verification policy: per category (or all) and risk tier, what is renewed how often."""

    required_certificates = forms.MultipleChoiceField(
        label=_("Required certificates"),
        choices=CertificationStandard.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each must be held verified and in force; it falls due when it expires."),
    )

    class Meta:
        model = VerificationPolicy
        fields = [
            "category",
            "risk_tier",
            "audit_every_months",
            "capacity_every_months",
            "required_certificates",
            "replacement_certificate",
            "replacement_months_on_target",
        ]
        help_texts = {
            "replacement_certificate": _(
                "A verified certificate of this type, plus the months below on target (on-time delivery and "
                "defect rate), satisfies the on-site audit gate; it is recorded as a replacement, not a waiver."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].empty_label = _("All categories (default)")


class SeveritySwitchForm(forms.Form):
    """A switch of inspection severity by hand: to which severity, and why (required)."""

    severity = forms.ChoiceField(label=_("Switch to"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the inspection severity changes; it stays as it is.")},
    )

    def __init__(self, *args, state, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Severity

        # Reduced is offered from normal only; the service refuses it below a switching score of 30 (ISO 2859-1
        # 9.3.3), with the reason. (Any AQL: a lot on a disputed Table 2-C cell is inspected on the normal plan.)
        self.fields["severity"].choices = [
            (value, label)
            for value, label in Severity.choices
            if value != state.severity and (value != Severity.REDUCED or state.severity == Severity.NORMAL)
        ]
