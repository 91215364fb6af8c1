from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app uses and no business rule: view helpers, checked uploads, the safe PDF renderer, tags."""

    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import request_id, task_runs

        task_runs.connect()
        request_id.connect_tasks()
