"""Forms of training and community programmes (staff pages)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import STAFF_ROLES
from core.inputs import DATE_BOUNDS
from suppliers.models import Supplier

from ..models import Training
from ..models.training import MAX_ATTENDEES
from .ideas import DATE


class TrainingForm(forms.Form):
    supplier = forms.ModelChoiceField(label=_("Supplier"), queryset=Supplier.objects.none())
    topic = forms.CharField(label=_("Topic"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=DATE, validators=DATE_BOUNDS)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(Training.Status.OFFERED, _("Offered")), (Training.Status.GIVEN, _("Given"))],
        initial=Training.Status.OFFERED,
    )
    given_by = forms.ModelChoiceField(label=_("Given by"), queryset=User.objects.none(), required=False)
    people = forms.CharField(
        label=_("People (names or roles)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    attendee_count = forms.IntegerField(
        label=_("Number of people"), min_value=0, max_value=MAX_ATTENDEES, initial=0
    )
    notes = forms.CharField(
        label=_("Notes (the factory reads them)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.visible_to(user).order_by("name")
        self.fields["given_by"].queryset = User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by(
            "full_name"
        )


class TrainingGivenForm(forms.Form):
    attendee_count = forms.IntegerField(
        label=_("Number of people"), min_value=0, max_value=MAX_ATTENDEES, required=False
    )
    people = forms.CharField(label=_("People (names or roles)"), max_length=2000, required=False)
    notes = forms.CharField(label=_("Notes to add (the factory reads them)"), max_length=5000, required=False)


class ProgrammeForm(forms.Form):
    supplier = forms.ModelChoiceField(label=_("Supplier"), queryset=Supplier.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = forms.DateField(label=_("From"), widget=DATE, validators=DATE_BOUNDS)
    ends_on = forms.DateField(
        label=_("Until (optional)"), widget=DATE, validators=DATE_BOUNDS, required=False
    )
    contribution = forms.CharField(
        label=_("Contribution"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.visible_to(user).order_by("name")


class TrainingEditForm(TrainingForm):
    """Correct a recorded training: every field of recording one but the supplier; any status may be chosen and
    the service refuses a given training moved back."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        del self.fields["supplier"]
        self.fields["status"].choices = Training.Status.choices


class ProgrammeEditForm(ProgrammeForm):
    """Correct a recorded community programme (its supplier stays)."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        del self.fields["supplier"]
