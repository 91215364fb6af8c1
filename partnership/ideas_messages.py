"""The notification texts of improvement ideas and training, added to communications' catalogue of keyed messages.

Communications is a lower app and cannot import partnership; messages.register_messages() adds these texts from
partnership's ready(), and each reader gets them in their own language when shown or emailed.
"""

from django.utils.translation import gettext_lazy as _

from communications.messages import Message
from communications.notices import Family

from .models import IdeaKind, ImprovementIdea

IDEA_MESSAGES = {
    "idea_proposed_by_factory": Message(
        Family.OTHER,
        _("%(supplier)s proposed an improvement idea: %(title)s"),
        _("%(supplier)s proposed an improvement idea (%(kind)s): %(title)s. Please review it."),
        labels={"kind": IdeaKind},
    ),
    "idea_proposed_by_buyer": Message(
        Family.OTHER,
        _("The buyer proposes an improvement idea: %(title)s"),
        _(
            "The buyer proposes an improvement idea (%(kind)s): %(title)s. You can comment on it in the portal."
        ),
        labels={"kind": IdeaKind},
    ),
    "idea_status_changed": Message(
        Family.OTHER,
        _("Improvement idea %(title)s: %(status)s"),
        _("The buyer moved the improvement idea %(title)s to: %(status)s. %(reason)s"),
        labels={"status": ImprovementIdea.Status},
    ),
    "idea_implemented": Message(
        Family.OTHER,
        _("Improvement idea implemented: %(title)s"),
        _(
            "The improvement idea %(title)s was implemented on %(implemented_on)s, "
            "with a realised saving of %(saving)s %(currency)s. Thank you."
        ),
    ),
    "idea_commented": Message(
        Family.OTHER,
        _("New comment on the improvement idea %(title)s"),
        _("%(author)s wrote: %(text)s"),
    ),
    "training_offered": Message(
        Family.OTHER,
        _("Training offered: %(topic)s on %(held_on)s"),
        _("The buyer offers a training on %(topic)s on %(held_on)s. You can accept it in the portal."),
    ),
    "training_accepted": Message(
        Family.OTHER,
        _("%(supplier)s accepted the training %(topic)s"),
        _("%(supplier)s accepted the training %(topic)s on %(held_on)s."),
    ),
}
