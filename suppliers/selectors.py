"""Reads reused by staff pages, the portal and the API; every one starts from `visible_to(user)`."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django_countries.fields import Country

from accounts.models import User
from core.inputs import is_id, single_line

from .filters import SupplierFilter
from .gates import evaluate_gates
from .lifecycle import allowed_targets
from .models import (
    Activity,
    CapabilityClaim,
    CapacityAssessment,
    Certification,
    ClientReference,
    Contact,
    Contract,
    ProductCategory,
    Stage,
    StageChange,
    Supplier,
)


def supplier_list(*, user: User, filters: dict | None = None, today: date) -> QuerySet[Supplier]:
    """Return the suppliers a user may see, filtered and sorted, with what the list page shows."""
    queryset = (
        Supplier.objects.visible_to(user)
        .select_related("owner")
        .prefetch_related(Prefetch("categories", queryset=ProductCategory.objects.order_by("name")))
        .annotate(
            next_cert_expiry=Min(
                "certifications__valid_until",
                filter=Q(
                    certifications__status=Certification.Status.VERIFIED,
                    certifications__valid_until__gte=today,
                ),
            )
        )
        .order_by("name")
    )
    return SupplierFilter(filters or {}, queryset=queryset).qs


def supplier_get(*, user: User, pk: int) -> Supplier:
    """Return one supplier the user may see, or answer 404."""
    return get_object_or_404(
        Supplier.objects.visible_to(user).select_related("owner", "project_manager", "qc_lead"), pk=pk
    )


def supplier_stage_counts(*, user: User) -> list[dict]:
    """Return how many suppliers are in each stage, every stage listed (one query)."""
    counts = dict(
        Supplier.objects.visible_to(user)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    return [{"stage": stage, "label": label, "count": counts.get(stage, 0)} for stage, label in Stage.choices]


def certifications_expiring(
    *, user: User | None, today: date, days: int | None = None, system: bool = False
) -> QuerySet[Certification]:
    """Return verified certificates that expired or expire within the warning window, soonest first.

    Only the newest certificate of each standard counts: once a renewal is verified, the old one is history.
    `system=True` is for periodic jobs that act for nobody in particular and see every supplier.
    """
    days = settings.FORGELINE_CERT_EXPIRY_WARNING_DAYS if days is None else days
    newer = Certification.objects.filter(
        supplier=OuterRef("supplier"),
        standard=OuterRef("standard"),
        status=Certification.Status.VERIFIED,
        valid_until__gt=OuterRef("valid_until"),
    )
    base = Certification.objects.all() if system else Certification.objects.visible_to(user)
    return (
        base.filter(status=Certification.Status.VERIFIED, valid_until__lte=today + timedelta(days=days))
        .exclude(Exists(newer))
        .select_related("supplier")
        .order_by("valid_until")
    )


def certifications_pending(*, user: User) -> QuerySet[Certification]:
    """Return certificates waiting for staff to verify them, oldest first."""
    return (
        Certification.objects.visible_to(user)
        .filter(status=Certification.Status.PENDING)
        .select_related("supplier", "submitted_by")
        .order_by("submitted_at")
    )


def supplier_contacts(*, user: User, supplier: Supplier) -> QuerySet[Contact]:
    """Return a supplier's contacts, active first."""
    return (
        Contact.objects.visible_to(user)
        .filter(supplier=supplier)
        .order_by("-is_active", "-is_primary", "name")
    )


def supplier_certifications(*, user: User, supplier: Supplier) -> QuerySet[Certification]:
    """Return a supplier's certificates, newest expiry first."""
    return (
        Certification.objects.visible_to(user)
        .filter(supplier=supplier)
        .select_related("verified_by", "submitted_by", "replaces")
        .order_by("-valid_until", "-pk")
    )


def supplier_references(*, user: User, supplier: Supplier) -> QuerySet[ClientReference]:
    """Return a supplier's client references."""
    return ClientReference.objects.visible_to(user).filter(supplier=supplier).select_related("checked_by")


def supplier_assessments(*, user: User, supplier: Supplier) -> QuerySet[CapacityAssessment]:
    """Return a supplier's capacity and financial assessments, newest first."""
    return CapacityAssessment.objects.visible_to(user).filter(supplier=supplier).select_related("assessed_by")


def supplier_contracts(*, user: User, supplier: Supplier) -> QuerySet[Contract]:
    """Return a supplier's contracts, newest first."""
    return Contract.objects.visible_to(user).filter(supplier=supplier)


def supplier_stage_history(*, user: User, supplier: Supplier) -> QuerySet[StageChange]:
    """Return a supplier's stage changes, newest first."""
    return StageChange.objects.visible_to(user).filter(supplier=supplier).select_related("changed_by")


def supplier_timeline(*, user: User, supplier: Supplier, limit: int = 100) -> QuerySet[Activity]:
    """Return the newest lines of a supplier's activity timeline."""
    return Activity.objects.visible_to(user).filter(supplier=supplier).select_related("actor")[:limit]


def supplier_stage_options(*, supplier: Supplier, today: date) -> list[dict]:
    """Return each stage the supplier may move to with the gate results for it (for the stage form)."""
    return [
        {
            "stage": stage,
            "label": Stage(stage).label,
            "results": evaluate_gates(supplier=supplier, stage=stage, today=today),
        }
        for stage in allowed_targets(supplier.stage)
    ]


def _readable(field, value, names: dict) -> str:
    """Word a recorded value as the page shows it: a choice's label, a person's name, a date in the reader's format."""
    if value in (None, ""):
        return ""
    if field.is_relation:
        return names.get((field.related_model, value), str(value))
    if isinstance(value, Country):
        return str(value.name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _change_log(records: list) -> list[dict]:
    """Turn historical records (newest first) into who changed which fields from what to what, in words."""
    log, raw = [], []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        if older is None:
            changes = []
        else:
            changes = [
                (newer.instance_type._meta.get_field(c.field), c.old, c.new)
                for c in newer.diff_against(older).changes
            ]
            if not changes:
                continue
        raw.append((newer, older is None, changes))
    # Related rows named in one query per model (an owner changed ten times: one query, not ten).
    wanted: dict = {}
    for _record, _created, changes in raw:
        for field, old, new in changes:
            if field.is_relation:
                wanted.setdefault(field.related_model, set()).update(
                    v for v in (old, new) if v not in (None, "")
                )
    names = {
        (model, obj.pk): str(obj)
        for model, pks in wanted.items()
        for obj in model._default_manager.filter(pk__in=pks)
    }
    for record, created, changes in raw:
        log.append(
            {
                "record": record,
                "created": created,
                "changes": [
                    {
                        "field": field.verbose_name,
                        "old": _readable(field, old, names),
                        "new": _readable(field, new, names),
                    }
                    for field, old, new in changes
                ],
            }
        )
    return log


def supplier_change_log(*, supplier: Supplier, limit: int = 50) -> list[dict]:
    """Return the supplier's profile changes, newest first: who changed what from what to what."""
    records = list(
        supplier.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    return _change_log(records)[:limit]


def contract_change_log(*, supplier: Supplier, limit: int = 50) -> list[dict]:
    """Return the changes to all of a supplier's contracts, newest first."""
    records = list(
        Contract.history.filter(supplier_id=supplier.pk)
        .select_related("history_user")
        .order_by("id", "-history_date", "-history_id")
    )
    log = []
    by_contract: dict[int, list] = {}
    for record in records:
        by_contract.setdefault(record.id, []).append(record)
    for contract_records in by_contract.values():
        for entry in _change_log(contract_records):
            entry["title"] = entry["record"].title
            log.append(entry)
    log.sort(key=lambda entry: entry["record"].history_date, reverse=True)
    return log[:limit]


# The portal status of a contact, as staff see it on the contacts tab (and the portal's contacts page).
PORTAL_NOT_INVITED, PORTAL_INVITED, PORTAL_EXPIRED = "not_invited", "invited", "expired"
PORTAL_ACTIVE, PORTAL_DEACTIVATED = "active", "deactivated"


def contacts_with_portal_status(*, user: User, supplier: Supplier, now) -> list[Contact]:
    """Return a supplier's contacts, each with `portal_status`, `portal_user` and `portal_invitation` set.

    Three queries whatever the number of contacts: the contacts, the supplier's portal accounts, and its
    invitations (the latest per contact counts).
    """
    from accounts.roles import Role

    from .models import PortalInvitation

    contacts = list(supplier_contacts(user=user, supplier=supplier))
    accounts = {
        account.email.lower(): account
        for account in User.objects.filter(role=Role.SUPPLIER, supplier_id=supplier.pk).only(
            "email", "is_active", "last_login", "supplier_id", "role"
        )
    }
    accounts_by_pk = {account.pk: account for account in accounts.values()}
    latest: dict[int, PortalInvitation] = {}
    joined: dict[
        int, int
    ] = {}  # contact -> the account its invitation created (even if the email changed since)
    for invitation in PortalInvitation.objects.filter(supplier_id=supplier.pk).order_by("created_at", "pk"):
        latest[invitation.contact_id] = invitation
        if invitation.user_id:
            joined[invitation.contact_id] = invitation.user_id
    for contact in contacts:
        contact.portal_user = accounts_by_pk.get(joined.get(contact.pk)) or (
            accounts.get(contact.email.lower()) if contact.email else None
        )
        contact.portal_invitation = invitation = latest.get(contact.pk)
        if contact.portal_user is not None:
            active = contact.portal_user.is_active and contact.is_active
            contact.portal_status = PORTAL_ACTIVE if active else PORTAL_DEACTIVATED
        elif invitation is not None and invitation.status == PortalInvitation.Status.PENDING:
            contact.portal_status = PORTAL_INVITED if invitation.expires_at > now else PORTAL_EXPIRED
        else:
            contact.portal_status = PORTAL_NOT_INVITED
    return contacts


# --- Supplier pickers on big pages ------------------------------------------------------------------------------

PICKER_LIMIT = 20  # suggestions per keystroke; the filter itself matches every supplier
# A form's supplier drop-down lists every supplier up to this many; beyond, it becomes a search box whose matches
# fill the drop-down (at 2,000 suppliers the full list was 112 KB and most of "Raise an issue"'s 0.5 s).
SUPPLIER_SELECT_LIMIT = 100


def suppliers_too_many_to_list(queryset: QuerySet) -> bool:
    """Return whether a supplier drop-down would list more than SUPPLIER_SELECT_LIMIT rows (one bounded query)."""
    return queryset.order_by()[: SUPPLIER_SELECT_LIMIT + 1].count() > SUPPLIER_SELECT_LIMIT


def _name_text(value) -> str:
    """Return a typed supplier name fit for a query: one line, at most 200 characters, no NUL (PostgreSQL's text
    refuses it)."""
    return single_line(value).replace("\x00", "")[:200] if isinstance(value, str) else ""


def supplier_suggestions(*, user: User, text: str) -> QuerySet[Supplier]:
    """Return at most 20 suppliers the user may see whose name contains `text`, by name (the search box's list)."""
    queryset = Supplier.objects.visible_to(user).only("pk", "name").order_by("name", "pk")
    if _name_text(text):
        queryset = queryset.filter(name__icontains=_name_text(text))
    return queryset[:PICKER_LIMIT]


def filter_by_supplier(queryset: QuerySet, value) -> QuerySet:
    """Narrow a list to a supplier filter's value: a supplier id (links from a supplier page) or name text."""
    if is_id(value):
        return queryset.filter(supplier_id=value)
    if _name_text(value):
        return queryset.filter(supplier__name__icontains=_name_text(value))
    return queryset


def supplier_filter_label(*, user: User, value) -> str:
    """Return what the supplier search box shows for a filter value: the supplier's name for an id, else the text."""
    if is_id(value):
        supplier = Supplier.objects.visible_to(user).filter(pk=value).only("name").first()
        return supplier.name if supplier is not None else ""
    return value if isinstance(value, str) else ""


# --- Factory registrations and bank details -------------------------------------------------------------------

REGISTRATION_FILTERS = (
    "invited",
    "in_progress",
    "submitted",
    "changes_requested",
    "accepted",
    "expired",
    "revoked",
)


def registration_list(*, user: User, status: str = "", now: datetime) -> QuerySet:
    """Return the registrations a user may see, newest first, narrowed to a shown status ("expired" included)."""
    from .models import Registration

    queryset = Registration.objects.visible_to(user).select_related("invited_by", "supplier")
    editable = Registration.EDITABLE
    if status == "expired":
        queryset = queryset.filter(status__in=editable, expires_at__lte=now)
    elif status in editable:
        queryset = queryset.filter(status=status, expires_at__gt=now)
    elif status in REGISTRATION_FILTERS:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-pk")


def registration_get(*, user: User, pk: int):
    """Return one registration a user may see, with everything the review page shows; 404 otherwise."""
    from .models import Registration

    return get_object_or_404(
        Registration.objects.visible_to(user)
        .select_related("invited_by", "reviewed_by", "supplier")
        .prefetch_related("sites", "capacities__category", "certificates", "references"),
        pk=pk,
    )


def supplier_bank_details(*, user: User, supplier: Supplier) -> dict:
    """Return a supplier's bank account (masked when shown) and its change requests, newest first."""
    from .models import BankAccount, BankDetailsChange

    return {
        "account": BankAccount.objects.visible_to(user).filter(supplier=supplier).first(),
        "changes": BankDetailsChange.objects.visible_to(user)
        .filter(supplier=supplier)
        .select_related("requested_by", "decided_by")[:20],
    }


def capability_claim_history(*, user: User, supplier: Supplier) -> QuerySet[CapabilityClaim]:
    """Return every claim of the supplier's capability statement, newest first."""
    return (
        CapabilityClaim.objects.visible_to(user)
        .filter(supplier=supplier)
        .select_related("category", "claimed_by")
        .order_by("-claimed_at", "-pk")
    )
