"""The red-flag inbox."""

from django.db.models import QuerySet

from ..models import RedFlag


def flag_list(*, user, filters: dict | None = None) -> QuerySet[RedFlag]:
    """Return red flags, open first, with supplier and owner."""
    filters = filters or {}
    queryset = RedFlag.objects.visible_to(user).select_related("supplier", "owner")
    if filters.get("state"):
        queryset = queryset.filter(state=filters["state"])
    else:
        queryset = queryset.exclude(state=RedFlag.State.RESOLVED)
    for key in ("supplier", "rule", "severity"):
        if filters.get(key):
            queryset = queryset.filter(**{key: filters[key]})
    if filters.get("mine"):
        queryset = queryset.filter(owner=user)
    return queryset.order_by("-raised_at", "-pk")
