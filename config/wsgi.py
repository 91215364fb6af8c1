"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()


def _warm_up() -> None:
    """Load at start what a worker's first requests would otherwise pay for: every view (the URLconf) and the
    holiday calendars of every country (~280 modules, ~0.2 s of CPU, once the first portal home's)."""
    import holidays.countries  # noqa: F401
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the URLconf and every view)


_warm_up()
