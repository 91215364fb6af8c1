"""Issues raised with a supplier (or by it): the thread, the response clock, resolution, escalation."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.permissions import require_capability as _require
from accounts.permissions import require_own_supplier as _require_own
from accounts.roles import Role
from audits.services import capa_raise
from core.events import EventType, event_emit
from core.inputs import single_line
from suppliers.models import ActivityKind, Supplier
from suppliers.services import activity_record
from suppliers.triggers import red_flags_request_check

from ..models import (
    Family,
    IssueEscalation,
    IssueMessage,
    Side,
    SupplierIssue,
)
from ..response_targets import issue_response_targets
from .notifications import notify, notify_grouped

# --- Issues ---------------------------------------------------------------------------------------------------


def _notify_factory(issue: SupplierIssue, key: str, text: str) -> None:
    """Tell the supplier's portal users that the buyer wrote: their response time is measured.

    The text (communications/messages.py) is rendered in each contact's own language when shown or sent.
    """
    from django.urls import reverse

    notify(
        users=issue.supplier.portal_users.filter(is_active=True),
        key=key,
        params={"subject": issue.subject, "text": text},
        url=reverse("portal:issue_detail", args=[issue.pk]),
    )


def _managers():
    return User.objects.filter(role=Role.MANAGER, is_active=True)


@transaction.atomic
def issue_raise(
    *,
    supplier: Supplier,
    by: User,
    category: str,
    subject: str,
    description: str,
    severity: str = "medium",
    order=None,
    delivery=None,
    inspection=None,
    owner: User | None = None,
    attachment=None,
) -> SupplierIssue:
    """Raise an issue with the supplier (staff) or with the buyer (the factory, in the portal); the clock starts."""
    _require_own(by, supplier.pk)
    if not by.is_portal_user:
        _require(by, "issue.edit")
    for name, obj in (("order", order), ("delivery", delivery), ("inspection", inspection)):
        if obj is not None and obj.supplier_id != supplier.pk:
            raise ValidationError({name: _("That belongs to another supplier.")})
    side = Side.SUPPLIER if by.is_portal_user else Side.BUYER
    owner = owner if owner is not None and not by.is_portal_user else supplier.owner
    subject = single_line(subject)  # it becomes a mail subject, which is one line
    issue = SupplierIssue(
        supplier=supplier,
        raised_by_side=side,
        category=category,
        severity=severity,
        subject=subject,
        description=description,
        order=order,
        delivery=delivery,
        inspection=inspection,
        raised_by=by,
        owner=owner,
    )
    issue.full_clean()
    issue.save()
    if attachment:
        message = IssueMessage(
            issue=issue,
            supplier=supplier,
            side=side,
            author_name=by.full_name,
            body=_("(attachment)"),
            logged_by=by,
            attachment=attachment,
        )
        message.full_clean()
        message.save()
    if side == Side.BUYER:
        _notify_factory(issue, "issue_raised_by_buyer", issue.description)
    if side == Side.SUPPLIER:
        notify(
            users=[owner],
            key="issue_raised_by_supplier",
            params={"supplier": supplier.name, "subject": subject, "text": description},
            url=issue.get_absolute_url(),
        )
    activity_record(
        supplier=supplier,
        actor=by,
        target=issue,
        kind=ActivityKind.ISSUE_RAISED,
        detail=subject,
        url=issue.get_absolute_url(),
    )
    red_flags_request_check(supplier.pk)
    return issue


@transaction.atomic
def issue_reply(
    *,
    issue: SupplierIssue,
    by: User,
    body: str,
    attachment=None,
    on_behalf_of_supplier: bool = False,
    author_name: str = "",
    sent_at: datetime | None = None,
) -> IssueMessage:
    """Add a message to an issue's thread; the responding side's first message stops the clock.

    Staff may log a reply the supplier gave by phone or email (`on_behalf_of_supplier`) with the time it
    arrived; that time, not the time of logging, stops the clock.
    """
    _require_own(by, issue.supplier_id)
    if not by.is_portal_user:
        _require(by, "issue.edit")
    if not body.strip():
        raise ValidationError({"body": _("Write a message.")})
    issue = SupplierIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.status == SupplierIssue.Status.RESOLVED:
        raise ValidationError(_("This issue is resolved; raise a new one."))
    now = timezone.now()
    if by.is_portal_user:
        side, author, sent_at = Side.SUPPLIER, by.full_name, now
    elif on_behalf_of_supplier:
        if sent_at is None:
            raise ValidationError({"sent_at": _("When did the supplier reply?")})
        if sent_at > now or sent_at < issue.raised_at:
            raise ValidationError({"sent_at": _("The reply must fall between raising the issue and now.")})
        side, author = Side.SUPPLIER, author_name.strip() or _("Supplier (by phone or email)")
    else:
        side, author, sent_at = Side.BUYER, by.full_name, now
    message = IssueMessage(
        issue=issue,
        supplier_id=issue.supplier_id,
        side=side,
        author_name=author,
        body=body,
        sent_at=sent_at,
        logged_by=by,
        logged_on_behalf=on_behalf_of_supplier and not by.is_portal_user,
    )
    if attachment:
        message.attachment = attachment
    message.full_clean()
    message.save()
    if side == issue.responding_side and issue.first_response_at is None:
        # A conditional update: of two first replies at once, the earlier write wins and the clock stops once.
        SupplierIssue.objects.filter(pk=issue.pk, first_response_at__isnull=True).update(
            first_response_at=sent_at, status=SupplierIssue.Status.ANSWERED
        )
    if side == Side.BUYER:
        _notify_factory(issue, "issue_reply_from_buyer", body)
    if side == Side.SUPPLIER:
        notify(
            users=[issue.owner],
            key="issue_reply_from_supplier",
            params={"supplier": issue.supplier.name, "subject": issue.subject, "text": body},
            url=issue.get_absolute_url(),
        )
    red_flags_request_check(issue.supplier_id)  # a reply stops the response clock and counts as contact
    return message


@transaction.atomic
def issue_resolve(*, issue: SupplierIssue, by: User, note: str) -> SupplierIssue:
    """Close an issue with a note on how it was settled."""
    _require(by, "issue.edit")
    if not note.strip():
        raise ValidationError({"note": _("Say how the issue was settled.")})
    won = (
        SupplierIssue.objects.filter(pk=issue.pk)
        .exclude(status=SupplierIssue.Status.RESOLVED)
        .update(
            status=SupplierIssue.Status.RESOLVED,
            resolved_at=timezone.now(),
            resolved_by=by,
            resolution_note=note.strip(),
        )
    )
    if not won:
        raise ValidationError(_("This issue is already resolved."))
    issue.refresh_from_db()
    activity_record(
        supplier=issue.supplier_id,
        actor=by,
        target=issue,
        kind=ActivityKind.ISSUE_RESOLVED,
        detail=issue.subject,
        url=issue.get_absolute_url(),
    )
    red_flags_request_check(issue.supplier_id)
    return issue


@transaction.atomic
def issue_raise_corrective_action(*, issue: SupplierIssue, by: User, due_on: date) -> SupplierIssue:
    """Ask the supplier for a corrective action on this issue, linked both ways (once)."""
    issue = SupplierIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.corrective_action_id:
        raise ValidationError(_("A corrective action was already raised from this issue."))
    action = capa_raise(
        by=by, title=issue.subject, problem=issue.description, due_on=due_on, supplier=issue.supplier
    )
    issue.corrective_action = action
    issue.save(update_fields=["corrective_action"])
    return issue


ISSUES_ESCALATED = gettext_lazy("%(n)s issues without a reply")


@transaction.atomic
def issues_escalate(*, now: datetime) -> int:
    """Escalate unanswered issues: at the target to the owner, at twice the target to the managers; once each.

    The unique (issue, level) row is written before anyone is notified, so a second run — or two at once —
    escalates nothing twice. Each person gets one notification (one email) per run listing their escalations,
    written in the same transaction as the escalation rows.
    """
    escalated, items = 0, []
    managers = list(_managers())
    # Each issue is held to its own supplier's target (response_targets.py), as its red flag and KPI are.
    open_issues = list(
        SupplierIssue.objects.filter(
            first_response_at__isnull=True, status=SupplierIssue.Status.OPEN, raised_at__lte=now
        ).select_related("supplier", "owner")
    )
    targets = issue_response_targets(open_issues)
    for issue in open_issues:
        target = targets[issue.pk]
        for level, after in ((1, target), (2, target * 2)):
            if now < issue.raised_at + after:
                continue
            try:
                with transaction.atomic():
                    IssueEscalation.objects.create(issue=issue, level=level, escalated_at=now)
                    activity_record(
                        supplier=issue.supplier_id,
                        actor=None,
                        target=issue,
                        kind=ActivityKind.ISSUE_ESCALATED,
                        detail=f"{issue.subject} (level {level})",
                        url=issue.get_absolute_url(),
                    )
            except IntegrityError:
                continue
            escalated += 1
            hours = int(after.total_seconds() // 3600)
            event_emit(
                EventType.ISSUE_ESCALATED,
                issue,
                state=issue.status,
                escalation={"level": level, "hours": hours},
            )
            if level == 1:
                users, title = [issue.owner], _("No reply for %(h)s h: %(subject)s")
            else:
                users, title = managers, _("Escalated: no reply for %(h)s h: %(subject)s")
            if issue.responding_side == Side.SUPPLIER:
                body = _("%(supplier)s has not answered: %(subject)s")
            else:
                body = _("We have not answered %(supplier)s: %(subject)s")
            title = title % {"h": hours, "subject": issue.subject}
            body = body % {"supplier": issue.supplier.name, "subject": issue.subject}
            items += [(user, title, body, issue.get_absolute_url()) for user in users]
    notify_grouped(
        items,
        summary_title=ISSUES_ESCALATED,
        summary_url=reverse("communications:issue_list"),
        family=Family.ISSUES,
    )
    return escalated


@transaction.atomic
def issue_excuse(*, issue: SupplierIssue, by: User, reason: str) -> SupplierIssue:
    """Excuse an issue from the response-time KPI (a factory's contest accepted): listed apart with who and why."""
    _require(by, "delivery.excuse")
    reason = single_line(reason).strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why this issue is excused; the factory and the scorecard show it.")}
        )
    won = SupplierIssue.objects.filter(pk=issue.pk, excused_at__isnull=True).update(
        excused_at=timezone.now(), excused_by=by, excuse_reason=reason[:300]
    )
    if not won:
        raise ValidationError(_("This issue is already excused."))
    issue.refresh_from_db()
    red_flags_request_check(issue.supplier_id)
    return issue
