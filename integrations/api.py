"""REST endpoints for administrators: webhook endpoints (the secret in the answer to create and rotate only) and
their deliveries, with replay."""

from drf_spectacular.utils import extend_schema
from rest_framework import decorators, mixins, serializers, status, viewsets
from rest_framework.response import Response

from accounts.models import User
from accounts.roles import STAFF_ROLES
from core.api import ScopedModelSerializer
from core.events import EventType

from . import selectors, services
from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


class WebhookEndpointSerializer(ScopedModelSerializer):
    url = serializers.CharField(max_length=500)
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices), allow_empty=False, max_length=20
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role__in=STAFF_ROLES, is_active=True),
        required=False,
        help_text="Told when the endpoint fails for a day and is paused; default: you.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "name",
            "url",
            "event_types",
            "owner",
            "is_active",
            "failing_since",
            "paused_at",
            "created_at",
        ]
        read_only_fields = ["failing_since", "paused_at", "created_at"]


class WebhookEndpointSecretSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="The signing secret: in this answer only (create, rotate-secret); keep it."
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


class WebhookAttemptSerializer(ScopedModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["number", "started_at", "status_code", "duration_ms", "error"]


class WebhookDeliverySerializer(ScopedModelSerializer):
    event_id = serializers.UUIDField(source="event.uuid", read_only=True)
    event_type = serializers.CharField(source="event.type", read_only=True)
    attempt_log = WebhookAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event_id",
            "event_type",
            "endpoint",
            "channel",
            "status",
            "attempts",
            "next_attempt_at",
            "delivered_at",
            "last_status_code",
            "last_error",
            "replay_of",
            "created_at",
            "attempt_log",
        ]
        read_only_fields = fields


class WebhookEndpointViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Webhook endpoints (administrators; anyone else sees none). The secret is returned once, on create."""

    serializer_class = WebhookEndpointSerializer
    write_capability = "integration.manage"

    def get_queryset(self):
        return selectors.endpoint_list(user=self.request.user)

    @extend_schema(responses={201: WebhookEndpointSecretSerializer})
    def create(self, request, *args, **kwargs):
        payload = self.get_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        endpoint = services.endpoint_create(
            by=request.user,
            name=data["name"],
            url=data["url"],
            event_types=data["event_types"],
            owner=data.get("owner"),
        )
        answer = WebhookEndpointSecretSerializer(endpoint, context=self.get_serializer_context())
        return Response(answer.data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        endpoint = self.get_object()
        payload = self.get_serializer(endpoint, data=request.data, partial=kwargs.get("partial", False))
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        endpoint = services.endpoint_update(
            endpoint=endpoint,
            by=request.user,
            name=data.get("name", endpoint.name),
            url=data.get("url", endpoint.url),
            event_types=data.get("event_types", endpoint.event_types),
            owner=data.get("owner", endpoint.owner),
            is_active=data.get("is_active", endpoint.is_active),
        )
        return Response(self.get_serializer(endpoint).data)

    @extend_schema(request=None, responses=WebhookEndpointSecretSerializer)
    @decorators.action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        """Make a new signing secret (returned in this answer only); the old one stops verifying at once."""
        endpoint = services.endpoint_rotate_secret(endpoint=self.get_object(), by=request.user)
        return Response(WebhookEndpointSecretSerializer(endpoint, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=WebhookEndpointSerializer)
    @decorators.action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        """Send to a paused endpoint again; its waiting deliveries go out at once."""
        endpoint = services.target_resume(target=self.get_object(), by=request.user)
        return Response(self.get_serializer(endpoint).data)


class WebhookDeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Deliveries of webhooks and chat messages, newest first, each with its attempts; replay one."""

    serializer_class = WebhookDeliverySerializer
    filterset_fields = ["endpoint", "channel", "status"]
    write_capability = "integration.manage"

    def get_queryset(self):
        return selectors.delivery_list(user=self.request.user).prefetch_related("attempt_log")

    @extend_schema(request=None, responses={201: WebhookDeliverySerializer})
    @decorators.action(detail=True, methods=["post"])
    def replay(self, request, pk=None):
        """Send the delivery's event again (same event id) as a new delivery."""
        replay = services.delivery_replay(delivery=self.get_object(), by=request.user)
        return Response(self.get_serializer(replay).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("webhook-endpoints", WebhookEndpointViewSet, basename="webhook-endpoint")
    router.register("webhook-deliveries", WebhookDeliveryViewSet, basename="webhook-delivery")
