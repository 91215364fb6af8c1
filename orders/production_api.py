"""REST endpoints for production records: the factory starts production of its own sent order (with a planned
finish) and logs output per line; staff read both. Another supplier's order answers 404, as a missing one."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from core.api import ScopedModelSerializer, ScopedSerializer
from core.inputs import DATE_BOUNDS, MAX_QUANTITY

from .models import ProductionLog, ProductionPlan, PurchaseOrder
from .services import order_start_production, production_log_add
from .services.production import MAX_ISSUES_LENGTH, MAX_LOTS_PER_ENTRY


def _visible_order(request, order_id: int) -> PurchaseOrder:
    """The caller's order, else 404 (another supplier's order is answered exactly as a missing one)."""
    return get_object_or_404(PurchaseOrder.objects.visible_to(request.user), pk=order_id)


class ProductionNotFoundSerializer(ScopedSerializer):
    detail = serializers.CharField()


# The order named in the body is another supplier's, or missing: answered 404, as on every other object.
ORDER_NOT_FOUND = OpenApiResponse(
    ProductionNotFoundSerializer, description="The order is not visible to the caller."
)


class ProductionPlanSerializer(ScopedModelSerializer):
    order_number = serializers.CharField(source="order.number", read_only=True)
    order_status = serializers.CharField(source="order.status", read_only=True)

    class Meta:
        model = ProductionPlan
        fields = [
            "id",
            "order",
            "order_number",
            "order_status",
            "supplier",
            "started_on",
            "planned_finish_on",
        ]
        read_only_fields = fields


class ProductionStartSerializer(ScopedSerializer):
    order = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="The id of a sent order.")
    planned_finish_on = serializers.DateField(validators=DATE_BOUNDS)


class ProductionLogSerializer(ScopedModelSerializer):
    lot_numbers = serializers.SlugRelatedField(source="lots", slug_field="number", many=True, read_only=True)
    sku = serializers.CharField(source="line.sku", read_only=True)

    class Meta:
        model = ProductionLog
        fields = [
            "id",
            "order",
            "line",
            "sku",
            "supplier",
            "produced_on",
            "quantity",
            "lot_numbers",
            "issues",
            "logged_at",
        ]
        read_only_fields = fields


class ProductionLogCreateSerializer(ScopedSerializer):
    order = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="The id of the order.")
    line = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="The id of one of its lines.")
    produced_on = serializers.DateField(validators=DATE_BOUNDS)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)
    lot_numbers = serializers.ListField(
        child=serializers.CharField(max_length=64), min_length=1, max_length=MAX_LOTS_PER_ENTRY
    )
    issues = serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_ISSUES_LENGTH)


class ProductionPlanViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Production plans. POST (the factory, on its own sent or acknowledged order) starts production."""

    serializer_class = ProductionPlanSerializer
    filterset_fields = ["order", "supplier"]
    write_capability = "order.edit"
    portal_write_actions = ("create",)

    def get_queryset(self):
        return ProductionPlan.objects.visible_to(self.request.user).select_related("order").order_by("-pk")

    @extend_schema(
        request=ProductionStartSerializer, responses={201: ProductionPlanSerializer, 404: ORDER_NOT_FOUND}
    )
    def create(self, request, *args, **kwargs):
        payload = ProductionStartSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        order = _visible_order(request, payload.validated_data["order"])
        order = order_start_production(
            order=order, by=request.user, planned_finish_on=payload.validated_data["planned_finish_on"]
        )
        plan = ProductionPlan.objects.select_related("order").get(order=order)
        return Response(self.get_serializer(plan).data, status=status.HTTP_201_CREATED)


class ProductionLogViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Production log entries, newest first. POST (the factory, on its own order in production) adds one."""

    serializer_class = ProductionLogSerializer
    filterset_fields = ["order", "supplier"]
    write_capability = "order.edit"
    portal_write_actions = ("create",)

    def get_queryset(self):
        return (
            ProductionLog.objects.visible_to(self.request.user)
            .select_related("line")
            .prefetch_related("lots")
            .order_by("-produced_on", "-pk")
        )

    @extend_schema(
        request=ProductionLogCreateSerializer, responses={201: ProductionLogSerializer, 404: ORDER_NOT_FOUND}
    )
    def create(self, request, *args, **kwargs):
        payload = ProductionLogCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        order = _visible_order(request, data.pop("order"))
        line = order.lines.filter(pk=data.pop("line")).first()
        if line is None:
            raise serializers.ValidationError({"line": ["Not a line of this order."]})
        log = production_log_add(line=line, by=request.user, **data)
        return Response(self.get_serializer(log).data, status=status.HTTP_201_CREATED)
