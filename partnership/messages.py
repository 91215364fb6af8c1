"""The notification texts of announcements and product invitations, added to communications' catalogue on ready().

Communications sits below partnership and cannot name its models; choice values are labelled by "app.Model.Choices".
The author's own words travel as values (`text`), the rest is translated into each reader's language.
"""

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from communications.messages import MESSAGES, Message
from communications.notices import Family

OUTREACH_MESSAGES = {
    "announcement_published": Message(
        Family.OTHER,
        _("%(kind)s from your buyer: %(title)s"),
        _("Your buyer published a %(kind)s for you. Open it in the portal and mark it as read.\n\n%(text)s"),
        labels={"kind": "partnership.Announcement.Kind"},
    ),
    "invitation_sent": Message(
        Family.ORDERS,
        _("New product invitation: %(title)s"),
        _(
            "Your buyer invites you to take part early in a new product: %(title)s. Please read the "
            "specification and answer by %(respond_by)s: interested or not, and your questions."
        ),
    ),
    "invitation_withdrawn": Message(
        Family.ORDERS,
        _("Product invitation withdrawn: %(title)s"),
        _("Your buyer withdrew the invitation %(title)s; no answer is needed any more."),
    ),
    "invitation_answered": Message(
        Family.ORDERS,
        _("%(supplier)s answered invitation %(title)s: %(status)s"),
        _("%(supplier)s answered the product invitation %(title)s: %(status)s. %(reason)s"),
        labels={"status": "partnership.Invitee.Status"},
    ),
    "invitation_question": Message(
        Family.ORDERS,
        _("Question from %(supplier)s on %(title)s"),
        _("%(supplier)s asks about the product invitation %(title)s:\n\n%(text)s"),
    ),
    "invitation_reply": Message(
        Family.ORDERS,
        _("Answer from your buyer on %(title)s"),
        _("Your buyer answered on the product invitation %(title)s:\n\n%(text)s"),
    ),
    "sample_sent": Message(
        Family.ORDERS,
        _("%(supplier)s sent samples for %(title)s"),
        _(
            "%(supplier)s sent %(quantity)s samples for %(title)s on %(sent_on)s. Tracking: %(tracking)s. %(note)s"
        ),
    ),
    "sample_evaluated": Message(
        Family.ORDERS,
        _("Sample evaluation for %(title)s: %(result)s"),
        _("Your buyer evaluated the samples you sent on %(sent_on)s for %(title)s: %(result)s. %(note)s"),
        labels={"result": "partnership.Sample.Result"},
    ),
}


def register_messages() -> None:
    """Add the partnership texts (outreach here, ideas and training in ideas_messages) to the one catalogue
    notifications are rendered from; a key the catalogue already holds is a mistake, not an override."""
    from .ideas_messages import IDEA_MESSAGES

    texts = OUTREACH_MESSAGES | IDEA_MESSAGES
    clashes = (set(OUTREACH_MESSAGES) & set(IDEA_MESSAGES)) | {
        key for key in texts if key in MESSAGES and MESSAGES[key] is not texts[key]
    }
    if clashes:
        raise ImproperlyConfigured(f"Notice texts defined twice: {sorted(clashes)}")
    MESSAGES.update(texts)
