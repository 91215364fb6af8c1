"""Forms of new-product invitations: the buyer's invitation, the factory's answer, questions, samples, evaluation."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from core.inputs import DATE_BOUNDS, MAX_QUANTITY
from core.uploads import validate_upload
from suppliers.models import Supplier

from ..models import Invitee, Sample
from ..models.invitations import MAX_PRICE


class InvitationForm(forms.Form):
    title = forms.CharField(label=_("New product"), max_length=200)
    specification = forms.CharField(
        label=_("Specification"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
    spec_file = forms.FileField(
        label=_("Specification file (PDF, image, spreadsheet or Word)"),
        required=False,
        validators=[validate_upload],
    )
    target_price = forms.DecimalField(
        label=_("Target unit price"),
        required=False,
        max_digits=14,
        decimal_places=4,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_PRICE)],
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, required=False, initial="USD")
    target_volume = forms.IntegerField(
        label=_("Target volume"), required=False, min_value=1, max_value=MAX_QUANTITY
    )
    respond_by = forms.DateField(
        label=_("Answer by"), validators=DATE_BOUNDS, widget=forms.DateInput(attrs={"type": "date"})
    )
    suppliers = forms.ModelMultipleChoiceField(label=_("Invited suppliers"), queryset=Supplier.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suppliers"].queryset = Supplier.objects.visible_to(user).order_by("name")
        self.fields["suppliers"].widget.attrs["size"] = 8


class SpecFileForm(forms.Form):
    file = forms.FileField(label=_("Specification file"), validators=[validate_upload])


class InvitationAnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Your answer"),
        choices=[(Invitee.Status.INTERESTED, _("Interested")), (Invitee.Status.DECLINED, _("Declined"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (needed when you decline)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InvitationMessageForm(forms.Form):
    text = forms.CharField(label=_("Message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class SampleForm(forms.Form):
    sent_on = forms.DateField(
        label=_("Sent on"), validators=DATE_BOUNDS, widget=forms.DateInput(attrs={"type": "date"})
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY)
    tracking = forms.CharField(label=_("Tracking number"), max_length=100, required=False)
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SampleEvaluationForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Evaluation"),
        choices=[(Sample.Result.PASSED, _("Passed")), (Sample.Result.FAILED, _("Failed"))],
        widget=forms.RadioSelect,
    )
    evaluation_note = forms.CharField(
        label=_("Note (needed when failed)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
