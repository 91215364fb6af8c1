from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = _("Quality and audits")

    def ready(self):
        from suppliers.capability import register_capability_comparison
        from suppliers.verification import register_verification_status

        from . import gates, search
        from .capability_selectors import capability_comparison
        from .verification import verification_status

        gates.register_audit_gates()
        # And what the global search finds among this app's rows.
        search.register()
        # Claimed vs observed on the supplier's capacity tab.
        register_capability_comparison(capability_comparison)
        # What the supplier must renew, and when, on its overview.
        register_verification_status(verification_status)
