"""REST endpoints of the payments app. An ERP records invoices and payments; the factory's token submits
invoices for its own orders (never setting the supplier) and accepts or disputes proposed payment terms.

Invoices with their PDF go as multipart, the lines as `lines[0]order_line`, `lines[0]quantity`,
`lines[0]unit_price`, ...; without a file, JSON with a `lines` list works too.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import decorators, mixins, serializers, status, viewsets
from rest_framework.response import Response

from core.api import ScopedModelSerializer, ScopedSerializer
from core.inputs import DATE_BOUNDS
from core.uploads import validate_upload
from suppliers.models import Supplier

from . import selectors, services
from .models import Invoice, InvoiceCharge, InvoiceDiscrepancy, InvoiceLine, Payment, PaymentTermChange


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if request else url


class InvoiceLineSerializer(ScopedModelSerializer):
    # A plain id: the service checks it is a line of the invoiced order, without telling whether it exists.
    order_line = serializers.IntegerField(source="order_line_id")
    sku = serializers.CharField(source="order_line.sku", read_only=True)
    agreed_unit_price = serializers.DecimalField(
        source="order_line.unit_price", max_digits=12, decimal_places=4, read_only=True
    )
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = InvoiceLine
        fields = ["id", "order_line", "sku", "quantity", "unit_price", "agreed_unit_price", "amount"]


class InvoiceChargeSerializer(ScopedModelSerializer):
    # Blank passes here so that the service refuses a charge without a reason with its own, clearer message.
    reason = serializers.CharField(max_length=300, allow_blank=True)

    class Meta:
        model = InvoiceCharge
        fields = ["id", "kind", "amount", "reason"]


class DiscrepancySerializer(ScopedModelSerializer):
    invoice_number = serializers.CharField(source="invoice.number", read_only=True)

    class Meta:
        model = InvoiceDiscrepancy
        fields = [
            "id",
            "invoice",
            "invoice_number",
            "supplier",
            "line",
            "charge",
            "kind",
            "expected",
            "invoiced",
            "status",
            "created_at",
            "resolved_at",
            "resolution_note",
        ]
        read_only_fields = fields


class PaymentSerializer(ScopedModelSerializer):
    invoice = serializers.PrimaryKeyRelatedField(queryset=Invoice.objects.all())  # narrowed to the caller's

    class Meta:
        model = Payment
        fields = ["id", "invoice", "supplier", "paid_on", "amount", "reference", "recorded_at"]
        read_only_fields = ["supplier", "recorded_at"]


class InvoiceSerializer(ScopedModelSerializer):
    lines = InvoiceLineSerializer(many=True)
    charges = InvoiceChargeSerializer(many=True, required=False)
    discrepancies = DiscrepancySerializer(many=True, read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)
    paid_total = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    document = serializers.FileField(write_only=True, required=False, validators=[validate_upload])
    document_url = serializers.SerializerMethodField()
    received_on = serializers.DateField(required=False, validators=DATE_BOUNDS)
    # A factory may write notes on the invoice it submits, but notes staff keep on an invoice stay theirs.
    staff_only_fields = ("notes",)

    class Meta:
        model = Invoice
        fields = [
            "id",
            "supplier",
            "order",
            "number",
            "invoice_date",
            "received_on",
            "currency",
            "amount",
            "payment_terms_days",
            "terms_source",
            "due_on",
            "status",
            "paid_on",
            "paid_total",
            "rejection_reason",
            "notes",
            "document",
            "document_url",
            "lines",
            "charges",
            "discrepancies",
            "payments",
        ]
        read_only_fields = [
            "supplier",
            "currency",
            "amount",
            "payment_terms_days",
            "terms_source",
            "due_on",
            "status",
            "paid_on",
            "rejection_reason",
        ]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        # Only an order the caller may see and that can take an invoice; a factory token sees its own.
        fields["order"].queryset = selectors.orders_to_invoice(user=getattr(request, "user", None))
        return fields

    def get_document_url(self, obj) -> str | None:
        return _absolute(self.context.get("request"), obj.document.url) if obj.document else None


class ResolveSerializer(ScopedSerializer):
    note = serializers.CharField()


class RejectSerializer(ScopedSerializer):
    reason = serializers.CharField()


class TermChangeSerializer(ScopedModelSerializer):
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all())  # narrowed to the caller's

    class Meta:
        model = PaymentTermChange
        fields = [
            "id",
            "supplier",
            "previous_terms_days",
            "new_terms_days",
            "effective_on",
            "reason",
            "status",
            "proposed_at",
            "answered_at",
            "supplier_comment",
            "agreed_at",
            "agreement_note",
            "withdrawn_at",
        ]
        read_only_fields = [
            "previous_terms_days",
            "status",
            "proposed_at",
            "answered_at",
            "supplier_comment",
            "agreed_at",
            "agreement_note",
            "withdrawn_at",
        ]


class AnswerSerializer(ScopedSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class AgreementSerializer(ScopedSerializer):
    note = serializers.CharField()


class InvoiceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Invoices with lines, discrepancies and payments. POST records one and runs the three-way match."""

    serializer_class = InvoiceSerializer
    filterset_fields = ["supplier", "order", "status"]
    search_fields = ["number", "order__number"]
    ordering_fields = ["invoice_date", "due_on", "amount"]
    write_capability = "invoice.edit"
    portal_write_actions = ("create",)

    def get_queryset(self):
        return (
            selectors.invoice_list(user=self.request.user)
            .prefetch_related("lines__order_line", "charges", "discrepancies", "payments")
            .order_by("-invoice_date", "-pk")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if request.user.is_portal_user:
            data.pop("received_on", None)  # a factory's invoice arrives the day it is submitted
        data["lines"] = [
            {
                "order_line": line["order_line_id"],
                "quantity": line["quantity"],
                "unit_price": line["unit_price"],
            }
            for line in data["lines"]
        ]
        data["charges"] = [dict(charge) for charge in data.get("charges", [])]
        invoice = services.invoice_record(by=request.user, **data)
        invoice = self.get_queryset().get(pk=invoice.pk)
        return Response(self.get_serializer(invoice).data, status=status.HTTP_201_CREATED)

    def _respond(self, invoice):
        return Response(self.get_serializer(self.get_queryset().get(pk=invoice.pk)).data)

    @extend_schema(request=None, responses=InvoiceSerializer)
    @decorators.action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a matched invoice for payment (refused while a discrepancy is open)."""
        return self._respond(services.invoice_approve(invoice=self.get_object(), by=request.user))

    @extend_schema(request=RejectSerializer, responses=InvoiceSerializer)
    @decorators.action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject an invoice not yet approved, with a reason the supplier sees."""
        invoice = self.get_object()
        payload = RejectSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._respond(
            services.invoice_reject(invoice=invoice, by=request.user, **payload.validated_data)
        )


class DiscrepancyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Three-way-match discrepancies; staff resolve them with a note."""

    serializer_class = DiscrepancySerializer
    filterset_fields = ["supplier", "invoice", "kind", "status"]
    write_capability = "invoice.edit"

    def get_queryset(self):
        return selectors.discrepancy_list(user=self.request.user)

    @extend_schema(request=ResolveSerializer, responses=DiscrepancySerializer)
    @decorators.action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Close a discrepancy with a note saying how it was settled."""
        discrepancy = self.get_object()
        payload = ResolveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        discrepancy = services.discrepancy_resolve(
            discrepancy=discrepancy, by=request.user, **payload.validated_data
        )
        return Response(self.get_serializer(discrepancy).data)


class PaymentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Payments against approved invoices; POST records one (overpaying or repeating a reference is refused)."""

    serializer_class = PaymentSerializer
    filterset_fields = ["supplier", "invoice"]
    ordering_fields = ["paid_on"]
    write_capability = "payment.record"

    def get_queryset(self):
        return (
            Payment.objects.visible_to(self.request.user)
            .select_related("invoice")
            .order_by("-paid_on", "-pk")
        )

    def perform_create(self, serializer):
        serializer.instance = services.payment_record(by=self.request.user, **serializer.validated_data)


class TermChangeViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Payment-term changes: staff propose; the factory's token accepts or disputes; a manager may record an
    agreement reached another way."""

    serializer_class = TermChangeSerializer
    filterset_fields = ["supplier", "status"]
    write_capability = "terms.propose"
    write_capabilities = {"record_agreement": "terms.record_agreement"}
    portal_write_actions = ("accept", "dispute")

    def get_queryset(self):
        return selectors.term_change_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.term_change_propose(by=self.request.user, **serializer.validated_data)

    def _answer(self, service, payload_class):
        change = self.get_object()
        payload = payload_class(data=self.request.data)
        payload.is_valid(raise_exception=True)
        change = service(change=change, by=self.request.user, **payload.validated_data)
        return Response(self.get_serializer(change).data)

    @extend_schema(request=AnswerSerializer, responses=TermChangeSerializer)
    @decorators.action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The supplier accepts the proposed terms (optional `comment`)."""
        return self._answer(services.term_change_accept, AnswerSerializer)

    @extend_schema(request=AnswerSerializer, responses=TermChangeSerializer)
    @decorators.action(detail=True, methods=["post"])
    def dispute(self, request, pk=None):
        """The supplier disputes the proposed terms; `comment` is required."""
        return self._answer(services.term_change_dispute, AnswerSerializer)

    @extend_schema(request=AgreementSerializer, responses=TermChangeSerializer)
    @decorators.action(detail=True, methods=["post"], url_path="record-agreement")
    def record_agreement(self, request, pk=None):
        """A manager records an agreement reached outside the portal (`note`: how and with whom)."""
        return self._answer(services.term_change_record_agreement, AgreementSerializer)

    @extend_schema(request=None, responses=TermChangeSerializer)
    @decorators.action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw a proposal still waiting or disputed."""
        change = services.term_change_withdraw(change=self.get_object(), by=request.user)
        return Response(self.get_serializer(change).data)


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("invoices", InvoiceViewSet, basename="invoice")
    router.register("invoice-discrepancies", DiscrepancyViewSet, basename="invoice-discrepancy")
    router.register("payments", PaymentViewSet, basename="payment")
    router.register("payment-term-changes", TermChangeViewSet, basename="payment-term-change")
