import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


def _queue_red_flags_check(supplier_id: int) -> None:
    """Queue the red-flag rules of one supplier (what suppliers.triggers runs once a write committed)."""
    from core.queue import BROKER_ERRORS

    from .tasks import red_flags_check_supplier_task

    try:
        red_flags_check_supplier_task.delay(supplier_id)
    except BROKER_ERRORS as exc:
        # A broker that is down never fails the write: the nightly scan evaluates every supplier anyway.
        logger.warning("Could not queue the red-flag check of supplier %s: %r", supplier_id, exc)


class ScorecardsConfig(AppConfig):
    name = "scorecards"
    verbose_name = _("Scorecards")

    def ready(self):
        from audits.gates import register_track_record
        from communications.response_targets import response_targets_register
        from suppliers import triggers

        from . import targets, waiting  # noqa: F401 - registers the home pages' items
        from .track_record import months_on_target

        # The lower apps' services request a check through this hook, never through a signal on a timeline row.
        triggers.register_red_flags_check(_queue_red_flags_check)
        # Escalation and the issue pages hold each supplier to its own response target, as flags and KPIs do.
        response_targets_register(targets.response_targets_for)
        # A verification policy's audit replacement asks for months on target (the KPI engine's weekly values).
        register_track_record(months_on_target)
