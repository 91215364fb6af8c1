"""How long the responding side has to first reply to an issue: one answer for escalation, the issue pages, the
red flag and the response KPI.

The targets are KPI targets (a supplier's own, its categories', the default), kept by the scorecards app above
this one: it registers its resolver here from its ready(), so this app never imports it. Without one (this app
alone), every supplier has FORGELINE_RESPONSE_TARGET_HOURS.
"""

from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings

from .models import Side

# (supplier_ids, responding_side) -> {supplier_id: target}
Resolver = Callable[..., dict[int, timedelta]]
_resolver: Resolver | None = None


def response_targets_register(resolver: Resolver) -> None:
    """Set the function that resolves each supplier's response target (registering again replaces it)."""
    global _resolver
    _resolver = resolver


def default_response_target() -> timedelta:
    """Return the response target of a supplier without its own (24 hours unless configured)."""
    return timedelta(hours=settings.FORGELINE_RESPONSE_TARGET_HOURS)


def response_targets_for(supplier_ids: Iterable[int], *, responding_side: str = Side.SUPPLIER) -> dict:
    """Return {supplier_id: how long the responding side has to first reply} for many suppliers at once."""
    supplier_ids = list(supplier_ids)
    if _resolver is None:
        return dict.fromkeys(supplier_ids, default_response_target())
    return _resolver(supplier_ids, responding_side=responding_side)


def response_target_for(supplier, *, responding_side: str = Side.SUPPLIER) -> timedelta:
    """Return how long the responding side has to first reply to an issue of this supplier."""
    supplier_id = getattr(supplier, "pk", supplier)
    return response_targets_for([supplier_id], responding_side=responding_side)[supplier_id]


def issue_response_targets(issues) -> dict[int, timedelta]:
    """Return {issue id: its response target} for some issues (at most two queries per responding side)."""
    by_side: dict[str, set[int]] = {}
    for issue in issues:
        by_side.setdefault(issue.responding_side, set()).add(issue.supplier_id)
    targets = {side: response_targets_for(ids, responding_side=side) for side, ids in by_side.items()}
    return {issue.pk: targets[issue.responding_side][issue.supplier_id] for issue in issues}
