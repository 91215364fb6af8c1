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

# Corrections of a training after it was recorded, told to the factory.
TRAINING_CHANGE_MESSAGES = {
    "training_changed": Message(
        Family.OTHER,
        _("Training changed: %(topic)s on %(held_on)s"),
        _(
            "The buyer changed the training %(old_topic)s planned on %(old_held_on)s: it is now %(topic)s on "
            "%(held_on)s. Please check it in the portal."
        ),
    ),
    "training_given": Message(
        Family.OTHER,
        _("Training '%(topic)s' recorded as given on %(held_on)s"),
        _("The buyer recorded the training '%(topic)s' as given on %(held_on)s. Thank you for taking part."),
    ),
}


def register_messages() -> None:
    """Add the partnership texts (outreach and training corrections here, ideas and training in ideas_messages) to the one catalogue
    notifications are rendered from; a key the catalogue already holds is a mistake, not an override."""
    from .ideas_messages import IDEA_MESSAGES

    parts = (OUTREACH_MESSAGES, IDEA_MESSAGES, TRAINING_CHANGE_MESSAGES)
    texts = {key: text for part in parts for key, text in part.items()}
    twice = {key for key in texts if sum(key in part for part in parts) > 1}
    clashes = twice | {key for key in texts if key in MESSAGES and MESSAGES[key] is not texts[key]}
    if clashes:
        raise ImproperlyConfigured(f"Notice texts defined twice: {sorted(clashes)}")
    MESSAGES.update(texts)
