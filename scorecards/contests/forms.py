"""Forms of scorecard contests: the factory's contest, and the manager's decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.inputs import MAX_QUANTITY
from core.uploads import PhotoOrPdfInput, validate_upload

from .models import REASON_MAX_LENGTH, RowContest


class RowContestForm(forms.Form):
    """The factory's contest of one row: why it should not count, and a document or photo that shows it."""

    reason = forms.CharField(
        label=_("Why this row should not count against you"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example: the port was closed, the defect was caused in transport, we answered by phone."
        ),
    )
    evidence = forms.FileField(
        label=_("Evidence (optional)"),
        required=False,
        widget=PhotoOrPdfInput(),
        validators=[validate_upload],
        help_text=_("A photo, a PDF, a spreadsheet or a Word document."),
    )


class ContestDecisionForm(forms.Form):
    """A manager's decision: accept (excuse the row, or correct an inspection's count) or reject, with why."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    outcome = forms.ChoiceField(
        label=_("If accepted"),
        choices=RowContest.Outcome.choices,
        initial=RowContest.Outcome.EXCUSED,
        required=False,
        help_text=_("An inspection may instead keep counting with a corrected defective count."),
    )
    corrected_defective_units = forms.IntegerField(
        label=_("Corrected defective units"), required=False, min_value=0, max_value=MAX_QUANTITY
    )
    note = forms.CharField(
        label=_("Reason (the factory sees it)"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, contest: RowContest | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if contest is not None and contest.kind != RowContest.Kind.INSPECTION:
            del self.fields["outcome"]
            del self.fields["corrected_defective_units"]
