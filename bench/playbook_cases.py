"""(8) Red-flag playbooks, REVIEW_WEEKS later: the review pass that records whether each due action's KPI recovered
(playbook_reviews_evaluate, the nightly task) and the portfolio's per-kind summary (playbook_effectiveness), each
against hand-written SQL that computes the same outcomes for every action at once.

Everything runs inside one transaction rolled back at the end: the flags raised by the app's scan, the few price
flags added for the cost-breakdown step (the generated data holds no invoice discrepancy) and the actions
(bulk_create, taken 8–12 weeks before today, so that all are due) never stay in the bench database.
"""

import random
from datetime import UTC, datetime, time, timedelta

from bench.measure import Row, counted, measure_pair
from bench.rawsql import half_even

SEED = 18  # the number: the same flags get the same actions on every run
SHARE_ACTED_ON = 0.6  # of the flags that offer a playbook
PRICE_FLAGS = (
    0.1  # of the active suppliers, a hidden-cost flag (price variance since: the cost breakdown's KPI)
)

# Every due action's outcome in one statement: each action's supplier and own window (taken_on to
# review_due_on) joined to the rows each KPI counts, with kpis.py's filters and formulas; the same rounding as the
# app (half to even); the default targets (the bench holds no KpiTarget row, run.py checks it).
OUTCOMES_SQL = """
WITH due AS NOT MATERIALIZED (
    SELECT a.id, a.kpi, a.taken_on AS s, a.review_due_on AS e, f.supplier_id
    FROM scorecards_playbookaction a JOIN scorecards_redflag f ON f.id = a.flag_id
    WHERE a.outcome = 'pending' AND a.review_due_on <= %(today)s AND a.kpi <> ''
), otd AS (
    SELECT d.id, count(*) FILTER (WHERE x.received_on IS NOT NULL AND x.received_on <= x.promised_on) AS ok,
           count(*) AS n
    FROM due d JOIN orders_delivery x ON x.supplier_id = d.supplier_id AND x.promised_on BETWEEN d.s AND d.e
    WHERE d.kpi = 'on_time_delivery' AND x.status <> 'cancelled' AND x.excused_at IS NULL
      AND x.order_id NOT IN (SELECT id FROM orders_purchaseorder WHERE status = 'draft')
      AND (x.received_on IS NOT NULL OR x.promised_on < %(today)s)
    GROUP BY d.id
), defects AS (
    SELECT d.id, sum(coalesce(q.corrected_defective_units, q.defective_units)) AS bad,
           sum(q.sample_size) AS seen, count(*) AS n
    FROM due d JOIN audits_qcinspection q ON q.supplier_id = d.supplier_id AND q.inspected_on BETWEEN d.s AND d.e
    WHERE d.kpi = 'defect_rate' AND q.excused_at IS NULL
    GROUP BY d.id
), response AS (
    SELECT d.id, count(*) AS n,
           percentile_cont(0.5) WITHIN GROUP (
               ORDER BY extract(epoch FROM coalesce(i.first_response_at, %(now)s) - i.raised_at)) AS median
    FROM due d JOIN suppliers_supplier s ON s.id = d.supplier_id
    JOIN communications_supplierissue i ON i.supplier_id = d.supplier_id
         AND timezone(s.timezone, i.raised_at)::date BETWEEN d.s AND d.e
    WHERE d.kpi = 'response_time' AND i.raised_by_side = 'buyer' AND i.excused_at IS NULL
      AND (i.first_response_at IS NOT NULL OR i.raised_at < %(now)s - %(response_target)s)
    GROUP BY d.id
), lines AS (
    SELECT d.id, i.currency, sum((l.unit_price - p.agreed) * l.quantity) AS over,
           sum(p.agreed * l.quantity) AS agreed, 0::numeric AS unagreed
    FROM due d
    JOIN payments_invoice i ON i.supplier_id = d.supplier_id AND i.invoice_date BETWEEN d.s AND d.e
    JOIN payments_invoiceline l ON l.invoice_id = i.id
    JOIN orders_orderline ol ON ol.id = l.order_line_id
    JOIN orders_purchaseorder o ON o.id = ol.order_id
    CROSS JOIN LATERAL (
        SELECT coalesce((SELECT pa.unit_price FROM pricing_priceagreement pa
                         WHERE pa.supplier_id = o.supplier_id AND pa.sku = ol.sku AND pa.currency = o.currency
                           AND pa.valid_from <= o.ordered_on AND (pa.valid_to IS NULL OR pa.valid_to >= o.ordered_on)
                         ORDER BY pa.valid_from DESC LIMIT 1), ol.unit_price) AS agreed) p
    WHERE d.kpi = 'price' AND i.status <> 'rejected'
    GROUP BY d.id, i.currency
), charges AS (
    SELECT d.id, i.currency, 0::numeric, 0::numeric, sum(c.invoiced - c.expected)
    FROM due d
    JOIN payments_invoicediscrepancy c ON c.supplier_id = d.supplier_id AND c.kind = 'charge'
    JOIN payments_invoice i ON i.id = c.invoice_id AND i.invoice_date BETWEEN d.s AND d.e
    WHERE d.kpi = 'price' AND i.status <> 'rejected'
    GROUP BY d.id, i.currency
), per_currency AS (
    SELECT id, currency, sum(coalesce(over, 0)) + sum(coalesce(unagreed, 0)) AS total,
           sum(coalesce(agreed, 0)) AS agreed
    FROM (SELECT * FROM lines UNION ALL SELECT * FROM charges) u GROUP BY id, currency
), price AS (  -- the worst currency: the largest variance (the larger agreed value first on a tie)
    SELECT DISTINCT ON (id) id, round(total, 2) AS total, agreed FROM per_currency
    ORDER BY id, round(total, 2) DESC, agreed DESC
), measured AS (
    SELECT d.id,
           CASE d.kpi
               WHEN 'on_time_delivery' THEN CASE WHEN otd.n >= 5 THEN {otd_value} END
               WHEN 'defect_rate' THEN CASE WHEN df.n >= 1 AND df.seen > 0 THEN {defect_value} END
               WHEN 'response_time' THEN CASE WHEN r.n >= 3 THEN {median_hours} END
               WHEN 'price' THEN CASE WHEN p.agreed <> 0 THEN round(p.total * 100 / p.agreed, 1) ELSE p.total END
           END AS value,
           CASE WHEN d.kpi = 'price' THEN 0 ELSE (%(targets)s::jsonb ->> d.kpi)::numeric END AS target,
           p.id IS NOT NULL AS priced, p.total AS price_total
    FROM due d
    LEFT JOIN otd ON otd.id = d.id LEFT JOIN defects df ON df.id = d.id
    LEFT JOIN response r ON r.id = d.id LEFT JOIN price p ON p.id = d.id
), judged AS (
    SELECT m.id, m.value, m.target,
           CASE
               WHEN a.kpi = 'price' THEN CASE WHEN NOT m.priced THEN 'no_data'
                                              WHEN m.price_total <= 0 THEN 'recovered' ELSE 'not_recovered' END
               WHEN m.value IS NULL THEN 'no_data'
               WHEN a.kpi = 'on_time_delivery' AND m.value >= m.target THEN 'recovered'
               WHEN a.kpi = 'defect_rate' AND m.value < m.target THEN 'recovered'
               WHEN a.kpi = 'response_time' AND m.value <= m.target THEN 'recovered'
               ELSE 'not_recovered'
           END AS outcome
    FROM measured m JOIN scorecards_playbookaction a ON a.id = m.id
)
UPDATE scorecards_playbookaction a
SET outcome = j.outcome, measured_value = j.value, measured_target = j.target, measured_at = %(now)s
FROM judged j WHERE a.id = j.id AND a.outcome = 'pending'
""".format(
    otd_value=half_even("otd.ok * 100.0 / otd.n", 2),
    defect_value=half_even("df.bad * 100.0 / df.seen", 2),
    median_hours=half_even("(r.median / 3600)::numeric", 1),
)

EFFECTIVENESS_SQL = """
SELECT f.rule, a.kind, count(*), count(*) FILTER (WHERE a.outcome = 'recovered'),
       count(*) FILTER (WHERE a.outcome = 'not_recovered'), count(*) FILTER (WHERE a.outcome = 'no_data'),
       count(*) FILTER (WHERE a.outcome = 'pending')
FROM scorecards_playbookaction a JOIN scorecards_redflag f ON f.id = a.flag_id
GROUP BY f.rule, a.kind ORDER BY f.rule, a.kind
"""

SUMMARY = ("taken", "recovered", "not_recovered", "no_data", "pending")

RESET_SQL = """
UPDATE scorecards_playbookaction SET outcome = 'pending', measured_value = NULL, measured_target = NULL,
       measured_at = NULL
WHERE id %% %(every)s = 0
"""


class _RolledBack(Exception):
    """Raised at the end of the measurement to roll its transaction back."""


def bench_playbooks(*, reps: int, today, now, manager) -> tuple[list[Row], dict, dict]:
    """Time the review pass and playbook_effectiveness against raw SQL on actions created for the occasion, in a
    transaction rolled back at the end. Returns the rows, the checks and the summary for the results."""
    from django.db import transaction

    found: dict = {}
    try:
        with transaction.atomic():
            found["result"] = _bench(reps=reps, today=today, now=now, manager=manager)
            raise _RolledBack
    except _RolledBack:
        pass
    return found["result"]


def _bench(*, reps, today, now, manager):
    import json

    from django.db import connection

    from scorecards import alerts, targets
    from scorecards.playbooks import selectors
    from scorecards.playbooks.models import PlaybookAction
    from scorecards.playbooks.services import playbook_reviews_evaluate

    actions = _setup(today=today, now=now, manager=manager, alerts=alerts)
    params = {
        "today": today,
        "now": now,
        "response_target": timedelta(hours=float(targets.default_targets()["response_time"])),
        "targets": json.dumps({kpi: str(value) for kpi, value in targets.default_targets().items()}),
    }

    def reset(every: int = 1):
        with connection.cursor() as cursor:
            cursor.execute(RESET_SQL, {"every": every})

    def app_review():
        return playbook_reviews_evaluate(today=today, now=now)

    def raw_review():
        with connection.cursor() as cursor:
            cursor.execute(OUTCOMES_SQL, params)
            return cursor.rowcount

    def outcomes():
        return {
            pk: (outcome, value, target)
            for pk, outcome, value, target in PlaybookAction.objects.values_list(
                "pk", "outcome", "measured_value", "measured_target"
            )
        }

    reset()
    recorded = app_review()
    by_app = outcomes()
    reset()
    raw_review()
    by_raw = outcomes()
    mismatches = sorted(
        f"action {pk}: app {by_app.get(pk)}, raw {by_raw.get(pk)}"
        for pk in set(by_app) | set(by_raw)
        if by_app.get(pk) != by_raw.get(pk)
    )

    # Constant in the number of actions: the same pass with a quarter of them due.
    def a_quarter_due():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE scorecards_playbookaction SET outcome = 'no_data'")
        reset(4)

    quarter, _kinds = counted(app_review, a_quarter_due)
    review = Row(
        "Playbook review pass (due actions)",
        *measure_pair(app_review, raw_review, reps=reps, before=reset),
        note="1 UPDATE…FROM (all windows joined)",
        extra={"actions": len(actions), "recorded": recorded, "queries_with_a_quarter_due": quarter},
    )

    def raw_effectiveness():
        with connection.cursor() as cursor:
            cursor.execute(EFFECTIVENESS_SQL)
            return cursor.fetchall()

    reset()
    app_review()
    app_summary = [
        tuple(row[key] for key in ("flag__rule", "kind", *SUMMARY))
        for row in selectors.playbook_effectiveness()
    ]
    raw_summary = [tuple(row) for row in raw_effectiveness()]
    summary_mismatches = [str(row) for row in set(app_summary) ^ set(raw_summary)]
    effectiveness = Row(
        "Playbook effectiveness (per kind)",
        *measure_pair(selectors.playbook_effectiveness, raw_effectiveness, reps=reps),
        note="1 GROUP BY",
        extra={"rows": len(app_summary)},
    )
    by_outcome: dict[str, int] = {}
    for outcome, _value, _target in by_app.values():
        by_outcome[outcome] = by_outcome.get(outcome, 0) + 1
    by_kind: dict[str, int] = {}
    for action in actions:
        by_kind[action.kind] = by_kind.get(action.kind, 0) + 1
    checks = {
        "playbook_outcomes_match_raw_sql": not mismatches,
        "playbook_outcome_mismatches": mismatches[:5],
        "playbook_effectiveness_matches_raw_sql": not summary_mismatches,
        "playbook_effectiveness_mismatches": summary_mismatches[:5],
    }
    constant = review.app.queries == quarter
    summary = {
        "playbook_review_ratio": review.ratio,
        "playbook_effectiveness_ratio": effectiveness.ratio,
        "playbook": {
            "actions": len(actions),
            "by_kind": by_kind,
            "by_outcome": by_outcome,
            "review_queries": review.app.queries,
            "review_queries_with_a_quarter_due": quarter,
            "effectiveness_queries": effectiveness.app.queries,
            "effectiveness_rows": app_summary,
        },
        "target": _verdict(review.ratio, effectiveness.ratio, constant, review.app.queries, quarter, checks),
    }
    return [review, effectiveness], checks, summary


def _verdict(review_ratio, effectiveness_ratio, constant, queries, quarter, checks) -> dict:
    from bench.report import MAX_RAW_RATIO

    ok = (
        review_ratio is not None
        and review_ratio <= MAX_RAW_RATIO
        and effectiveness_ratio is not None
        and effectiveness_ratio <= MAX_RAW_RATIO
        and constant
        and checks["playbook_outcomes_match_raw_sql"]
        and checks["playbook_effectiveness_matches_raw_sql"]
    )
    return {
        "status": "PASS" if ok else "FAIL",
        "detail": (
            f"review {review_ratio}×, effectiveness {effectiveness_ratio}×; review queries {queries} "
            f"with every action due, {quarter} with a quarter"
            + ("" if checks["playbook_outcomes_match_raw_sql"] else "; outcomes differ from raw SQL")
        ),
    }


def _setup(*, today, now, manager, alerts):
    """Raise the flags with the app's scan, add a hidden-cost flag to some suppliers, and take a realistic share
    of the playbooks' steps on them (every kind), 8–12 weeks before today."""
    from django.db import connection

    from scorecards.models import ACTIVE_STAGES, RedFlag
    from scorecards.playbooks.models import REVIEW_WEEKS, PlaybookAction
    from scorecards.playbooks.services import flag_kpi, playbook_kinds
    from suppliers.models import Supplier

    rng = random.Random(SEED)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM scorecards_redflag")
    alerts.flags_evaluate(today=today, now=now)
    suppliers = list(
        Supplier.objects.filter(stage__in=ACTIVE_STAGES).order_by("pk").values_list("pk", "owner_id")
    )
    RedFlag.objects.bulk_create(
        RedFlag(
            supplier_id=pk,
            rule=RedFlag.Rule.HIDDEN_COST,
            period=f"charge-bench-{pk}",
            observed="0",
            target="0",
            recommended_action=str(alerts.RECOMMENDED_ACTIONS[RedFlag.Rule.HIDDEN_COST]),
            owner_id=owner_id,
            raised_at=now,
        )
        for pk, owner_id in rng.sample(suppliers, max(1, int(len(suppliers) * PRICE_FLAGS)))
    )
    actions = []
    for flag in RedFlag.objects.order_by("pk"):
        kinds = playbook_kinds(flag)
        if not kinds or rng.random() >= SHARE_ACTED_ON:
            continue
        taken = [kind for index, kind in enumerate(kinds) if index == 0 or rng.random() < 0.5]
        for kind in taken:
            day = today - timedelta(days=rng.randint(8 * 7, 12 * 7))
            actions.append(
                PlaybookAction(
                    flag=flag,
                    kind=kind,
                    kpi=flag_kpi(flag),
                    taken_by=manager,
                    taken_at=datetime.combine(day, time(10), tzinfo=UTC),
                    taken_on=day,
                    review_due_on=day + timedelta(weeks=REVIEW_WEEKS),
                )
            )
    actions = PlaybookAction.objects.bulk_create(actions)
    with (
        connection.cursor() as cursor
    ):  # as autovacuum would, once so many rows arrive: both sides plan with them
        cursor.execute("ANALYZE scorecards_redflag, scorecards_playbookaction")
    return actions


def print_playbooks(summary: dict, checks: dict) -> None:
    playbook = summary["playbook"]
    print(
        f"\n(8) Playbook review: {playbook['actions']} actions ({', '.join(f'{k} {n}' for k, n in playbook['by_kind'].items())}); "
        f"outcomes {playbook['by_outcome']}. Raw SQL gives the app's outcomes: "
        f"{'yes' if checks['playbook_outcomes_match_raw_sql'] else 'NO ' + str(checks['playbook_outcome_mismatches'])}"
        f", its summary: {'yes' if checks['playbook_effectiveness_matches_raw_sql'] else 'NO'}"
    )
