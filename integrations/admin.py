"""Django admin for integrations: endpoints and channels (the secret never shown), deliveries with a replay action."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .models import ChatChannel, WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from .netguard import url_check


class TargetAdminForm(forms.ModelForm):
    """The admin's form checks a URL as the staff page does (every send checks it again anyway)."""

    def clean_url(self):
        url = self.cleaned_data["url"]
        url_check(url)
        return url


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """The signing secret is not a field here: it is shown once, on the staff page that made it."""

    form = TargetAdminForm
    list_display = ["name", "url", "is_active", "failing_since", "paused_at", "owner"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    raw_id_fields = ["owner"]
    readonly_fields = ["failing_since", "created_at"]


@admin.register(ChatChannel)
class ChatChannelAdmin(admin.ModelAdmin):
    form = TargetAdminForm
    list_display = ["name", "kind", "scope", "supplier_owner", "is_active", "paused_at", "owner"]
    list_filter = ["kind", "scope", "is_active"]
    raw_id_fields = ["owner", "supplier_owner"]
    readonly_fields = ["failing_since", "created_at"]


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ["uuid", "type", "supplier_id", "occurred_at"]
    list_filter = ["type"]
    search_fields = ["=uuid"]
    readonly_fields = ["uuid", "type", "supplier_id", "payload", "occurred_at"]


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["number", "started_at", "status_code", "duration_ms", "error"]


@admin.action(description=_("Replay (send again with the same event id)"))
def replay(modeladmin, request, queryset):
    count = 0
    for delivery in queryset.select_related("endpoint", "channel"):
        try:
            services.delivery_replay(delivery=delivery, by=request.user)
            count += 1
        except Exception as exc:  # one refused replay (a switched-off target) does not stop the others
            messages.error(request, f"#{delivery.pk}: {exc}")
    if count:
        messages.success(request, _("%(n)s deliveries queued again.") % {"n": count})


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    inlines = [WebhookAttemptInline]
    actions = [replay]
    list_display = [
        "pk",
        "event",
        "endpoint",
        "channel",
        "status",
        "attempts",
        "last_status_code",
        "created_at",
    ]
    list_filter = ["status", "endpoint", "channel"]
    list_select_related = ["event", "endpoint", "channel"]
    readonly_fields = [
        "event",
        "endpoint",
        "channel",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "claimed_by",
        "delivered_at",
        "last_status_code",
        "last_error",
        "replay_of",
        "created_at",
    ]
