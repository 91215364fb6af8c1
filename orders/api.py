"""REST endpoints for orders, deliveries and changes of sent orders. An ERP posts orders and proposes changes;
the factory's token acknowledges, declines or confirms with changes, answers proposed changes, proposes dates and
records shipments for its own orders only."""

from drf_spectacular.utils import extend_schema
from rest_framework import decorators, mixins, serializers, status, viewsets
from rest_framework.response import Response

from core.api import ScopedModelSerializer, ScopedSerializer
from core.inputs import DATE_BOUNDS, MAX_QUANTITY
from core.pagination import NewestFirstCursorPagination, keyset_filter_backends
from suppliers.models import Supplier

from . import selectors, services
from .models import (
    Delivery,
    Disruption,
    DisruptionCause,
    OrderChange,
    OrderCharge,
    OrderLine,
    PilotProgram,
    PurchaseOrder,
)


class OrderLineSerializer(ScopedModelSerializer):
    class Meta:
        model = OrderLine
        fields = [
            "id",
            "sku",
            "description",
            "quantity",
            "unit",
            "unit_price",
            "required_on",
            "price_agreement",
            "off_agreement_reason",
        ]
        read_only_fields = ["price_agreement"]
        # Without a price, a line takes the price agreed for its SKU on the order date.
        extra_kwargs = {"unit_price": {"required": False, "allow_null": True}}


class DeliverySerializer(ScopedModelSerializer):
    order_number = serializers.CharField(source="order.number", read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "order",
            "order_number",
            "supplier",
            "sequence",
            "promised_on",
            "original_promised_on",
            "quantity_planned",
            "shipped_on",
            "tracking_reference",
            "quantity_shipped",
            "received_on",
            "quantity_received",
            "quantity_rejected",
            "status",
            "excused_at",
            "excuse_reason",
            "excuse_disruption",
        ]
        read_only_fields = fields


class OrderChargeSerializer(ScopedModelSerializer):
    class Meta:
        model = OrderCharge
        fields = ["id", "kind", "amount_cap", "note"]
        read_only_fields = fields


class OrderSerializer(ScopedModelSerializer):
    lines = OrderLineSerializer(many=True)
    # The extra charges the buyer agreed to (set on the order's page); the three-way match reads them.
    agreed_charges = OrderChargeSerializer(source="charges", many=True, read_only=True)
    deliveries = DeliverySerializer(many=True, read_only=True)
    # Querysets are narrowed to the caller's visible rows by ScopedModelSerializer.
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all())
    pilot_program = serializers.PrimaryKeyRelatedField(
        queryset=PilotProgram.objects.all(), required=False, allow_null=True
    )

    # The buyer's own notes, and the pilot programme that evaluates the supplier, are not on the portal page.
    staff_only_fields = ("notes", "pilot_program")

    class Meta:
        model = PurchaseOrder
        fields = [
            "id",
            "number",
            "supplier",
            "ordered_on",
            "currency",
            "incoterm",
            "status",
            "pilot",
            "pilot_program",
            "notes",
            "sent_at",
            "acknowledged_at",
            "lines",
            "agreed_charges",
            "deliveries",
        ]
        read_only_fields = ["status", "sent_at", "acknowledged_at"]
        # Without a number, the next PO number of the order's year is generated (PO-2026-00042).
        extra_kwargs = {"number": {"required": False, "allow_blank": True}}


class ReceiptLineSerializer(ScopedSerializer):
    line = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="The id of an order line the delivery carries."
    )
    quantity_received = serializers.IntegerField(min_value=0, max_value=MAX_QUANTITY)
    quantity_rejected = serializers.IntegerField(min_value=0, max_value=MAX_QUANTITY, default=0)


class ReceiveSerializer(ScopedSerializer):
    """A receipt: in all (`quantity_received`, `quantity_rejected`) or per order line (`lines`)."""

    received_on = serializers.DateField(validators=DATE_BOUNDS)
    quantity_received = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY, required=False)
    quantity_rejected = serializers.IntegerField(min_value=0, max_value=MAX_QUANTITY, default=0)
    lines = ReceiptLineSerializer(many=True, required=False)

    def validate(self, attrs):
        if not attrs.get("lines") and attrs.get("quantity_received") is None:
            raise serializers.ValidationError(
                {"quantity_received": "Give the quantity received, in all or per line (lines)."}
            )
        return attrs


class ShipSerializer(ScopedSerializer):
    shipped_on = serializers.DateField(validators=DATE_BOUNDS)
    quantity_shipped = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)
    tracking_reference = serializers.CharField(required=False, allow_blank=True, default="")


class ProposeDateSerializer(ScopedSerializer):
    proposed_on = serializers.DateField(validators=DATE_BOUNDS)
    cause = serializers.ChoiceField(
        choices=[c for c in DisruptionCause.choices if c[0] != DisruptionCause.BUYER_CHANGE],
        default=DisruptionCause.OTHER,
    )
    reason = serializers.CharField()


class OrderChangeSerializer(ScopedModelSerializer):
    """A change of a sent order: who proposed it, the values, its state, the factory's counter and the answer."""

    class Meta:
        model = OrderChange
        fields = [
            "id",
            "order",
            "line",
            "kind",
            "side",
            "status",
            "old_value",
            "new_value",
            "new_quantity",
            "new_required_on",
            "reason",
            "changed_at",
            "days_before_required",
            "counter_quantity",
            "counter_required_on",
            "counter_reason",
            "answered_at",
            "answer_note",
        ]
        read_only_fields = fields


class OrderSendSerializer(ScopedSerializer):
    """Sending a draft order; a large order at short forecast notice needs the buyer's acknowledgement."""

    acknowledge_short_notice = serializers.BooleanField(
        default=False,
        help_text="Send although the order is large for the factory and was not in a forecast 8 weeks ahead "
        "(without it such an order answers 400 with the warning).",
    )


class ProposeChangeSerializer(ScopedSerializer):
    """A new quantity or required date for one line of a sent order (a draft's line changes at once)."""

    line = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="The id of a line of this order."
    )
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY, required=False)
    required_on = serializers.DateField(validators=DATE_BOUNDS, required=False)
    reason = serializers.CharField(max_length=2000)


class ReasonSerializer(ScopedSerializer):
    reason = serializers.CharField(max_length=2000)


class NoteSerializer(ScopedSerializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ChangeAgreementSerializer(ScopedSerializer):
    note = serializers.CharField(max_length=2000, help_text="How and with whom the change was agreed.")


class DecideSerializer(ScopedSerializer):
    accept = serializers.BooleanField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class CounterSerializer(ScopedSerializer):
    """The factory's own value: a quantity for a quantity change, a date for a date change; none for a
    cancellation."""

    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY, required=False)
    required_on = serializers.DateField(validators=DATE_BOUNDS, required=False)
    reason = serializers.CharField(max_length=2000)


class ConfirmLineSerializer(ScopedSerializer):
    line = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="The id of a line of this order."
    )
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY, required=False)
    required_on = serializers.DateField(validators=DATE_BOUNDS, required=False)


class ConfirmWithChangesSerializer(ScopedSerializer):
    lines = ConfirmLineSerializer(many=True, allow_empty=False, max_length=1000)
    reason = serializers.CharField(max_length=2000)


def _order_line(order: PurchaseOrder, line_id: int) -> OrderLine:
    line = order.lines.filter(pk=line_id).first()
    if line is None:
        raise serializers.ValidationError({"line": [f"Not a line of this order: {line_id}."]})
    return line


class ExcuseSerializer(ScopedSerializer):
    reason = serializers.CharField(max_length=300)
    # Querysets are narrowed to the caller's visible rows by ScopedSerializer; the service checks the rest.
    disruption = serializers.PrimaryKeyRelatedField(
        queryset=Disruption.objects.all(), required=False, allow_null=True, default=None
    )


class WithdrawExcuseSerializer(ScopedSerializer):
    reason = serializers.CharField(max_length=300)


class DisruptionSerializer(ScopedModelSerializer):
    suppliers = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all(), many=True)

    # A factory sees a disruption that hit it, never which other suppliers it hit, nor who declared it.
    staff_only_fields = ("suppliers", "declared_by")

    class Meta:
        model = Disruption
        fields = [
            "id",
            "title",
            "cause",
            "region",
            "starts_on",
            "ends_on",
            "description",
            "suppliers",
            "declared_by",
            "declared_at",
        ]
        read_only_fields = ["declared_by", "declared_at"]


class OrderViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Purchase orders with lines and deliveries. POST creates a draft; `send` and `acknowledge` move it on."""

    serializer_class = OrderSerializer
    filterset_fields = ["supplier", "status", "pilot"]
    search_fields = ["number", "lines__sku"]
    ordering_fields = ["ordered_on", "number"]
    write_capability = "order.edit"
    portal_write_actions = ("acknowledge", "decline", "confirm_with_changes")

    def get_queryset(self):
        return (
            PurchaseOrder.objects.visible_to(self.request.user)
            .select_related("supplier")
            .prefetch_related("lines", "charges", "deliveries__order")
            .order_by("-ordered_on", "-pk")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        supplier = data.pop("supplier")
        if not Supplier.objects.visible_to(request.user).filter(pk=supplier.pk).exists():
            raise serializers.ValidationError({"supplier": "Invalid supplier."})
        order = services.order_create(supplier=supplier, by=request.user, **data)
        return Response(self.get_serializer(order).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OrderSendSerializer, responses=OrderSerializer)
    @decorators.action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        """Send a draft order to the supplier."""
        payload = OrderSendSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        order = services.order_send(
            order=self.get_object(),
            by=request.user,
            acknowledge_short_notice=payload.validated_data["acknowledge_short_notice"],
        )
        return Response(self.get_serializer(order).data)

    @extend_schema(request=None, responses=OrderSerializer)
    @decorators.action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """The factory confirms a sent order."""
        order = services.order_acknowledge(order=self.get_object(), by=request.user)
        return Response(self.get_serializer(order).data)

    @extend_schema(request=ProposeChangeSerializer, responses=OrderChangeSerializer(many=True))
    @decorators.action(detail=True, methods=["post"], url_path="propose-change")
    def propose_change(self, request, pk=None):
        """Propose a new quantity or required date for a line; the factory answers (a draft changes at once)."""
        order = self.get_object()
        payload = ProposeChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        line = _order_line(order, data.pop("line"))
        before = set(order.changes.values_list("pk", flat=True))
        services.order_line_change(line=line, by=request.user, **data)
        created = order.changes.exclude(pk__in=before).order_by("pk")
        return Response(OrderChangeSerializer(created, many=True, context=self.get_serializer_context()).data)

    @extend_schema(request=ReasonSerializer, responses=OrderSerializer)
    @decorators.action(detail=True, methods=["post"], url_path="propose-cancellation")
    def propose_cancellation(self, request, pk=None):
        """Cancel a draft; on a sent order, propose the cancellation to the factory (the order stands until then)."""
        order = self.get_object()  # first: another supplier's order answers 404 whatever the payload
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        order = services.order_cancel(order=order, by=request.user, **payload.validated_data)
        return Response(self.get_serializer(order).data)

    @extend_schema(request=ReasonSerializer, responses=OrderSerializer)
    @decorators.action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """The factory declines a sent order, with why."""
        order = self.get_object()
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        order = services.order_decline(order=order, by=request.user, **payload.validated_data)
        return Response(self.get_serializer(order).data)

    @extend_schema(request=ConfirmWithChangesSerializer, responses=OrderChangeSerializer(many=True))
    @decorators.action(detail=True, methods=["post"], url_path="confirm-with-changes")
    def confirm_with_changes(self, request, pk=None):
        """The factory confirms a sent order with its own quantity or date for some lines; the buyer answers."""
        order = self.get_object()
        payload = ConfirmWithChangesSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        lines = [
            {**item, "line": _order_line(order, item["line"])} for item in payload.validated_data["lines"]
        ]
        created = services.order_confirm_with_changes(
            order=order, by=request.user, lines=lines, reason=payload.validated_data["reason"]
        )
        return Response(OrderChangeSerializer(created, many=True, context=self.get_serializer_context()).data)


class OrderChangeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Changes of sent orders, newest first. The factory accepts or counters the buyer's; the buyer withdraws
    one, accepts a counter, or accepts or rejects the factory's; a manager records one as agreed another way."""

    serializer_class = OrderChangeSerializer
    filterset_fields = ["order", "status", "side", "kind"]
    write_capability = "order.edit"
    write_capabilities = {"record_agreement": "order.record_agreement"}
    portal_write_actions = ("accept", "counter")

    def get_queryset(self):
        return OrderChange.objects.visible_to(self.request.user).order_by("-changed_at", "-pk")

    def _answer(self, serializer_class, service):
        change = self.get_object()
        data = {}
        if serializer_class is not None:
            payload = serializer_class(data=self.request.data)
            payload.is_valid(raise_exception=True)
            data = payload.validated_data
        change = service(change=change, by=self.request.user, **data)
        return Response(self.get_serializer(change).data)

    @extend_schema(request=None, responses=OrderChangeSerializer)
    @decorators.action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The factory accepts the buyer's change: it applies to the order now."""
        return self._answer(None, services.order_change_accept)

    @extend_schema(request=CounterSerializer, responses=OrderChangeSerializer)
    @decorators.action(detail=True, methods=["post"])
    def counter(self, request, pk=None):
        """The factory counters the buyer's change with its own value and a reason; the order stays as it is."""
        return self._answer(CounterSerializer, services.order_change_counter)

    @extend_schema(request=NoteSerializer, responses=OrderChangeSerializer)
    @decorators.action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The buyer withdraws a change (or turns down the factory's counter)."""
        return self._answer(NoteSerializer, services.order_change_withdraw)

    @extend_schema(request=NoteSerializer, responses=OrderChangeSerializer)
    @decorators.action(detail=True, methods=["post"], url_path="accept-counter")
    def accept_counter(self, request, pk=None):
        """The buyer accepts the factory's counter: its value applies."""
        return self._answer(NoteSerializer, services.order_change_accept_counter)

    @extend_schema(request=ChangeAgreementSerializer, responses=OrderChangeSerializer)
    @decorators.action(detail=True, methods=["post"], url_path="record-agreement")
    def record_agreement(self, request, pk=None):
        """A manager records that the factory agreed another way (with a note); the change applies."""
        return self._answer(ChangeAgreementSerializer, services.order_change_record_agreement)

    @extend_schema(request=DecideSerializer, responses=OrderChangeSerializer)
    @decorators.action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """The buyer accepts or rejects a change the factory asked for when confirming the order."""
        return self._answer(DecideSerializer, services.order_factory_change_decide)


class DeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Deliveries, newest first: staff record receipts; the factory records shipments and proposes new dates.

    The list pages by cursor (follow `next`), not by page number: a middle page of a million deliveries costs
    what the first does.
    """

    serializer_class = DeliverySerializer
    filterset_fields = ["supplier", "order", "status"]
    pagination_class = NewestFirstCursorPagination
    filter_backends = keyset_filter_backends()
    write_capabilities = {
        "receive": "delivery.receive",
        "ship": "order.edit",
        "propose_date": "order.edit",
        "excuse": "delivery.excuse",
        "withdraw_excuse": "delivery.excuse",
    }
    portal_write_actions = ("ship", "propose_date")

    def get_queryset(self):
        return Delivery.objects.visible_to(self.request.user).select_related("order").order_by("-pk")

    def _act(self, serializer_class, service):
        delivery = self.get_object()
        payload = serializer_class(data=self.request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        result = service(delivery=delivery, by=self.request.user, **payload.validated_data)
        delivery = result if isinstance(result, Delivery) else result.delivery
        delivery.refresh_from_db()
        return Response(self.get_serializer(delivery).data)

    @extend_schema(request=ReceiveSerializer, responses=DeliverySerializer)
    @decorators.action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        """Record the goods' arrival: the date, and the quantities received and rejected, in all or per line."""
        delivery = self.get_object()
        payload = ReceiveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        if data.get("lines"):
            carried = {line.pk: line for line in selectors.delivery_lines(delivery=delivery)}
            unknown = [item["line"] for item in data["lines"] if item["line"] not in carried]
            if unknown:
                raise serializers.ValidationError({"lines": [f"Not a line of this delivery: {unknown}."]})
            data["lines"] = [{**item, "line": carried[item["line"]]} for item in data["lines"]]
            data.pop("quantity_received", None)
            data.pop("quantity_rejected", None)
        else:
            data.pop("lines", None)
        services.delivery_receive(delivery=delivery, by=request.user, **data)
        delivery.refresh_from_db()
        return Response(self.get_serializer(delivery).data)

    @extend_schema(request=ShipSerializer, responses=DeliverySerializer)
    @decorators.action(detail=True, methods=["post"])
    def ship(self, request, pk=None):
        """Record a shipment (date, quantity, tracking reference)."""
        return self._act(ShipSerializer, services.delivery_ship)

    @extend_schema(request=ProposeDateSerializer, responses=DeliverySerializer)
    @decorators.action(detail=True, methods=["post"], url_path="propose-date")
    def propose_date(self, request, pk=None):
        """Propose a new date with a reason; the promised date moves only if the buyer accepts."""
        return self._act(ProposeDateSerializer, services.delivery_propose_date)

    @extend_schema(request=ExcuseSerializer, responses=DeliverySerializer)
    @decorators.action(detail=True, methods=["post"])
    def excuse(self, request, pk=None):
        """Excuse the delivery from on-time delivery (a manager): hit by a declared disruption, or by our change."""
        return self._act(ExcuseSerializer, services.delivery_excuse)

    @extend_schema(request=WithdrawExcuseSerializer, responses=DeliverySerializer)
    @decorators.action(detail=True, methods=["post"], url_path="withdraw-excuse")
    def withdraw_excuse(self, request, pk=None):
        """Withdraw an excuse: the delivery counts for on-time delivery again."""
        return self._act(WithdrawExcuseSerializer, services.delivery_excuse_withdraw)


class DisruptionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Disruptions managers declared (a typhoon, a port closure) with the suppliers they hit; a factory sees
    those that hit it. Its deliveries in the period can then be excused (`POST /deliveries/{id}/excuse/`)."""

    serializer_class = DisruptionSerializer
    filterset_fields = ["cause"]
    ordering_fields = ["starts_on"]
    write_capability = "disruption.declare"

    def get_queryset(self):
        return (
            Disruption.objects.visible_to(self.request.user)
            .prefetch_related("suppliers")
            .order_by("-starts_on", "-pk")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        disruption = services.disruption_declare(by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(disruption).data, status=status.HTTP_201_CREATED)
