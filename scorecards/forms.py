"""Forms of the scorecards pages: a red flag's workflow and a manager's weekly email choice."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import STAFF_ROLES
from suppliers.models import Segment, Supplier

from .models import ACTIVE_STAGES, DigestPreference, RedFlag


class FlagActionForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        choices=[("acknowledge", "acknowledge"), ("resolve", "resolve"), ("assign", "assign")],
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False)
    owner = forms.ModelChoiceField(
        label=gettext_lazy("Assign to"),
        required=False,
        queryset=User.objects.filter(role__in=STAFF_ROLES, is_active=True),
    )


class FlagBulkForm(forms.Form):
    """The inbox's bulk action: the ticked flags (among those the user may see), and what to do with them."""

    flags = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Flags"),
        queryset=RedFlag.objects.none(),
        error_messages={"required": gettext_lazy("Tick at least one flag.")},
    )
    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        choices=[("acknowledge", gettext_lazy("Acknowledge")), ("assign", gettext_lazy("Assign"))],
    )
    owner = forms.ModelChoiceField(
        label=gettext_lazy("Assign to"),
        required=False,
        queryset=User.objects.filter(role__in=STAFF_ROLES, is_active=True),
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=2000)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["flags"].queryset = RedFlag.objects.visible_to(user)


class DigestPreferenceForm(forms.ModelForm):
    """A manager's weekly scorecard choice: on or off, and which suppliers."""

    segment = forms.ChoiceField(
        label=gettext_lazy("Only this segment"),
        required=False,
        choices=[("", gettext_lazy("All segments")), *Segment.choices],
    )

    class Meta:
        model = DigestPreference
        fields = ["enabled", "segment", "owner", "suppliers"]
        help_texts = {
            "enabled": gettext_lazy(
                "Every Monday at 07:00 in your timezone, with the scorecard PDF attached."
            ),
            "owner": gettext_lazy("Leave empty for every owner."),
            "suppliers": gettext_lazy(
                "Leave empty for every active supplier that matches the choices above."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by(
            "full_name"
        )
        self.fields["owner"].empty_label = gettext_lazy("Any owner")
        self.fields["suppliers"].queryset = Supplier.objects.filter(stage__in=ACTIVE_STAGES).order_by("name")
        self.fields["suppliers"].widget.attrs["size"] = 12

    def clean(self):
        cleaned = super().clean()
        if self.errors or not cleaned.get("enabled"):
            return cleaned
        # A digest that would always be empty is a mistake worth saying at once, not every Monday.
        matching = Supplier.objects.filter(stage__in=ACTIVE_STAGES)
        if cleaned.get("segment"):
            matching = matching.filter(segment=cleaned["segment"])
        if cleaned.get("owner"):
            matching = matching.filter(owner=cleaned["owner"])
        if cleaned.get("suppliers"):
            matching = matching.filter(pk__in=[s.pk for s in cleaned["suppliers"]])
        if not matching.exists():
            raise forms.ValidationError(
                _("No active supplier matches these choices: widen the segment, owner or supplier selection.")
            )
        return cleaned
