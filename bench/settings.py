"""Settings of the benchmark: the test settings, plus the bench templates and a broker that only queues.

Tasks are queued in memory and never run: in production a notification's email goes to the Celery worker, so
the nightly scan must not be charged for sending it (the test settings would run it eagerly, in-process).
"""

from config.settings.test import *  # noqa: F403
from config.settings.test import BASE_DIR, TEMPLATES

TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = "memory://localhost/"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
DEBUG = False
