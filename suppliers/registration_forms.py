"""Forms of factory registrations and bank details: the staff's invitation and review, the factory's draft and
its entries, and the request to change bank details."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.uploads import PHOTO_OR_PDF

from .models import (
    BankDetailsChange,
    Registration,
    RegistrationCapacity,
    RegistrationCertificate,
    RegistrationReference,
    RegistrationSite,
)
from .registrations import DRAFT_FIELDS

DATE = forms.DateInput(attrs={"type": "date"})
# A plain file input: the stored file is never linked on the public form (its visitor has no account to see it).
FILE = forms.FileInput(attrs={"accept": PHOTO_OR_PDF})


class RegistrationInviteForm(forms.Form):
    """Which company to invite, at which address, in which language."""

    company_name = forms.CharField(label=_("Company name"), max_length=200)
    # A plain text field, not EmailField: the service checks the address and says what is wrong with it.
    email = forms.CharField(label=_("Email"), max_length=254)
    language = forms.ChoiceField(label=_("Language of the email and the form"), choices=settings.LANGUAGES)


class RequestChangesForm(forms.Form):
    """What the factory should change, in a comment it reads."""

    comment = forms.CharField(
        label=_("What should the factory change?"), max_length=5000, widget=forms.Textarea
    )


class RegistrationDraftForm(forms.ModelForm):
    """Everything the factory fills on the registration itself; all optional until it submits."""

    class Meta:
        model = Registration
        fields = list(DRAFT_FIELDS)
        widgets = {
            "business_licence": FILE,
            "qc_process_document": FILE,
            "address": forms.Textarea(attrs={"rows": 2}),
            "main_equipment": forms.Textarea(attrs={"rows": 2}),
            "production_limitations": forms.Textarea(attrs={"rows": 2}),
            # Never sent back to the browser: once entered, the number shows only masked.
            "bank_account_number": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["bank_account_number"] = ""
        masked = self.instance.bank_account_masked if self.instance.pk else ""
        if masked:
            self.fields["bank_account_number"].help_text = _(
                "Saved: %(masked)s. Leave empty to keep it; type a new one to replace it."
            ) % {"masked": masked}

    def clean_bank_account_number(self):
        value = "".join(self.cleaned_data.get("bank_account_number", "").split())
        return value or self.instance.bank_account_number


class SiteForm(forms.ModelForm):
    """A site of the factory: its own factory, a trading company or a subcontractor."""

    prefix = "site"

    class Meta:
        model = RegistrationSite
        fields = ["kind", "name", "address", "country"]
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}


class CapacityForm(forms.ModelForm):
    """The monthly capacity of one product category."""

    prefix = "capacity"

    class Meta:
        model = RegistrationCapacity
        fields = ["category", "monthly_capacity", "unit"]


class CertificateForm(forms.ModelForm):
    """A certificate the factory holds, with its document."""

    prefix = "certificate"

    class Meta:
        model = RegistrationCertificate
        fields = ["standard", "standard_other", "number", "issuer", "valid_from", "valid_until", "document"]
        widgets = {"valid_from": DATE, "valid_until": DATE, "document": FILE}


class ReferenceForm(forms.ModelForm):
    """A client whom the buyer may call."""

    prefix = "reference"

    class Meta:
        model = RegistrationReference
        fields = ["company", "contact_name", "contact_email", "contact_phone"]


ITEM_FORMS = {
    "site": SiteForm,
    "capacity": CapacityForm,
    "certificate": CertificateForm,
    "reference": ReferenceForm,
}


class BankChangeForm(forms.ModelForm):
    """New bank details and why they change."""

    class Meta:
        model = BankDetailsChange
        fields = ["account_holder", "bank_name", "swift", "account_number", "currency", "reason"]
        widgets = {
            "account_number": forms.TextInput(attrs={"autocomplete": "off"}),
            "reason": forms.Textarea(attrs={"rows": 2}),
        }


class BankDecideForm(forms.Form):
    """Verify or reject a requested change, saying how it was checked."""

    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Verified: apply the new details")), ("0", _("Reject"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(
        label=_("How was it verified?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: called the supplier's general manager on the number we already hold."),
    )
