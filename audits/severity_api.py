"""REST endpoints of inspection severity: the state per supplier and SKU (staff; a factory token its own,
read-only) with its switches, and a switch by hand (quality staff, reason required)."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import decorators, mixins, serializers, status, viewsets
from rest_framework.response import Response

from core.api import ScopedModelSerializer, ScopedSerializer
from suppliers.models import ProductCategory, Supplier

from . import services
from .models import InspectionSeverity, Severity, SeveritySwitch
from .severity_selectors import severity_list


class SeveritySwitchSerializer(ScopedModelSerializer):
    # Who at the buyer switched stays internal; the inspection may be one whose report the factory was not shown.
    staff_only_fields = ("by", "inspection")
    explanation = serializers.CharField(read_only=True)

    class Meta:
        model = SeveritySwitch
        fields = [
            "id",
            "from_severity",
            "to_severity",
            "rule",
            "lots",
            "window",
            "explanation",
            "inspection",
            "by",
            "at",
        ]
        read_only_fields = fields


class InspectionSeveritySerializer(ScopedModelSerializer):
    explanation = serializers.CharField(read_only=True)

    class Meta:
        model = InspectionSeverity
        fields = [
            "id",
            "supplier",
            "sku",
            "category",
            "severity",
            "rule",
            "lots",
            "window",
            "explanation",
            "since",
        ]
        read_only_fields = fields


class InspectionSeverityDetailSerializer(InspectionSeveritySerializer):
    switches = SeveritySwitchSerializer(many=True, read_only=True)

    class Meta(InspectionSeveritySerializer.Meta):
        fields = [*InspectionSeveritySerializer.Meta.fields, "progress", "switches"]
        read_only_fields = fields


class SeveritySwitchRequestSerializer(ScopedSerializer):
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all())
    sku = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    category = serializers.PrimaryKeyRelatedField(
        queryset=ProductCategory.objects.all(), required=False, allow_null=True, default=None
    )
    severity = serializers.ChoiceField(choices=Severity.choices)
    reason = serializers.CharField(max_length=500, allow_blank=True)


class InspectionSeverityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The ISO 2859-1 inspection severity per supplier and SKU (or category), why and since when; POST switch/
    changes it by hand (quality staff, with a reason; reduced only from normal with a switching score of 30)."""

    serializer_class = InspectionSeveritySerializer
    filterset_fields = ["supplier", "sku", "severity"]
    write_capabilities = {"switch": "inspection.edit"}

    def get_queryset(self):
        queryset = severity_list(user=self.request.user)
        if self.action == "retrieve":
            switches = SeveritySwitch.objects.order_by("-at", "-pk")
            queryset = queryset.prefetch_related(Prefetch("switches", queryset=switches))
        return queryset

    def get_serializer_class(self):
        return (
            InspectionSeverityDetailSerializer if self.action == "retrieve" else InspectionSeveritySerializer
        )

    @extend_schema(request=SeveritySwitchRequestSerializer, responses={201: SeveritySwitchSerializer})
    @decorators.action(detail=False, methods=["post"])
    def switch(self, request):
        """Switch the severity of a supplier's SKU (or category) by hand; the reason is required."""
        payload = SeveritySwitchRequestSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        switch = services.severity_switch(by=request.user, **payload.validated_data)
        return Response(
            SeveritySwitchSerializer(switch, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )
