from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipConfig(AppConfig):
    """The partnership ledger: what buyer and factory do together beyond orders (issue 18, point 7)."""

    name = "partnership"
    verbose_name = _("Partnership")

    def ready(self):
        from .messages import register_messages

        register_messages()
