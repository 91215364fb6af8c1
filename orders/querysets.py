"""Visibility of orders: a draft is the buyer's own work and stays hidden from the factory until sent."""

from suppliers.querysets import SupplierOwnedQuerySet


class OrderQuerySet(SupplierOwnedQuerySet):
    """Purchase orders; factory contacts see their own company's orders once sent."""

    draft_lookup = "status"

    def visible_to(self, user):
        queryset = super().visible_to(user)
        if user is not None and user.is_authenticated and user.is_portal_user:
            queryset = queryset.exclude(**{self.draft_lookup: "draft"})
        return queryset


class OrderChildQuerySet(OrderQuerySet):
    """Rows of an order (deliveries, changes): hidden while their order is a draft."""

    draft_lookup = "order__status"
