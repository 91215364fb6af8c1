"""Small template helpers: stage badges, expiry badges and sortable column links."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from suppliers.models import Stage

register = template.Library()


@register.simple_tag
def stage_badge(stage: str):
    """Render a coloured badge for a lifecycle stage."""
    label = Stage(stage).label if stage in Stage.values else stage
    return format_html('<span class="badge stage-badge stage-{}">{}</span>', stage, label)


@register.simple_tag
def expiry_badge(state: str, until):
    """Render how soon a certificate expires."""
    styles = {
        "expired": ("danger", _("Expired")),
        "expiring": ("warning", _("Expiring")),
        "valid": ("success", _("Valid")),
    }
    css, label = styles.get(state, ("secondary", state))
    return format_html('<span class="badge text-bg-{}" title="{}">{}</span>', css, until, label)


@register.simple_tag(takes_context=True)
def sort_link(context, field: str, label: str):
    """Render a column heading that sorts by `field`, toggling the direction when already sorted by it."""
    request = context["request"]
    current = request.GET.get("ordering", "")
    query = request.GET.copy()
    query.pop("page", None)
    arrow = ""
    if current == field:
        query["ordering"], arrow = f"-{field}", " ▲"
    elif current == f"-{field}":
        query["ordering"], arrow = field, " ▼"
    else:
        query["ordering"] = field
    return format_html(
        '<a href="?{q}" hx-get="?{q}" hx-target="#supplier-table" hx-push-url="true">{label}{arrow}</a>',
        q=query.urlencode(),
        label=label,
        arrow=arrow,
    )


@register.filter
def can(user, capability: str) -> bool:
    """Return whether the user holds a capability: `{% if request.user|can:"order.edit" %}`."""
    return bool(getattr(user, "is_authenticated", False) and user.can(capability))
