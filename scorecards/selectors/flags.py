"""The red-flag inbox."""

from django.db.models import QuerySet

from core.filters import exact_filters

from ..models import RedFlag


def flag_list(*, user, filters: dict | None = None) -> QuerySet[RedFlag]:
    """Return red flags, open first, with supplier and owner."""
    filters = filters or {}
    queryset = RedFlag.objects.visible_to(user).select_related("supplier", "owner")
    chosen = exact_filters(RedFlag, filters, ("state", "supplier", "rule", "severity"))
    if "state" not in chosen:
        queryset = queryset.exclude(state=RedFlag.State.RESOLVED)
    queryset = queryset.filter(**chosen)
    if filters.get("mine"):
        queryset = queryset.filter(owner=user)
    return queryset.order_by("-raised_at", "-pk")
