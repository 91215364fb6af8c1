"""Forms of the integrations pages: a webhook endpoint and a chat channel (the services check the rules)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import STAFF_ROLES
from core.events import EventType

from .models import ChatChannel


def _staff():
    return User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by("full_name", "email")


class EndpointForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    url = forms.CharField(
        label=_("URL"),
        max_length=500,
        help_text=_("http:// or https://; never this server, a private network or a metadata address."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=_staff(),
        help_text=_("Told when the endpoint keeps failing and is paused."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff()


class ChannelForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Chat tool"), choices=ChatChannel.Kind.choices)
    url = forms.CharField(
        label=_("Incoming webhook URL"),
        max_length=500,
        help_text=_(
            "Slack: an incoming webhook. Teams: a workflow's 'when a webhook request is received' URL."
        ),
    )
    scope = forms.ChoiceField(label=_("Red flags of"), choices=ChatChannel.Scope.choices)
    supplier_owner = forms.ModelChoiceField(
        label=_("Supplier owner"),
        queryset=_staff(),
        required=False,
        help_text=_("Only with 'suppliers of one owner'."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=_staff(), help_text=_("Told when the channel keeps failing and is paused.")
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff()
        self.fields["supplier_owner"].queryset = _staff()
