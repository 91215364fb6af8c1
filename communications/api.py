"""REST endpoints for issues (with their thread), check-ins and closures."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import decorators, mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from core.api import ScopedModelSerializer, ScopedSerializer
from core.inputs import single_line
from suppliers.models import Supplier

from . import services
from .models import CheckIn, Closure, Family, IssueMessage, SupplierIssue, Timing
from .services.preferences import preferences_for, preferences_save


class IssueMessageSerializer(ScopedModelSerializer):
    class Meta:
        model = IssueMessage
        fields = ["id", "side", "author_name", "body", "sent_at", "logged_on_behalf"]
        read_only_fields = fields


class IssueSerializer(ScopedModelSerializer):
    messages = IssueMessageSerializer(many=True, read_only=True)
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all(), required=False)
    response_hours = serializers.SerializerMethodField()
    # An issue may concern an inspection whose report the factory was not shown.
    staff_only_fields = ("inspection",)

    class Meta:
        model = SupplierIssue
        fields = [
            "id",
            "supplier",
            "raised_by_side",
            "category",
            "severity",
            "subject",
            "description",
            "order",
            "delivery",
            "inspection",
            "raised_at",
            "status",
            "first_response_at",
            "response_hours",
            "resolved_at",
            "resolution_note",
            "messages",
        ]
        read_only_fields = [
            "raised_by_side",
            "raised_at",
            "status",
            "first_response_at",
            "resolved_at",
            "resolution_note",
        ]

    def get_response_hours(self, obj) -> float:
        return obj.response_hours()

    def validate_subject(self, value: str) -> str:
        return single_line(value)  # it becomes a mail subject, which is one line

    def get_fields(self):
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        if user is not None and user.is_authenticated and user.is_portal_user:
            fields["supplier"].read_only = True  # a factory raises issues for its own company only
        return fields


class ReplySerializer(ScopedSerializer):
    body = serializers.CharField()


class CheckInSerializer(ScopedModelSerializer):
    class Meta:
        model = CheckIn
        fields = ["id", "supplier", "original_date", "date", "scheduled_at", "moved_reason", "status"]
        read_only_fields = fields


class ClosureSerializer(ScopedModelSerializer):
    # Staff name the supplier (one they may see: the scoped base narrows the choice); a factory's closure is
    # always its own company's.
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all(), required=False)

    class Meta:
        model = Closure
        fields = ["id", "supplier", "starts_on", "ends_on", "reason"]

    def get_fields(self):
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        fields["supplier"].queryset = Supplier.objects.visible_to(user)
        if user is not None and user.is_authenticated and user.is_portal_user:
            fields["supplier"].read_only = True
        return fields


class IssueViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Issues both ways; a factory token raises issues with the buyer and replies (stopping the clock)."""

    serializer_class = IssueSerializer
    filterset_fields = ["supplier", "status", "category", "raised_by_side"]
    write_capability = "issue.edit"
    portal_write_actions = ("create", "reply")

    def get_queryset(self):
        return (
            SupplierIssue.objects.visible_to(self.request.user)
            .prefetch_related("messages")
            .order_by("-raised_at")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        supplier = request.user.supplier if request.user.is_portal_user else data.get("supplier")
        data.pop("supplier", None)
        if supplier is None:
            raise serializers.ValidationError({"supplier": "This field is required."})
        issue = services.issue_raise(supplier=supplier, by=request.user, **data)
        return Response(self.get_serializer(issue).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReplySerializer, responses=IssueSerializer)
    @decorators.action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        """Add a message to the thread."""
        issue = self.get_object()
        payload = ReplySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.issue_reply(issue=issue, by=request.user, body=payload.validated_data["body"])
        return Response(self.get_serializer(self.get_object()).data)


class CheckInViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Check-ins (read only): when, and why one moved."""

    serializer_class = CheckInSerializer
    filterset_fields = ["supplier", "status"]

    def get_queryset(self):
        return CheckIn.objects.visible_to(self.request.user).order_by("scheduled_at")


class ClosureViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Closures a factory declares (its own only)."""

    serializer_class = ClosureSerializer
    filterset_fields = ["supplier"]
    write_capability = "checkin.edit"
    portal_write_actions = ("create",)

    def get_queryset(self):
        return Closure.objects.visible_to(self.request.user).order_by("starts_on")

    def perform_create(self, serializer):
        user = self.request.user
        data = dict(serializer.validated_data)
        supplier = user.supplier if user.is_portal_user else data.pop("supplier", None)
        if supplier is None:
            raise serializers.ValidationError({"supplier": "This field is required."})
        serializer.instance = services.closure_declare(supplier=supplier, by=user, **data)


class NotificationPreferenceSerializer(ScopedSerializer):
    family = serializers.ChoiceField(choices=Family.choices)
    label = serializers.CharField(read_only=True)
    timing = serializers.ChoiceField(choices=Timing.choices)


class OwnSettingsPermission(permissions.BasePermission):
    """Any signed-in, active user reads and writes their own settings (nothing of a supplier's)."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_active)


class NotificationPreferenceViewSet(viewsets.ViewSet):
    """The caller's own notification settings: per family, email at once, in the daily digest, or off."""

    permission_classes = [OwnSettingsPermission]

    @extend_schema(responses=NotificationPreferenceSerializer(many=True))
    def list(self, request):
        return Response(self._current(request.user))

    @extend_schema(
        request=NotificationPreferenceSerializer(many=True),
        responses=NotificationPreferenceSerializer(many=True),
    )
    @decorators.action(detail=False, methods=["put"], url_path="set")
    def set_timings(self, request):
        """Set the timing of the families given (others keep theirs); an unknown one changes nothing."""
        serializer = NotificationPreferenceSerializer(
            data=request.data, many=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        try:
            preferences_save(
                user=request.user, timings={row["family"]: row["timing"] for row in serializer.validated_data}
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return Response(self._current(request.user), status=status.HTTP_200_OK)

    @staticmethod
    def _current(user):
        return [
            {"family": family, "label": str(label), "timing": timing}
            for family, label, timing in preferences_for(user=user)
        ]


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register(
        "notification-preferences", NotificationPreferenceViewSet, basename="notification-preference"
    )
    router.register("issues", IssueViewSet, basename="issue")
    router.register("check-ins", CheckInViewSet, basename="checkin")
    router.register("closures", ClosureViewSet, basename="closure")
