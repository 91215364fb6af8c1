"""REST endpoints of pricing: agreements (staff write, the factory reads its own), price-change requests (the
factory's token asks and answers a counter; staff accept, counter or refuse), and cost-breakdown requests."""

from drf_spectacular.utils import extend_schema
from rest_framework import decorators, mixins, serializers, status, viewsets
from rest_framework.response import Response

from core.api import ScopedModelSerializer, ScopedSerializer
from core.inputs import DATE_BOUNDS
from suppliers.models import Supplier

from . import selectors, services
from .models import MAX_PRICE, CostBreakdownRequest, PriceAgreement, PriceChangeItem, PriceChangeRequest
from .services.agreements import EDIT


def _price(**kwargs):
    return serializers.DecimalField(
        max_digits=12, decimal_places=4, min_value=0, max_value=MAX_PRICE, **kwargs
    )


class PriceAgreementSerializer(ScopedModelSerializer):
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all())  # narrowed to the caller's

    class Meta:
        model = PriceAgreement
        fields = [
            "id",
            "supplier",
            "sku",
            "description",
            "unit_price",
            "currency",
            "moq",
            "lead_time_days",
            "incoterm",
            "valid_from",
            "valid_to",
            "version",
            "source",
            "note",
            "created_at",
        ]
        read_only_fields = ["version", "source", "created_at"]
        validators = []  # the service numbers versions and refuses overlaps with its own message


class PriceAgreementVersionSerializer(ScopedSerializer):
    valid_from = serializers.DateField(validators=DATE_BOUNDS)
    note = serializers.CharField(max_length=2000)
    unit_price = _price(required=False)
    valid_to = serializers.DateField(required=False, allow_null=True, validators=DATE_BOUNDS)


class PriceAgreementViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Price agreements per supplier and SKU, every version. POST agrees a price; `new-version` replaces one from
    a date (with `note`: why). A factory's token reads its own company's."""

    serializer_class = PriceAgreementSerializer
    filterset_fields = ["supplier", "sku"]
    write_capability = EDIT

    def get_queryset(self):
        return selectors.agreement_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.price_agreement_create(
            by=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=PriceAgreementVersionSerializer, responses=PriceAgreementSerializer)
    @decorators.action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        """Make a new version from `valid_from`; the current one ends the day before."""
        agreement = self.get_object()
        payload = PriceAgreementVersionSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        version = services.price_agreement_new_version(
            agreement=agreement, by=request.user, **payload.validated_data
        )
        return Response(self.get_serializer(version).data, status=status.HTTP_201_CREATED)


class PriceChangeItemSerializer(ScopedModelSerializer):
    class Meta:
        model = PriceChangeItem
        fields = ["id", "agreement", "sku", "old_price", "new_price", "counter_price", "new_agreement"]
        read_only_fields = fields


class PriceChangeItemInputSerializer(ScopedSerializer):
    agreement = serializers.PrimaryKeyRelatedField(queryset=PriceAgreement.objects.all())  # the caller's own
    new_price = _price()


class PriceChangeRequestSerializer(ScopedModelSerializer):
    items = PriceChangeItemSerializer(many=True, read_only=True)
    new_prices = PriceChangeItemInputSerializer(many=True, write_only=True, max_length=200)

    class Meta:
        model = PriceChangeRequest
        fields = [
            "id",
            "supplier",
            "status",
            "effective_on",
            "reason_category",
            "explanation",
            "index_reference",
            "material",
            "labour",
            "overhead",
            "margin",
            "items",
            "new_prices",
            "requested_at",
            "counter_effective_on",
            "counter_note",
            "decided_at",
            "decision_note",
            "answered_at",
            "answer_note",
        ]
        read_only_fields = [
            "supplier",
            "status",
            "requested_at",
            "counter_effective_on",
            "counter_note",
            "decided_at",
            "decision_note",
            "answered_at",
            "answer_note",
        ]


class PriceCounterSerializer(ScopedSerializer):
    prices = serializers.DictField(child=_price(), help_text="New price per item id.")
    effective_on = serializers.DateField(required=False, allow_null=True, validators=DATE_BOUNDS)
    note = serializers.CharField(max_length=2000)


class PriceRefuseSerializer(ScopedSerializer):
    reason = serializers.CharField(max_length=2000)


class PriceDecisionNoteSerializer(ScopedSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class PriceChangeRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Justified price changes. The factory's token POSTs one (`new_prices`: agreement and new price) and accepts
    or declines a counter; staff accept, counter (`prices` per item id) or refuse (`reason`)."""

    serializer_class = PriceChangeRequestSerializer
    filterset_fields = ["supplier", "status"]
    write_capability = EDIT
    portal_write_actions = ("create", "accept_counter", "decline_counter")

    def get_queryset(self):
        return selectors.price_change_list(user=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        items = data.pop("new_prices")
        breakdown = {name: data.pop(name, None) for name in ("material", "labour", "overhead", "margin")}
        serializer.instance = services.price_change_request(
            by=self.request.user, items=items, breakdown=breakdown, **data
        )

    def _respond(self, change):
        return Response(self.get_serializer(self.get_queryset().get(pk=change.pk)).data)

    def _payload(self, serializer_class):
        payload = serializer_class(data=self.request.data, context={"request": self.request})
        payload.is_valid(raise_exception=True)
        return payload.validated_data

    @extend_schema(request=PriceDecisionNoteSerializer, responses=PriceChangeRequestSerializer)
    @decorators.action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept the factory's prices: new agreement versions from the effective date."""
        change = self.get_object()  # 404 for another supplier's, before the body is read
        data = self._payload(PriceDecisionNoteSerializer)
        return self._respond(services.price_change_accept(change=change, by=request.user, **data))

    @extend_schema(request=PriceCounterSerializer, responses=PriceChangeRequestSerializer)
    @decorators.action(detail=True, methods=["post"])
    def counter(self, request, pk=None):
        """Counter with a price per item id (`prices`), perhaps another `effective_on`, and a `note`."""
        change = self.get_object()
        data = self._payload(PriceCounterSerializer)
        prices = {}
        for key, value in data.pop("prices").items():
            if not str(key).isdecimal() or len(str(key)) > 18:
                raise serializers.ValidationError({"prices": "Keys are item ids."})
            prices[int(key)] = value
        change = services.price_change_counter(change=change, by=request.user, prices=prices, **data)
        return self._respond(change)

    @extend_schema(request=PriceRefuseSerializer, responses=PriceChangeRequestSerializer)
    @decorators.action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        """Refuse the change with a `reason`; the agreed prices stay."""
        change = self.get_object()
        data = self._payload(PriceRefuseSerializer)
        return self._respond(services.price_change_refuse(change=change, by=request.user, **data))

    @extend_schema(request=PriceDecisionNoteSerializer, responses=PriceChangeRequestSerializer)
    @decorators.action(detail=True, methods=["post"], url_path="accept-counter")
    def accept_counter(self, request, pk=None):
        """The factory accepts the buyer's counter: its prices apply from its date."""
        change = self.get_object()
        data = self._payload(PriceDecisionNoteSerializer)
        change = services.price_change_counter_answer(change=change, by=request.user, accept=True, **data)
        return self._respond(change)

    @extend_schema(request=PriceDecisionNoteSerializer, responses=PriceChangeRequestSerializer)
    @decorators.action(detail=True, methods=["post"], url_path="decline-counter")
    def decline_counter(self, request, pk=None):
        """The factory declines the buyer's counter (`note`: why); the agreed prices stay."""
        change = self.get_object()
        data = self._payload(PriceDecisionNoteSerializer)
        change = services.price_change_counter_answer(change=change, by=request.user, accept=False, **data)
        return self._respond(change)


class CostBreakdownRequestSerializer(ScopedModelSerializer):
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all())  # narrowed to the caller's

    class Meta:
        model = CostBreakdownRequest
        fields = [
            "id",
            "supplier",
            "sku",
            "currency",
            "message",
            "status",
            "requested_at",
            "material",
            "labour",
            "overhead",
            "margin",
            "answered_at",
            "answer_note",
            "internal",
            "assessment",
            "assessed_at",
        ]
        read_only_fields = [
            "status",
            "requested_at",
            "material",
            "labour",
            "overhead",
            "margin",
            "answered_at",
            "answer_note",
            "internal",
            "assessment",
            "assessed_at",
        ]

    # An internal row never reaches a factory at all (the queryset); the buyer's assessment stays with staff.
    staff_only_fields = ("internal", "assessment", "assessed_at")


class CostBreakdownAnswerSerializer(ScopedSerializer):
    material = _price()
    labour = _price()
    overhead = _price()
    margin = _price()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class CostEstimateSerializer(ScopedSerializer):
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all())  # narrowed to the caller's
    sku = serializers.CharField(max_length=64)
    currency = serializers.CharField(max_length=3, default="USD")
    material = _price()
    labour = _price()
    overhead = _price()
    margin = _price()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class CostAssessmentSerializer(ScopedSerializer):
    assessment = serializers.CharField(max_length=4000)


class CostBreakdownRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Open-book requests: staff ask for a SKU's cost breakdown; the factory's token answers with four amounts.
    A breakdown is seen by the buyer's staff and the factory itself, never by another supplier."""

    serializer_class = CostBreakdownRequestSerializer
    filterset_fields = ["supplier", "status", "internal"]
    write_capability = EDIT
    portal_write_actions = ("answer",)

    def get_queryset(self):
        return selectors.breakdown_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.cost_breakdown_request(
            by=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=CostBreakdownAnswerSerializer, responses=CostBreakdownRequestSerializer)
    @decorators.action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """The factory gives material, labour, overhead and margin of one unit."""
        row = self.get_object()  # 404 for another supplier's, before the body is read
        payload = CostBreakdownAnswerSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        row = services.cost_breakdown_answer(breakdown=row, by=request.user, **payload.validated_data)
        return Response(self.get_serializer(row).data)

    @extend_schema(request=CostEstimateSerializer, responses={201: CostBreakdownRequestSerializer})
    @decorators.action(detail=False, methods=["post"])
    def estimate(self, request):
        """Staff record the buyer's own should-cost estimate of a SKU: internal, never seen by the factory."""
        payload = CostEstimateSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        row = services.cost_estimate_record(by=request.user, **payload.validated_data)
        return Response(self.get_serializer(row).data, status=201)

    @extend_schema(request=CostAssessmentSerializer, responses=CostBreakdownRequestSerializer)
    @decorators.action(detail=True, methods=["post"])
    def assess(self, request, pk=None):
        """Staff write their assessment of a factory's answer (internal)."""
        row = self.get_object()
        payload = CostAssessmentSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        row = services.cost_breakdown_assess(breakdown=row, by=request.user, **payload.validated_data)
        return Response(self.get_serializer(row).data)


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("price-agreements", PriceAgreementViewSet, basename="price-agreement")
    router.register("price-change-requests", PriceChangeRequestViewSet, basename="price-change-request")
    router.register("cost-breakdown-requests", CostBreakdownRequestViewSet, basename="cost-breakdown-request")
