"""The red-flag inbox."""

from django.db.models import Case, IntegerField, QuerySet, Value, When

from core.filters import exact_filters
from suppliers.selectors import filter_by_supplier

from ..models import RedFlag


def flag_list(*, user, filters: dict | None = None) -> QuerySet[RedFlag]:
    """Return red flags, the most severe first and the oldest first within a severity, with supplier and owner."""
    filters = filters or {}
    queryset = RedFlag.objects.visible_to(user).select_related("supplier", "owner")
    chosen = exact_filters(RedFlag, filters, ("state", "rule", "severity"))
    if "state" not in chosen:
        queryset = queryset.exclude(state=RedFlag.State.RESOLVED)
    queryset = filter_by_supplier(queryset.filter(**chosen), filters.get("supplier"))
    if filters.get("mine"):
        queryset = queryset.filter(owner=user)
    return queryset.annotate(severity_rank=SEVERITY_RANK).order_by("severity_rank", "raised_at", "pk")


# High before medium before low: what to work on first.
SEVERITY_RANK = Case(
    When(severity=RedFlag.Severity.HIGH, then=Value(0)),
    When(severity=RedFlag.Severity.MEDIUM, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def flag_notes(*, flag: RedFlag):
    """Return a flag's notes, oldest first, with their authors."""
    return flag.notes.select_related("author").order_by("created_at", "pk")
