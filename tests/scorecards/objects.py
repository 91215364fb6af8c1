"""Supplier-A objects of the scorecards app for the isolation test."""

from scorecards.models import RedFlag


def scorecard_objects(supplier, staff_user) -> dict:
    return {
        "red_flag": RedFlag.objects.create(
            supplier=supplier,
            rule=RedFlag.Rule.ON_TIME_DELIVERY,
            period="2026-W47",
            observed="80 % (8/10)",
            target="≥ 95 %",
            recommended_action="Review production schedules with the supplier.",
            owner=staff_user,
        ),
    }
