"""The short form behind a playbook's button: what each step needs (a date, a contact, a SKU), nothing more."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import STAFF_ROLES
from core.inputs import DATE_BOUNDS
from suppliers.models import Contact

from .models import ContractReview, PlaybookAction

Kind = PlaybookAction.Kind
# The fields each step cannot do without (the others are optional or filled from the flag).
REQUIRED = {
    Kind.PRODUCTION_REVIEW: ("day", "at"),
    Kind.CORRECTIVE_ACTION: ("due_on",),
    Kind.PROCESS_AUDIT: ("planned_on",),
    Kind.FACTORY_CONTACT: ("contact",),
    Kind.OUR_CONTACT: ("owner",),
}
DATE = forms.DateInput(attrs={"type": "date"})


class PlaybookActionForm(forms.Form):
    """One playbook step and its inputs; the contact list is the flag's supplier's own."""

    kind = forms.ChoiceField(label=_("Action"), choices=Kind.choices)
    note = forms.CharField(
        label=_("Internal note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    day = forms.DateField(label=_("Date"), required=False, widget=DATE, validators=DATE_BOUNDS)
    at = forms.TimeField(
        label=_("Time (supplier's timezone)"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    agenda = forms.CharField(
        label=_("Agenda"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE, validators=DATE_BOUNDS)
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    planned_on = forms.DateField(label=_("Planned for"), required=False, widget=DATE, validators=DATE_BOUNDS)
    contact = forms.ModelChoiceField(
        label=_("New primary contact"), queryset=Contact.objects.none(), required=False
    )
    owner = forms.ModelChoiceField(label=_("New owner (ours)"), queryset=User.objects.none(), required=False)
    sku = forms.CharField(label=_("SKU"), required=False, max_length=100)
    message = forms.CharField(
        label=_("Message to the factory (it reads it)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    copy_general_manager = forms.BooleanField(label=_("Copy the factory's general manager"), required=False)

    def __init__(self, *args, flag, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = Contact.objects.filter(supplier_id=flag.supplier_id, is_active=True)
        self.fields["owner"].queryset = User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by(
            "full_name"
        )

    def clean(self):
        data = super().clean()
        for name in REQUIRED.get(data.get("kind"), ()):
            if not data.get(name):
                self.add_error(name, _("This action needs it."))
        return data


class ContractReviewDecisionForm(forms.Form):
    """What a contract review decided, and why."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=ContractReview.Outcome.choices)
    note = forms.CharField(
        label=_("What was decided"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
