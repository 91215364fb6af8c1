"""Reads of red-flag playbooks: a production review's agenda, a flag's actions, which actions worked, and the
factory's general manager a contact change is copied to."""

from typing import NamedTuple

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from core.clock import business_today
from suppliers.invitations import COUNTRY_LANGUAGES, contact_portal_user
from suppliers.models import Contact, Supplier

from .. import periods
from ..models import Kpi, RedFlag
from ..selectors.behind import rows_behind
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
                    contact.language,
                    account.language if account is not None else "",
                    COUNTRY_LANGUAGES.get(str(supplier.country), ""),
                )
                if (code or "").lower() in offered
            ),
            settings.LANGUAGE_CODE,
        )
        return GeneralManager(contact=contact, name=contact.name, email=email, language=language.lower())
    return None
