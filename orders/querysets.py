"""Visibility of orders: a draft is the buyer's own work and stays hidden from the factory until sent."""

from suppliers.querysets import SupplierOwnedQuerySet


class OrderQuerySet(SupplierOwnedQuerySet):
    """Purchase orders; factory contacts see their own company's orders once sent."""

    draft_lookup = "status"

    def portal_only(self):
        return self.exclude(**{self.draft_lookup: "draft"})

    def portal_hidden(self):
        return self.filter(**{self.draft_lookup: "draft"})


class OrderChildQuerySet(OrderQuerySet):
    """Rows of an order (deliveries, changes): hidden while their order is a draft."""

    draft_lookup = "order__status"
