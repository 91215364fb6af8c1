"""Re-verification: which policy applies to a supplier, and for each thing it must renew, the last evidence, the
due date and the state (ok, due soon, lapsed). One definition, read by the supplier page, the red-flag rule
(scorecards.alerts) and the vetting gate; for many suppliers at once in a constant number of queries."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from core.dates import add_months
from suppliers.models import CapacityAssessment, Certification, CertificationStandard, Supplier

from .gates import audit_replacements
from .models import Audit, VerificationPolicy

# A requirement whose evidence runs out within this many days is "due soon" (and raises the red flag).
DUE_SOON_DAYS = 30

OK, DUE_SOON, LAPSED = "ok", "due_soon", "lapsed"
STATE_WORDS = {
    OK: _("Up to date"),
    DUE_SOON: _("Due soon"),
    LAPSED: _("Lapsed — renew now"),
}
# Audits that count as renewed evidence: performed and not failed.
COUNTING_RESULTS = (Audit.Result.PASS, Audit.Result.CONDITIONAL)


@dataclass(frozen=True)
class Requirement:
    """One thing a supplier must renew, with its evidence and state on a day."""

    code: str  # "audit", "capacity", "cert:iso_9001"
    label: str
    every_months: int | None  # None for a certificate (it is due when it expires)
    last_on: date | None
    due_on: date | None
    state: str
    # The evidence standing in for an on-site audit under the policy (audits.gates.audit_replacements), in words.
    replaced_by: str = ""

    @property
    def state_words(self) -> str:
        return str(STATE_WORDS[self.state])

    @property
    def flagged(self) -> bool:
        """Return whether the red flag fires: due within DUE_SOON_DAYS or lapsed."""
        return self.state != OK


@dataclass(frozen=True)
class Demands:
    """What the policies that apply to one supplier ask, merged: the shortest intervals, every certificate."""

    policies: tuple[VerificationPolicy, ...]
    audit_every_months: int | None
    capacity_every_months: int | None
    certificates: tuple[str, ...]


def _state(due_on: date | None, today: date) -> str:
    if due_on is None or due_on < today:
        return LAPSED
    return DUE_SOON if (due_on - today).days <= DUE_SOON_DAYS else OK


def _shortest(values) -> int | None:
    values = [value for value in values if value]
    return min(values) if values else None


def demands_for(tier: str, category_ids, policies: list[VerificationPolicy]) -> Demands | None:
    """Merge the policies of a supplier's categories and tier; without any, the tier's default (None: no policy)."""
    chosen = [p for p in policies if p.risk_tier == tier and p.category_id in category_ids]
    if not chosen:
        chosen = [p for p in policies if p.risk_tier == tier and p.category_id is None]
    if not chosen:
        return None
    return Demands(
        policies=tuple(chosen),
        audit_every_months=_shortest(p.audit_every_months for p in chosen),
        capacity_every_months=_shortest(p.capacity_every_months for p in chosen),
        certificates=tuple(sorted({code for p in chosen for code in p.required_certificates})),
    )


def supplier_demands(supplier_ids) -> dict[int, Demands]:
    """Return the merged policy demands per supplier (suppliers without a policy are left out; ≤ 3 queries)."""
    policies = list(VerificationPolicy.objects.order_by("pk"))
    if not policies:
        return {}
    tiers = dict(Supplier.objects.filter(pk__in=supplier_ids).values_list("pk", "risk_tier"))
    categories: dict[int, set[int]] = {}
    links = Supplier.categories.through.objects.filter(supplier_id__in=tiers).values_list(
        "supplier_id", "productcategory_id"
    )
    for supplier_id, category_id in links:
        categories.setdefault(supplier_id, set()).add(category_id)
    found = {}
    for supplier_id, tier in tiers.items():
        demands = demands_for(tier, categories.get(supplier_id, set()), policies)
        if demands is not None:
            found[supplier_id] = demands
    return found


def verification_status_bulk(*, supplier_ids, today: date) -> dict[int, list[Requirement]]:
    """Return each supplier's requirements with evidence, due date and state (≤ 6 queries for any number)."""
    demands = supplier_demands(list(supplier_ids))
    if not demands:
        return {}
    ids = list(demands)
    last_audit = dict(
        Audit.objects.filter(supplier_id__in=ids, status=Audit.Status.PERFORMED, result__in=COUNTING_RESULTS)
        .order_by()
        .values("supplier_id")
        .annotate(last=Max("performed_on"))
        .values_list("supplier_id", "last")
    )
    last_assessment = dict(
        CapacityAssessment.objects.filter(supplier_id__in=ids)
        .order_by()
        .values("supplier_id")
        .annotate(last=Max("assessed_on"))
        .values_list("supplier_id", "last")
    )
    certificates = _certificates_held(demands, today)
    names = dict(CertificationStandard.choices)
    replaced = _audit_replacements(demands, last_audit, today)
    result = {}
    for supplier_id, demand in demands.items():
        rows = []
        if demand.audit_every_months:
            last = last_audit.get(supplier_id)
            due = _due_after(last, demand.audit_every_months)
            state, replacement = (
                (OK, replaced[supplier_id]) if supplier_id in replaced else (_state(due, today), "")
            )
            rows.append(
                Requirement(
                    "audit",
                    str(_("On-site audit")),
                    demand.audit_every_months,
                    last,
                    None if replacement else due,  # replaced: due no longer, while the evidence holds
                    state,
                    replacement,
                )
            )
        if demand.capacity_every_months:
            last = last_assessment.get(supplier_id)
            due = _due_after(last, demand.capacity_every_months)
            rows.append(
                Requirement(
                    "capacity",
                    str(_("Capacity re-assessment")),
                    demand.capacity_every_months,
                    last,
                    due,
                    _state(due, today),
                )
            )
        for code in demand.certificates:
            since, until = certificates.get((supplier_id, code), (None, None))
            rows.append(
                Requirement(
                    f"cert:{code}",
                    str(_("Certificate: %(name)s") % {"name": names.get(code, code)}),
                    None,
                    since,
                    until,
                    _state(until, today),
                )
            )
        result[supplier_id] = rows
    return result


def _certificates_held(demands: dict[int, Demands], today: date) -> dict[tuple[int, str], tuple[date, date]]:
    """Return (valid from, valid until) of one certificate per supplier and required standard: the one in force
    today that runs longest (Certification.is_valid_on), else the last one that lapsed. A renewal that starts
    later is not held yet, and the dates always come from one certificate (one query)."""
    held: dict[tuple[int, str], Certification] = {}
    rows = Certification.objects.filter(
        supplier_id__in=list(demands),
        standard__in={code for demand in demands.values() for code in demand.certificates},
        status=Certification.Status.VERIFIED,
    ).only("supplier_id", "standard", "status", "valid_from", "valid_until")
    for cert in rows.order_by("valid_until", "pk"):  # the lapsed ones first, then those in force
        if cert.is_valid_on(today) or cert.valid_until < today:
            held[(cert.supplier_id, cert.standard)] = cert
    return {key: (cert.valid_from, cert.valid_until) for key, cert in held.items()}


def _due_after(last: date | None, every_months: int) -> date | None:
    return add_months(last, every_months) if last else None


def _audit_replacements(demands: dict[int, Demands], last_audit: dict, today: date) -> dict[int, str]:
    """Return the evidence replacing the audit of each supplier whose audit is not up to date, as the approval gate
    reads it (asked only of those: the track record costs a query a supplier)."""
    behind = {
        supplier_id: demand
        for supplier_id, demand in demands.items()
        if demand.audit_every_months
        and _state(_due_after(last_audit.get(supplier_id), demand.audit_every_months), today) != OK
    }
    return audit_replacements(demands=behind, today=today) if behind else {}


def verification_status(*, supplier: Supplier, today: date) -> list[Requirement]:
    """Return one supplier's requirements (empty: no policy applies)."""
    return verification_status_bulk(supplier_ids=[supplier.pk], today=today).get(supplier.pk, [])
