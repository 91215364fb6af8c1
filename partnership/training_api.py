"""REST endpoints of training (`/api/v1/trainings/`) and community programmes (`/api/v1/community-programmes/`).
Staff record them; a factory token reads its own company's and accepts an offered training."""

from drf_spectacular.utils import extend_schema
from rest_framework import decorators, mixins, serializers, status, viewsets
from rest_framework.response import Response

from accounts.models import User
from core.api import ScopedModelSerializer
from core.inputs import DATE_BOUNDS
from suppliers.models import Supplier

from .models import CommunityProgramme, Training
from .models.training import MAX_ATTENDEES
from .services import training as services
from .services.ideas import EDIT


class TrainingSerializer(ScopedModelSerializer):
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all())
    held_on = serializers.DateField(validators=DATE_BOUNDS)
    attendee_count = serializers.IntegerField(min_value=0, max_value=MAX_ATTENDEES, required=False, default=0)
    given_by = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    status = serializers.ChoiceField(
        choices=Training.Status.choices,
        required=False,
        default=Training.Status.OFFERED,
        help_text="offered or given when you record or correct one; accepted is the factory's answer (POST accept).",
    )

    class Meta:
        model = Training
        fields = ["id", "supplier", *services.TRAINING_FIELDS, "accepted_by", "accepted_at"]
        read_only_fields = ["accepted_by", "accepted_at"]

    def validate_status(self, value):
        # Every status is in the answers; only the factory's accept makes one accepted.
        kept = self.instance is not None and self.instance.status == value
        if value == Training.Status.ACCEPTED and not kept:
            raise serializers.ValidationError("Only the factory accepts a training: POST …/accept/.")
        return value


class TrainingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Training offered to or given at suppliers. POST offers one (today or later) or records one given; PATCH
    corrects one with the same bounds (a given one stays given; the factory is told of a new date or topic); a
    factory token accepts an offered one (`accept`)."""

    http_method_names = ["get", "post", "patch", "head", "options"]

    serializer_class = TrainingSerializer
    filterset_fields = ["supplier", "status"]
    ordering_fields = ["held_on"]
    write_capability = EDIT
    portal_write_actions = ("accept",)

    def get_queryset(self):
        return (
            Training.objects.visible_to(self.request.user)
            .select_related("supplier")
            .order_by("-held_on", "-pk")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        training = services.training_record(by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(training).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        data = _kept_with_its_supplier(serializer)
        serializer.instance = services.training_update(
            training=serializer.instance, by=self.request.user, **data
        )

    @extend_schema(request=None, responses=TrainingSerializer)
    @decorators.action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The factory accepts an offered training."""
        training = services.training_accept(training=self.get_object(), by=request.user)
        return Response(self.get_serializer(training).data)


class CommunityProgrammeSerializer(ScopedModelSerializer):
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all())
    starts_on = serializers.DateField(validators=DATE_BOUNDS)
    ends_on = serializers.DateField(validators=DATE_BOUNDS, required=False, allow_null=True)

    class Meta:
        model = CommunityProgramme
        fields = ["id", "supplier", *services.PROGRAMME_FIELDS, "recorded_by"]
        read_only_fields = ["recorded_by"]


class CommunityProgrammeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Community and social programmes supported with suppliers; staff record them and correct them (PATCH), a
    factory reads its own."""

    http_method_names = ["get", "post", "patch", "head", "options"]

    serializer_class = CommunityProgrammeSerializer
    filterset_fields = ["supplier"]
    ordering_fields = ["starts_on"]
    write_capability = EDIT

    def get_queryset(self):
        return (
            CommunityProgramme.objects.visible_to(self.request.user)
            .select_related("supplier")
            .order_by("-starts_on", "-pk")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        programme = services.programme_record(by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(programme).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        data = _kept_with_its_supplier(serializer)
        serializer.instance = services.programme_update(
            programme=serializer.instance, by=self.request.user, **data
        )


def _kept_with_its_supplier(serializer) -> dict:
    """Return a correction's fields without the supplier: a record stays with its supplier, and a PATCH naming
    another one is refused (400), not silently ignored."""
    data = dict(serializer.validated_data)
    supplier = data.pop("supplier", None)
    if supplier is not None and supplier.pk != serializer.instance.supplier_id:
        raise serializers.ValidationError(
            {"supplier": ["A record stays with its supplier: record a new one for another supplier."]}
        )
    return data


def register(router) -> None:
    """Add the training and programme endpoints to the project's API router."""
    router.register("trainings", TrainingViewSet, basename="training")
    router.register("community-programmes", CommunityProgrammeViewSet, basename="community-programme")
