"""Which target applies: the supplier's own, else the strictest of its product categories', else the default
row, else ARCHITECTURE.md's default (for response times: FORGELINE_RESPONSE_TARGET_HOURS). Resolved for many
suppliers in two queries.

The response target decides four things, all through this module: the unanswered-issue red flag, the KPI's share
answered within target, the rows behind that share, and issue escalation (communications asks through the hook
registered in apps.py).
"""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, DecimalField, Value, When

from communications.models import Side
from suppliers.models import Supplier

from .models import DEFAULT_TARGETS, HIGHER_IS_BETTER, Kpi, KpiTarget

# The KPI whose target holds each responding side to its first reply.
RESPONSE_KPI = {Side.SUPPLIER: Kpi.RESPONSE_TIME, Side.BUYER: Kpi.BUYER_RESPONSE_TIME}
_HOURS = DecimalField(max_digits=8, decimal_places=2)


def default_targets() -> dict[str, Decimal]:
    """Return the targets that apply when no KpiTarget row says otherwise."""
    hours = Decimal(settings.FORGELINE_RESPONSE_TARGET_HOURS)
    return {**DEFAULT_TARGETS, Kpi.RESPONSE_TIME: hours, Kpi.BUYER_RESPONSE_TIME: hours}


def _stricter(kpi: str, a: Decimal, b: Decimal) -> Decimal:
    return max(a, b) if kpi in HIGHER_IS_BETTER else min(a, b)


def targets_for(supplier_ids) -> dict[int, dict[str, Decimal]]:
    """Return {supplier_id: {kpi: target}} for the given suppliers."""
    return _resolve(
        list(KpiTarget.objects.all().values("kpi", "category_id", "supplier_id", "value")), supplier_ids
    )


def _resolve(rows: list[dict], supplier_ids) -> dict[int, dict[str, Decimal]]:
    defaults = default_targets()
    by_category: dict[int, dict[str, Decimal]] = defaultdict(dict)
    by_supplier: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in rows:
        if row["supplier_id"]:
            by_supplier[row["supplier_id"]][row["kpi"]] = row["value"]
        elif row["category_id"]:
            by_category[row["category_id"]][row["kpi"]] = row["value"]
        else:
            defaults[row["kpi"]] = row["value"]
    categories: dict[int, list[int]] = defaultdict(list)
    if by_category:
        links = Supplier.categories.through.objects.filter(supplier_id__in=list(supplier_ids))
        for supplier_id, category_id in links.values_list("supplier_id", "productcategory_id"):
            categories[supplier_id].append(category_id)
    result = {}
    for supplier_id in supplier_ids:
        targets = dict(defaults)
        for kpi in targets:
            category_values = [by_category[c][kpi] for c in categories[supplier_id] if kpi in by_category[c]]
            if category_values:
                value = category_values[0]
                for other in category_values[1:]:
                    value = _stricter(kpi, value, other)
                targets[kpi] = value
        targets.update(by_supplier.get(supplier_id, {}))
        result[supplier_id] = targets
    return result


def meets(kpi: str, value: Decimal | None, target: Decimal) -> bool | None:
    """Return whether a value meets its target (None when there is no value)."""
    if value is None:
        return None
    if kpi in HIGHER_IS_BETTER:
        return value >= target
    # Defects must stay below the target; hours within it.
    return value < target if kpi == "defect_rate" else value <= target


def response_targets_for(supplier_ids, *, responding_side: str = Side.SUPPLIER) -> dict[int, timedelta]:
    """Return {supplier_id: response target} for many suppliers in two queries: the resolver behind
    communications.response_targets.response_target_for (registered in apps.py)."""
    kpi = RESPONSE_KPI[responding_side]
    return {pk: timedelta(hours=float(t[kpi])) for pk, t in targets_for(list(supplier_ids)).items()}


def response_target_sql(*, responding_side: str = Side.SUPPLIER, supplier_field: str = "supplier_id"):
    """Return the response target in hours of each row's supplier as an SQL expression (see response_targets_sql)."""
    return response_targets_sql(supplier_field=supplier_field)[responding_side]


def response_targets_sql(*, supplier_field: str = "supplier_id") -> dict:
    """Return, for each responding side, the response target in hours of each row's supplier as an SQL
    expression, for aggregates over all suppliers: the default, except for the (few) suppliers a KpiTarget row
    gives another value.

    One query on the KpiTarget rows (and one on product categories if a row names one); the same resolution as
    targets_for, so a flag, the KPI share, its rows and escalation hold each supplier to the same hours.
    """
    rows = list(
        KpiTarget.objects.filter(kpi__in=RESPONSE_KPI.values()).values(
            "kpi", "category_id", "supplier_id", "value"
        )
    )
    specific = {row["supplier_id"] for row in rows if row["supplier_id"]}
    categories = [row["category_id"] for row in rows if row["category_id"] and not row["supplier_id"]]
    if categories:
        links = Supplier.categories.through.objects.filter(productcategory_id__in=categories)
        specific |= set(links.values_list("supplier_id", flat=True))
    resolved = _resolve(rows, specific) if specific else {}
    expressions = {}
    for side, kpi in RESPONSE_KPI.items():
        default = next(
            (
                row["value"]
                for row in rows
                if row["kpi"] == kpi and not row["supplier_id"] and not row["category_id"]
            ),
            default_targets()[kpi],
        )
        by_hours: dict[Decimal, list[int]] = defaultdict(list)
        for supplier_id, targets in resolved.items():
            if targets[kpi] != default:
                by_hours[targets[kpi]].append(supplier_id)
        whens = [When(**{f"{supplier_field}__in": ids}, then=Value(hours)) for hours, ids in by_hours.items()]
        expressions[side] = (
            Case(*whens, default=Value(default), output_field=_HOURS) if whens else Value(default, _HOURS)
        )
    return expressions
