"""The project as an app: it owns no models, only the checks every deployment must pass."""

from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """Register the project's system checks (config/checks.py)."""

    name = "config"
    verbose_name = "Forgeline"

    def ready(self):
        from . import checks  # noqa: F401  (registers the checks on import)
