"""REST endpoint of scorecard contests: a factory token contests its own rows and reads its own contests; staff
read all and decide (`accept`, `reject`)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import decorators, mixins, serializers, status, viewsets
from rest_framework.response import Response

from core.api import ScopedModelSerializer, ScopedSerializer
from core.inputs import MAX_QUANTITY

from . import selectors, services
from .models import REASON_MAX_LENGTH, RowContest


class RowContestSerializer(ScopedModelSerializer):
    row = serializers.IntegerField(
        write_only=True,
        min_value=1,
        max_value=2**63 - 1,
        help_text="The id of the delivery, inspection or issue contested (of the kind given).",
    )
    row_label = serializers.CharField(read_only=True)
    outcome = serializers.CharField(
        read_only=True, help_text="Once accepted: excused (not counted) or corrected (a new defective count)."
    )

    class Meta:
        model = RowContest
        fields = [
            "id",
            "supplier",
            "kind",
            "row",
            "row_label",
            "delivery",
            "inspection",
            "issue",
            "reason",
            "evidence",
            "status",
            "outcome",
            "corrected_defective_units",
            "decision_note",
            "opened_at",
            "decided_at",
        ]
        read_only_fields = [
            "supplier",
            "delivery",
            "inspection",
            "issue",
            "status",
            "outcome",
            "corrected_defective_units",
            "decision_note",
            "opened_at",
            "decided_at",
        ]


class RowContestAcceptSerializer(ScopedSerializer):
    note = serializers.CharField(max_length=REASON_MAX_LENGTH)
    outcome = serializers.ChoiceField(choices=RowContest.Outcome.choices, default=RowContest.Outcome.EXCUSED)
    corrected_defective_units = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_QUANTITY
    )


class RowContestRejectSerializer(ScopedSerializer):
    note = serializers.CharField(max_length=REASON_MAX_LENGTH)


class RowContestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Contests of scorecard rows (a late delivery, an inspection's defective count, an issue's response time):
    a factory token contests its own rows; a manager accepts (the row is excused, or the count corrected) or
    rejects with a reason."""

    serializer_class = RowContestSerializer
    filterset_fields = ["status", "kind"]
    ordering_fields = ["opened_at"]
    write_capability = services.DECIDE_CAPABILITY
    portal_write_actions = ("create",)

    def get_queryset(self):
        return selectors.contest_list(user=self.request.user)

    def create(self, request, *args, **kwargs):
        if not request.user.is_portal_user:
            raise PermissionDenied("The factory contests its own rows; staff excuse a row directly.")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            services.contestable_row(user=request.user, kind=data["kind"], pk=data["row"])
        except (
            Http404
        ) as exc:  # as a foreign key to a row one may not see: missing and another's read the same
            raise serializers.ValidationError({"row": ["No such row of yours."]}) from exc
        contest = services.row_contest_open(
            by=request.user,
            kind=data["kind"],
            row_id=data["row"],
            reason=data["reason"],
            evidence=data.get("evidence"),
        )
        return Response(self.get_serializer(contest).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RowContestAcceptSerializer, responses=RowContestSerializer)
    @decorators.action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept the contest: the row is excused (or the inspection's count corrected), with the reason."""
        contest = self.get_object()
        payload = RowContestAcceptSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        contest = services.row_contest_accept(contest=contest, by=request.user, **payload.validated_data)
        return Response(self.get_serializer(contest).data)

    @extend_schema(request=RowContestRejectSerializer, responses=RowContestSerializer)
    @decorators.action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject the contest with a reason the factory sees; the row keeps counting."""
        contest = self.get_object()
        payload = RowContestRejectSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        contest = services.row_contest_reject(contest=contest, by=request.user, **payload.validated_data)
        return Response(self.get_serializer(contest).data)
