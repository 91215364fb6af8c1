"""The items of the task-first home pages: what waits for each staff role and for a factory.

Each item is one `waiting_item_register(...)` call: a label, who sees it, the rows (always through
`visible_to(user)`, so a factory never counts another's rows nor what portal_only() hides from it) and the list
page that shows exactly those rows with ?todo=<key> (core/waiting.py). Registered from ScorecardsConfig.ready():
scorecards sits above every app whose rows wait here.
"""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from audits.models import Audit, BatchTest, CorrectiveAction, HoldProposal, QCInspection
from communications import selectors as communications_selectors
from communications.models import CheckIn, Side, SupplierIssue
from core.waiting import PORTAL, STAFF, WaitingItem, waiting_item_register
from orders.models import DateProposal, OrderChange, PilotProgram, PurchaseOrder
from partnership.models import (
    Announcement,
    AnnouncementRead,
    InvitationMessage,
    Invitee,
    ProductInvitation,
    Sample,
    Training,
)
from payments.models import Invoice, PaymentTermChange
from planning import selectors as planning_selectors
from pricing.models import PriceChangeRequest
from scorecards.models import RedFlag, RowContest
from suppliers import selectors as supplier_selectors
from suppliers.models import Certification

# A factory sees check-ins this many days ahead on its home page.
PORTAL_CHECKIN_DAYS = 14


def _portal_url(name):
    return lambda row: reverse(name, args=[row.pk])


def _my_suppliers(user, prefix="supplier__"):
    """Rows of suppliers the user looks after (buyer, project manager or QC lead)."""
    return (
        Q(**{f"{prefix}owner": user})
        | Q(**{f"{prefix}project_manager": user})
        | Q(**{f"{prefix}qc_lead": user})
    )


def _week(today):
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


# --- Managers: decisions only they may take ---------------------------------------------------------------------


def holds_to_decide(*, user, today):
    """Audits whose hold proposal waits for a decision."""
    return Audit.objects.visible_to(user).filter(hold_proposal__status=HoldProposal.Status.PROPOSED)


def pilots_to_decide(*, user, today):
    """Pilot programmes past their end date and still undecided."""
    running = [PilotProgram.Status.RUNNING, PilotProgram.Status.EXTENDED]
    return PilotProgram.objects.visible_to(user).filter(status__in=running, ends_on__lte=today)


def contests_to_decide(*, user, today):
    """Scorecard rows a factory contested, waiting for a manager to accept or reject."""
    return (
        RowContest.objects.visible_to(user)
        .open()
        .select_related("supplier", "delivery__order", "inspection", "issue")  # the preview's labels
    )


def _contest_label(contest):
    return f"{contest.supplier.name}: {contest}"


def terms_to_settle(*, user, today):
    """Payment-term proposals the supplier disputed: a manager records what was agreed, or a buyer withdraws."""
    return PaymentTermChange.objects.visible_to(user).filter(status=PaymentTermChange.Status.DISPUTED)


# --- Buyers -----------------------------------------------------------------------------------------------------


def orders_with_dates_to_answer(*, user, today):
    """Orders with a delivery date the supplier proposed and the buyer has not answered."""
    pending = DateProposal.objects.filter(delivery__order=OuterRef("pk"), status=DateProposal.Status.PENDING)
    return PurchaseOrder.objects.visible_to(user).filter(Exists(pending))


def orders_with_changes_to_answer(*, user, today):
    """Orders with a change waiting for the buyer: a counter to our proposal, or the factory's own changes."""
    waiting = OrderChange.objects.filter(order=OuterRef("pk")).filter(
        Q(side=OrderChange.Side.BUYER, status=OrderChange.Status.COUNTERED)
        | Q(side=OrderChange.Side.FACTORY, status=OrderChange.Status.PROPOSED)
    )
    return PurchaseOrder.objects.visible_to(user).filter(Exists(waiting))


def price_changes_to_answer(*, user, today):
    """Price changes a factory asked for, waiting for the buyer to accept, counter or refuse."""
    return PriceChangeRequest.objects.visible_to(user).filter(status=PriceChangeRequest.Status.REQUESTED)


def invoices_on_hold(*, user, today):
    """Invoices on hold with a discrepancy to resolve."""
    return Invoice.objects.visible_to(user).filter(status=Invoice.Status.DISPUTED)


def issues_awaiting_us(*, user, today):
    """Issues the supplier raised that wait for our first reply."""
    return SupplierIssue.objects.visible_to(user).filter(
        status=SupplierIssue.Status.OPEN, raised_by_side=Side.SUPPLIER
    )


def invitation_questions_to_answer(*, user, today):
    """The user's new-product invitations where a factory asked the last word of its thread (a question to answer)."""
    last_from_factory = InvitationMessage.objects.filter(invitee_id=OuterRef("pk")).order_by(
        "-created_at", "-pk"
    )
    asked = Invitee.objects.filter(invitation_id=OuterRef("pk")).annotate(
        last_from_factory=Subquery(last_from_factory.values("from_factory")[:1])
    )
    return ProductInvitation.objects.visible_to(user).filter(
        Exists(asked.filter(last_from_factory=True)), created_by=user, withdrawn_at__isnull=True
    )


def samples_to_evaluate(*, user, today):
    """The user's new-product invitations with samples a factory sent and nobody has evaluated yet."""
    pending = Sample.objects.filter(invitee__invitation_id=OuterRef("pk"), result=Sample.Result.PENDING)
    return ProductInvitation.objects.visible_to(user).filter(Exists(pending), created_by=user)


# --- Quality ----------------------------------------------------------------------------------------------------


def orders_to_inspect(*, user, today):
    """Orders shipped or partly received that no inspection covers yet."""
    inspected = QCInspection.objects.filter(order=OuterRef("pk"))
    return (
        PurchaseOrder.objects.visible_to(user)
        .filter(status__in=[PurchaseOrder.Status.SHIPPED, PurchaseOrder.Status.PARTIALLY_RECEIVED])
        .exclude(Exists(inspected))
    )


def capas_to_verify(*, user, today):
    """Corrective actions the supplier answered, waiting for QC to verify or send back."""
    return CorrectiveAction.objects.visible_to(user).filter(status=CorrectiveAction.Status.SUBMITTED)


def lab_reports_to_review(*, user, today):
    """Lab reports uploaded and not reviewed yet."""
    return BatchTest.objects.visible_to(user).filter(review=BatchTest.Review.SUBMITTED)


# --- Every staff role -------------------------------------------------------------------------------------------


def flags_assigned_to_me(*, user, today):
    """Open or acknowledged red flags the user owns."""
    return RedFlag.objects.visible_to(user).filter(
        owner=user, state__in=[RedFlag.State.OPEN, RedFlag.State.ACKNOWLEDGED]
    )


def checkins_this_week(*, user, today):
    """Scheduled check-ins this week (Monday to Sunday) with the suppliers the user looks after."""
    monday, sunday = _week(today)
    return CheckIn.objects.visible_to(user).filter(
        _my_suppliers(user), status=CheckIn.Status.SCHEDULED, date__gte=monday, date__lte=sunday
    )


def minutes_due(*, user, today):
    """Check-ins of the user's suppliers whose time has passed and whose minutes are not recorded."""
    return CheckIn.objects.visible_to(user).filter(
        _my_suppliers(user), status=CheckIn.Status.SCHEDULED, scheduled_at__lt=timezone.now()
    )


# --- The factory (portal) ---------------------------------------------------------------------------------------


def portal_orders_to_acknowledge(*, user, today):
    """Orders sent to the factory and not acknowledged yet."""
    return PurchaseOrder.objects.visible_to(user).filter(status=PurchaseOrder.Status.SENT)


def portal_changes_to_answer(*, user, today):
    """Orders with a change the buyer proposed that waits for the factory to accept or counter."""
    waiting = OrderChange.objects.filter(
        order=OuterRef("pk"), side=OrderChange.Side.BUYER, status=OrderChange.Status.PROPOSED
    )
    return PurchaseOrder.objects.visible_to(user).filter(Exists(waiting))


def portal_capas_due(*, user, today):
    """Corrective actions waiting for the factory's answer (new, or sent back)."""
    waiting = [CorrectiveAction.Status.OPEN, CorrectiveAction.Status.REJECTED]
    return CorrectiveAction.objects.visible_to(user).filter(status__in=waiting)


def portal_certificates_expiring(*, user, today):
    """Verified certificates expired or expiring soon, with no renewal uploaded yet."""
    renewal = Certification.objects.filter(replaces=OuterRef("pk"), status=Certification.Status.PENDING)
    return supplier_selectors.certifications_expiring(user=user, today=today).exclude(Exists(renewal))


def portal_issues_awaiting_reply(*, user, today):
    """Issues our team raised that wait for the factory's first reply."""
    return SupplierIssue.objects.visible_to(user).filter(
        status=SupplierIssue.Status.OPEN, raised_by_side=Side.BUYER
    )


def portal_terms_to_answer(*, user, today):
    """Payment-term proposals waiting for the factory to accept or dispute."""
    return PaymentTermChange.objects.visible_to(user).filter(status=PaymentTermChange.Status.PROPOSED)


def portal_price_counters_to_answer(*, user, today):
    """Price changes the buyer countered, waiting for the factory to accept or decline the counter."""
    return PriceChangeRequest.objects.visible_to(user).filter(status=PriceChangeRequest.Status.COUNTERED)


def portal_invoices_rejected(*, user, today):
    """Invoices our team rejected (with the reason), to correct and send again."""
    return Invoice.objects.visible_to(user).filter(status=Invoice.Status.REJECTED)


def portal_next_checkins(*, user, today):
    """Check-ins still to come (as the portal's check-in page lists them) over the next two weeks."""
    upcoming = communications_selectors.checkin_list(
        user=user, filters={"upcoming": True, "status": "scheduled"}
    )
    return upcoming.filter(date__lte=today + timedelta(days=PORTAL_CHECKIN_DAYS))


def portal_forecasts_to_answer(*, user, today):
    """The newest forecast version while a month of it waits for the factory's capacity answer."""
    return planning_selectors.forecasts_to_answer(user=user)


def portal_announcements_unread(*, user, today):
    """Announcements addressed to the factory (not withdrawn) that this contact has not marked read."""
    read = AnnouncementRead.objects.filter(announcement_id=OuterRef("pk"), user_id=user.pk)
    return Announcement.objects.visible_to(user).exclude(Exists(read))


def portal_invitations_to_answer(*, user, today):
    """New-product invitations still open (not withdrawn, answer-by date not passed) with no answer from the factory."""
    pending = Invitee.objects.filter(
        invitation_id=OuterRef("pk"), supplier_id=user.supplier_id, status=Invitee.Status.PENDING
    )
    return ProductInvitation.objects.visible_to(user).filter(
        Exists(pending), withdrawn_at__isnull=True, respond_by__gte=today
    )


def portal_training_to_accept(*, user, today):
    """Training offered to the factory and not accepted yet, whose date has not passed (it can still accept)."""
    return Training.objects.visible_to(user).filter(status=Training.Status.OFFERED, held_on__gte=today)


def _certificate_label(cert):
    return _("%(certificate)s, valid until %(day)s") % {
        "certificate": cert,
        "day": date_format(cert.valid_until, "SHORT_DATE_FORMAT"),
    }


register = waiting_item_register

# Managers.
register(WaitingItem("holds_to_decide", _("Hold proposals to decide"), STAFF, holds_to_decide, "audits:audit_list", capability="hold.decide", order=10))  # fmt: skip
register(WaitingItem("pilots_to_decide", _("Pilot programmes to decide"), STAFF, pilots_to_decide, "scorecards:pilot_list", capability="pilot.decide", order=11))  # fmt: skip
register(WaitingItem("contests_to_decide", _("Contests to decide"), STAFF, contests_to_decide, "scorecards:contest_list", capability="delivery.excuse", order=13, row_label=_contest_label))  # fmt: skip
register(WaitingItem("terms_to_settle", _("Disputed payment terms to settle"), STAFF, terms_to_settle, "payments:term_change_list", capability="terms.record_agreement", order=12))  # fmt: skip
# Buyers.
register(WaitingItem("dates_to_answer", _("New delivery dates to answer"), STAFF, orders_with_dates_to_answer, "orders:list", capability="order.edit", order=20))  # fmt: skip
register(WaitingItem("changes_to_answer", _("Order changes to answer"), STAFF, orders_with_changes_to_answer, "orders:list", capability="order.edit", order=21))  # fmt: skip
register(WaitingItem("price_changes_to_answer", _("Price changes to answer"), STAFF, price_changes_to_answer, "pricing:change_list", capability="price.edit", order=24))  # fmt: skip
register(WaitingItem("invoices_on_hold", _("Invoices on hold"), STAFF, invoices_on_hold, "payments:invoice_list", capability="invoice.edit", order=22))  # fmt: skip
register(WaitingItem("issues_awaiting_us", _("Supplier issues waiting for our reply"), STAFF, issues_awaiting_us, "communications:issue_list", capability="issue.edit", order=23))  # fmt: skip
register(WaitingItem("invitation_questions", _("Questions from factories on new products"), STAFF, invitation_questions_to_answer, "partnership:invitation_list", capability="product_invitation.edit", order=25))  # fmt: skip
register(WaitingItem("samples_to_evaluate", _("Samples to evaluate"), STAFF, samples_to_evaluate, "partnership:invitation_list", capability="product_invitation.edit", order=26))  # fmt: skip
# Quality.
register(WaitingItem("orders_to_inspect", _("Shipped orders to inspect"), STAFF, orders_to_inspect, "orders:list", capability="inspection.edit", order=30))  # fmt: skip
register(WaitingItem("capas_to_verify", _("Corrective actions to verify"), STAFF, capas_to_verify, "audits:capa_list", capability="capa.edit", order=31))  # fmt: skip
register(WaitingItem("lab_reports_to_review", _("Lab reports to review"), STAFF, lab_reports_to_review, "audits:batch_test_list", capability="inspection.edit", order=32))  # fmt: skip
# Every staff role.
register(WaitingItem("flags_mine", _("Red flags assigned to me"), STAFF, flags_assigned_to_me, "scorecards:flag_list", capability="flag.handle", order=40))  # fmt: skip
register(WaitingItem("checkins_this_week", _("Check-ins this week"), STAFF, checkins_this_week, "communications:checkin_list", capability="checkin.edit", order=41, actionable=False))  # fmt: skip
register(WaitingItem("minutes_due", _("Check-in minutes to record"), STAFF, minutes_due, "communications:checkin_list", capability="checkin.edit", order=42, reads_clock=True))  # fmt: skip

# The factory.
register(WaitingItem("orders_to_acknowledge", _("Orders to acknowledge"), PORTAL, portal_orders_to_acknowledge, "portal:orders", order=10, row_url=_portal_url("portal:order_detail")))  # fmt: skip
register(WaitingItem("changes_to_answer_portal", _("Order changes to answer"), PORTAL, portal_changes_to_answer, "portal:orders", order=11, row_url=_portal_url("portal:order_detail")))  # fmt: skip
register(WaitingItem("capas_due", _("Corrective actions to answer"), PORTAL, portal_capas_due, "portal:capa_list", order=12, row_url=_portal_url("portal:capa_detail")))  # fmt: skip
register(WaitingItem("certificates_expiring", _("Certificates to renew"), PORTAL, portal_certificates_expiring, "portal:certifications", order=13, row_label=_certificate_label, row_url=lambda c: reverse("portal:certification_upload") + f"?renews={c.pk}"))  # fmt: skip
register(WaitingItem("issues_awaiting_reply", _("Issues waiting for your reply"), PORTAL, portal_issues_awaiting_reply, "portal:issues", order=14, row_url=_portal_url("portal:issue_detail")))  # fmt: skip
register(WaitingItem("terms_to_answer", _("Payment terms to answer"), PORTAL, portal_terms_to_answer, "portal:payment_terms", order=15, row_url=_portal_url("portal:payment_terms_answer")))  # fmt: skip
register(WaitingItem("price_counters_to_answer", _("Price counters to answer"), PORTAL, portal_price_counters_to_answer, "portal:prices", order=18, row_url=_portal_url("portal:price_change_detail")))  # fmt: skip
register(WaitingItem("invoices_rejected", _("Rejected invoices"), PORTAL, portal_invoices_rejected, "portal:invoices", order=16, row_url=_portal_url("portal:invoice_detail")))  # fmt: skip
register(WaitingItem("forecasts_to_answer", _("Forecasts to answer"), PORTAL, portal_forecasts_to_answer, "portal:forecasts", order=16, row_url=_portal_url("portal:forecast_detail")))  # fmt: skip
register(WaitingItem("next_checkins", _("Next check-ins"), PORTAL, portal_next_checkins, "portal:checkins", order=17, actionable=False, row_url=_portal_url("portal:checkin_detail"), reads_clock=True))  # fmt: skip
register(WaitingItem("invitations_to_answer", _("New-product invitations to answer"), PORTAL, portal_invitations_to_answer, "portal:invitations", order=19, row_url=_portal_url("portal:invitation_detail")))  # fmt: skip
register(WaitingItem("training_to_accept", _("Training offered to accept"), PORTAL, portal_training_to_accept, "portal:partnership_training", order=20, row_url=lambda t: reverse("portal:partnership_training") + f"#training-{t.pk}"))  # fmt: skip
register(WaitingItem("announcements_unread", _("Announcements to read"), PORTAL, portal_announcements_unread, "portal:announcements", order=21, row_url=_portal_url("portal:announcement_detail")))  # fmt: skip
