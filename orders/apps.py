from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders")

    def ready(self):
        from . import gates, search

        gates.register_order_gates()
        # And what the global search finds among this app's rows.
        search.register()
