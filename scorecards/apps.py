from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _queue_red_flags_check(supplier_id: int) -> None:
    """Queue the red-flag rules of one supplier (what suppliers.triggers runs once a write committed)."""
    from core.queue import task_publish

    from .tasks import red_flags_check_supplier_task

    # A broker that is down is logged, never raised: the nightly scan evaluates every supplier anyway.
    task_publish(red_flags_check_supplier_task, supplier_id)


class ScorecardsConfig(AppConfig):
    name = "scorecards"
    verbose_name = _("Scorecards")

    def ready(self):
        from suppliers import triggers

        # The lower apps' services request a check through this hook, never through a signal on a timeline row.
        triggers.register_red_flags_check(_queue_red_flags_check)
