"""Forms for a user's own account: preferences, password change and API tokens."""

from allauth.account.forms import ChangePasswordForm
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, User


class ProfileForm(forms.ModelForm):
    """A user's own name, timezone and language."""

    class Meta:
        model = User
        fields = ["full_name", "timezone", "language"]


class PasswordChangeForm(ChangePasswordForm):
    """allauth's password change, with the choice to keep one's API tokens (they are revoked otherwise)."""

    keep_api_tokens = forms.BooleanField(
        label=_("Keep my API tokens"),
        required=False,
        help_text=_(
            "Unticked, every API token you have stops working, as your other sessions do. Keep them only if "
            "you are sure no one else has them."
        ),
    )


class ApiTokenForm(forms.ModelForm):
    """A name for a new API token and, optionally, its last day."""

    class Meta:
        model = ApiToken
        fields = ["name", "expires_on"]
        widgets = {"expires_on": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"name": _("What uses it, e.g. “ERP import”.")}
