"""Demo integrations: a webhook endpoint and a Slack channel, both switched off, so the Integrations page shows
what a registered one looks like (their example.com addresses would only fail, and pause them after a day)."""

from accounts.models import User
from core.events import EventType
from integrations import services
from integrations.models import ChatChannel, WebhookEndpoint


def seed_integrations(*, admin: User, buyer: User) -> None:
    """Register a switched-off ERP webhook and a buyer's switched-off Slack channel, once."""
    if not WebhookEndpoint.objects.filter(name="ERP (example)").exists():
        endpoint = services.endpoint_create(
            by=admin,
            name="ERP (example)",
            url="https://erp.example.com/forgeline/webhooks",
            event_types=[EventType.DELIVERY_RECEIVED, EventType.INVOICE_STATE, EventType.ORDER_STATE],
        )
        services.endpoint_update(
            endpoint=endpoint,
            by=admin,
            name=endpoint.name,
            url=endpoint.url,
            event_types=endpoint.event_types,
            owner=admin,
            is_active=False,
        )
    if not ChatChannel.objects.filter(name="#sourcing-alerts (example)").exists():
        channel = services.channel_create(
            by=admin,
            name="#sourcing-alerts (example)",
            kind=ChatChannel.Kind.SLACK,
            url="https://hooks.slack.com/services/T000/B000/example",
            scope=ChatChannel.Scope.OWNER,
            supplier_owner=buyer,
        )
        ChatChannel.objects.filter(pk=channel.pk).update(is_active=False)
