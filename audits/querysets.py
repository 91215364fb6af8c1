"""Visibility rules of the quality app; the one special rule is that an unannounced audit stays hidden from
the supplier until it has been performed: the audit, its findings, their corrective actions and evidence."""

from django.db.models import F, Q
from django.db.models.functions import Coalesce

from suppliers.querysets import SupplierOwnedQuerySet


def _hidden_audit(prefix: str = "") -> Q:
    """Match rows of a planned unannounced audit (through `prefix`, e.g. "finding__audit__")."""
    return Q(**{f"{prefix}announced": False, f"{prefix}performed_on__isnull": True})


class AuditQuerySet(SupplierOwnedQuerySet):
    """Audits: a factory contact never sees a planned unannounced audit, on any page, download or API."""

    def portal_only(self):
        return self.exclude(_hidden_audit())

    def portal_hidden(self):
        return self.filter(_hidden_audit())


class AuditChildQuerySet(SupplierOwnedQuerySet):
    """Rows that hang off an audit (findings): hidden whenever their audit is hidden."""

    def portal_only(self):
        return self.exclude(_hidden_audit("audit__"))

    def portal_hidden(self):
        return self.filter(_hidden_audit("audit__"))


class SharedInspectionQuerySet(SupplierOwnedQuerySet):
    """QC inspections: a factory contact sees those whose report was shared with it."""

    def portal_only(self):
        return self.filter(shared_with_supplier=True)

    # The defective units the defect rate counts: the corrected count once a contest set one, else those found.
    COUNTED_DEFECTIVE = Coalesce(F("corrected_defective_units"), F("defective_units"))

    def counted_for_defect_rate(self, start, end):
        """Return the inspections the defect rate counts over [start, end]: every one performed then, but those a
        manager excused on the factory's contest (listed apart); sum COUNTED_DEFECTIVE over them."""
        return self.inspected_in(start, end).filter(excused_at__isnull=True)

    def excused_in(self, start, end):
        """Return the inspections of [start, end] the defect rate would count but a manager excused."""
        return self.inspected_in(start, end).filter(excused_at__isnull=False)

    def inspected_in(self, start, end):
        """Return the inspections performed in [start, end], counted or excused (the defect rate's universe)."""
        return self.filter(inspected_on__gte=start, inspected_on__lte=end)


class CorrectiveActionQuerySet(SupplierOwnedQuerySet):
    """Corrective actions: hidden while they stem from a finding of a still-hidden audit."""

    def portal_only(self):
        return self.exclude(_hidden_audit("finding__audit__"))

    def portal_hidden(self):
        # The same rule, as a filter: a join to the few hidden audits instead of the complement of the rest.
        return self.filter(_hidden_audit("finding__audit__"))


class EvidenceQuerySet(SupplierOwnedQuerySet):
    """Corrective-action evidence: hidden while its action stems from a finding of a still-hidden audit."""

    def portal_only(self):
        return self.exclude(_hidden_audit("action__finding__audit__"))

    def portal_hidden(self):
        return self.filter(_hidden_audit("action__finding__audit__"))
