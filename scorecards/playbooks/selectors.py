"""Reads of red-flag playbooks: a production review's agenda, a flag's actions, which actions worked, and the
factory's general manager a contact change is copied to."""

from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    FloatField,
    IntegerField,
    JSONField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, JSONObject
from django.utils.translation import gettext as _

from audits.models import QCInspection
from audits.querysets import SharedInspectionQuerySet
from communications.models import Side, SupplierIssue
from communications.querysets import IssueQuerySet
from core.clock import business_today
from orders.models import Delivery
from orders.querysets import DeliveryQuerySet
from payments.models import Invoice, InvoiceDiscrepancy, InvoiceLine
from payments.querysets import InvoiceQuerySet
from pricing.selectors import agreed_unit_price_sql
from suppliers.invitations import COUNTRY_LANGUAGES, contact_language, contact_portal_user
from suppliers.models import Contact, Supplier

from .. import kpis, periods
from ..models import Kpi, RedFlag
from ..selectors.behind import rows_behind
from ..targets import response_targets_sql
from .models import PlaybookAction


def production_review_agenda(*, flag: RedFlag) -> str:
    """Return a production review's agenda: the late deliveries behind the flag's on-time figure (the rolling
    window up to the day it was raised), one line each."""
    day = business_today(flag.raised_at)
    late = [
        row.obj
        for row in rows_behind(
            supplier=flag.supplier, kpi=Kpi.ON_TIME_DELIVERY, period=periods.rolling(day), today=day
        )
        if not row.good
    ]
    lines = [
        _("On-time delivery %(observed)s against %(target)s.")
        % {"observed": flag.observed, "target": flag.target}
    ]
    for delivery in late:
        received = delivery.received_on.isoformat() if delivery.received_on else _("not received")
        lines.append(
            _("- %(order)s/%(sequence)s: promised %(promised)s, received %(received)s")
            % {
                "order": delivery.order.number,
                "sequence": delivery.sequence,
                "promised": delivery.promised_on.isoformat(),
                "received": received,
            }
        )
    lines.append(_("Review the production schedule of the open orders and what will keep them on time."))
    return "\n".join(lines)


def flag_playbook_actions(*, flag: RedFlag) -> QuerySet[PlaybookAction]:
    """Return the actions taken on one flag, oldest first, with who took them and what they created."""
    return (
        PlaybookAction.objects.filter(flag=flag)
        .select_related(
            "taken_by",
            "new_owner",
            "contract_review",
            # Each created row names its supplier when shown (CheckIn, Audit, ... __str__).
            "checkin__supplier",
            "corrective_action__supplier",
            "audit__supplier",
            "contact__supplier",
            "cost_breakdown__supplier",
            "gm_copy",
        )
        .order_by("taken_at", "pk")
    )


def playbook_action_list(*, user, filters: dict | None = None) -> QuerySet[PlaybookAction]:
    """Return playbook actions (staff only: nothing for a factory contact), newest first, with flag and supplier."""
    filters = filters or {}
    if not user.is_staff_member:
        return PlaybookAction.objects.none()
    queryset = PlaybookAction.objects.select_related("flag__supplier", "taken_by", "gm_copy").order_by(
        "-taken_at", "-pk"
    )
    for name in ("kind", "outcome"):
        if filters.get(name):
            queryset = queryset.filter(**{name: filters[name]})
    if filters.get("rule"):
        queryset = queryset.filter(flag__rule=filters["rule"])
    return queryset


def playbook_effectiveness() -> list[dict]:
    """Return, per flag rule and action, how many were taken, recovered, not recovered, without data and pending:
    one GROUP BY over every action."""
    outcome = PlaybookAction.Outcome
    rows = (
        PlaybookAction.objects.order_by()
        .values("flag__rule", "kind")
        .annotate(
            taken=Count("pk"),
            recovered=Count("pk", filter=Q(outcome=outcome.RECOVERED)),
            not_recovered=Count("pk", filter=Q(outcome=outcome.NOT_RECOVERED)),
            no_data=Count("pk", filter=Q(outcome=outcome.NO_DATA)),
            pending=Count("pk", filter=Q(outcome=outcome.PENDING)),
        )
        .order_by("flag__rule", "kind")
    )
    return [
        {
            **row,
            "rule_label": RedFlag.Rule(row["flag__rule"]).label,
            "kind_label": PlaybookAction.Kind(row["kind"]).label,
        }
        for row in rows
    ]


class GeneralManager(NamedTuple):
    """The factory's general manager as a contact change's copy reaches them: who, where, in which language."""

    contact: Contact
    name: str
    email: str
    language: str
    account_id: int | None = None  # their portal account, told through the portal already (not told twice)


def general_manager_for(*, supplier: Supplier) -> GeneralManager | None:
    """Return the supplier's general manager to copy (an active contact with the general-manager role and an email
    of its own, else its portal account's), or None when none is on file. The language is the contact's when the
    site offers it, else their portal account's, else the supplier's country's, else the site's."""
    offered = {code.lower() for code, _name in settings.LANGUAGES}
    contacts = Contact.objects.filter(
        supplier=supplier, role=Contact.Role.GENERAL_MANAGER, is_active=True
    ).order_by("-is_primary", "name", "pk")
    for contact in contacts:
        contact.supplier = supplier
        account = contact_portal_user(contact)
        if account is not None and not account.is_active:
            account = None
        email = contact.email or (account.email if account is not None else "")
        if not email:
            continue
        language = next(
            (
                code
                for code in (
                    contact_language(contact.language),
                    account.language if account is not None else "",
                    COUNTRY_LANGUAGES.get(str(supplier.country), ""),
                )
                if (code or "").lower() in offered
            ),
            settings.LANGUAGE_CODE,
        )
        return GeneralManager(
            contact=contact,
            name=contact.name,
            email=email,
            language=language.lower(),
            account_id=account.pk if account is not None else None,
        )


# --- Recovery figures of due actions, each over its own window, in one query -----------------------------------

PRICE = "price"  # the "KPI" of a price flag (services.PRICE)
_MONEY = DecimalField(max_digits=20, decimal_places=4)


def _per_action(queryset: QuerySet, supplier: str, **aggregates) -> dict[str, Subquery]:
    """Return one correlated subquery per aggregate of `queryset` narrowed to the outer action's supplier: each
    value is over the rows of that one supplier (one group), or NULL when it has none."""
    grouped = queryset.filter(**{supplier: OuterRef("flag__supplier_id")}).order_by().values(supplier)
    return {
        name: Subquery(grouped.annotate(**{name: aggregate}).values(name)[:1], output_field=output)
        for name, (aggregate, output) in aggregates.items()
    }


def _per_action_together(queryset: QuerySet, supplier: str, **aggregates) -> dict[str, Subquery]:
    """Return one correlated subquery giving all the aggregates of `queryset` for the outer action's supplier as
    one JSON object (one scan of the rows instead of one per aggregate; counts and medians only, not money)."""
    grouped = (
        queryset.filter(**{supplier: OuterRef("flag__supplier_id")})
        .order_by()
        .values(supplier)
        .annotate(**{name: aggregate for name, (aggregate, _output) in aggregates.items()})
    )
    together = JSONObject(**{name: F(name) for name in aggregates})
    return {"figures": Subquery(grouped.values(figures=together)[:1], output_field=JSONField())}


def _when(kpi: str, subqueries: dict[str, Subquery]) -> dict:
    """Evaluate a KPI's subqueries only for the actions judged by it (a CASE branch runs only when taken)."""
    return {
        f"{kpi}_{name}": Case(When(kpi=kpi, then=subquery), default=None, output_field=subquery.output_field)
        for name, subquery in subqueries.items()
    }


def _response(counted: QuerySet) -> dict:
    median = (
        (kpis._Median("waited_seconds"), FloatField())
        if connection.vendor == "postgresql"
        else (StringAgg(Cast("waited_seconds", CharField()), delimiter=Value(",")), CharField())
    )
    return {
        "n": (Count("pk"), IntegerField()),
        "within": (Count("pk", filter=IssueQuerySet.WITHIN_TARGET), IntegerField()),
        "median": median,
    }


def _median_hours(median) -> Decimal | None:
    """Return the median hours as kpis.response_time gives them (PostgreSQL's median, else the rows' own)."""
    if median is None:
        return None
    if isinstance(median, str):
        return kpis._median([float(seconds) / 3600 for seconds in median.split(",")])
    return Decimal(str(median / 3600)).quantize(Decimal("0.1"))


def recovery_figures(actions: QuerySet, *, today, now) -> list[dict]:
    """Return, for each action of `actions`, its supplier's figure of the action's KPI over the action's own window
    (taken_on to review_due_on): kpis.py's formulas (the same querysets, filters and aggregates as all_kpis and
    price_variance), computed in SQL for every action at once.

    Each row: pk, kpi, supplier_id and `figure`, a KpiValue (the KPI's empty value when nothing counted), or for
    PRICE the supplier's list of PriceVariance (one per currency billed, the largest agreed value first; empty
    when nothing was invoiced). Three queries at most, whatever the number of actions: the windows' span, the
    currencies billed (only with price actions), and the figures (per KPI family one correlated subquery, its
    counts together); plus the response targets (one query).
    """
    actions = actions.order_by()
    span = actions.aggregate(start=Min("taken_on"), end=Max("review_due_on"))
    if span["start"] is None:
        return []
    # Each family's rows over the span of all windows (the querysets' own filters), then each action's window.
    first, last = span["start"], span["end"]

    def window(field: str) -> dict:
        return {f"{field}__gte": OuterRef("taken_on"), f"{field}__lte": OuterRef("review_due_on")}

    response_targets = response_targets_sql()
    families = {
        Kpi.ON_TIME_DELIVERY: _per_action_together(
            Delivery.objects.counted_for_on_time(first, last, today=today).filter(**window("promised_on")),
            "supplier_id",
            due=(Count("pk"), IntegerField()),
            on_time=(Count("pk", filter=DeliveryQuerySet.ON_TIME), IntegerField()),
        ),
        Kpi.DEFECT_RATE: _per_action_together(
            QCInspection.objects.counted_for_defect_rate(first, last).filter(**window("inspected_on")),
            "supplier_id",
            defective=(Sum(SharedInspectionQuerySet.COUNTED_DEFECTIVE), IntegerField()),
            inspected=(Sum("sample_size"), IntegerField()),
            n=(Count("pk"), IntegerField()),
        ),
        Kpi.PAYMENT_TIMELINESS: _per_action_together(
            Invoice.objects.counted_for_payment_timeliness(first, last, today=today).filter(
                **window("due_on")
            ),
            "supplier_id",
            due=(Count("pk"), IntegerField()),
            on_time=(Count("pk", filter=InvoiceQuerySet.PAID_ON_TIME), IntegerField()),
        ),
    }
    for kpi, raised_by, side in (
        (Kpi.RESPONSE_TIME, Side.BUYER, Side.SUPPLIER),
        (Kpi.BUYER_RESPONSE_TIME, Side.SUPPLIER, Side.BUYER),
    ):
        counted = SupplierIssue.objects.counted_for_response(
            first, last, now=now, raised_by=raised_by, target_hours=response_targets[side]
        ).filter(**window("raised_on"))
        families[kpi] = _per_action_together(counted, "supplier_id", **_response(counted))
    annotations = {}
    for kpi, subqueries in families.items():
        annotations |= _when(str(kpi), subqueries)
    currencies = []
    if actions.filter(kpi=PRICE).exists():
        currencies = _price_currencies(actions, first, last)
    for currency in currencies:
        annotations |= _when(PRICE, _price(currency, first, last, window))
    rows = list(actions.values("pk", "kpi", supplier_id=F("flag__supplier_id"), **annotations))
    for row in rows:
        row["figure"] = _figure(row, currencies)
    return rows


def _price_currencies(actions: QuerySet, first, last) -> list[str]:
    """Return the currencies the price actions' suppliers were billed in over the windows' span."""
    suppliers = actions.filter(kpi=PRICE).values("flag__supplier_id")
    return sorted(
        Invoice.objects.filter(supplier_id__in=suppliers, invoice_date__gte=first, invoice_date__lte=last)
        .exclude(status=Invoice.Status.REJECTED)
        .order_by()
        .values_list("currency", flat=True)
        .distinct()
    )


def _price(currency: str, first, last, window) -> dict:
    """Return the subqueries of kpis.price_variance for one currency over each action's window."""
    rejected = Invoice.Status.REJECTED
    agreed_price = agreed_unit_price_sql("order_line__")
    lines = (
        InvoiceLine.objects.filter(
            invoice__invoice_date__gte=first, invoice__invoice_date__lte=last, invoice__currency=currency
        )
        .filter(**window("invoice__invoice_date"))
        .exclude(invoice__status=rejected)
    )
    charges = (
        InvoiceDiscrepancy.objects.filter(
            kind=InvoiceDiscrepancy.Kind.CHARGE,
            invoice__invoice_date__gte=first,
            invoice__invoice_date__lte=last,
            invoice__currency=currency,
        )
        .filter(**window("invoice__invoice_date"))
        .exclude(invoice__status=rejected)
    )
    found = _per_action(
        lines,
        "invoice__supplier_id",
        lines=(Count("pk"), IntegerField()),
        over=(Sum((F("unit_price") - agreed_price) * F("quantity"), output_field=_MONEY), _MONEY),
        agreed=(Sum(agreed_price * F("quantity"), output_field=_MONEY), _MONEY),
    )
    found |= _per_action(
        charges,
        "supplier_id",
        charges=(Count("pk"), IntegerField()),
        unagreed=(Sum(F("invoiced") - F("expected"), output_field=_MONEY), _MONEY),
    )
    return {f"{currency.lower()}_{name}": subquery for name, subquery in found.items()}


def _figure(row: dict, currencies: list[str]):
    """Return one action's figure from its row (see recovery_figures)."""
    kpi = row["kpi"]

    def get(name):
        return (row.get(f"{kpi}_figures") or {}).get(name)

    if kpi == PRICE:
        found = []
        for currency in currencies:
            if row[f"{PRICE}_{currency.lower()}_lines"] or row[f"{PRICE}_{currency.lower()}_charges"]:
                found.append(
                    kpis.PriceVariance(
                        currency,
                        Decimal("0") + (row[f"{PRICE}_{currency.lower()}_over"] or 0),
                        Decimal("0") + (row[f"{PRICE}_{currency.lower()}_unagreed"] or 0),
                        Decimal("0") + (row[f"{PRICE}_{currency.lower()}_agreed"] or 0),
                    )
                )
        return sorted(found, key=lambda value: -value.agreed)
    if kpi == Kpi.ON_TIME_DELIVERY:
        return kpis.KpiValue(get("on_time") or 0, get("due") or 0, get("due") or 0, kpis.MIN_DELIVERIES)
    if kpi == Kpi.DEFECT_RATE:
        return kpis.KpiValue(
            get("defective") or 0, get("inspected") or 0, get("n") or 0, kpis.MIN_INSPECTIONS
        )
    if kpi == Kpi.PAYMENT_TIMELINESS:
        return kpis.PaymentKpiValue(get("on_time") or 0, get("due") or 0, get("due") or 0, kpis.MIN_INVOICES)
    if kpi in (Kpi.RESPONSE_TIME, Kpi.BUYER_RESPONSE_TIME):
        if not get("n"):
            return kpis.EMPTY_ISSUES
        return kpis.ResponseKpiValue(
            get("within"), get("n"), get("n"), kpis.MIN_ISSUES, median_hours=_median_hours(get("median"))
        )
    return None
