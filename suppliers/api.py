"""REST endpoints for suppliers, contacts and certifications.

Every queryset starts from `visible_to(request.user)`; a factory contact's token sees only its own
company and never sets `supplier` on what it writes: the server fills it in.
"""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import decorators, mixins, serializers, viewsets
from rest_framework.response import Response

from core.api import ScopedModelSerializer, ScopedSerializer, VisibleChoicesFilterBackend
from core.uploads import ALLOWED_KINDS, file_download_response, validate_upload

from . import selectors, services
from .filters import CertificationFilter, SupplierFilter
from .invitation_api import ContactInvitationActions
from .models import CapabilityClaim, Certification, Contact, Supplier


class SupplierSerializer(ScopedModelSerializer):
    # The buyer's Kraljic classification and its risk tier (how closely the supplier is re-verified).
    staff_only_fields = ("segment", "risk_tier")

    class Meta:
        model = Supplier
        fields = [
            "id",
            "name",
            "legal_name",
            "registration_number",
            "country",
            "city",
            "address",
            "timezone",
            "website",
            "categories",
            "segment",
            "risk_tier",
            "stage",
            "stage_changed_at",
            "owner",
            "project_manager",
            "qc_lead",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["stage", "stage_changed_at", "created_at", "updated_at"]
        extra_kwargs = {"owner": {"required": False}}


class SupplierScopedSerializer(ScopedModelSerializer):
    """A serializer whose `supplier` a factory contact cannot set: it is read-only for them."""

    def get_fields(self):
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        if "supplier" in fields and user is not None and user.is_authenticated and user.is_portal_user:
            fields["supplier"].read_only = True
        return fields


class ContactSerializer(SupplierScopedSerializer):
    class Meta:
        model = Contact
        fields = [
            "id",
            "supplier",
            "name",
            "title",
            "role",
            "email",
            "phone",
            "messaging",
            "language",
            "is_primary",
            "is_active",
            "notes",
        ]


class CertificationSerializer(SupplierScopedSerializer):
    document = serializers.FileField(write_only=True, required=False, validators=[validate_upload])
    document_url = serializers.SerializerMethodField()

    class Meta:
        model = Certification
        fields = [
            "id",
            "supplier",
            "standard",
            "standard_other",
            "number",
            "issuer",
            "scope",
            "valid_from",
            "valid_until",
            "document",
            "document_url",
            "status",
            "replaces",
            "submitted_at",
            "verified_at",
            "review_note",
        ]
        read_only_fields = ["status", "submitted_at", "verified_at", "review_note"]

    def get_document_url(self, obj) -> str | None:
        if not obj.document:
            return None
        request = self.context.get("request")
        url = f"/api/v1/certifications/{obj.pk}/document/"
        return request.build_absolute_uri(url) if request else url


class ReviewSerializer(ScopedSerializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


def _supplier_for_write(request, validated_data):
    """The supplier a write is for: a factory contact's own, or the visible one staff chose."""
    if request.user.is_portal_user:
        validated_data.pop("supplier", None)
        return request.user.supplier
    supplier = validated_data.pop("supplier", None)
    if supplier is None:
        raise serializers.ValidationError({"supplier": "This field is required."})
    return supplier


class SupplierViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Suppliers: staff list, create and edit; a factory contact reads its own company."""

    serializer_class = SupplierSerializer
    filterset_class = SupplierFilter
    # SupplierFilter has its own search (`q`) and ordering: no SearchFilter or OrderingFilter here.
    filter_backends = [VisibleChoicesFilterBackend]
    write_capability = "supplier.edit"

    def get_queryset(self):
        return selectors.supplier_list(user=self.request.user, today=timezone.localdate())

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        categories = data.pop("categories", [])
        serializer.instance = services.supplier_create(by=self.request.user, categories=categories, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        categories = data.pop("categories", None)
        serializer.instance = services.supplier_update(
            supplier=serializer.instance, by=self.request.user, categories=categories, **data
        )


class ContactViewSet(ContactInvitationActions, viewsets.ModelViewSet):
    """A supplier's contacts; a factory contact may add and correct its own company's."""

    serializer_class = ContactSerializer
    filterset_fields = ["supplier", "role", "is_active", "is_primary"]
    search_fields = ["name", "email", "title"]
    ordering_fields = ["name", "role"]
    write_capability = "contact.edit"
    portal_write_actions = ("create", "update", "partial_update")

    def get_queryset(self):
        return Contact.objects.visible_to(self.request.user).order_by("supplier_id", "-is_primary", "name")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        supplier = _supplier_for_write(self.request, data)
        serializer.instance = services.contact_save(supplier=supplier, by=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("supplier", None)  # a contact never moves to another supplier
        contact = serializer.instance
        serializer.instance = services.contact_save(
            supplier=contact.supplier, by=self.request.user, contact=contact, **data
        )

    def perform_destroy(self, instance):
        # Contacts are kept for the record: DELETE marks them inactive.
        services.contact_deactivate(contact=instance, by=self.request.user)


class CertificationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Certificates; one a factory contact submits waits for staff to verify it."""

    serializer_class = CertificationSerializer
    filterset_class = CertificationFilter
    search_fields = ["number", "issuer", "supplier__name"]
    ordering_fields = ["valid_until", "submitted_at"]
    write_capability = "certification.edit"
    write_capabilities = {"review": "certification.verify"}
    portal_write_actions = ("create",)

    def get_queryset(self):
        return (
            Certification.objects.visible_to(self.request.user)
            .select_related("supplier")
            .order_by("-valid_until", "pk")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        supplier = _supplier_for_write(self.request, data)
        serializer.instance = services.certification_create(supplier=supplier, by=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("supplier", None)
        serializer.instance = services.certification_update(
            certification=serializer.instance, by=self.request.user, **data
        )

    @extend_schema(request=ReviewSerializer, responses=CertificationSerializer)
    @decorators.action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Verify (approve=true) or reject (approve=false, with a note) a pending certificate."""
        certification = self.get_object()
        review = ReviewSerializer(data=request.data)
        review.is_valid(raise_exception=True)
        certification = services.certification_review(
            certification=certification, by=request.user, **review.validated_data
        )
        return Response(self.get_serializer(certification).data)

    # The download is sent with the content type of the kind stored (see uploads.py), or octet-stream.
    @extend_schema(
        responses={
            (200, media_type): bytes for media_type in [*ALLOWED_KINDS.values(), "application/octet-stream"]
        }
    )
    @decorators.action(detail=True, methods=["get"])
    def document(self, request, pk=None):
        """Download the certificate's document."""
        certification = self.get_object()
        return file_download_response(certification.document, download_name=f"certificate-{certification.pk}")


class CapabilityClaimSerializer(ScopedModelSerializer):
    class Meta:
        model = CapabilityClaim
        fields = ["id", "supplier", "field", "category", "quantity", "unit", "text", "source", "claimed_at"]
        read_only_fields = fields


class CapabilityClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The capability statement's history: each claimed value with its date; the latest per field is current."""

    serializer_class = CapabilityClaimSerializer
    filterset_fields = ["supplier", "field", "category", "source"]
    ordering_fields = ["claimed_at"]

    def get_queryset(self):
        return CapabilityClaim.objects.visible_to(self.request.user).order_by("-claimed_at", "-pk")
