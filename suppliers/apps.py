from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliersConfig(AppConfig):
    name = "suppliers"
    verbose_name = _("Suppliers")

    def ready(self):
        # Register the vetting gates this app owns; later apps register theirs in their own ready().
        from . import gates, search

        gates.register_builtin_gates()
        # And what the global search finds among this app's rows.
        search.register()
