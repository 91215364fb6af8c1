from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationsConfig(AppConfig):
    name = "communications"
    verbose_name = _("Communications")

    def ready(self):
        from orders import hooks

        from .services.orders import order_sent_notify_factory

        # Orders sits below communications: it calls this hook when an order is sent, without importing us.
        hooks.register_order_sent(order_sent_notify_factory)

        from core.partner_calendar import register_day_off_lookup

        from .calendar import day_off_reason

        # Forms of lower apps (audits, orders) warn about the supplier's holidays and closures through this hook.
        register_day_off_lookup(day_off_reason)
