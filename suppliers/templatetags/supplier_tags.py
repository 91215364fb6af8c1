"""Template helpers of supplier pages: stage and certificate-expiry badges."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from suppliers.gates import gate_label as _gate_label
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


@register.simple_tag
def gate_label(code: str, fallback: str = ""):
    """Name a vetting gate by its code, in the reader's language: `{% gate_label "contract" %}`."""
    return _gate_label(code, fallback)
