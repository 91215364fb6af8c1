from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardsConfig(AppConfig):
    name = "scorecards"
    verbose_name = _("Scorecards")

    def ready(self):
        from communications.response_targets import response_targets_register

        from . import signals, targets

        signals.connect()
        # Escalation and the issue pages hold each supplier to its own response target, as flags and KPIs do.
        response_targets_register(targets.response_targets_for)
