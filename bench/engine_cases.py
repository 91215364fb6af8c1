"""Benchmark cases of the engine: every supplier's KPIs and weekly snapshots, and the nightly red-flag scan, each
against the same work done by raw SQL (bench/rawsql.py)."""

import re
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from unittest import mock

from bench.measure import Row, measure, measure_pair


def bench_kpis(*, reps: int, today, now) -> tuple[list[Row], dict]:
    """Time all_kpis against the five GROUP BYs, and snapshots_write against one INSERT … SELECT."""
    from django.conf import settings
    from django.db import connection

    from bench import rawsql
    from scorecards import kpis, periods, services
    from scorecards.models import DEFAULT_TARGETS, KpiSnapshot

    start, target_hours = (
        periods.rolling(today).start,
        Decimal(settings.FORGELINE_RESPONSE_TARGET_HOURS),
    )
    window = {"start": start, "end": today, "today": today, "now": now, "target_hours": target_hours}

    def raw_kpis():
        with connection.cursor() as cursor:
            return rawsql.kpis_group_by(cursor, **window)

    app = kpis.all_kpis(start=start, end=today, today=today, now=now)
    raw = raw_kpis()
    kpi_mismatches = _compare_kpis(app, raw)
    compute = Row(
        "KPIs, all suppliers (all_kpis)",
        *measure_pair(
            lambda: kpis.all_kpis(start=start, end=today, today=today, now=now), raw_kpis, reps=reps
        ),
        note="5 GROUP BYs",
    )

    # Last week's snapshots: the ones the Monday task writes (an upsert, so every run rewrites the same rows).
    week = services.week_start_of(today) - timedelta(days=7)

    def app_snapshots():
        return services.snapshots_write(week_start=week, now=now)

    def raw_snapshots():
        with connection.cursor() as cursor:
            return rawsql.snapshots_upsert(
                cursor,
                week_start=week,
                today=today,
                now=now,
                target_hours=target_hours,
                targets=DEFAULT_TARGETS,
            )

    def written():
        return {
            (s.supplier_id, s.kpi): (s.numerator, s.denominator, s.sample, s.value, s.target, s.met)
            for s in KpiSnapshot.objects.filter(week_start=week)
        }

    app_snapshots()
    by_app = written()
    raw_snapshots()
    snapshot_mismatches = _compare_snapshots(by_app, written())
    recompute = Row(
        "KPIs + snapshots (snapshots_write)",
        *measure_pair(app_snapshots, raw_snapshots, reps=reps),
        note="1 INSERT…SELECT…ON CONFLICT",
        extra={"rows": len(by_app)},
    )
    checks = {
        "kpis_match_raw_sql": not kpi_mismatches,
        "kpi_mismatches": kpi_mismatches[:5],
        "snapshots_match_raw_sql": not snapshot_mismatches,
        "snapshot_mismatches": snapshot_mismatches[:5],
    }
    return [recompute, compute], checks


def _compare_kpis(app: dict, raw: dict) -> list[str]:
    """Return the (kpi, supplier) pairs where the app's counts or median differ from the raw SQL's."""
    mismatches = []
    for kpi, values in app.items():
        if set(values) != set(raw[kpi]):
            mismatches.append(f"{kpi}: suppliers differ ({len(values)} vs {len(raw[kpi])})")
            continue
        for supplier_id, value in values.items():
            numerator, denominator, sample, median_seconds = raw[kpi][supplier_id]
            if (value.numerator, value.denominator, value.sample) != (numerator, denominator, sample):
                mismatches.append(f"{kpi} supplier {supplier_id}: {value} vs {raw[kpi][supplier_id]}")
            elif (
                median_seconds is not None
                and value.value is not None
                and abs(value.value - Decimal(str(median_seconds / 3600))) > Decimal("0.051")
            ):
                mismatches.append(
                    f"{kpi} supplier {supplier_id}: median {value.value} h vs {median_seconds} s"
                )
    return mismatches


def _compare_snapshots(app: dict, raw: dict) -> list[str]:
    """Return the snapshot rows the app and the raw SQL wrote differently (they must be identical)."""
    mismatches = [f"rows differ: {len(app)} vs {len(raw)}"] if set(app) != set(raw) else []
    return mismatches + sorted(
        f"{key}: {app[key]} vs {raw[key]}" for key in set(app) & set(raw) if app[key] != raw[key]
    )


# A flag's id differs between the app's run and the raw SQL's: links to flags are compared without it.
FLAG_ID = re.compile(r"/red-flags/\d+/")


def _same_in_any_run(body: str) -> str:
    """Return a notification text as it reads in any run: flag links without their ids, and the items of a
    grouped escalation (one paragraph each, in the order raised, so by id) sorted, as ids differ between runs."""
    items = FLAG_ID.sub("/red-flags/<id>/", body).split("\n\n")
    return "\n\n".join(sorted(items))


def bench_flags(*, reps: int, today, now) -> tuple[list[Row], dict]:
    """Time flags_evaluate on a night where every flag is new, and on a night that raises nothing."""
    from django.db import connection

    from bench import rawsql
    from communications import tasks as communication_tasks
    from communications.models import Notification
    from scorecards import alerts
    from scorecards.models import RedFlag

    params = rawsql.flags_params(today=today, now=now)

    def clear():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM scorecards_redflag")
            cursor.execute("DELETE FROM communications_notification")

    def app_scan():
        return alerts.flags_evaluate(today=today, now=now)

    def raw_scan():
        with connection.cursor() as cursor:
            return rawsql.flags_scan(cursor, params)

    def raised():
        fields = (
            "supplier_id",
            "rule",
            "period",
            "severity",
            "observed",
            "target",
            "recommended_action",
            "detail",
            "url",
            "owner_id",
            "escalated",
            "issue_id",
            "discrepancy_id",
            "certification_id",
            "corrective_action_id",
        )
        notes = Counter(
            (user_id, title, _same_in_any_run(body), url and FLAG_ID.sub("/red-flags/<id>/", url))
            for user_id, title, body, url in Notification.objects.values_list(
                "user_id", "title", "body", "url"
            )
        )
        return set(RedFlag.objects.values_list(*fields)), notes

    clear()
    new_flags = len(app_scan())
    by_app, app_notes = raised()
    clear()
    raw_scan()
    by_raw, raw_notes = raised()
    mismatches = sorted(map(str, by_app ^ by_raw)) + sorted(
        f"notification {key}: app ×{app_notes[key]}, raw ×{raw_notes[key]}"
        for key in set(app_notes) | set(raw_notes)
        if app_notes[key] != raw_notes[key]
    )
    fresh = Row(
        "Red-flag scan, every flag new",
        *measure_pair(app_scan, raw_scan, reps=reps, before=clear),
        note="1 INSERT…SELECT…ON CONFLICT",
        extra={"flags_raised": new_flags, "notifications": sum(app_notes.values())},
    )
    # Diagnostic: the same scan with the escalations' email task not queued (one broker round trip for the
    # whole batch in production), to show how much of the gap to raw SQL is queueing rather than SQL.
    with mock.patch.object(
        communication_tasks.notification_emails_task, "apply_async", lambda *args, **kwargs: None
    ):
        unqueued = Row(
            "  same, email task not queued",
            *measure_pair(app_scan, raw_scan, reps=reps, before=clear),
            note="diagnostic",
        )
    app_scan()  # the flags are there now: the next runs raise nothing
    rescan = Row(
        "Red-flag scan, nothing new",
        *measure_pair(app_scan, raw_scan, reps=reps),
        note="same statement, all conflicts",
    )
    clear()
    checks = {
        "flags_match_raw_sql": not mismatches,
        "flag_mismatches": mismatches[:5],
        "notifications": {"app": sum(app_notes.values()), "raw": sum(raw_notes.values())},
    }
    return [fresh, unqueued, rescan], checks


def bench_current_kpis(*, reps: int, today, now) -> tuple[list[Row], dict]:
    """Time the nightly pass over the stored KPI rows (CurrentKpi) the portfolio and the API read, and check that
    the rows equal raw SQL (current_kpi_mismatches)."""
    from scorecards import services

    def nightly():
        return services.current_kpis_refresh(today=today, now=now)

    def every_window():
        return services.current_kpis_refresh(today=today, now=now, every_window=True)

    every_window()  # every kept window as of now: what the check reads
    mismatches = current_kpi_mismatches(today=today, now=now)
    rows = [
        Row(
            "Stored KPI rows, nightly pass",
            measure(nightly, reps=reps),
            note="rolling + running periods",
            extra={"rows": nightly()},
        ),
        Row(
            "Stored KPI rows, every window",
            measure(every_window, reps=reps),
            note="after a target changes",
            extra={"rows": every_window()},
        ),
    ]
    checks = {"current_kpis_match_raw_sql": not mismatches, "current_kpi_mismatches": mismatches[:5]}
    return rows, checks


def current_kpi_mismatches(*, today, now) -> list[str]:
    """Return where the stored KPI rows differ from the raw SQL GROUP BYs: over the rolling 90 days, last month
    (closed) and the running quarter, for every active supplier (a row each, counts and medians equal), and where
    their forecast figures differ from kpis.forecast_notice's."""
    from django.conf import settings
    from django.db import connection

    from bench import rawsql
    from scorecards import kpis, periods
    from scorecards.models import ACTIVE_STAGES, CurrentKpi
    from suppliers.models import Supplier

    active = set(Supplier.objects.filter(stage__in=ACTIVE_STAGES).values_list("pk", flat=True))
    last_month = periods.period_of("month", today).previous()
    windows = [periods.rolling(today), last_month, periods.period_of("quarter", today)]
    target_hours = Decimal(settings.FORGELINE_RESPONSE_TARGET_HOURS)
    mismatches = []
    for window in windows:
        with connection.cursor() as cursor:
            raw = rawsql.kpis_group_by(
                cursor, start=window.start, end=window.end, today=today, now=now, target_hours=target_hours
            )
        stored = {row.supplier_id: row for row in CurrentKpi.objects.filter(period=window.key)}
        if set(stored) != active:
            mismatches.append(f"{window.key}: {len(stored)} rows for {len(active)} active suppliers")
            continue
        for kpi, values in raw.items():
            for supplier_id in sorted(active):
                kept = stored[supplier_id].figures.get(kpi)
                counts = values.get(supplier_id)
                if (kept is None) != (counts is None) or (
                    kept is not None
                    and (kept["numerator"], kept["denominator"], kept["sample"]) != tuple(counts[:3])
                ):
                    mismatches.append(f"{window.key} {kpi} supplier {supplier_id}: {kept} vs {counts}")
                elif _median_differs(kept, counts):
                    mismatches.append(f"{window.key} {kpi} supplier {supplier_id}: median {kept} vs {counts}")
        # The two-way card's forecast figures the API shows: equal to kpis.forecast_notice's over the same window.
        notices = kpis.forecast_notice(start=window.start, end=window.end)
        for supplier_id in sorted(active):
            kept = stored[supplier_id].forecasting
            expected = kpis.encode_forecast_notice(notices.get(supplier_id, kpis.ForecastNotice()))
            if kept != expected:
                mismatches.append(f"{window.key} forecasting supplier {supplier_id}: {kept} vs {expected}")
    return mismatches


def _median_differs(kept: dict | None, counts: tuple | None) -> bool:
    """Return whether a stored median (hours, to 0.1) is off the raw SQL's (seconds) by more than its rounding."""
    if kept is None or counts is None or counts[3] is None or kept.get("median_hours") is None:
        return False
    return abs(Decimal(kept["median_hours"]) - Decimal(str(counts[3] / 3600))) > Decimal("0.051")
