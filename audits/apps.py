from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = _("Quality and audits")

    def ready(self):
        from . import gates

        gates.register_audit_gates()
