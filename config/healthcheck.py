"""Container health probes for docker-compose.yml, in the standard library only (no Django start-up per probe).

    python config/healthcheck.py web                  # GET /health/ (database, broker) on this gunicorn: 200 or fail
    python config/healthcheck.py beat <schedule file> # beat wrote its schedule file in the last 15 minutes

Exit status 0 means healthy. The worker's probe is Celery's own (`celery inspect ping`, in docker-compose.yml).
"""

import glob
import os
import sys
import time
import urllib.error
import urllib.request

# The web process's own checks (config/health.py); /health/ without `only` adds the worker, beat and the outbox,
# for monitoring (a worker that is down must not mark the web container unhealthy). /healthz stays for old probes.
WEB_URL = "http://127.0.0.1:8000/health/?only=database,broker,disk"
# Beat wakes at least every 5 minutes and writes its schedule file at most 3 minutes after a wake-up.
BEAT_MAX_AGE_SECONDS = 15 * 60


def web_is_healthy() -> bool:
    """Ask the local gunicorn, naming a host Django accepts (the first of DJANGO_ALLOWED_HOSTS)."""
    hosts = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = (
        hosts[0].lstrip(".") if hosts and hosts[0] != "*" else "localhost"
    )  # ".example.com" allows example.com
    request = urllib.request.Request(WEB_URL, headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError) as exc:
        print(f"web: {exc}", file=sys.stderr)
        return False


def beat_is_healthy(schedule: str) -> bool:
    """Tell whether beat wrote its schedule recently (dbm may add a suffix such as .db or .dat)."""
    files = glob.glob(glob.escape(schedule) + "*")
    if not files:
        print(f"beat: no schedule file {schedule}", file=sys.stderr)
        return False
    age = time.time() - max(os.path.getmtime(f) for f in files)
    if age > BEAT_MAX_AGE_SECONDS:
        print(f"beat: schedule file last written {int(age)} s ago", file=sys.stderr)
        return False
    return True


if __name__ == "__main__":
    match sys.argv[1:]:
        case ["web"]:
            healthy = web_is_healthy()
        case ["beat", schedule]:
            healthy = beat_is_healthy(schedule)
        case _:
            sys.exit(__doc__)
    sys.exit(0 if healthy else 1)
