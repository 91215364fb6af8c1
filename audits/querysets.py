"""Visibility rules of the quality app; the one special rule is that an unannounced audit stays hidden from
the supplier until it has been performed."""

from django.db.models import Q

from suppliers.querysets import SupplierOwnedQuerySet


class AuditQuerySet(SupplierOwnedQuerySet):
    """Audits: a factory contact never sees a planned unannounced audit, on any page, download or API."""

    def visible_to(self, user):
        queryset = super().visible_to(user)
        if user is not None and user.is_authenticated and user.is_portal_user:
            queryset = queryset.exclude(announced=False, performed_on__isnull=True)
        return queryset


class AuditChildQuerySet(SupplierOwnedQuerySet):
    """Rows that hang off an audit (findings): hidden whenever their audit is hidden."""

    def visible_to(self, user):
        queryset = super().visible_to(user)
        if user is not None and user.is_authenticated and user.is_portal_user:
            queryset = queryset.exclude(Q(audit__announced=False) & Q(audit__performed_on__isnull=True))
        return queryset


class SharedInspectionQuerySet(SupplierOwnedQuerySet):
    """QC inspections: a factory contact sees those whose report was shared with it."""

    def visible_to(self, user):
        queryset = super().visible_to(user)
        if user is not None and user.is_authenticated and user.is_portal_user:
            queryset = queryset.filter(shared_with_supplier=True)
        return queryset


class CorrectiveActionQuerySet(SupplierOwnedQuerySet):
    """Corrective actions: hidden while they stem from a finding of a still-hidden audit."""

    def visible_to(self, user):
        queryset = super().visible_to(user)
        if user is not None and user.is_authenticated and user.is_portal_user:
            queryset = queryset.exclude(
                Q(finding__audit__announced=False) & Q(finding__audit__performed_on__isnull=True)
            )
        return queryset


class EvidenceQuerySet(SupplierOwnedQuerySet):
    """Corrective-action evidence: hidden while its action stems from a finding of a still-hidden audit."""

    def visible_to(self, user):
        queryset = super().visible_to(user)
        if user is not None and user.is_authenticated and user.is_portal_user:
            queryset = queryset.exclude(
                Q(action__finding__audit__announced=False)
                & Q(action__finding__audit__performed_on__isnull=True)
            )
        return queryset
