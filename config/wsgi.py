"""WSGI entry point for gunicorn."""

import gc
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


def _freeze_startup_objects() -> None:
    """Move everything loaded so far (Django, the apps, the URLconf, the holiday calendars: ~280k objects) out of the
    cyclic garbage collector's reach. They live as long as the worker, yet every full collection walked them all: a
    170-200 ms pause inside some request, about once every 40-80 requests of a card page. Objects made by requests
    are still collected as before. Each gunicorn worker imports this module after the fork, so each freezes its own
    heap; `runserver` (make run) imports it too, once per process, which is harmless."""
    gc.collect()
    gc.freeze()


_warm_up()
_freeze_startup_objects()
