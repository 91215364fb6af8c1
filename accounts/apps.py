from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import stamp_session_on_login

        # The absolute session lifetime counts from here (accounts.middleware.SessionLifetimeMiddleware).
        user_logged_in.connect(stamp_session_on_login, dispatch_uid="accounts.stamp_session_on_login")
