"""Writes of the pricing app: agreements and their versions, price-change requests, cost breakdowns."""

from .agreements import price_agreement_create, price_agreement_new_version
from .breakdowns import (
    cost_breakdown_answer,
    cost_breakdown_assess,
    cost_breakdown_request,
    cost_estimate_record,
)
from .changes import (
    price_change_accept,
    price_change_counter,
    price_change_counter_answer,
    price_change_refuse,
    price_change_request,
)

__all__ = [
    "cost_breakdown_answer",
    "cost_breakdown_assess",
    "cost_breakdown_request",
    "cost_estimate_record",
    "price_agreement_create",
    "price_agreement_new_version",
    "price_change_accept",
    "price_change_counter",
    "price_change_counter_answer",
    "price_change_refuse",
    "price_change_request",
]
