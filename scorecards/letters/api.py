"""REST endpoint of reference letters: staff issue, list and revoke; a factory token lists and downloads its own."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import decorators, mixins, serializers, status, viewsets
from rest_framework.response import Response

from core.api import ScopedModelSerializer, ScopedSerializer
from core.inputs import DATE_BOUNDS
from suppliers.models import Supplier

from . import selectors, services
from .models import ADDRESSEE_MAX_LENGTH, REASON_MAX_LENGTH, TEXT_MAX_LENGTH, ReferenceLetter
from .pdf import letter_pdf_response
from .tokens import verification_url


class ReferenceLetterSerializer(ScopedModelSerializer):
    status = serializers.SerializerMethodField(help_text="valid, expired or revoked.")
    verification_url = serializers.SerializerMethodField(help_text="The public link printed on the letter.")

    class Meta:
        model = ReferenceLetter
        fields = [
            "id",
            "supplier",
            "supplier_name",
            "supplier_country",
            "period_start",
            "period_end",
            "figures",
            "below_target",
            "below_target_reason",
            "addressee",
            "text",
            "issuer_name",
            "issued_at",
            "expires_at",
            "revoked_at",
            "revoked_reason",
            "status",
            "verification_url",
        ]
        read_only_fields = fields

    staff_only_fields = ("revoked_reason",)  # why we revoked it is ours; the factory sees that it was

    def get_status(self, letter) -> str:
        return letter.status()

    def get_verification_url(self, letter) -> str:
        return verification_url(letter)


class ReferenceLetterIssueSerializer(ScopedSerializer):
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all())
    period_start = serializers.DateField(validators=DATE_BOUNDS)
    period_end = serializers.DateField(validators=DATE_BOUNDS)
    valid_months = serializers.IntegerField(
        min_value=services.MIN_VALID_MONTHS, max_value=services.MAX_VALID_MONTHS, default=12
    )
    addressee = serializers.CharField(max_length=ADDRESSEE_MAX_LENGTH, required=False, allow_blank=True)
    text = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True)
    below_target_reason = serializers.CharField(
        max_length=REASON_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text="Managers only, and only when a KPI misses its target over the period; printed on the letter.",
    )


class ReferenceLetterRevokeSerializer(ScopedSerializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)


class ReferenceLetterViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Reference letters: a supplier's KPIs over a period, frozen at issue, with a signed verification link.
    Staff issue (a supplier below target only by a manager, with a reason) and revoke; a factory token reads and
    downloads its own company's."""

    serializer_class = ReferenceLetterSerializer
    filterset_fields = ["supplier", "below_target"]
    ordering_fields = ["issued_at"]
    write_capability = services.ISSUE_CAPABILITY

    def get_queryset(self):
        return selectors.letter_list(user=self.request.user)

    @extend_schema(request=ReferenceLetterIssueSerializer, responses=ReferenceLetterSerializer)
    def create(self, request, *args, **kwargs):
        if not request.user.is_staff_member:
            raise PermissionDenied
        payload = ReferenceLetterIssueSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        letter = services.reference_letter_issue(by=request.user, **payload.validated_data)
        return Response(self.get_serializer(letter).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReferenceLetterRevokeSerializer, responses=ReferenceLetterSerializer)
    @decorators.action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Revoke the letter: its verification link says "revoked" from now on."""
        letter = self.get_object()
        payload = ReferenceLetterRevokeSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        letter = services.reference_letter_revoke(letter=letter, by=request.user, **payload.validated_data)
        return Response(self.get_serializer(letter).data)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @decorators.action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        """Download the letter's PDF (a factory token gets 404 for a revoked letter; staff still download it)."""
        return letter_pdf_response(selectors.letter_downloadable(user=request.user, letter=self.get_object()))
