"""REST endpoints for QC inspections, lab reports, audits and corrective actions."""

from drf_spectacular.utils import extend_schema
from rest_framework import decorators, mixins, serializers, status, viewsets
from rest_framework.response import Response

from core.api import ScopedModelSerializer, ScopedSerializer
from core.uploads import validate_upload
from orders.models import Delivery, PurchaseOrder
from suppliers.models import CertificationStandard, ProductCategory, Supplier

from . import selectors, services
from .models import (
    Audit,
    BatchTest,
    CapabilityObservation,
    CorrectiveAction,
    Finding,
    QCInspection,
    VerificationPolicy,
    VisitCadence,
    VisitNote,
    VisitPerson,
)


class InspectionSerializer(ScopedModelSerializer):
    # QC's notes and the reason for overriding the computed result are internal (the portal shows neither);
    # the computed result next to an overridden one would tell that an override happened.
    staff_only_fields = ("notes", "override_reason", "computed_result")

    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all())
    order = serializers.PrimaryKeyRelatedField(
        queryset=PurchaseOrder.objects.all(), required=False, allow_null=True
    )
    delivery = serializers.PrimaryKeyRelatedField(
        queryset=Delivery.objects.all(), required=False, allow_null=True
    )
    result = serializers.ChoiceField(choices=QCInspection.Result.choices, required=False, allow_null=True)

    # Why a lot on reduced inspection was inspected on the normal plan (a disputed cell of ISO 2859-1 Table 2-C), or "".
    plan_note = serializers.CharField(source="reduced_fallback_note", read_only=True)

    class Meta:
        model = QCInspection
        fields = [
            "id",
            "supplier",
            "order",
            "delivery",
            "checkpoint",
            "inspected_on",
            "lot_number",
            "lot_size",
            "level",
            "aql_major",
            "aql_minor",
            "code_letter",
            "sample_size",
            "major_accept",
            "major_reject",
            "minor_accept",
            "minor_reject",
            "critical_defects",
            "major_defects",
            "minor_defects",
            "defective_units",
            "computed_result",
            "result",
            "override_reason",
            "notes",
            "shared_with_supplier",
            "sku",
            "severity",
            "plan_note",
        ]
        read_only_fields = [
            "sku",
            "severity",
            "code_letter",
            "sample_size",
            "major_accept",
            "major_reject",
            "minor_accept",
            "minor_reject",
            "computed_result",
        ]


class BatchTestSerializer(ScopedModelSerializer):
    report = serializers.FileField(write_only=True, validators=[validate_upload])
    # Staff name the supplier (one they may see: the scoped base narrows the choice); a factory's lab report is
    # always its own company's.
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all(), required=False)

    class Meta:
        model = BatchTest
        fields = [
            "id",
            "supplier",
            "order",
            "lot_number",
            "standard",
            "laboratory",
            "tested_on",
            "outcome",
            "report",
            "review",
            "review_note",
        ]
        read_only_fields = ["review", "review_note"]

    def get_fields(self):
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        if user is not None and user.is_authenticated and user.is_portal_user:
            fields["supplier"].read_only = True
        return fields


class FindingSerializer(ScopedModelSerializer):
    class Meta:
        model = Finding
        fields = ["id", "severity", "clause", "description"]


class AuditSerializer(ScopedModelSerializer):
    findings = FindingSerializer(many=True, read_only=True)
    # A planned audit has no result yet: "" (the schema's enum must list it).
    result = serializers.ChoiceField(choices=Audit.Result.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Audit
        fields = [
            "id",
            "supplier",
            "audit_type",
            "announced",
            "third_party",
            "firm",
            "planned_on",
            "performed_on",
            "status",
            "score",
            "result",
            "summary",
            "findings",
        ]
        read_only_fields = fields


class CorrectiveActionSerializer(ScopedModelSerializer):
    # The inspection it was raised from may be one the factory was not shown.
    staff_only_fields = ("inspection",)

    class Meta:
        model = CorrectiveAction
        fields = [
            "id",
            "supplier",
            "finding",
            "inspection",
            "title",
            "problem",
            "due_on",
            "status",
            "supplier_owner",
            "containment",
            "root_cause",
            "corrective_action",
            "preventive_action",
            "submitted_at",
            "verified_at",
            "verification_note",
        ]
        read_only_fields = fields


class CapaAnswerSerializer(ScopedSerializer):
    supplier_owner = serializers.CharField()
    containment = serializers.CharField()
    root_cause = serializers.CharField()
    corrective_action = serializers.CharField()
    preventive_action = serializers.CharField()


class VerifySerializer(ScopedSerializer):
    accept = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class InspectionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """QC inspections; POST computes the ISO 2859-1 plan and the result from the defects counted."""

    serializer_class = InspectionSerializer
    filterset_fields = ["supplier", "order", "checkpoint", "result"]
    ordering_fields = ["inspected_on"]
    write_capability = "inspection.edit"

    def get_queryset(self):
        return QCInspection.objects.visible_to(self.request.user).order_by("-inspected_on", "-pk")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        inspection = services.inspection_record(by=request.user, **data)
        return Response(self.get_serializer(inspection).data, status=status.HTTP_201_CREATED)


class BatchTestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Lab reports; a factory token uploads them for its own lots."""

    serializer_class = BatchTestSerializer
    filterset_fields = ["order", "outcome", "review"]
    write_capability = "inspection.edit"
    portal_write_actions = ("create",)

    def get_queryset(self):
        return BatchTest.objects.visible_to(self.request.user).order_by("-tested_on", "-pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        user = self.request.user
        supplier = user.supplier if user.is_portal_user else data.pop("supplier", None)
        if supplier is None:
            raise serializers.ValidationError({"supplier": "This field is required."})
        serializer.instance = services.batch_test_submit(supplier=supplier, by=user, **data)


class AuditViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Audits with findings (a planned unannounced audit never reaches a factory token)."""

    serializer_class = AuditSerializer
    filterset_fields = ["supplier", "audit_type", "status", "result"]

    def get_queryset(self):
        return (
            Audit.objects.visible_to(self.request.user)
            .prefetch_related("findings")
            .order_by("-planned_on", "-pk")
        )


class CorrectiveActionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Corrective actions: the factory submits its answer, QC verifies or rejects it."""

    serializer_class = CorrectiveActionSerializer
    filterset_fields = ["supplier", "status"]
    write_capabilities = {"submit": "capa.edit", "verify": "capa.edit"}
    portal_write_actions = ("submit",)

    def get_queryset(self):
        return CorrectiveAction.objects.visible_to(self.request.user).order_by("due_on", "pk")

    @extend_schema(request=CapaAnswerSerializer, responses=CorrectiveActionSerializer)
    @decorators.action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """The supplier's answer: containment, root cause, corrective and preventive action."""
        action = self.get_object()
        payload = CapaAnswerSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        action = services.capa_submit(action=action, by=request.user, **payload.validated_data)
        return Response(self.get_serializer(action).data)

    @extend_schema(request=VerifySerializer, responses=CorrectiveActionSerializer)
    @decorators.action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """QC verifies (accept=true) or rejects with a note (accept=false)."""
        action = self.get_object()
        payload = VerifySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        action = services.capa_verify(action=action, by=request.user, **payload.validated_data)
        return Response(self.get_serializer(action).data)


class CapabilityObservationSerializer(ScopedModelSerializer):
    # The auditor's working note stays with the buyer.
    staff_only_fields = ("note",)

    class Meta:
        model = CapabilityObservation
        fields = [
            "id",
            "audit",
            "supplier",
            "field",
            "category",
            "quantity",
            "text",
            "observed_on",
            "note",
            "finding",
        ]
        read_only_fields = ["supplier", "finding"]
        extra_kwargs = {"audit": {"required": True, "allow_null": False}}
        # One observation per audit, field and category: a second POST corrects it (the service decides).
        validators = []


class CapabilityObservationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """What audits observed of suppliers' capability statements; POST records one value on an audit."""

    serializer_class = CapabilityObservationSerializer
    filterset_fields = ["supplier", "audit", "field"]
    ordering_fields = ["observed_on"]
    write_capability = "audit.edit"

    def get_queryset(self):
        return CapabilityObservation.objects.visible_to(self.request.user).order_by("-observed_on", "-pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.capability_observe(by=self.request.user, **data)


class VisitPersonSerializer(ScopedModelSerializer):
    class Meta:
        model = VisitPerson
        fields = ["id", "audit", "supplier", "role", "name", "area"]
        read_only_fields = fields


class VisitNoteSerializer(ScopedModelSerializer):
    # Whether a note is internal says nothing a factory may read: it only ever sees the shared ones.
    staff_only_fields = ("shared",)

    class Meta:
        model = VisitNote
        fields = [
            "id",
            "audit",
            "supplier",
            "kind",
            "text",
            "owner",
            "due_on",
            "done_on",
            "shared",
            "created_at",
        ]
        read_only_fields = fields


class VisitPersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The people met on the factory side during visits (audits)."""

    serializer_class = VisitPersonSerializer
    filterset_fields = ["supplier", "audit", "role"]

    def get_queryset(self):
        return VisitPerson.objects.visible_to(self.request.user).order_by("audit_id", "role", "pk")


class VisitNoteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Challenges, ideas and follow-ups raised during visits; a factory token reads the shared ones."""

    serializer_class = VisitNoteSerializer
    filterset_fields = ["supplier", "audit", "kind"]
    ordering_fields = ["due_on", "created_at"]

    def get_queryset(self):
        return VisitNote.objects.visible_to(self.request.user).order_by("audit_id", "kind", "due_on", "pk")


class VisitCadenceSerializer(ScopedModelSerializer):
    class Meta:
        model = VisitCadence
        fields = ["id", "supplier", "every_months"]
        # One cadence per supplier: a second POST for the same supplier changes it (the service decides).
        extra_kwargs = {"supplier": {"validators": []}}


class VisitCadenceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """How often each supplier is visited on site (staff only: a factory token sees none). POST sets a
    supplier's cadence (1–60 months, replacing any), DELETE removes it; the visit_due red flag follows."""

    serializer_class = VisitCadenceSerializer
    filterset_fields = ["supplier"]
    write_capability = "supplier.edit"

    def get_queryset(self):
        return VisitCadence.objects.visible_to(self.request.user).order_by("supplier_id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.visit_cadence_set(
            supplier=data["supplier"], by=self.request.user, every_months=data["every_months"]
        )

    def perform_destroy(self, instance):
        services.visit_cadence_set(supplier=instance.supplier, by=self.request.user, every_months=None)


class VerificationPolicySerializer(ScopedModelSerializer):
    category = serializers.PrimaryKeyRelatedField(
        queryset=ProductCategory.objects.all(), allow_null=True, required=False
    )
    required_certificates = serializers.ListField(
        child=serializers.ChoiceField(choices=CertificationStandard.choices), required=False
    )

    class Meta:
        model = VerificationPolicy
        fields = [
            "id",
            "category",
            "risk_tier",
            "audit_every_months",
            "capacity_every_months",
            "required_certificates",
            "replacement_certificate",
            "replacement_months_on_target",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        # The model's own checks (unique per category and tier) run in the service, with its messages.
        validators = []


class VerificationPolicyViewSet(viewsets.ModelViewSet):
    """Verification policies (staff only; a factory token gets an empty list): what is renewed how often."""

    serializer_class = VerificationPolicySerializer
    filterset_fields = ["category", "risk_tier"]
    write_capability = "policy.edit"

    def get_queryset(self):
        return selectors.verification_policy_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.verification_policy_save(
            by=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.verification_policy_save(
            by=self.request.user, policy=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.verification_policy_delete(by=self.request.user, policy=instance)
