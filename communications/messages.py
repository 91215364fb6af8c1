"""The texts of workflow notifications, by key: rendered in the reader's language whenever shown or sent.

A notification stores its key and its values (numbers, dates, names: words no one translates); the title and text
are put together from the lazy translations below in the language active at that moment — the reader's bell and
list, or translation.override(recipient.language) when the email goes out. A value that is a choice (a result, a
severity) is stored as its code and shown as its label in the reader's language (`labels`).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from audits.models import Audit, BatchTest, Finding, QCInspection
from planning.models import CapacityAnswer

from .notices import Family


@dataclass(frozen=True)
class Message:
    """A notification text: its family, title and body templates (%-style), and which values are choices."""

    family: str
    title: str
    body: str = ""
    labels: dict = field(default_factory=dict)


MESSAGES = {
    # Demand outlook: the buyer published a forecast version; the factory answered a month of it.
    "forecast_published": Message(
        Family.ORDERS,
        _("New demand forecast (version %(version)s)"),
        _(
            "The buyer published version %(version)s of its demand forecast for %(first)s to %(last)s. "
            "Please answer each month with the capacity you commit, or a shortfall and why."
        ),
    ),
    "forecast_answered": Message(
        Family.ORDERS,
        _("%(supplier)s answered forecast %(month)s: %(status)s"),
        _(
            "%(supplier)s answered %(month)s of forecast version %(version)s: %(status)s, %(quantity)s. %(reason)s"
        ),
        labels={"status": CapacityAnswer.Status},
    ),
    # Deliveries: the buyer answered the factory's date proposal; the factory shipped; the buyer received.
    "date_proposal_accepted": Message(
        Family.DELIVERIES,
        _("New date accepted: %(delivery)s"),
        _(
            "Your buyer accepted %(proposed_on)s as the new date of delivery %(delivery)s (order %(order)s). %(note)s"
        ),
    ),
    "date_proposal_rejected": Message(
        Family.DELIVERIES,
        _("New date not accepted: %(delivery)s"),
        _(
            "Your buyer did not accept %(proposed_on)s for delivery %(delivery)s (order %(order)s); "
            "the promised date stays %(promised_on)s. %(note)s"
        ),
    ),
    "shipment_recorded": Message(
        Family.DELIVERIES,
        _("Shipped by %(supplier)s: %(delivery)s"),
        _(
            "%(supplier)s shipped %(quantity)s units of delivery %(delivery)s (order %(order)s) on %(shipped_on)s. %(tracking)s"
        ),
    ),
    "goods_received": Message(
        Family.DELIVERIES,
        _("Goods received: %(delivery)s"),
        _(
            "We received delivery %(delivery)s of order %(order)s on %(received_on)s: %(received)s units received, "
            "%(rejected)s of them rejected. %(lines)s"
        ),
    ),
    # Quality: an inspection report shared with the factory, its lab report reviewed.
    "inspection_shared": Message(
        Family.QUALITY,
        _("Inspection report: %(result)s"),
        _(
            "QC shared the report of a %(checkpoint)s inspection of %(inspected_on)s (lot %(lot)s): %(result)s."
        ),
        labels={"result": QCInspection.Result, "checkpoint": QCInspection.Checkpoint},
    ),
    "lab_report_reviewed": Message(
        Family.QUALITY,
        _("Lab report %(lot)s: %(review)s"),
        _("QC reviewed your lab report for lot %(lot)s (%(standard)s): %(review)s. %(note)s"),
        labels={"review": BatchTest.Review},
    ),
    # Audits and corrective actions.
    "audit_announced": Message(
        Family.AUDITS,
        _("Audit announced for %(planned_on)s"),
        _("An audit (%(audit_type)s) of your company is planned on %(planned_on)s."),
        labels={"audit_type": Audit.Type},
    ),
    "audit_rescheduled": Message(
        Family.AUDITS,
        _("Audit moved to %(planned_on)s"),
        _("The audit (%(audit_type)s) planned on %(previous_on)s now takes place on %(planned_on)s."),
        labels={"audit_type": Audit.Type},
    ),
    "finding_raised": Message(
        Family.AUDITS,
        _("Audit finding (%(severity)s)"),
        _("A %(severity)s finding was recorded at the audit of %(audit_on)s: %(description)s"),
        labels={"severity": Finding.Severity},
    ),
    "capa_raised": Message(
        Family.AUDITS,
        _("Corrective action requested: %(title)s"),
        _("Please answer corrective action “%(title)s” by %(due_on)s: root cause, action and evidence."),
    ),
    "capa_answered": Message(
        Family.AUDITS,
        _("Corrective action answered by %(supplier)s: %(title)s"),
        _("%(supplier)s answered corrective action “%(title)s”; it waits for your verification."),
    ),
    "capa_verified": Message(
        Family.AUDITS,
        _("Corrective action verified: %(title)s"),
        _("QC verified your corrective action “%(title)s”; it is closed. %(note)s"),
    ),
    "capa_sent_back": Message(
        Family.AUDITS,
        _("Corrective action sent back: %(title)s"),
        _("QC sent your corrective action “%(title)s” back: %(note)s Please answer again by %(due_on)s."),
    ),
    "capa_overdue": Message(
        Family.AUDITS,
        _("Corrective action overdue: %(title)s"),
        _("Corrective action “%(title)s” was due on %(due_on)s and is not answered yet."),
    ),
    # Certificates.
    "certificate_verified": Message(
        Family.CERTIFICATES,
        _("Certificate verified: %(certificate)s"),
        _("Your certificate %(certificate)s was checked and verified."),
    ),
    "certificate_rejected": Message(
        Family.CERTIFICATES,
        _("Certificate rejected: %(certificate)s"),
        _("Your certificate %(certificate)s was not accepted: %(note)s Please upload a valid one."),
    ),
    # Invoices and payments.
    "invoice_approved": Message(
        Family.INVOICES,
        _("Invoice %(number)s approved"),
        _("Your invoice %(number)s (%(amount)s) was approved for payment; it is due on %(due_on)s."),
    ),
    "invoice_rejected": Message(
        Family.INVOICES,
        _("Invoice %(number)s rejected"),
        _("Your invoice %(number)s (%(amount)s) was rejected: %(note)s"),
    ),
    "invoice_paid": Message(
        Family.INVOICES,
        _("Payment made: invoice %(number)s"),
        _("We paid %(amount)s on %(paid_on)s against your invoice %(number)s."),
    ),
    # Issues: raised and answered by either side (the text is the writer's own words, never translated).
    "issue_raised_by_buyer": Message(Family.ISSUES, _("New issue from your buyer: %(subject)s")),
    "issue_reply_from_buyer": Message(Family.ISSUES, _("Reply from your buyer: %(subject)s")),
    "issue_raised_by_supplier": Message(Family.ISSUES, _("%(supplier)s raised an issue: %(subject)s")),
    "issue_reply_from_supplier": Message(Family.ISSUES, _("Reply from %(supplier)s: %(subject)s")),
    "issue_resolved": Message(
        Family.ISSUES,
        _("Issue resolved: %(subject)s"),
        _("Your buyer closed the issue “%(subject)s”: %(note)s"),
    ),
    "terms_proposed": Message(
        Family.INVOICES,
        _("New payment terms proposed: %(days)s days"),
        _(
            "We propose to change your payment terms from %(old)s to %(new)s days from %(day)s.\n\n"
            "%(reason)s\n\nPlease accept or dispute the proposal in the supplier portal."
        ),
    ),
    # Red flags about the factory (only those its portal shows).
    "red_flag": Message(
        Family.RED_FLAGS,
        _("Flag raised: %(rule)s"),
        _("%(rule)s. Let us look at it together; the details are on your scorecard page."),
        labels={"rule": "scorecards.RedFlag.Rule"},
    ),
    # The daily digest itself: its body lists the notifications it carries (communications/services/digests.py).
    "daily_digest": Message(Family.OTHER, _("Your daily summary: %(n)s notifications")),
}


RECEIPT_LINE = _("%(sku)s: %(received)s received, %(rejected)s rejected")


def _label(choices, value):
    """Return a stored choice code as its label in the active language (the code itself when unknown)."""
    if isinstance(choices, str):  # "app.Model.Choices": a choice class of a higher app, found by name
        from django.apps import apps

        app_label, model_name, name = choices.split(".")
        choices = getattr(apps.get_model(app_label, model_name), name)
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def message_render(key: str, params: dict) -> tuple[str, str]:
    """Return (title, body) of a message key with its values, in the active language.

    An unknown key or a missing value never breaks the bell: the key itself, or an empty value, is shown.
    """
    message = MESSAGES.get(key)
    if message is None:
        return key, ""
    values = _Values({**params})
    for name, choices in message.labels.items():
        if name in values:
            values[name] = _label(choices, values[name])
    if isinstance(values.get("lines"), list):  # a receipt's lines: [sku, received, rejected]
        values["lines"] = "; ".join(
            str(RECEIPT_LINE) % {"sku": sku, "received": received, "rejected": rejected}
            for sku, received, rejected in values["lines"]
        )
    title = str(message.title) % values
    body = (str(message.body) % values).strip() if message.body else str(values.get("text", ""))
    if key == "daily_digest":
        from .services.digests import digest_body

        body = digest_body(params.get("ids", []))
    return title, body


class _Values(dict):
    """Message values where a missing one reads as empty, not a KeyError (a key renamed after rows were stored)."""

    def __missing__(self, key):
        return ""


def message_family(key: str) -> str:
    """Return the family a message key belongs to."""
    return MESSAGES[key].family if key in MESSAGES else Family.OTHER


def absolute(url: str) -> str:
    """Return a link as the email shows it: the site's address and the page."""
    return f"{settings.FORGELINE_BASE_URL}{url}" if url else ""
