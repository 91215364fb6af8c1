"""Which target applies: the supplier's own, else the strictest of its product categories', else the default
row, else ARCHITECTURE.md's default. Resolved for many suppliers in two queries."""

from collections import defaultdict
from decimal import Decimal

from suppliers.models import Supplier

from .models import DEFAULT_TARGETS, HIGHER_IS_BETTER, KpiTarget


def _stricter(kpi: str, a: Decimal, b: Decimal) -> Decimal:
    return max(a, b) if kpi in HIGHER_IS_BETTER else min(a, b)


def targets_for(supplier_ids) -> dict[int, dict[str, Decimal]]:
    """Return {supplier_id: {kpi: target}} for the given suppliers."""
    rows = list(KpiTarget.objects.all().values("kpi", "category_id", "supplier_id", "value"))
    defaults = dict(DEFAULT_TARGETS)
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
