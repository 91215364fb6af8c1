from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = _("Quality and audits")

    def ready(self):
        from . import gates, search

        gates.register_audit_gates()
        # And what the global search finds among this app's rows.
        search.register()
