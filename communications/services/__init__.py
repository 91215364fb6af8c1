"""Writes of the communications app, one module per aggregate; callers import from the package."""

from .checkins import (
    GENERATE_WEEKS_AHEAD,
    action_item_set_done,
    cadence_dates,
    checkin_record_minutes,
    checkins_generate,
    checkins_mark_missed,
    checkins_reschedule_for_closure,
    closure_declare,
    local_start,
    schedule_save,
)
from .issues import (
    issue_raise,
    issue_raise_corrective_action,
    issue_reply,
    issue_resolve,
    issues_escalate,
)
from .notifications import (
    EMAIL_LEASE,
    EMAIL_MAX_ATTEMPTS,
    EMAIL_RETRY_AFTER,
    notification_send_email,
    notifications_due_for_retry,
    notifications_email_again,
    notifications_mark_read,
    notifications_send_emails,
    notify,
    notify_many,
)
from .orders import order_sent_notify_factory

__all__ = [
    "EMAIL_LEASE",
    "EMAIL_MAX_ATTEMPTS",
    "EMAIL_RETRY_AFTER",
    "GENERATE_WEEKS_AHEAD",
    "action_item_set_done",
    "cadence_dates",
    "checkin_record_minutes",
    "checkins_generate",
    "checkins_mark_missed",
    "checkins_reschedule_for_closure",
    "closure_declare",
    "issue_raise",
    "issue_raise_corrective_action",
    "issue_reply",
    "issue_resolve",
    "issues_escalate",
    "local_start",
    "notification_send_email",
    "notifications_due_for_retry",
    "notifications_email_again",
    "notifications_mark_read",
    "notifications_send_emails",
    "notify",
    "notify_many",
    "order_sent_notify_factory",
    "schedule_save",
]
