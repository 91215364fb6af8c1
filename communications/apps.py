from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationsConfig(AppConfig):
    name = "communications"
    verbose_name = _("Communications")

    def ready(self):
        from core.partner_calendar import register_day_off_lookup

        from . import search
        from .calendar import day_off_reason

        # Forms of lower apps (audits, orders) warn about the supplier's holidays and closures through this hook.
        register_day_off_lookup(day_off_reason)
        search.register()
