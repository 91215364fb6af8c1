"""Visibility of orders: a draft is the buyer's own work and stays hidden from the factory until sent."""

from datetime import date

from django.db import models
from django.db.models import F, Q

from suppliers.querysets import SupplierOwnedQuerySet

# A buyer's change of a sent order is late when proposed less than this many days before the required date.
LATE_CHANGE_DAYS = 14


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


class OrderChargeQuerySet(OrderChildQuerySet):
    """Charges agreed on an order: scoped through their order (they carry no supplier of their own)."""

    supplier_lookup = "order__supplier_id"


class DeliveryQuerySet(OrderChildQuerySet):
    """Deliveries; `counted_for_on_time` is the one definition of the deliveries the on-time KPI counts."""

    # Received on or before the promised date (the latest one the buyer accepted): the KPI's numerator.
    ON_TIME = Q(received_on__isnull=False, received_on__lte=F("promised_on"))

    def counted_for_on_time(self, start: date, end: date, *, today: date):
        """Return the deliveries due in [start, end]: promised then and received, or past the promised date.

        Cancelled ones do not count, nor those of an order never sent (a draft, hidden from the supplier): it
        cannot be late for what it never got, nor those a manager excused (a declared disruption, the buyer's
        own change). The on-time KPI counts these; the rows behind it list them.
        """
        return self.due_in(start, end, today=today).filter(excused_at__isnull=True)

    def excused_in(self, start: date, end: date, *, today: date):
        """Return the deliveries the on-time KPI would count but a manager excused (shown apart, with why)."""
        return self.due_in(start, end, today=today).filter(excused_at__isnull=False)

    def due_in(self, start: date, end: date, *, today: date):
        """Return the deliveries due in [start, end], counted or excused (the on-time KPI's universe)."""
        orders = self.model._meta.get_field("order").related_model.objects
        return (
            self.filter(promised_on__gte=start, promised_on__lte=end)
            .exclude(status=self.model.Status.CANCELLED)
            .exclude(order__in=orders.portal_hidden())
            .filter(Q(received_on__isnull=False) | Q(promised_on__lt=today))
        )


class OrderChangeQuerySet(OrderChildQuerySet):
    """Changes of sent orders; `PROPOSED_LATE` and `ABSORBED` are the one definition the two-way card counts."""

    # The buyer's own change (not the factory's) proposed less than 14 days before the required date.
    PROPOSED_LATE = Q(side="buyer", days_before_required__lt=LATE_CHANGE_DAYS)
    # ... and applied as the buyer asked: accepted by the factory, agreed another way, or (before proposals
    # existed) made without asking. A counter the buyer accepted is the factory's value, not absorbed.
    ABSORBED = PROPOSED_LATE & Q(status__in=["accepted", "agreed", "imposed"])

    def proposed_between(self, start: date, end: date):
        """Return the changes proposed on days in [start, end] (UTC days, like the timeline)."""
        return self.filter(changed_at__date__gte=start, changed_at__date__lte=end)


class DisruptionQuerySet(models.QuerySet):
    """Disruptions: staff see all; a factory contact those that hit its own company."""

    def visible_to(self, user):
        """Return the disruptions a user may see (a factory: only those linked to it, never who else they hit)."""
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        if user.is_staff_member:
            return self
        if user.is_portal_user and user.supplier_id:
            return self.filter(suppliers=user.supplier_id)
        return self.none()
