"""The hand-written SQL the app's KPI paths are measured against: the same filters and formulas as
scorecards/kpis.py, snapshots_write and flags_evaluate, each as set-based statements with no ORM in between.

The raw side assumes what the bench data holds: no KpiTarget rows, so every supplier's target is the default
(the runner checks it). Each function takes a DB-API cursor and returns what the app path returns, so the
runner can check that both agree before it compares their times.
"""

import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal

RATE_FAMILIES = ("on_time_delivery", "defect_rate", "payment_timeliness")
HOURS_FAMILIES = ("response_time", "buyer_response_time")
MIN_SAMPLE = {
    "on_time_delivery": 5,
    "defect_rate": 1,
    "response_time": 3,
    "payment_timeliness": 3,
    "buyer_response_time": 3,
}

# One SELECT per KPI family: (supplier_id, numerator, denominator, sample, median_seconds).
FAMILY_SQL = {
    "on_time_delivery": """
        SELECT supplier_id, count(*) FILTER (WHERE received_on IS NOT NULL AND received_on <= promised_on),
               count(*), count(*), NULL::float8
        FROM orders_delivery
        WHERE promised_on BETWEEN %(start)s AND %(end)s AND status <> 'cancelled' AND excused_at IS NULL
          AND order_id NOT IN (SELECT id FROM orders_purchaseorder WHERE status = 'draft')
          AND (received_on IS NOT NULL OR promised_on < %(today)s)
        GROUP BY supplier_id""",
    "defect_rate": """
        SELECT supplier_id, coalesce(sum(coalesce(corrected_defective_units, defective_units)), 0),
               coalesce(sum(sample_size), 0), count(*), NULL::float8
        FROM audits_qcinspection
        WHERE inspected_on BETWEEN %(start)s AND %(end)s AND excused_at IS NULL
        GROUP BY supplier_id""",
    "payment_timeliness": """
        SELECT supplier_id, count(*) FILTER (WHERE paid_on IS NOT NULL AND paid_on <= due_on), count(*), count(*),
               NULL::float8
        FROM payments_invoice
        WHERE due_on BETWEEN %(start)s AND %(end)s AND status <> 'rejected'
          AND (paid_on IS NOT NULL OR due_on < %(today)s)
        GROUP BY supplier_id""",
}
_RESPONSE_SQL = """
        SELECT supplier_id,
               count(*) FILTER (WHERE first_response_at IS NOT NULL AND first_response_at <= raised_at + %(target)s),
               count(*), count(*),
               percentile_cont(0.5) WITHIN GROUP (
                   ORDER BY extract(epoch FROM coalesce(first_response_at, %(now)s) - raised_at))
        FROM communications_supplierissue JOIN suppliers_supplier s ON s.id = supplier_id
        WHERE raised_by_side = '{side}' AND raised_at >= %(lower)s AND raised_at < %(upper)s
          AND timezone(s.timezone, raised_at)::date BETWEEN %(start)s AND %(end)s
          AND (first_response_at IS NOT NULL OR raised_at < %(now)s - %(target)s) AND excused_at IS NULL
        GROUP BY supplier_id"""
FAMILY_SQL["response_time"] = _RESPONSE_SQL.format(side="buyer")  # the supplier answers the buyer's issues
FAMILY_SQL["buyer_response_time"] = _RESPONSE_SQL.format(side="supplier")


def half_even(expr: str, places: int) -> str:
    """Return SQL rounding a non-negative numeric to `places` decimals half to even, as Python's Decimal.quantize
    does (PostgreSQL's round() takes halves away from zero: 93.125 would give 93.13 where the app shows 93.12)."""
    scaled = f"(({expr}) * {10**places})"
    return (
        f"(CASE WHEN {scaled} - trunc({scaled}) = 0.5 AND mod(trunc({scaled}), 2) = 0 "
        f"THEN round(trunc({scaled}) / {10**places}, {places}) ELSE round({expr}, {places}) END)"
    )


def window_params(*, start: date, end: date, today: date, now: datetime, target_hours: Decimal) -> dict:
    """Return the parameters of the family queries for one window. An issue's day is the one on its supplier's
    calendar; lower/upper (a day either side, in UTC) only let the raised_at index narrow the rows."""
    tz = now.tzinfo
    return {
        "start": start,
        "end": end,
        "today": today,
        "now": now,
        "target": timedelta(hours=float(target_hours)),
        "lower": datetime.combine(start - timedelta(days=1), time.min, tzinfo=tz),
        "upper": datetime.combine(end + timedelta(days=2), time.min, tzinfo=tz),
    }


def kpis_group_by(cursor, **window) -> dict[str, dict[int, tuple]]:
    """Run the five GROUP BY queries; return {kpi: {supplier_id: (numerator, denominator, sample, median_s)}}."""
    params = window_params(**window)
    result = {}
    for kpi, sql in FAMILY_SQL.items():
        cursor.execute(sql, params)
        result[kpi] = {row[0]: tuple(row[1:]) for row in cursor.fetchall()}
    return result


SNAPSHOT_SQL = """
WITH families (supplier_id, numerator, denominator, sample, median_seconds, kpi) AS (
    {families}
), valued AS (
    SELECT f.*, (%(targets)s::jsonb ->> f.kpi)::numeric AS target,
           CASE WHEN f.sample < (%(minimum)s::jsonb ->> f.kpi)::int OR f.denominator = 0 THEN NULL
                WHEN f.kpi IN ('response_time', 'buyer_response_time') THEN {hours_value}
                ELSE {rate_value} END AS value
    FROM families f
)
INSERT INTO scorecards_kpisnapshot (supplier_id, kpi, week_start, numerator, denominator, sample, value, target, met)
SELECT supplier_id, kpi, %(week_start)s, numerator, denominator, sample, value, target,
       CASE WHEN value IS NULL THEN NULL
            WHEN kpi IN ('on_time_delivery', 'payment_timeliness') THEN value >= target
            WHEN kpi = 'defect_rate' THEN value < target
            ELSE value <= target END
FROM valued
ON CONFLICT (supplier_id, kpi, week_start) DO UPDATE SET
    numerator = EXCLUDED.numerator, denominator = EXCLUDED.denominator, sample = EXCLUDED.sample,
    value = EXCLUDED.value, target = EXCLUDED.target, met = EXCLUDED.met
""".format(
    families="\n    UNION ALL\n    ".join(
        f"SELECT r.*, '{kpi}'::text FROM ({sql}) AS r" for kpi, sql in FAMILY_SQL.items()
    ),
    hours_value=half_even("(f.median_seconds / 3600)::numeric", 1),
    rate_value=half_even("f.numerator * 100.0 / f.denominator", 2),
)


def snapshots_upsert(
    cursor,
    *,
    week_start: date,
    today: date,
    now: datetime,
    target_hours: Decimal,
    targets: dict[str, Decimal],
) -> int:
    """Write every supplier's snapshot of one week in one INSERT … SELECT … ON CONFLICT; return the rows."""
    from scorecards.periods import ROLLING_DAYS

    end = week_start + timedelta(days=6)
    start = end - timedelta(days=ROLLING_DAYS)
    as_of = min(end + timedelta(days=1), today)
    params = window_params(start=start, end=end, today=as_of, now=now, target_hours=target_hours)
    params.update(
        week_start=week_start,
        targets=json.dumps({k: str(v) for k, v in targets.items()}),
        minimum=json.dumps(MIN_SAMPLE),
    )
    cursor.execute(SNAPSHOT_SQL, params)
    return cursor.rowcount


FLAGS_SQL = """
WITH active AS (
    SELECT id, owner_id, name FROM suppliers_supplier WHERE stage = ANY(%(stages)s)
), otd AS (
    SELECT d.supplier_id, count(*) AS due,
           count(*) FILTER (WHERE d.received_on IS NOT NULL AND d.received_on <= d.promised_on) AS ok
    FROM orders_delivery d JOIN active a ON a.id = d.supplier_id
    WHERE d.promised_on BETWEEN %(start)s AND %(today)s AND d.status <> 'cancelled' AND d.excused_at IS NULL
      AND d.order_id NOT IN (SELECT id FROM orders_purchaseorder WHERE status = 'draft')
      AND (d.received_on IS NOT NULL OR d.promised_on < %(today)s)
    GROUP BY d.supplier_id
    HAVING count(*) >= %(min_deliveries)s
), otd_value AS (
    SELECT supplier_id, ok, due, {otd_value} AS value FROM otd
), defects AS (
    SELECT q.supplier_id, sum(coalesce(q.corrected_defective_units, q.defective_units)) AS bad,
           sum(q.sample_size) AS seen
    FROM audits_qcinspection q JOIN active a ON a.id = q.supplier_id
    WHERE q.inspected_on BETWEEN %(start)s AND %(today)s AND q.excused_at IS NULL
    GROUP BY q.supplier_id
    HAVING count(*) >= %(min_inspections)s AND sum(q.sample_size) > 0
), defect_value AS (
    SELECT supplier_id, bad, seen, {defect_value} AS value FROM defects
), weeks AS (
    SELECT DISTINCT week_start FROM scorecards_kpisnapshot WHERE week_start <= %(today)s
    ORDER BY week_start DESC LIMIT 3
), misses AS (
    SELECT s.supplier_id, s.kpi FROM scorecards_kpisnapshot s JOIN active a ON a.id = s.supplier_id
    WHERE s.week_start IN (SELECT week_start FROM weeks) AND s.met = false AND s.kpi = ANY(%(miss_kpis)s)
    GROUP BY s.supplier_id, s.kpi
    HAVING count(*) = 3 AND (SELECT count(*) FROM weeks) = 3
), contact_gaps AS (  -- only schedules already running: a new one has had no chance of contact yet
    SELECT c.supplier_id,
           min(CASE c.cadence WHEN 'weekly' THEN 10 WHEN 'biweekly' THEN 17 ELSE 38 END) AS gap,
           min(c.starts_on) AS started
    FROM communications_checkinschedule c JOIN active a ON a.id = c.supplier_id
    WHERE c.is_active AND c.starts_on <= %(today)s GROUP BY c.supplier_id
), last_contact AS (
    SELECT g.supplier_id, g.gap, g.started, greatest(
        (SELECT max(held_at) FROM communications_checkin ci WHERE ci.supplier_id = g.supplier_id
           AND ci.status = 'held'),
        (SELECT max(sent_at) FROM communications_issuemessage m WHERE m.supplier_id = g.supplier_id),
        (SELECT max(performed_on)::timestamptz FROM audits_audit v  -- a visit counts from the start of its day
           WHERE v.supplier_id = g.supplier_id AND v.status = 'performed' AND v.performed_on IS NOT NULL)) AS seen
    FROM contact_gaps g
), visits AS (  -- audits.selectors.visits_due: the cadence runs from the last performed audit, or the creation
    SELECT vc.supplier_id, vc.every_months, lv.last_visit,
           (coalesce(lv.last_visit, (s.created_at AT TIME ZONE %(business_tz)s)::date)
            + make_interval(months => vc.every_months))::date AS due_on
    FROM audits_visitcadence vc JOIN active a ON a.id = vc.supplier_id
    JOIN suppliers_supplier s ON s.id = vc.supplier_id
    CROSS JOIN LATERAL (SELECT max(v.performed_on) AS last_visit FROM audits_audit v
                        WHERE v.supplier_id = vc.supplier_id AND v.status = 'performed') lv
), visits_due AS (
    SELECT supplier_id, every_months, last_visit,
           CASE WHEN last_visit IS NULL THEN 'visit-never' ELSE 'visit-after-' || last_visit END AS period
    FROM visits WHERE due_on <= %(today)s
), visits_resolved AS (  -- a visit-due flag resolves by itself once no longer due (a visit, a cadence change)
    UPDATE scorecards_redflag f SET state = 'resolved', resolved_at = %(now)s, note = %(visit_done)s
    FROM active a
    WHERE a.id = f.supplier_id AND f.rule = 'visit_due' AND f.state <> 'resolved'
      AND NOT EXISTS (SELECT 1 FROM visits_due d WHERE d.supplier_id = f.supplier_id AND d.period = f.period)
    RETURNING f.id
), visits_resolved_notes AS (
    INSERT INTO scorecards_redflagnote (flag_id, kind, text, author_id, created_at)
    SELECT id, 'resolved', %(visit_done)s, NULL, %(now)s FROM visits_resolved
    RETURNING 1
), candidates (supplier_id, rule, period, observed, target, severity, detail, url, escalated, issue_id,
                discrepancy_id, certification_id, corrective_action_id) AS (
    SELECT supplier_id, 'on_time_delivery', %(period)s, value || ' %% (' || ok || '/' || due || ')',
           %(otd_target_text)s, CASE WHEN value < %(otd_target)s - 10 THEN 'high' ELSE 'medium' END, '', '', false,
           NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint
    FROM otd_value WHERE value < %(otd_target)s
    UNION ALL
    SELECT supplier_id, 'defect_rate', %(period)s, value || ' %% (' || bad || '/' || seen || ')',
           %(defect_target_text)s, CASE WHEN value >= %(defect_target)s * 2 THEN 'high' ELSE 'medium' END, '', '',
           false, NULL, NULL, NULL, NULL
    FROM defect_value WHERE value >= %(defect_target)s
    UNION ALL
    SELECT supplier_id, 'consistent_miss',
           (SELECT to_char(max(week_start), 'IYYY-"W"IW') FROM weeks) || ':' || kpi, %(missed_text)s,
           %(kpi_labels)s::jsonb ->> kpi, 'high', '', '', true, NULL, NULL, NULL, NULL
    FROM misses
    UNION ALL
    SELECT i.supplier_id, 'unanswered_issue', 'issue-' || i.id,
           floor(extract(epoch FROM %(now)s - i.raised_at) / 3600)::bigint || ' h', %(hours_text)s,
           CASE WHEN floor(extract(epoch FROM %(now)s - i.raised_at) / 3600) >= 2 * %(hours)s
                THEN 'high' ELSE 'medium' END,
           i.subject, '/communications/issues/' || i.id || '/', false, i.id, NULL, NULL, NULL
    FROM communications_supplierissue i JOIN active a ON a.id = i.supplier_id
    WHERE i.raised_by_side = 'buyer' AND i.first_response_at IS NULL AND i.status = 'open'
      AND i.raised_at < %(now)s - %(target)s
    UNION ALL
    SELECT d.supplier_id, CASE WHEN d.kind = 'price' THEN 'price_above_agreed' ELSE 'hidden_cost' END,
           CASE WHEN d.kind = 'price' THEN 'discrepancy-' ELSE 'charge-' END || d.id, trim_scale(d.invoiced)::text,
           trim_scale(d.expected)::text, 'medium', '', '/payments/invoices/' || d.invoice_id || '/', false, NULL,
           d.id, NULL, NULL
    FROM payments_invoicediscrepancy d JOIN active a ON a.id = d.supplier_id
    WHERE d.kind IN ('price', 'charge') AND d.status = 'open'
    UNION ALL
    SELECT c.supplier_id, 'certification', 'cert-' || c.id,
           CASE WHEN c.valid_until < %(today)s THEN 'expired' ELSE 'expires ' || c.valid_until END, '',
           CASE WHEN c.valid_until < %(today)s THEN 'high' ELSE 'medium' END,
           CASE WHEN c.standard = 'other' AND c.standard_other <> '' THEN c.standard_other
                ELSE %(standard_labels)s::jsonb ->> c.standard END,
           '/suppliers/' || c.supplier_id || '/certifications/', false, NULL, NULL, c.id, NULL
    FROM suppliers_certification c JOIN active a ON a.id = c.supplier_id
    WHERE c.status = 'verified' AND c.valid_until <= %(cert_horizon)s
      AND NOT EXISTS (SELECT 1 FROM suppliers_certification n WHERE n.supplier_id = c.supplier_id
                      AND n.standard = c.standard AND n.status = 'verified' AND n.valid_until > c.valid_until)
    UNION ALL
    SELECT ca.supplier_id, 'capa_overdue', 'capa-' || ca.id, 'due ' || ca.due_on, '', 'medium', ca.title,
           '/quality/corrective-actions/' || ca.id || '/', false, NULL, NULL, NULL, ca.id
    FROM audits_correctiveaction ca JOIN active a ON a.id = ca.supplier_id
    WHERE ca.due_on < %(today)s AND ca.status IN ('open', 'rejected')
    UNION ALL
    SELECT supplier_id, 'no_contact', %(period)s,
           CASE WHEN seen IS NULL THEN 'never' ELSE extract(day FROM %(now)s - seen)::int || ' days ago' END,
           '≤ ' || gap || ' days', 'medium', '', '', false, NULL, NULL, NULL, NULL
    FROM last_contact  -- never in touch, but the schedule is younger than the gap: not yet
    WHERE (seen IS NULL AND %(today)s - started > gap) OR %(now)s - seen > make_interval(days => gap)
    UNION ALL
    SELECT supplier_id, 'visit_due', period,
           CASE WHEN last_visit IS NULL THEN 'never visited' ELSE 'last visit ' || last_visit END,
           'every ' || every_months || ' months', 'medium', '',
           '/quality/suppliers/' || supplier_id || '/visit-cadence/', false, NULL, NULL, NULL, NULL
    FROM visits_due
), inserted AS (
    INSERT INTO scorecards_redflag (supplier_id, rule, period, severity, observed, target, recommended_action,
                                    detail, url, owner_id, state, escalated, raised_at, note, issue_id,
                                    discrepancy_id, certification_id, corrective_action_id)
    SELECT c.supplier_id, c.rule, c.period, c.severity, left(c.observed, 100), left(c.target, 100),
           %(actions)s::jsonb ->> c.rule, left(c.detail, 300), c.url, a.owner_id, 'open', c.escalated, %(now)s, '',
           c.issue_id, c.discrepancy_id, c.certification_id, c.corrective_action_id
    FROM candidates c JOIN active a ON a.id = c.supplier_id
    WHERE NOT EXISTS (SELECT 1 FROM scorecards_redflag o WHERE o.supplier_id = c.supplier_id AND o.rule = c.rule
                      AND o.state <> 'resolved' AND split_part(o.period, ':', 2) = split_part(c.period, ':', 2)
                      AND c.rule IN ('on_time_delivery', 'defect_rate', 'consistent_miss', 'no_contact'))
    ON CONFLICT (supplier_id, rule, period) DO NOTHING
    RETURNING id, supplier_id, rule, escalated, recommended_action, target, corrective_action_id
), escalations AS (  -- every manager hears of every escalated flag of this run...
    SELECT u.id AS user_id, i.id AS flag_id,
           regexp_replace(btrim('Escalated: ' || a.name || ' — ' || i.target || ' missed three weeks running'),
                          '\\s+', ' ', 'g') AS title,
           i.recommended_action AS body, '/scorecards/red-flags/' || i.id || '/' AS url
    FROM inserted i JOIN active a ON a.id = i.supplier_id
    CROSS JOIN accounts_user u
    WHERE i.escalated AND u.role = 'manager' AND u.is_active
), per_manager AS (  -- ...in one notification listing them all when there are several (notify_grouped)
    SELECT user_id, count(*) AS n, min(title) AS title, min(body) AS body, min(url) AS url,
           string_agg('- ' || title
                      || CASE WHEN body <> '' THEN E'\n  ' || regexp_replace(btrim(body), '\\s+', ' ', 'g')
                              ELSE '' END
                      || E'\n  ' || %(base_url)s || url, E'\n\n' ORDER BY flag_id) AS lines
    FROM escalations GROUP BY user_id
), factory AS (  -- each flagged supplier's contacts hear of the flags their portal shows (flags_notify_factory)
    SELECT u.id AS user_id,
           CASE WHEN i.rule = 'capa_overdue' AND ca.id IS NOT NULL THEN 'capa_overdue' ELSE 'red_flag' END AS key,
           CASE WHEN i.rule = 'capa_overdue' AND ca.id IS NOT NULL
                THEN replace(%(capa_title)s, '%%(title)s', ca.title)
                ELSE %(flag_titles)s::jsonb ->> i.rule END AS title,
           CASE WHEN i.rule = 'capa_overdue' AND ca.id IS NOT NULL
                THEN replace(replace(%(capa_body)s, '%%(title)s', ca.title), '%%(due_on)s', ca.due_on::text)
                ELSE %(flag_bodies)s::jsonb ->> i.rule END AS body,
           CASE WHEN i.rule = 'capa_overdue' AND ca.id IS NOT NULL
                THEN '/portal/corrective-actions/' || ca.id || '/' ELSE %(portal_scorecard)s END AS url,
           CASE WHEN i.rule = 'capa_overdue' AND ca.id IS NOT NULL
                THEN jsonb_build_object('title', ca.title, 'due_on', ca.due_on::text)
                ELSE jsonb_build_object('rule', i.rule) END AS params,
           i.id AS flag_id
    FROM inserted i
    JOIN accounts_user u ON u.supplier_id = i.supplier_id AND u.role = 'supplier' AND u.is_active
    LEFT JOIN audits_correctiveaction ca ON ca.id = i.corrective_action_id
    LEFT JOIN audits_finding f ON f.id = ca.finding_id
    LEFT JOIN audits_audit au ON au.id = f.audit_id
    WHERE NOT (au.id IS NOT NULL AND NOT au.announced AND au.performed_on IS NULL)  -- a hidden audit's CAPA
      AND i.rule <> ALL(%(staff_only_rules)s)  -- a visit due is the buyer's to plan: never told to the factory
), notified AS (
    INSERT INTO communications_notification (user_id, title, body, url, created_at, email, email_attempts,
                                             email_last_error, email_claimed_by, attachment_kind, family,
                                             message_key, params)
    SELECT m.user_id,
           left(CASE WHEN m.n = 1 THEN m.title ELSE replace(%(escalated_many)s, '%%(n)s', m.n::text) END, 200),
           CASE WHEN m.n = 1 THEN m.body ELSE m.lines END,
           CASE WHEN m.n = 1 THEN m.url ELSE %(flags_url)s END,
           %(now)s, CASE coalesce(p.timing, %(staff_red_flags_timing)s)
                        WHEN 'immediately' THEN 'pending' WHEN 'daily' THEN 'digest' ELSE 'off' END,
           0, '', '', '', 'red_flags', '', '{{}}'::jsonb
    FROM per_manager m
    LEFT JOIN communications_notificationpreference p ON p.user_id = m.user_id AND p.family = 'red_flags'
    UNION ALL
    SELECT fa.user_id, left(regexp_replace(btrim(fa.title), '\\s+', ' ', 'g'), 200), fa.body, fa.url, %(now)s,
           CASE coalesce(p.timing, 'immediately')
                WHEN 'immediately' THEN 'pending' WHEN 'daily' THEN 'digest' ELSE 'off' END,
           0, '', '', '', fam.family, fa.key, fa.params
    FROM factory fa
    CROSS JOIN LATERAL (SELECT CASE fa.key WHEN 'capa_overdue' THEN %(capa_family)s
                                           ELSE %(flag_family)s END AS family) fam
    LEFT JOIN communications_notificationpreference p ON p.user_id = fa.user_id AND p.family = fam.family
    RETURNING 1
)
SELECT (SELECT count(*) FROM inserted), (SELECT count(*) FROM notified)
""".format(otd_value=half_even("ok * 100.0 / due", 2), defect_value=half_even("bad * 100.0 / seen", 2))


def _iso_week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def flags_params(*, today: date, now: datetime) -> dict:
    """Return the scan's parameters: the rule texts and labels come from the app, so both sides agree."""
    from django.conf import settings

    from scorecards import alerts, periods
    from scorecards.models import ACTIVE_STAGES, DEFAULT_TARGETS, Kpi, RedFlag
    from suppliers.models import CertificationStandard

    hours = int(settings.FORGELINE_RESPONSE_TARGET_HOURS)
    otd, defect = DEFAULT_TARGETS[Kpi.ON_TIME_DELIVERY], DEFAULT_TARGETS[Kpi.DEFECT_RATE]
    return {
        "stages": [str(stage) for stage in ACTIVE_STAGES],
        "today": today,
        "now": now,
        "start": periods.rolling(today).start,
        "period": _iso_week(today),
        "min_deliveries": 5,
        "min_inspections": 1,
        # Only the supplier's own KPIs: our payment timeliness and response time are our failings, not theirs.
        "miss_kpis": [str(Kpi.ON_TIME_DELIVERY), str(Kpi.DEFECT_RATE), str(Kpi.RESPONSE_TIME)],
        "otd_target": otd,
        "otd_target_text": f"≥ {otd} %",
        "defect_target": defect,
        "defect_target_text": f"< {defect} %",
        "missed_text": "missed 3 weeks running",
        "kpi_labels": json.dumps({k: str(label) for k, label in Kpi.choices}),
        "hours": hours,
        "hours_text": f"≤ {hours} h",
        "target": timedelta(hours=hours),
        "standard_labels": json.dumps({k: str(label) for k, label in CertificationStandard.choices}),
        "cert_horizon": today + timedelta(days=settings.FORGELINE_CERT_EXPIRY_WARNING_DAYS),
        "actions": json.dumps({k: str(v) for k, v in alerts.RECOMMENDED_ACTIONS.items()}),
        "visit_done": str(alerts.VISIT_DONE_NOTE),
        "staff_only_rules": list(RedFlag.STAFF_ONLY_RULES),
        **_notice_params(),
    }


def _notice_params() -> dict:
    """Return the texts, links and defaults of the scan's notifications, from the app (the English stored text)."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    from accounts.models import User
    from accounts.roles import Role
    from communications.messages import MESSAGES, message_render
    from communications.notices import default_timing
    from core.clock import business_timezone
    from scorecards import alerts
    from scorecards.models import RedFlag

    with translation.override("en"):
        rendered = {rule: message_render("red_flag", {"rule": rule}) for rule in RedFlag.Rule.values}
        return {
            "base_url": settings.FORGELINE_BASE_URL,
            "escalated_many": str(alerts.ESCALATED_MANY),
            "flags_url": reverse("scorecards:flag_list") + "?state=open",
            "staff_red_flags_timing": default_timing(user=User(role=Role.MANAGER), family="red_flags"),
            "flag_titles": json.dumps({rule: title for rule, (title, _body) in rendered.items()}),
            "flag_bodies": json.dumps({rule: body for rule, (_title, body) in rendered.items()}),
            "capa_title": str(MESSAGES["capa_overdue"].title),
            "capa_body": str(MESSAGES["capa_overdue"].body),
            "capa_family": MESSAGES["capa_overdue"].family,
            "flag_family": MESSAGES["red_flag"].family,
            "portal_scorecard": reverse("portal:scorecard"),
            "business_tz": business_timezone().key,  # the day a supplier was created, on the business calendar
        }


def flags_scan(cursor, params: dict) -> tuple[int, int]:
    """Evaluate every rule and insert the new flags and the escalations' notifications in one statement;
    return (flags raised, notifications written)."""
    cursor.execute(FLAGS_SQL, params)
    raised, notified = cursor.fetchone()
    return raised, notified
