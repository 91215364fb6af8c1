"""Views of the project itself (not of a business app)."""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@login_not_required
@never_cache
@require_safe
@transaction.non_atomic_requests  # a database that is down must give 503 here, not fail opening the transaction
def healthz(request):
    """Answer 200 when the database answers, 503 when it does not; say nothing else (it needs no sign-in)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@login_not_required
@never_cache
@require_safe
@transaction.non_atomic_requests  # a database that is down must give 503 here, not fail opening the transaction
def health(request):
    """Answer the health report as JSON (config/health.py): 200 when healthy, 503 otherwise; no secrets."""
    from config.health import CHECKS, health_report

    only = {name for name in request.GET.get("only", "").split(",") if name}
    healthy, report = health_report(only=only & set(CHECKS) or None)
    return JsonResponse(report, status=200 if healthy else 503)
