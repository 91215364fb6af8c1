"""Forms of portal invitations: the invite form (staff and a factory's primary contact) and choosing a password."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class InviteForm(forms.Form):
    """Who to invite and in which language the email and the account start."""

    # A plain text field, not EmailField: the service checks the address and says what is wrong with it.
    email = forms.CharField(label=_("Email"), max_length=254)
    language = forms.ChoiceField(
        label=_("Language of the email and the portal"),
        choices=settings.LANGUAGES,
        help_text=_("Preset from the supplier's country; the contact can change it later."),
    )


class SetPasswordForm(forms.Form):
    """The invited contact's new password, typed twice."""

    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not a common password, and not like your name or email."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data
