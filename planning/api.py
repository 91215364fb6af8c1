"""REST endpoints of the demand outlook: the buyer's ERP publishes forecast versions; the factory's token reads its
own and answers each month of the newest one (`POST /forecasts/{id}/answer/`)."""

from drf_spectacular.utils import extend_schema
from rest_framework import decorators, mixins, serializers, status, viewsets
from rest_framework.response import Response

from core.api import ScopedModelSerializer, ScopedSerializer
from core.inputs import DATE_BOUNDS, MAX_QUANTITY
from suppliers.models import ProductCategory, Supplier

from . import services
from .models import CapacityAnswer, Forecast, ForecastLine
from .rules import MAX_LINES


class ForecastLineSerializer(ScopedModelSerializer):
    month = serializers.DateField(
        validators=DATE_BOUNDS,
        help_text="Any day of the month; stored as the 1st (from this month to 12 ahead).",
    )
    category = serializers.PrimaryKeyRelatedField(
        queryset=ProductCategory.objects.all(), required=False, allow_null=True
    )
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)

    class Meta:
        model = ForecastLine
        fields = ["month", "sku", "category", "quantity", "unit", "confidence"]


class CapacityAnswerSerializer(ScopedModelSerializer):
    class Meta:
        model = CapacityAnswer
        fields = ["id", "month", "status", "committed_quantity", "reason", "answered_by", "answered_at"]
        read_only_fields = fields


class ForecastSerializer(ScopedModelSerializer):
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all())
    lines = ForecastLineSerializer(many=True, max_length=MAX_LINES, min_length=1)
    answers = CapacityAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Forecast
        fields = ["id", "supplier", "version", "published_on", "published_by", "note", "lines", "answers"]
        read_only_fields = ["version", "published_on", "published_by"]


class ForecastAnswerSerializer(ScopedSerializer):
    """The factory's answer to one month of the newest forecast version."""

    month = serializers.DateField(validators=DATE_BOUNDS, help_text="Any day of a month the forecast names.")
    status = serializers.ChoiceField(choices=CapacityAnswer.Status.choices)
    committed_quantity = serializers.IntegerField(min_value=0, max_value=MAX_QUANTITY)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ForecastViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Published forecast versions with their lines and the factory's answers. POST publishes a new version for a
    supplier (numbered after the previous one, which stays readable); a factory reads its own and answers."""

    serializer_class = ForecastSerializer
    filterset_fields = ["supplier"]
    ordering_fields = ["published_on", "version"]
    write_capability = services.PUBLISH
    write_capabilities = {
        "answer": services.PUBLISH
    }  # staff get the service's own refusal: the factory answers
    portal_write_actions = ("answer",)

    def get_queryset(self):
        return (
            Forecast.objects.visible_to(self.request.user)
            .select_related("supplier")
            .prefetch_related("lines", "answers")
            .order_by("-published_at", "-pk")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        forecast = services.forecast_publish(
            supplier=data["supplier"], by=request.user, lines=data["lines"], note=data.get("note", "")
        )
        return Response(self.get_serializer(forecast).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ForecastAnswerSerializer, responses=CapacityAnswerSerializer)
    @decorators.action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """The factory commits capacity for a month, or reports a shortfall with a reason."""
        forecast = self.get_object()
        payload = ForecastAnswerSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        answer = services.capacity_answer(forecast=forecast, by=request.user, **payload.validated_data)
        return Response(CapacityAnswerSerializer(answer, context=self.get_serializer_context()).data)


def register(router) -> None:
    """Add this app's endpoints to the project's API router."""
    router.register("forecasts", ForecastViewSet, basename="forecast")
