"""Template tags about the signed-in user's own security."""

from django import template

from ..selectors import request_user_has_mfa
from ..views import SESSION_MFA_PROMPT_DISMISSED

register = template.Library()


@register.inclusion_tag("accounts/_mfa_prompt.html", takes_context=True)
def mfa_prompt(context):
    """Invite a user without a second factor to set one up, unless they said "Not now" in this session."""
    request = context.get("request")
    user = getattr(request, "user", None)
    show = bool(
        user is not None
        and user.is_authenticated
        and not request.session.get(SESSION_MFA_PROMPT_DISMISSED)
        and not request_user_has_mfa(request)
    )
    return {"request": request, "show": show}
