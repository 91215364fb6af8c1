"""Settings of the task queue (Celery): the broker, and how long tasks run. Included by base.py."""

from ._env import VAR_DIR, env

# --- Celery -------------------------------------------------------------------------------------------------
# With REDIS_URL the broker is Redis; without it, kombu's filesystem transport, which needs no server.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 7200}  # above the 30-minute task time limit
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Long tasks (scans, PDFs) take one message at a time. With Redis, a task that opted into acks_late (only the
# idempotent ones) and whose worker died is handed out again after the visibility timeout, above the longest task.
# The filesystem broker of `make run` cannot do that: a killed scan waits for the next nightly run.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_REJECT_ON_WORKER_LOST = False
CELERY_TASK_TIME_LIMIT = 1800
CELERY_TASK_SOFT_TIME_LIMIT = 1700
# The health page (/health/) fails below this much free space where uploaded files live.
FORGELINE_HEALTH_MIN_FREE_MB = env.int("FORGELINE_HEALTH_MIN_FREE_MB", default=500)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
