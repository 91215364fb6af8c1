from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo's data (`manage.py seed_demo`): imports every app's services, imported by none."""

    name = "demo"
    verbose_name = _("Demo data")
