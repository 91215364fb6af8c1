"""Writes of the orders app, one module per aggregate; callers import from the package."""

from .changes import (
    order_change_accept,
    order_change_accept_counter,
    order_change_counter,
    order_change_record_agreement,
    order_change_withdraw,
    order_confirm_with_changes,
    order_decline,
    order_factory_change_decide,
    order_factory_changes_decide_all,
)
from .charges import order_charge_remove, order_charge_set
from .deliveries import delivery_decide_proposal, delivery_propose_date, delivery_receive, delivery_ship
from .disruptions import (
    delivery_excuse,
    delivery_excuse_withdraw,
    disruption_declare,
    disruption_deliveries,
    disruption_hits,
)
from .notice import order_short_notice_warning
from .numbers import order_number_format, order_number_next, order_renumber
from .orders import (
    PILOT_ORDER_STAGES,
    REGULAR_ORDER_STAGES,
    order_acknowledge,
    order_cancel,
    order_close,
    order_create,
    order_line_change,
    order_send,
)
from .pilots import PILOT_MAX_DAYS, PILOT_MIN_DAYS, pilot_create, pilot_decide
from .production import order_start_production, production_log_add

__all__ = [
    "PILOT_MAX_DAYS",
    "PILOT_MIN_DAYS",
    "PILOT_ORDER_STAGES",
    "REGULAR_ORDER_STAGES",
    "delivery_decide_proposal",
    "delivery_excuse",
    "delivery_excuse_withdraw",
    "delivery_propose_date",
    "delivery_receive",
    "delivery_ship",
    "disruption_declare",
    "disruption_deliveries",
    "disruption_hits",
    "order_acknowledge",
    "order_cancel",
    "order_change_accept",
    "order_change_accept_counter",
    "order_change_counter",
    "order_change_record_agreement",
    "order_change_withdraw",
    "order_charge_remove",
    "order_charge_set",
    "order_close",
    "order_confirm_with_changes",
    "order_create",
    "order_decline",
    "order_factory_change_decide",
    "order_factory_changes_decide_all",
    "order_line_change",
    "order_number_format",
    "order_number_next",
    "order_renumber",
    "order_send",
    "order_short_notice_warning",
    "order_start_production",
    "pilot_create",
    "pilot_decide",
    "production_log_add",
]
