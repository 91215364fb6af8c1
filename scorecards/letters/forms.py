"""Forms of reference letters: the staff form on a supplier's scorecard, and revoking a letter."""

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from core.clock import business_today
from core.inputs import DATE_BOUNDS, EARLIEST_DATE

from .models import ADDRESSEE_MAX_LENGTH, DEFAULT_ADDRESSEE, REASON_MAX_LENGTH, TEXT_MAX_LENGTH
from .services import BELOW_TARGET_CAPABILITY, DEFAULT_VALID_MONTHS, MAX_VALID_MONTHS, MIN_VALID_MONTHS

DATE = forms.DateInput(attrs={"type": "date"})


class LetterIssueForm(forms.Form):
    """Issue a reference letter: the period, to whom, the buyer's words, and (managers) why despite a miss."""

    period_start = forms.DateField(label=_("Period from"), widget=DATE, validators=DATE_BOUNDS)
    period_end = forms.DateField(label=_("Period to"), widget=DATE, validators=DATE_BOUNDS)
    valid_months = forms.IntegerField(
        label=_("Valid for (months)"),
        min_value=MIN_VALID_MONTHS,
        max_value=MAX_VALID_MONTHS,
        initial=DEFAULT_VALID_MONTHS,
    )
    addressee = forms.CharField(
        label=_("Addressed to"), max_length=ADDRESSEE_MAX_LENGTH, required=False, initial=DEFAULT_ADDRESSEE
    )
    text = forms.CharField(
        label=_("Your words"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A paragraph printed on the letter: how long you have worked together, what they make."),
    )
    below_target_reason = forms.CharField(
        label=_("Reason to issue it below target (shown on the letter)"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when a KPI misses its target over the period; a manager's decision."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = business_today()
        self.fields["period_start"].initial = today - timedelta(days=365)
        self.fields["period_end"].initial = today
        for name in ("period_start", "period_end"):
            self.fields[name].widget.attrs.update(min=EARLIEST_DATE.isoformat(), max=today.isoformat())
        if user is None or not user.can(BELOW_TARGET_CAPABILITY):
            del self.fields["below_target_reason"]  # a buyer cannot override a missed target


class LetterRevokeForm(forms.Form):
    """Revoke a letter: its link says "revoked" from now on."""

    reason = forms.CharField(label=_("Why revoke it"), max_length=REASON_MAX_LENGTH)
