"""Webhook endpoints and chat channels: register, change, rotate a secret, pause and resume (administrators)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability
from core.events import EventType
from core.queue import enqueue_on_commit

from ..models import ChatChannel, WebhookEndpoint, new_secret
from ..netguard import url_check
from ..tasks import webhook_deliveries_sweep_task


def _check_common(*, name: str, url: str, owner: User) -> tuple[str, str]:
    name, url = name.strip(), url.strip()
    if not name:
        raise ValidationError({"name": _("Give it a name.")})
    try:
        url_check(url)
    except ValidationError as exc:
        raise ValidationError({"url": exc.messages}) from None
    if owner is None or not owner.is_active or not owner.is_staff_member:
        raise ValidationError({"owner": _("Choose an active colleague to tell when it fails.")})
    return name, url


def _check_event_types(event_types) -> list[str]:
    chosen = sorted(set(event_types or []))
    unknown = [value for value in chosen if value not in EventType.values]
    if unknown:
        raise ValidationError({"event_types": _("Unknown event: %(names)s.") % {"names": ", ".join(unknown)}})
    if not chosen:
        raise ValidationError({"event_types": _("Choose at least one event.")})
    return chosen


@transaction.atomic
def endpoint_create(
    *, by: User, name: str, url: str, event_types, owner: User | None = None
) -> WebhookEndpoint:
    """Register a webhook endpoint with a fresh signing secret (shown to the administrator once)."""
    require_capability(by, "integration.manage")
    owner = owner or by
    name, url = _check_common(name=name, url=url, owner=owner)
    return WebhookEndpoint.objects.create(
        name=name, url=url, owner=owner, event_types=_check_event_types(event_types)
    )


@transaction.atomic
def endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    by: User,
    name: str,
    url: str,
    event_types,
    owner: User,
    is_active: bool = True,
) -> WebhookEndpoint:
    """Change an endpoint's name, URL, events, owner or whether it is active (the secret stays)."""
    require_capability(by, "integration.manage")
    endpoint.name, endpoint.url = _check_common(name=name, url=url, owner=owner)
    endpoint.event_types = _check_event_types(event_types)
    endpoint.owner, endpoint.is_active = owner, is_active
    endpoint.save(update_fields=["name", "url", "event_types", "owner", "is_active"])
    return endpoint


@transaction.atomic
def endpoint_rotate_secret(*, endpoint: WebhookEndpoint, by: User) -> WebhookEndpoint:
    """Give an endpoint a new signing secret (the old one stops working at once)."""
    require_capability(by, "integration.manage")
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret"])
    return endpoint


def _check_scope(scope: str, supplier_owner: User | None) -> User | None:
    if scope not in ChatChannel.Scope.values:
        raise ValidationError({"scope": _("Choose every supplier or one owner's suppliers.")})
    if scope == ChatChannel.Scope.OWNER:
        if supplier_owner is None or not supplier_owner.is_staff_member:
            raise ValidationError({"supplier_owner": _("Choose whose suppliers this channel follows.")})
        return supplier_owner
    return None


@transaction.atomic
def channel_create(
    *,
    by: User,
    name: str,
    kind: str,
    url: str,
    scope: str = ChatChannel.Scope.ALL,
    supplier_owner: User | None = None,
    language: str = "en",
    owner: User | None = None,
) -> ChatChannel:
    """Register a Slack or Teams incoming webhook for red flags and escalations (everyone's, or one owner's)."""
    require_capability(by, "integration.manage")
    owner = owner or by
    name, url = _check_common(name=name, url=url, owner=owner)
    if kind not in ChatChannel.Kind.values:
        raise ValidationError({"kind": _("Choose Slack or Microsoft Teams.")})
    return ChatChannel.objects.create(
        name=name,
        kind=kind,
        url=url,
        owner=owner,
        scope=scope,
        supplier_owner=_check_scope(scope, supplier_owner),
        language=language,
    )


@transaction.atomic
def channel_update(
    *,
    channel: ChatChannel,
    by: User,
    name: str,
    kind: str,
    url: str,
    scope: str,
    supplier_owner: User | None,
    language: str,
    owner: User,
    is_active: bool = True,
) -> ChatChannel:
    """Change a chat channel."""
    require_capability(by, "integration.manage")
    channel.name, channel.url = _check_common(name=name, url=url, owner=owner)
    if kind not in ChatChannel.Kind.values:
        raise ValidationError({"kind": _("Choose Slack or Microsoft Teams.")})
    channel.kind, channel.scope, channel.language = kind, scope, language
    channel.supplier_owner = _check_scope(scope, supplier_owner)
    channel.owner, channel.is_active = owner, is_active
    channel.save()
    return channel


@transaction.atomic
def target_pause(*, target, by: User | None = None):
    """Stop sending to an endpoint or channel; its pending deliveries wait until it is resumed."""
    if by is not None:
        require_capability(by, "integration.manage")
    type(target).objects.filter(pk=target.pk, paused_at__isnull=True).update(paused_at=timezone.now())
    target.refresh_from_db()
    return target


@transaction.atomic
def target_resume(*, target, by: User):
    """Send to a paused endpoint or channel again: its waiting deliveries are due at once."""
    require_capability(by, "integration.manage")
    now = timezone.now()
    type(target).objects.filter(pk=target.pk).update(paused_at=None, failing_since=None)
    target.deliveries.filter(status="pending").update(next_attempt_at=now)
    target.refresh_from_db()
    enqueue_on_commit(webhook_deliveries_sweep_task)
    return target
