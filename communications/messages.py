"""The texts of workflow notifications, by key: rendered in the reader's language whenever shown or sent.

A notification stores its key and its values (numbers, dates, names: words no one translates); the title and text
are put together from the lazy translations below in the language active at that moment — the reader's bell and
list, or translation.override(recipient.language) when the email goes out. A value that is a choice (a result, a
severity) is stored as its code and shown as its label in the reader's language (`labels`).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from audits.models import Audit, BatchTest, Finding, QCInspection, Severity, VisitNote
from audits.models.severity import severity_explanation
from planning.models import CapacityAnswer
from pricing.models import PriceChangeRequest, ReasonCategory

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
    # Inspection severity (ISO 2859-1 switching) of one of the factory's SKUs changed, by the rules or by hand.
    "inspection_severity_switched": Message(
        Family.QUALITY,
        _("Inspection of %(product)s is now %(severity)s"),
        _(
            "From your next lot, %(product)s is inspected under %(severity)s inspection (ISO 2859-1): %(why)s."
        ),
        labels={"severity": Severity},
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
    # Visit reports: a note added to the shared part reaches the other side.
    "visit_note_added": Message(
        Family.AUDITS,
        _("Visit report of %(audit_on)s: %(kind)s added"),
        _("Added to the shared report of the visit of %(audit_on)s (%(kind)s):\n\n%(text)s"),
        labels={"kind": VisitNote.Kind},
    ),
    "visit_note_added_by_factory": Message(
        Family.AUDITS,
        _("%(supplier)s added to the visit report of %(audit_on)s"),
        _("%(supplier)s added to the shared report of the visit of %(audit_on)s (%(kind)s):\n\n%(text)s"),
        labels={"kind": VisitNote.Kind},
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
    # Prices: the factory's justified price changes, the buyer's answers, open-book cost breakdowns.
    "price_change_requested": Message(
        Family.ORDERS,
        _("%(supplier)s asks for a price change from %(day)s"),
        _("%(supplier)s asks to change prices from %(day)s (%(reason)s): %(items)s\n\n%(explanation)s"),
        labels={"reason": ReasonCategory},
    ),
    "price_change_accepted": Message(
        Family.ORDERS,
        _("Price change accepted from %(day)s"),
        _("Your buyer accepted your price change PCR-%(pk)s: %(items)s apply from %(day)s. %(note)s"),
    ),
    "price_change_countered": Message(
        Family.ORDERS,
        _("Counter to your price change PCR-%(pk)s"),
        _(
            "Your buyer proposes other prices from %(day)s: %(items)s\n\n%(note)s\n\n"
            "Please accept or decline the counter in the supplier portal."
        ),
    ),
    "price_change_refused": Message(
        Family.ORDERS,
        _("Price change PCR-%(pk)s refused"),
        _("Your buyer refused your price change PCR-%(pk)s; the agreed prices stay: %(note)s"),
    ),
    "price_counter_answered": Message(
        Family.ORDERS,
        _("%(supplier)s answered your counter PCR-%(pk)s: %(status)s"),
        _("%(supplier)s answered your counter to price change PCR-%(pk)s: %(status)s. %(note)s"),
        labels={"status": PriceChangeRequest.Status},
    ),
    "cost_breakdown_requested": Message(
        Family.ORDERS,
        _("Cost breakdown asked for %(sku)s"),
        _(
            "Your buyer asks for the cost breakdown of %(sku)s (material, labour, overhead, margin). %(message)s\n\n"
            "Only the buyer's staff see your answer."
        ),
    ),
    "cost_breakdown_given": Message(
        Family.ORDERS,
        _("%(supplier)s gave the cost breakdown of %(sku)s"),
    ),
    "terms_proposed": Message(
        Family.INVOICES,
        _("New payment terms proposed: %(days)s days"),
        _(
            "We propose to change your payment terms from %(old)s to %(new)s days from %(day)s.\n\n"
            "%(reason)s\n\nPlease accept or dispute the proposal in the supplier portal."
        ),
    ),
    # Red-flag playbooks: a production review planned; the factory's or our contact changed.
    "checkin_planned": Message(
        Family.CHECKINS,
        _("Production review planned on %(day)s at %(time)s"),
        _(
            "Your buyer planned a production review with you on %(day)s at %(time)s (your time). Agenda:\n%(agenda)s"
        ),
    ),
    "contact_reassigned": Message(
        Family.OTHER,
        _("Your contact for %(company)s changed: %(name)s"),
        _("From now on %(name)s (%(side)s) is the contact for our work together. %(note)s"),
    ),
    # Scorecard contests: the factory contests a row behind its scorecard; a manager decides.
    "row_contest_opened": Message(
        Family.RED_FLAGS,
        _("%(supplier)s contests a scorecard row: %(row)s"),
        _("%(supplier)s contests %(kind)s %(row)s: %(reason)s Please accept or reject it with a reason."),
        labels={"kind": "scorecards.RowContest.Kind"},
    ),
    "row_contest_accepted": Message(
        Family.RED_FLAGS,
        _("Contest accepted: %(row)s"),
        _(
            "We accepted your contest of %(kind)s %(row)s; it no longer counts against your scorecard. %(note)s"
        ),
        labels={"kind": "scorecards.RowContest.Kind"},
    ),
    "row_contest_rejected": Message(
        Family.RED_FLAGS,
        _("Contest rejected: %(row)s"),
        _("We did not accept your contest of %(kind)s %(row)s; it still counts on your scorecard. %(note)s"),
        labels={"kind": "scorecards.RowContest.Kind"},
    ),
    # Reference letters: the buyer vouched for the factory's performance over a period.
    "reference_letter_issued": Message(
        Family.OTHER,
        _("A reference letter for you: %(period_start)s to %(period_end)s"),
        _(
            "We issued a reference letter on your performance from %(period_start)s to %(period_end)s, valid "
            "until %(expires_on)s. Download it from your portal to show your other customers; it carries a link "
            "anyone can open to check it is genuine."
        ),
    ),
    # Red flags about the factory (only those its portal shows).
    "red_flag": Message(
        Family.RED_FLAGS,
        _("Flag raised: %(rule)s"),
        _("%(rule)s. Let us look at it together; the details are on your scorecard page."),
        labels={"rule": "scorecards.RedFlag.Rule"},
    ),
    # Orders: a new purchase order for the factory, and each step of a change to a sent order, to the other side.
    "order_sent": Message(
        Family.ORDERS,
        _("New purchase order %(number)s"),
        _(
            "%(company)s sent you purchase order %(number)s; the PO is attached as a PDF. "
            "Please acknowledge it in the portal, and propose a new date there if a required date "
            "cannot be met."
        ),
    ),
    "order_change_proposed": Message(
        Family.ORDERS,
        _("Change proposed to order %(number)s"),
        _(
            "%(company)s proposes to change order %(number)s:\n%(lines)s\n\n%(reason)s\n\n"
            "Nothing changes until you answer: accept it, or counter with what you can do, in the portal."
        ),
    ),
    "order_change_accepted": Message(
        Family.ORDERS,
        _("The factory accepted your change to %(number)s"),
        _("%(supplier)s accepted:\n%(lines)s"),
    ),
    "order_change_countered": Message(
        Family.ORDERS,
        _("The factory countered your change to %(number)s"),
        _(
            "%(supplier)s proposes something else:\n%(lines)s\n\n%(reason)s\n\n"
            "Accept the counter or withdraw your change on the order's page."
        ),
    ),
    "order_change_agreed": Message(
        Family.ORDERS,
        _("Change to order %(number)s recorded as agreed"),
        _("As agreed with you, order %(number)s changes:\n%(lines)s\n\n%(note)s"),
    ),
    "order_change_withdrawn": Message(
        Family.ORDERS,
        _("Change to order %(number)s withdrawn"),
        _("The buyer withdrew this change; the order stays as it was:\n%(lines)s"),
    ),
    "order_counter_accepted": Message(
        Family.ORDERS,
        _("Your counter on order %(number)s was accepted"),
        _("The buyer accepted your counter:\n%(lines)s"),
    ),
    "order_order_declined": Message(
        Family.ORDERS,
        _("The factory declined order %(number)s"),
        _("%(supplier)s declined order %(number)s:\n\n%(reason)s"),
    ),
    "order_order_confirmed_with_changes": Message(
        Family.ORDERS,
        _("Order %(number)s confirmed with changes"),
        _(
            "%(supplier)s confirmed order %(number)s with these changes:\n%(lines)s\n\n%(reason)s\n\n"
            "Accept or reject them on the order's page; until then the order's values stand."
        ),
    ),
    "order_factory_changes_decided": Message(
        Family.ORDERS,
        _("The buyer answered your changes to order %(number)s"),
        _("The buyer's answer:\n%(lines)s"),
    ),
    # Production: the factory started an order, or logged an issue met on a line (its own words, untranslated).
    "production_started": Message(
        Family.ORDERS,
        _("Production started: %(number)s"),
        _(
            "%(supplier)s started production of order %(number)s on %(started_on)s; planned finish: %(planned)s."
        ),
    ),
    "production_issue": Message(
        Family.ORDERS,
        _("Production issue on %(number)s: %(sku)s"),
        _(
            "%(supplier)s logged %(quantity)s units of %(sku)s (order %(number)s) on %(produced_on)s "
            "and reports an issue:\n\n%(issues)s"
        ),
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


COUNTER_VALUE = _("counter: %(value)s")


def _change_line(change: dict, *, with_status: bool = False) -> str:
    """One order change as a line in the active language: what, which line, from → to, the counter, the answer."""
    text = _label("orders.OrderChange.Kind", change.get("kind"))
    if change.get("sku"):
        text += f" {change['sku']}"
    if change.get("old") or change.get("new"):
        text += f": {change.get('old', '')} → {change.get('new', '')}"
    if change.get("counter"):
        text += " · " + str(COUNTER_VALUE) % {"value": change["counter"]}
    if with_status:
        text += ": " + _label("orders.OrderChange.Status", change.get("status"))
    return text


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
    lines = values.get("lines")
    if isinstance(lines, list) and all(isinstance(line, dict) for line in lines):  # an order's changes
        with_status = key == "order_factory_changes_decided"
        values["lines"] = "\n".join(f"- {_change_line(line, with_status=with_status)}" for line in lines)
    elif isinstance(lines, list):  # a receipt's lines: [sku, received, rejected]
        values["lines"] = "; ".join(
            str(RECEIPT_LINE) % {"sku": sku, "received": received, "rejected": rejected}
            for sku, received, rejected in lines
        )
    if key == "inspection_severity_switched":  # why, from the rule and its lots, in the reader's language
        values["why"] = severity_explanation(
            rule=params.get("rule", ""),
            lots=params.get("lots", []),
            window=params.get("window", 0),
            reason=params.get("reason", ""),
        )
        values["severity"] = str(values["severity"]).lower()
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
