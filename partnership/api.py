"""The partnership ledger's API endpoints: announcements (staff publish and read receipts; a factory reads its own
and acknowledges) and new-product invitations (staff invite; a factory answers, asks and records samples)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import decorators, mixins, serializers, status, viewsets
from rest_framework.response import Response

from core.api import ScopedModelSerializer, ScopedSerializer
from core.inputs import DATE_BOUNDS, MAX_QUANTITY
from suppliers.models import ProductCategory, Supplier

from . import ideas_api, training_api
from .models import Announcement, AnnouncementRead, InvitationMessage, Invitee, ProductInvitation, Sample
from .models.invitations import MAX_PRICE
from .selectors import announcements as announcement_selectors
from .services import announcements as announcement_services
from .services import invitations as invitation_services
from .services import samples as sample_services


class AnnouncementSerializer(ScopedModelSerializer):
    suppliers = serializers.PrimaryKeyRelatedField(
        queryset=Supplier.objects.all(), many=True, required=False, write_only=True
    )
    category = serializers.PrimaryKeyRelatedField(
        queryset=ProductCategory.objects.all(), required=False, allow_null=True
    )
    read_count = serializers.IntegerField(read_only=True, required=False)
    recipient_count = serializers.IntegerField(read_only=True, required=False)
    staff_only_fields = ("audience", "category", "read_count", "recipient_count", "withdrawn_at")

    class Meta:
        model = Announcement
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "audience",
            "suppliers",
            "category",
            "published_at",
            "withdrawn_at",
            "recipient_count",
            "read_count",
        ]
        read_only_fields = ["published_at", "withdrawn_at"]


class AnnouncementReadSerializer(ScopedModelSerializer):
    class Meta:
        model = AnnouncementRead
        fields = ["announcement", "user", "read_at"]
        read_only_fields = fields


class AnnouncementViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Announcements and market insights. Staff publish one to all active suppliers, chosen ones or a product
    category's (POST), list them with read counts and withdraw one; a factory's token lists those addressed to
    its company and acknowledges one (`POST /announcements/{id}/acknowledge/`, idempotent)."""

    serializer_class = AnnouncementSerializer
    filterset_fields = ["kind"]
    ordering_fields = ["published_at"]
    write_capability = announcement_services.PUBLISH
    write_capabilities = {"acknowledge": announcement_services.PUBLISH}  # staff get the service's refusal
    portal_write_actions = ("acknowledge",)

    def get_queryset(self):
        return announcement_selectors.announcement_list(user=self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        announcement = announcement_services.announcement_publish(
            by=request.user,
            kind=data.get("kind", Announcement.Kind.ANNOUNCEMENT),
            title=data["title"],
            body=data["body"],
            audience=data["audience"],
            suppliers=data.get("suppliers", []),
            category=data.get("category"),
        )
        return Response(self.get_serializer(announcement).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=AnnouncementReadSerializer)
    @decorators.action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """The factory contact marks the announcement read (its first read time is kept)."""
        read = announcement_services.announcement_mark_read(announcement=self.get_object(), by=request.user)
        return Response(AnnouncementReadSerializer(read, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=AnnouncementSerializer)
    @decorators.action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw the announcement: it leaves the portal."""
        announcement = announcement_services.announcement_withdraw(
            announcement=self.get_object(), by=request.user
        )
        return Response(self.get_serializer(announcement).data)


class InviteeSerializer(ScopedModelSerializer):
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)

    class Meta:
        model = Invitee
        fields = ["id", "supplier", "supplier_name", "status", "reason", "answered_at"]
        read_only_fields = fields


class ProductInvitationSerializer(ScopedModelSerializer):
    suppliers = serializers.PrimaryKeyRelatedField(
        queryset=Supplier.objects.all(), many=True, write_only=True
    )
    invitees = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()
    target_price = serializers.DecimalField(
        max_digits=14, decimal_places=4, min_value=0, max_value=MAX_PRICE, required=False, allow_null=True
    )
    target_volume = serializers.IntegerField(
        min_value=1, max_value=MAX_QUANTITY, required=False, allow_null=True
    )
    respond_by = serializers.DateField(validators=DATE_BOUNDS)

    class Meta:
        model = ProductInvitation
        fields = [
            "id",
            "title",
            "specification",
            "target_price",
            "currency",
            "target_volume",
            "respond_by",
            "suppliers",
            "invitees",
            "files",
            "created_at",
            "withdrawn_at",
        ]
        read_only_fields = ["created_at", "withdrawn_at"]

    def get_invitees(self, invitation) -> list[dict]:
        # Prefetched through the reader's visible_to: a factory sees only its own company's place.
        return InviteeSerializer(invitation.invitees.all(), many=True, context=self.context).data

    def get_files(self, invitation) -> list[str]:
        return [spec.file.url for spec in invitation.files.all()]


class InvitationAnswerSerializer(ScopedSerializer):
    status = serializers.ChoiceField(choices=[Invitee.Status.INTERESTED, Invitee.Status.DECLINED])
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class InvitationQuestionSerializer(ScopedSerializer):
    text = serializers.CharField(max_length=4000)


class InvitationMessageSerializer(ScopedModelSerializer):
    class Meta:
        model = InvitationMessage
        fields = ["id", "from_factory", "text", "created_at"]
        read_only_fields = fields


class SampleSerializer(ScopedModelSerializer):
    sent_on = serializers.DateField(validators=DATE_BOUNDS)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)

    class Meta:
        model = Sample
        fields = ["id", "sent_on", "quantity", "tracking", "note", "result", "evaluation_note"]
        read_only_fields = ["result", "evaluation_note"]


class ProductInvitationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """New-product invitations. Staff invite suppliers (POST; spec files are attached on the staff page) and see
    every invitee's answer; a factory's token sees only the invitations its company is invited to and only its own
    answer, and answers (`respond`), asks the buyer (`ask`) or records samples sent (`samples`)."""

    serializer_class = ProductInvitationSerializer
    ordering_fields = ["created_at", "respond_by"]
    write_capability = invitation_services.EDIT
    write_capabilities = {a: invitation_services.EDIT for a in ("respond", "ask", "samples")}
    portal_write_actions = ("respond", "ask", "samples")

    def get_queryset(self):
        user = self.request.user
        return (
            ProductInvitation.objects.visible_to(user)
            .prefetch_related(
                Prefetch("invitees", queryset=Invitee.objects.visible_to(user).select_related("supplier")),
                "files",
            )
            .order_by("-created_at", "-pk")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        invitation = invitation_services.invitation_create(
            by=request.user,
            title=data["title"],
            specification=data["specification"],
            respond_by=data["respond_by"],
            suppliers=data["suppliers"],
            target_price=data.get("target_price"),
            currency=data.get("currency", ""),
            target_volume=data.get("target_volume"),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=invitation.pk)).data, status=201)

    def _own_invitee(self):
        invitation = self.get_object()
        if not self.request.user.is_portal_user:
            raise PermissionDenied(_("The factory answers its invitation."))
        return invitation, get_object_or_404(
            Invitee.objects.visible_to(self.request.user), invitation=invitation
        )

    @extend_schema(request=InvitationAnswerSerializer, responses=InviteeSerializer)
    @decorators.action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        """The factory answers: interested, or declined with a reason."""
        _invitation, invitee = self._own_invitee()
        payload = InvitationAnswerSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        invitee = invitation_services.invitation_respond(
            invitee=invitee, by=request.user, **payload.validated_data
        )
        return Response(InviteeSerializer(invitee, context=self.get_serializer_context()).data)

    @extend_schema(request=InvitationQuestionSerializer, responses=InvitationMessageSerializer)
    @decorators.action(detail=True, methods=["post"])
    def ask(self, request, pk=None):
        """The factory asks the buyer a question (only its own company and the buyer see it)."""
        _invitation, invitee = self._own_invitee()
        payload = InvitationQuestionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        message = invitation_services.invitation_message_post(
            invitee=invitee, by=request.user, text=payload.validated_data["text"]
        )
        return Response(InvitationMessageSerializer(message, context=self.get_serializer_context()).data)

    @extend_schema(request=SampleSerializer, responses=SampleSerializer)
    @decorators.action(detail=True, methods=["post"])
    def samples(self, request, pk=None):
        """The factory records samples it sent."""
        _invitation, invitee = self._own_invitee()
        payload = SampleSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        sample = sample_services.sample_record(invitee=invitee, by=request.user, **payload.validated_data)
        return Response(SampleSerializer(sample, context=self.get_serializer_context()).data, status=201)


def register(router) -> None:
    """Add this app's endpoints to the project's API router."""
    ideas_api.register(router)
    training_api.register(router)
    router.register("announcements", AnnouncementViewSet, basename="announcement")
    router.register("product-invitations", ProductInvitationViewSet, basename="product-invitation")
