"""Visibility of red flags: a factory contact sees the flags about its own company, except those about a row the
portal hides from it (a corrective action of a still-hidden unannounced audit): what is derived from a row follows
that row's own rule."""

from suppliers.querysets import SupplierOwnedQuerySet


class RedFlagQuerySet(SupplierOwnedQuerySet):
    """Red flags; one about a row the portal hides is for staff only, until the row itself shows."""

    def portal_only(self):
        # Visits and re-verification due are ours to plan (perhaps unannounced): the factory is never shown or told.
        queryset = self.exclude(rule__in=self.model.STAFF_ONLY_RULES)
        # Each source's own portal rule decides (its queryset's portal_hidden()), so no rule is written twice.
        for name in self.model.SOURCES:
            source = self.model._meta.get_field(name).related_model
            queryset = queryset.exclude(**{f"{name}__in": source._default_manager.portal_hidden()})
        return queryset
