"""The Celery app and its beat schedule (the one place periodic tasks are declared)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("forgeline")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # 05:30 UTC, before the working day starts in Europe and after it ends in Asia: warn owners of
    # certifications that expire within 30 days or have expired, once per certification and threshold.
    "certification-expiry-reminders": {
        "task": "suppliers.tasks.certification_expiry_reminders_task",
        "schedule": crontab(hour=5, minute=30),
    },
}
