"""How django-allauth fits Forgeline: no sign-up, our redirects, and a second factor that some roles keep."""

import time
from urllib.parse import quote

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from .languages import offered_language


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by administrators (and portal invitations): nobody signs up."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def get_password_change_redirect_url(self, request) -> str:
        return reverse("accounts:password_change_done")

    def send_notification_mail(self, template_prefix, user, context=None, email=None) -> None:
        # A notice about one's own account comes in one's own language, whoever's browser asked for the change.
        with translation.override(offered_language(user.language)):
            super().send_notification_mail(template_prefix, user, context=context, email=email)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # A password typed in the last few minutes, at sign-in or to confirm, is as good as typing it again:
        # a manager sent to set up the second factor right after signing in is not asked for it twice.
        request = context.request
        if request is not None and request.user.is_authenticated:
            records = get_authentication_records(request, request.user)
            latest = max((record.get("at", 0) for record in records), default=0)
            if time.time() - latest < account_settings.REAUTHENTICATION_TIMEOUT:
                return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def get_reset_password_from_key_url(self, key: str) -> str:
        # Links in emails point at FORGELINE_BASE_URL, never at whatever Host header the request carried.
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return settings.FORGELINE_BASE_URL.rstrip("/") + path.replace("UID-KEY", quote(key))


class MFAAdapter(DefaultMFAAdapter):
    """A manager's or administrator's authenticator app cannot be removed: their role requires it."""

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type == Authenticator.Type.TOTP and authenticator.user.mfa_required:
            return False
        return super().can_delete_authenticator(authenticator)
