"""Small builders of the demand-planning tests."""

from datetime import date

import time_machine

from planning import services


def publish(supplier, by, lines, *, on: str | None = None, note: str = ""):
    """Publish a forecast version (on a given day, 09:00 UTC, when `on` is set)."""
    if on is None:
        return services.forecast_publish(supplier=supplier, by=by, lines=lines, note=note)
    with time_machine.travel(f"{on} 09:00 +00:00", tick=False):
        return services.forecast_publish(supplier=supplier, by=by, lines=lines, note=note)


def line(
    month: str, quantity: int, *, sku: str = "TOTE-01", category=None, confidence: str = "likely"
) -> dict:
    """Return one forecast line as forecast_publish takes it (month as YYYY-MM)."""
    year, number = month.split("-")
    return {
        "month": date(int(year), int(number), 1),
        "sku": "" if category else sku,
        "category": category,
        "quantity": quantity,
        "confidence": confidence,
    }
