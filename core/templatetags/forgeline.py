"""Template helpers every app uses: sortable column links and the role check `user|can:"capability"`."""

from django import template
from django.utils.html import format_html

register = template.Library()


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


@register.filter
def cell(row, column) -> str:
    """Render one cell of a list from its column spec (core/exports.py): `{{ row|cell:column }}`."""
    return column.display(row)
