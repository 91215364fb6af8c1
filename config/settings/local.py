"""Development settings: the embedded default (SQLite, filesystem broker, console email)."""

from .base import *  # noqa: F403
from .base import CELERY_BROKER_DIR, VAR_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="forgeline-local-development-key-not-for-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

# The SQLite file, the filesystem broker and uploads live in var/ (git-ignored).
for folder in (VAR_DIR, *(CELERY_BROKER_DIR / name for name in ("queue", "processed", "control"))):
    folder.mkdir(parents=True, exist_ok=True)
# seed_demo may load the demo here (never under production settings).
FORGELINE_DEMO_ALLOWED = True
