"""Reads of the integrations app, for the staff pages, the API and the admin."""

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User

from .models import ChatChannel, WebhookDelivery, WebhookEndpoint

RECENT_DELIVERIES = 50


def _with_counts(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("owner").annotate(
        failed_count=Count("deliveries", filter=Q(deliveries__status=WebhookDelivery.Status.FAILED)),
        pending_count=Count("deliveries", filter=Q(deliveries__status=WebhookDelivery.Status.PENDING)),
    )


def endpoint_list(*, user: User) -> QuerySet[WebhookEndpoint]:
    """Return the webhook endpoints with their failed and waiting delivery counts."""
    return _with_counts(WebhookEndpoint.objects.visible_to(user)).order_by("name", "pk")


def channel_list(*, user: User) -> QuerySet[ChatChannel]:
    """Return the chat channels with their failed and waiting delivery counts."""
    return _with_counts(ChatChannel.objects.visible_to(user).select_related("supplier_owner")).order_by(
        "name", "pk"
    )


def endpoint_get(*, user: User, pk: int) -> WebhookEndpoint:
    """Return one endpoint the user may manage (404 otherwise)."""
    return get_object_or_404(WebhookEndpoint.objects.visible_to(user).select_related("owner"), pk=pk)


def channel_get(*, user: User, pk: int) -> ChatChannel:
    """Return one chat channel the user may manage (404 otherwise)."""
    return get_object_or_404(
        ChatChannel.objects.visible_to(user).select_related("owner", "supplier_owner"), pk=pk
    )


def delivery_list(*, user: User, target=None) -> QuerySet[WebhookDelivery]:
    """Return deliveries, newest first, with their event and target (one target's when given)."""
    queryset = WebhookDelivery.objects.visible_to(user).select_related("event", "endpoint", "channel")
    if isinstance(target, WebhookEndpoint):
        queryset = queryset.filter(endpoint=target)
    elif isinstance(target, ChatChannel):
        queryset = queryset.filter(channel=target)
    return queryset.order_by("-created_at", "-pk")


def delivery_get(*, user: User, pk: int) -> WebhookDelivery:
    """Return one delivery the user may see, with its attempts (404 otherwise)."""
    return get_object_or_404(
        delivery_list(user=user).prefetch_related("attempt_log"),
        pk=pk,
    )
