from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = _("Integrations")

    def ready(self):
        from core import events

        from .services import events_record

        # Every app's services emit through core.events; this app turns each event into outbox rows.
        events.register_event_recorder(events_record)
