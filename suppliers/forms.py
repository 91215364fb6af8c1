"""Staff forms for suppliers and their vetting evidence, and the portal's certificate upload."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import TIMEZONE_CHOICES, User
from accounts.roles import STAFF_ROLES

from .gates import evaluate_gates
from .lifecycle import MANAGER_APPROVAL_STAGES, allowed_targets
from .models import (
    CapacityAssessment,
    Certification,
    ClientReference,
    Contact,
    Contract,
    RiskTier,
    Stage,
    Supplier,
)
from .timezones import country_timezone

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _staff_users():
    return User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by("full_name")


class SupplierForm(forms.ModelForm):
    class Meta:
        model = Supplier
        fields = [
            "name",
            "legal_name",
            "registration_number",
            "country",
            "city",
            "address",
            "timezone",
            "website",
            "categories",
            "segment",
            "risk_tier",
            "owner",
            "project_manager",
            "qc_lead",
            "notes",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "categories": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("owner", "project_manager", "qc_lead"):
            self.fields[name].queryset = _staff_users()
        self.fields["owner"].required = False
        self.fields["owner"].help_text = _("Empty: you.")
        # A form (or a script) that does not send the tier keeps the supplier's, medium for a new one.
        self.fields["risk_tier"].required = False
        if self.instance.pk is None:
            # A new supplier's timezone follows its country unless chosen.
            self.fields["timezone"].required = False
            self.fields["timezone"].choices = [("", _("The country's main timezone")), *TIMEZONE_CHOICES]
            self.initial["timezone"] = ""

    def clean_timezone(self):
        # Empty on a new supplier: its country's (the country is cleaned first, being listed before).
        return self.cleaned_data.get("timezone") or country_timezone(self.cleaned_data.get("country"))

    def clean_risk_tier(self):
        return self.cleaned_data.get("risk_tier") or self.instance.risk_tier or RiskTier.MEDIUM

    def clean_registration_number(self):
        return " ".join(self.cleaned_data.get("registration_number", "").split())


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "role", "email", "phone", "messaging", "language", "is_primary", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class CertificationForm(forms.ModelForm):
    verified = forms.BooleanField(
        label=_("I checked the original document: mark as verified"), required=False, initial=True
    )

    class Meta:
        model = Certification
        fields = [
            "standard",
            "standard_other",
            "number",
            "issuer",
            "scope",
            "valid_from",
            "valid_until",
            "document",
        ]
        widgets = {"valid_from": DATE, "valid_until": DATE}

    def clean(self):
        data = super().clean()
        if data.get("standard") == "other" and not data.get("standard_other"):
            self.add_error("standard_other", _("Name the standard."))
        return data


class PortalCertificationForm(CertificationForm):
    """A factory contact's upload of a new or renewed certificate; the document is required."""

    verified = None

    class Meta(CertificationForm.Meta):
        fields = ["replaces", *CertificationForm.Meta.fields]

    def __init__(self, *args, supplier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("verified", None)
        self.fields["document"].required = True
        self.fields["replaces"].queryset = Certification.objects.filter(supplier=supplier).order_by(
            "-valid_until"
        )
        self.fields["replaces"].help_text = _("The certificate this one renews, if any.")


class CertificationReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Verify")), ("reject", _("Reject"))], widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note to the supplier"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReferenceForm(forms.ModelForm):
    class Meta:
        model = ClientReference
        fields = [
            "company",
            "contact_name",
            "contact_email",
            "contact_phone",
            "checked_on",
            "outcome",
            "notes",
        ]
        widgets = {"checked_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = CapacityAssessment
        fields = [
            "assessed_on",
            "revenue_band",
            "headcount",
            "production_lines",
            "monthly_capacity",
            "capacity_unit",
            "equipment",
            "financial_risk",
            "notes",
        ]
        widgets = {
            "assessed_on": DATE,
            "equipment": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class ContractForm(forms.ModelForm):
    class Meta:
        model = Contract
        fields = [
            "title",
            "reference",
            "quality_standard",
            "lead_time_days",
            "incoterm",
            "delivery_terms",
            "payment_terms_days",
            "late_delivery_penalty",
            "confidentiality_ip",
            "volume_incentives",
            "valid_from",
            "valid_until",
            "signed_on",
            "document",
        ]
        widgets = {
            "valid_from": DATE,
            "valid_until": DATE,
            "signed_on": DATE,
            "quality_standard": forms.Textarea(attrs={"rows": 2}),
            "delivery_terms": forms.Textarea(attrs={"rows": 2}),
            "confidentiality_ip": forms.Textarea(attrs={"rows": 2}),
            "volume_incentives": forms.Textarea(attrs={"rows": 2}),
        }


class StageChangeForm(forms.Form):
    """Move a supplier to another stage; managers may waive the gates that are not met."""

    to_stage = forms.ChoiceField(label=_("New stage"))
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}))
    waive = forms.MultipleChoiceField(
        label=_("Waive these missing gates"), required=False, widget=forms.CheckboxSelectMultiple
    )
    waiver_reason = forms.CharField(
        label=_("Reason for the waiver"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, supplier: Supplier, user: User, today, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only the moves this user may make; no stage is preselected.
        targets = [
            s
            for s in allowed_targets(supplier.stage)
            if s not in MANAGER_APPROVAL_STAGES or user.can("supplier.approve_stage")
        ]
        self.fields["to_stage"].choices = [("", "---------")] + [(s, Stage(s).label) for s in targets]
        waivable = {}
        for stage in allowed_targets(supplier.stage):
            for result in evaluate_gates(supplier=supplier, stage=stage, today=today):
                if not result.passed:
                    waivable[result.code] = result.label
        self.fields["waive"].choices = sorted(waivable.items())
        if not user.can("supplier.waive_gate") or not waivable:
            del self.fields["waive"]
            del self.fields["waiver_reason"]


class RegistrationCheckForm(forms.Form):
    """Which registry the registration number was checked against (who and when are recorded by the service)."""

    registry = forms.CharField(
        label=_("Registry checked"),
        max_length=300,
        help_text=_("Its name or web address, e.g. the national enterprise credit information system."),
    )
