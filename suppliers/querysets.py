"""Querysets with `visible_to(user)`: the one mechanism that scopes every read to what a user may see."""

from django.db import models


class SupplierQuerySet(models.QuerySet):
    """Suppliers."""

    def visible_to(self, user):
        """Return the suppliers a user may see: all for staff, their own for a factory contact, none else."""
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        if user.is_staff_member:
            return self
        if user.is_portal_user and user.supplier_id:
            return self.filter(pk=user.supplier_id)
        return self.none()


class SupplierOwnedQuerySet(models.QuerySet):
    """Rows that belong to one supplier and that its factory contacts may see (contacts, certifications)."""

    supplier_lookup = "supplier_id"
    portal_visible = True

    def visible_to(self, user):
        """Return the rows a user may see: all for staff, their own supplier's for a factory contact."""
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        if user.is_staff_member:
            return self
        if self.portal_visible and user.is_portal_user and user.supplier_id:
            return self.filter(**{self.supplier_lookup: user.supplier_id}).portal_only()
        return self.none()

    def portal_only(self):
        """Narrow what a factory contact sees of its own rows further (hidden audits, drafts ...): nothing here."""
        return self

    def portal_hidden(self):
        """Return the rows a factory contact never sees, even of its own company: the complement of portal_only().

        What the system derives from a row (a red flag, a count) follows the row's own rule through this, so the
        rule is written once, in portal_only(). A subclass may give the same set a cheaper way.
        """
        if not self.portal_visible:
            return self
        if type(self).portal_only is SupplierOwnedQuerySet.portal_only:
            return self.none()  # nothing narrowed, nothing hidden
        return self.exclude(pk__in=self.portal_only().values("pk"))


class CertificationQuerySet(SupplierOwnedQuerySet):
    """Certifications."""

    def in_force(self, on):
        """Return the certificates verified and in force on a day (Certification.is_valid_on, for a queryset)."""
        return self.filter(status=self.model.Status.VERIFIED, valid_from__lte=on, valid_until__gte=on)


class InternalQuerySet(SupplierOwnedQuerySet):
    """Rows about a supplier that only staff see (references, assessments, contracts, stage history)."""

    portal_visible = False
