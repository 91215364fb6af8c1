"""The Celery app and its beat schedule (the one place periodic tasks are declared)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("forgeline")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Every minute: the heartbeat; the health page (/health/) says a worker and beat are down when it is old.
    "heartbeat": {"task": "core.tasks.heartbeat_task", "schedule": 60.0},
    # The daily and weekly jobs below are ticked every hour with catch_up=True: each runs once per period, when
    # it falls due (the time in core.periods.Due, kept next to the task), and a run that was missed or killed is
    # done by the next tick; a second beat or a redelivered message does nothing (core/periods.py).
    # Due 02:00 UTC nightly: every red-flag rule for every active supplier (writes also check one supplier at once).
    "red-flags-scan": {
        "task": "scorecards.tasks.red_flags_scan_task",
        "schedule": crontab(minute=10),
        "kwargs": {"catch_up": True},
    },
    # Due Monday 00:30 UTC: last week's KPI snapshots (the trend charts and the three-misses rule read them).
    "snapshots-write": {
        "task": "scorecards.tasks.snapshots_write_task",
        "schedule": crontab(minute=35),
        "kwargs": {"catch_up": True},
    },
    # Hourly, on the hour: the weekly scorecard email (with PDF) to every manager whose own local time is past
    # Monday 07:00 and whose digest for that ISO week is not sent yet: each gets it at 07:00 whatever their timezone
    # or DST, and a run missed (late worker, lost message) or a send that failed or died is made up an hour later.
    "weekly-digests-due": {"task": "scorecards.tasks.weekly_digests_due_task", "schedule": crontab(minute=0)},
    # Every 15 minutes: escalate issues unanswered at 1x and 2x the response target (each level once).
    "issues-escalate": {
        "task": "communications.tasks.issues_escalate_task",
        "schedule": crontab(minute="*/15"),
    },
    # Hourly: check-ins with no minutes a day after they were due are recorded as missed.
    "checkins-mark-missed": {
        "task": "communications.tasks.checkins_mark_missed_task",
        "schedule": crontab(minute=5),
    },
    # Due 04:00 UTC: generate the coming eight weeks of check-ins, moved off holidays and closures.
    "checkins-generate": {
        "task": "communications.tasks.checkins_generate_task",
        "schedule": crontab(minute=15),
        "kwargs": {"catch_up": True},
    },
    # Every 10 minutes: notification emails whose queue message was lost, whose send failed and waited out its
    # back-off, or whose worker died mid-send (claim older than the lease, core.leases) are queued again (each
    # claimed before sending, so none goes out twice).
    "notifications-resend": {
        "task": "communications.tasks.notifications_resend_pending_task",
        "schedule": crontab(minute="*/10"),
    },
    # Hourly, at minute 2: the daily notification digests. Each user's comes at 08:00 of their own timezone, once a
    # day (a unique row per user and local day); an hour missed is made up by the next run, never sent twice.
    "daily-digests": {
        "task": "communications.tasks.daily_digests_task",
        "schedule": crontab(minute=2),
    },
    # Every 10 minutes, the portal invitations' sweep: an invitation email that failed (after its back-off) or
    # whose worker died after claiming it (after the lease) is sent again, while its link still works.
    "invitations-resend": {
        "task": "suppliers.tasks.invitations_resend_pending_task",
        "schedule": crontab(minute="5-59/10"),
    },
    # Every 10 minutes, the factory registrations' sweep: an invitation or request-for-changes email that failed
    # (after its back-off) or whose worker died (after the lease) is sent again, while the link still works.
    "registration-emails-resend": {
        "task": "suppliers.tasks.registration_emails_resend_task",
        "schedule": crontab(minute="7-59/10"),
    },
    # Every 10 minutes, the sweep of red-flag playbook copies to a factory's general manager: an email that failed
    # (after its back-off) or whose worker died after claiming it (after the lease) is sent again, once.
    "general-manager-copies-resend": {
        "task": "scorecards.tasks.general_manager_copies_resend_task",
        "schedule": crontab(minute="3-59/10"),
    },
    # Due 05:30 UTC, before the working day starts in Europe and after it ends in Asia: warn owners of
    # certifications that expire within 30 days or have expired, once per certification and threshold.
    "certification-expiry-reminders": {
        "task": "suppliers.tasks.certification_expiry_reminders_task",
        "schedule": crontab(minute=30),
        "kwargs": {"catch_up": True},
    },
    # Due 06:00 UTC, once a day (due dates are whole days), early in the buyer's European morning: remind owners
    # of invoices due within 3 days or overdue, so they are paid on time; once per invoice and kind.
    "payment-reminders": {
        "task": "payments.tasks.payment_reminders_task",
        "schedule": crontab(minute=0),
        "kwargs": {"catch_up": True},
    },
    # Every 10 minutes, the reminders' sweep: a reminder whose email failed (after its back-off) or whose worker
    # died after claiming it (after the lease) is emailed again; a reminder is marked sent only once accepted.
    "certification-reminders-resend": {
        "task": "suppliers.tasks.certification_reminders_resend_task",
        "schedule": crontab(minute="3-59/10"),
    },
    # Every minute: webhook and chat deliveries whose back-off is over (1, 2, 4 ... minutes, at most 6 hours), whose
    # queue message was lost or whose worker died (claim older than the lease) are sent again, each claimed first.
    "webhook-deliveries-sweep": {
        "task": "integrations.tasks.webhook_deliveries_sweep_task",
        "schedule": 60.0,
    },
    # 03:30 UTC, after the nightly scan: webhook events older than 90 days with nothing left to deliver are
    # deleted with their delivery log (the outbox would otherwise grow by a row per event and endpoint forever).
    "webhook-events-prune": {
        "task": "integrations.tasks.webhook_events_prune_task",
        "schedule": crontab(hour=3, minute=30),
    },
    # 03:15 UTC, after the nightly scan: red-flag playbook actions whose review day has come record whether
    # their KPI recovered (scorecards.playbooks); re-running writes nothing more, and a missed night is caught up
    # by the next (it takes every action due by then).
    "playbook-reviews": {
        "task": "scorecards.tasks.playbook_reviews_task",
        "schedule": crontab(hour=3, minute=15),
    },
    "payment-reminders-resend": {
        "task": "payments.tasks.payment_reminders_resend_task",
        "schedule": crontab(minute="7-59/10"),
    },
}
