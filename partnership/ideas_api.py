"""REST endpoints of improvement ideas: `/api/v1/improvement-ideas/`. Staff read all and review; a factory token
reads its own company's ideas, proposes new ones and comments. The internal review note is staff-only."""

from drf_spectacular.utils import extend_schema
from rest_framework import decorators, mixins, serializers, status, viewsets
from rest_framework.response import Response

from core.api import ScopedModelSerializer, ScopedSerializer
from core.inputs import DATE_BOUNDS
from orders.models import PurchaseOrder
from suppliers.models import Supplier

from .models import IdeaComment, ImprovementIdea, Side
from .models.ideas import MAX_SAVING
from .services import ideas as services

SAVING = {"max_digits": 16, "decimal_places": 3, "min_value": 0, "max_value": MAX_SAVING}


class IdeaCommentSerializer(ScopedModelSerializer):
    class Meta:
        model = IdeaComment
        fields = ["id", "author", "body", "created_at"]
        read_only_fields = fields


class ImprovementIdeaSerializer(ScopedModelSerializer):
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all())
    order = serializers.PrimaryKeyRelatedField(
        queryset=PurchaseOrder.objects.all(), required=False, allow_null=True
    )
    estimated_annual_saving = serializers.DecimalField(**SAVING, required=False, allow_null=True)
    credited_to = serializers.ChoiceField(choices=Side.choices, required=False)
    comments = IdeaCommentSerializer(many=True, read_only=True)
    staff_only_fields = ("review_note",)

    class Meta:
        model = ImprovementIdea
        fields = [
            "id",
            "supplier",
            "kind",
            "title",
            "description",
            "sku",
            "order",
            "status",
            "decline_reason",
            "currency",
            "estimated_annual_saving",
            "realised_saving",
            "implemented_on",
            "raised_by",
            "raised_side",
            "raised_at",
            "credited_to",
            "review_note",
            "comments",
        ]
        read_only_fields = [
            "status",
            "decline_reason",
            "realised_saving",
            "implemented_on",
            "raised_by",
            "raised_side",
            "raised_at",
            "review_note",
        ]


class IdeaTransitionSerializer(ScopedSerializer):
    status = serializers.ChoiceField(choices=ImprovementIdea.Status.choices)
    decline_reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    review_note = serializers.CharField(max_length=5000, required=False, allow_null=True, default=None)


class IdeaImplementationSerializer(ScopedSerializer):
    implemented_on = serializers.DateField(validators=DATE_BOUNDS)
    realised_saving = serializers.DecimalField(**SAVING)


class IdeaCommentWriteSerializer(ScopedSerializer):
    body = serializers.CharField(max_length=2000)


class ImprovementIdeaViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Improvement ideas with their comments. POST proposes one (a factory token: for its own company); staff move
    it through the review (`transition`) and record its implementation; both sides comment."""

    serializer_class = ImprovementIdeaSerializer
    filterset_fields = ["supplier", "status", "kind"]
    ordering_fields = ["raised_at"]
    write_capability = services.EDIT
    write_capabilities = {"comment": services.EDIT}
    portal_write_actions = ("create", "comment")

    def get_queryset(self):
        return (
            ImprovementIdea.objects.visible_to(self.request.user)
            .select_related("supplier")
            .prefetch_related("comments")
            .order_by("-raised_at", "-pk")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        idea = services.idea_propose(by=request.user, **data)
        return Response(self.get_serializer(idea).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=IdeaTransitionSerializer, responses=ImprovementIdeaSerializer)
    @decorators.action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Staff move the idea to under review, accepted or declined (with a reason)."""
        idea = self.get_object()
        payload = IdeaTransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        idea = services.idea_transition(
            idea=idea,
            by=request.user,
            to=data["status"],
            decline_reason=data["decline_reason"],
            review_note=data["review_note"],
        )
        return Response(self.get_serializer(idea).data)

    @extend_schema(request=IdeaImplementationSerializer, responses=ImprovementIdeaSerializer)
    @decorators.action(detail=True, methods=["post"])
    def implement(self, request, pk=None):
        """Staff record an accepted idea as implemented, with the day and the realised saving."""
        idea = self.get_object()
        payload = IdeaImplementationSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        idea = services.idea_record_implementation(idea=idea, by=request.user, **payload.validated_data)
        return Response(self.get_serializer(idea).data)

    @extend_schema(request=IdeaCommentWriteSerializer, responses={201: IdeaCommentSerializer})
    @decorators.action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        """Either side adds a comment; the other side is told."""
        idea = self.get_object()
        payload = IdeaCommentWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        comment = services.idea_comment(idea=idea, by=request.user, **payload.validated_data)
        return Response(
            IdeaCommentSerializer(comment, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


def register(router) -> None:
    """Add the ideas endpoint to the project's API router."""
    router.register("improvement-ideas", ImprovementIdeaViewSet, basename="improvement-idea")
