"""API endpoints of factory registrations (staff): invite, list, read, ask for changes, accept as a prospect.

A factory contact's token lists only its own company's registration (once accepted) and writes nothing here.
"""

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import decorators, mixins, serializers, status, viewsets
from rest_framework.response import Response

from core.api import ScopedModelSerializer, ScopedSerializer

from . import registrations, selectors
from .models import (
    Registration,
    RegistrationCapacity,
    RegistrationCertificate,
    RegistrationReference,
    RegistrationSite,
)


class RegistrationSiteSerializer(ScopedModelSerializer):
    country = serializers.CharField(read_only=True, help_text="ISO 3166 code.")

    class Meta:
        model = RegistrationSite
        fields = ["id", "kind", "name", "address", "country"]
        read_only_fields = fields


class RegistrationCapacitySerializer(ScopedModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = RegistrationCapacity
        fields = ["id", "category", "category_name", "monthly_capacity", "unit"]
        read_only_fields = fields


class RegistrationCertificateSerializer(ScopedModelSerializer):
    class Meta:
        model = RegistrationCertificate
        fields = ["id", "standard", "standard_other", "number", "issuer", "valid_from", "valid_until"]
        read_only_fields = fields


class RegistrationReferenceSerializer(ScopedModelSerializer):
    contact_email = serializers.CharField(read_only=True)  # may be empty: not declared as an email format

    class Meta:
        model = RegistrationReference
        fields = ["id", "company", "contact_name", "contact_email", "contact_phone"]
        read_only_fields = fields


class RegistrationSerializer(ScopedModelSerializer):
    shown_status = serializers.SerializerMethodField(
        help_text='The status, or "expired" for a link that ran out before the factory submitted.'
    )
    bank_account_masked = serializers.CharField(read_only=True, help_text="Only the last 4 characters.")
    country = serializers.CharField(read_only=True, help_text="ISO 3166 code.")
    website = serializers.CharField(read_only=True)  # may be empty: not declared as a URI format
    sites = RegistrationSiteSerializer(many=True, read_only=True)
    capacities = RegistrationCapacitySerializer(many=True, read_only=True)
    certificates = RegistrationCertificateSerializer(many=True, read_only=True)
    references = RegistrationReferenceSerializer(many=True, read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "company_name",
            "email",
            "language",
            "status",
            "shown_status",
            "expires_at",
            "invited_by",
            "created_at",
            "submitted_at",
            "reviewed_at",
            "review_comment",
            "supplier",
            "legal_name",
            "registration_number",
            "country",
            "city",
            "address",
            "website",
            "contact_name",
            "contact_title",
            "contact_phone",
            "moq",
            "lead_time_days",
            "main_equipment",
            "production_limitations",
            "bank_account_holder",
            "bank_name",
            "bank_swift",
            "bank_account_masked",
            "bank_currency",
            "sites",
            "capacities",
            "certificates",
            "references",
        ]
        read_only_fields = fields

    def get_shown_status(self, obj) -> str:
        return obj.display_status(now=timezone.now())


class RegistrationInviteSerializer(ScopedSerializer):
    company_name = serializers.CharField(max_length=200)
    email = serializers.CharField(
        max_length=254, help_text="Checked by the server; a malformed one is refused."
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES, required=False, help_text="Default: English."
    )


class RequestChangesSerializer(ScopedSerializer):
    comment = serializers.CharField(
        max_length=5000, help_text="What the factory should change (it reads this)."
    )


class RegistrationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Factory registrations: staff invite (POST), list, read, ask for changes and accept as a prospect."""

    serializer_class = RegistrationSerializer
    filterset_fields = ["status"]
    search_fields = ["company_name", "email", "legal_name"]
    ordering_fields = ["created_at", "submitted_at"]
    write_capability = "supplier.edit"

    def get_queryset(self):
        return (
            Registration.objects.visible_to(self.request.user)
            .prefetch_related("sites", "capacities__category", "certificates", "references")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(request=RegistrationInviteSerializer, responses={201: RegistrationSerializer})
    def create(self, request, *args, **kwargs):
        """Invite a new factory to register: an email in its language with a link valid 30 days."""
        data = RegistrationInviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        registration = registrations.registration_invite(by=request.user, **data.validated_data)
        return Response(self.get_serializer(registration).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RequestChangesSerializer, responses=RegistrationSerializer)
    @decorators.action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, pk=None):
        """Send a submitted registration back to the factory with a comment (emailed in its language)."""
        registration = self.get_object()
        data = RequestChangesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        registration = registrations.registration_request_changes(
            registration=registration, by=request.user, comment=data.validated_data["comment"]
        )
        return Response(self.get_serializer(registration).data)

    @extend_schema(request=None, responses=RegistrationSerializer)
    @decorators.action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        """Email the factory a new link valid 30 days (the previous one stops working); its draft is kept."""
        registration = registrations.registration_resend(registration=self.get_object(), by=request.user)
        return Response(self.get_serializer(registration).data)

    @extend_schema(request=None, responses=RegistrationSerializer)
    @decorators.action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept a submitted registration as a prospect (idempotent: again returns the same supplier)."""
        registration = self.get_object()
        registrations.registration_accept(registration=registration, by=request.user)
        return Response(self.get_serializer(selectors.registration_get(user=request.user, pk=pk)).data)
