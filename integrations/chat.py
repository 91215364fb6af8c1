"""Chat messages for Slack and Microsoft Teams incoming webhooks: a red flag or an escalation, with a link back.

Slack takes `{"text": ...}` with `<url|label>` links; Teams (a Workflows "post to a channel when a webhook request
is received" URL) takes a message with an Adaptive Card attachment. Written in the channel's language.
"""

from django.utils import translation
from django.utils.translation import gettext as _

from communications.models import SupplierIssue
from core.events import EventType
from scorecards.models import RedFlag


def _flag_lines(event) -> tuple[str, list[str]]:
    """Return the title and the lines about a red flag event, from the flag as it is now (or the payload)."""
    data = event.payload
    supplier = (data.get("supplier") or {}).get("name", "")
    flag = RedFlag.objects.filter(pk=data["object"]["id"]).first()
    if flag is None:
        return _("Red flag: %(supplier)s") % {"supplier": supplier}, []
    title = (
        _("Escalated red flag: %(supplier)s — %(rule)s")
        if flag.escalated
        else _("Red flag: %(supplier)s — %(rule)s")
    ) % {"supplier": supplier, "rule": flag.get_rule_display()}
    lines = [
        _("Severity: %(severity)s · %(period)s")
        % {"severity": flag.get_severity_display(), "period": flag.period_label},
        _("Observed %(observed)s, target %(target)s")
        % {"observed": flag.observed_text(), "target": flag.target_text()},
        _("Recommended: %(action)s") % {"action": _(flag.recommended_action)},
    ]
    return title, lines


def _issue_lines(event) -> tuple[str, list[str]]:
    data = event.payload
    supplier = (data.get("supplier") or {}).get("name", "")
    escalation = data.get("escalation") or {}
    issue = SupplierIssue.objects.filter(pk=data["object"]["id"]).first()
    subject = issue.subject if issue else f"#{data['object']['id']}"
    title = _("Escalated: %(supplier)s has had no reply for %(hours)s h") % {
        "supplier": supplier,
        "hours": escalation.get("hours", "?"),
    }
    return title, [_("Issue: %(subject)s") % {"subject": subject}]


def chat_message(*, channel, event) -> dict:
    """Return the JSON body to POST to a chat channel for an event, in the channel's language."""
    with translation.override(channel.language or None):
        if event.type == EventType.ISSUE_ESCALATED:
            title, lines = _issue_lines(event)
            link_label = _("Open the issue")
        else:
            title, lines = _flag_lines(event)
            link_label = _("Open the flag")
        url = event.payload["object"].get("url", "")
        if channel.kind == channel.Kind.TEAMS:
            return _teams_card(
                title=str(title), lines=[str(line) for line in lines], url=url, label=str(link_label)
            )
        lines = [_slack_escape(str(line)) for line in lines]
        link = f"<{url}|{_slack_escape(str(link_label))}>" if url else ""
        text = "\n".join([f"*{_slack_escape(str(title))}*", *lines, link]).strip()
        return {"text": text}


def _slack_escape(text: str) -> str:
    """Escape the three characters Slack's message format reads as markup (a supplier called "<!channel>")."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _teams_card(*, title: str, lines: list[str], url: str, label: str) -> dict:
    """Wrap a message in the Adaptive Card a Teams workflow webhook posts to its channel."""
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": [{"type": "TextBlock", "text": title, "weight": "Bolder", "size": "Medium", "wrap": True}]
        + [{"type": "TextBlock", "text": line, "wrap": True} for line in lines],
        "actions": [{"type": "Action.OpenUrl", "title": label, "url": url}] if url else [],
    }
    return {
        "type": "message",
        "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "content": card}],
    }
