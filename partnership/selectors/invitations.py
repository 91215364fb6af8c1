"""Reads of new-product invitations: lists for staff and the portal, one invitation, its invitees and threads."""

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from ..models import InvitationMessage, InvitationSpecFile, Invitee, ProductInvitation, Sample


def invitation_list(*, user) -> QuerySet:
    """Return the invitations a user may see, newest first.

    Staff get counts of invitees and of their answers; a factory contact gets its own `my_status`.
    """
    invitations = ProductInvitation.objects.visible_to(user).select_related("created_by")
    if getattr(user, "is_portal_user", False):
        mine = Invitee.objects.filter(invitation_id=OuterRef("pk"), supplier_id=user.supplier_id)
        return invitations.annotate(my_status=Subquery(mine.values("status")[:1])).order_by(
            "-created_at", "-pk"
        )
    return invitations.annotate(
        invitee_count=Count("invitees"),
        interested_count=Count("invitees", filter=Q(invitees__status=Invitee.Status.INTERESTED)),
        declined_count=Count("invitees", filter=Q(invitees__status=Invitee.Status.DECLINED)),
    ).order_by("-created_at", "-pk")


def invitation_get(*, user, pk) -> ProductInvitation:
    """Return one invitation the user may see (404 for one its company is not invited to)."""
    return get_object_or_404(ProductInvitation.objects.visible_to(user).select_related("created_by"), pk=pk)


def invitation_files(*, invitation: ProductInvitation) -> list[InvitationSpecFile]:
    """Return the invitation's specification files (everyone invited sees them all)."""
    return list(invitation.files.all())


def _count(model) -> Coalesce:
    counted = model.objects.filter(invitee_id=OuterRef("pk")).order_by().values("invitee_id")
    counted = counted.annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def invitation_invitees(*, invitation: ProductInvitation) -> QuerySet:
    """Return the invited suppliers with their answers and how many messages and samples each has (1 query)."""
    return (
        invitation.invitees.select_related("supplier", "answered_by")
        .annotate(message_count=_count(InvitationMessage), sample_count=_count(Sample))
        .order_by("supplier__name")
    )


def invitee_own(*, user, invitation: ProductInvitation) -> Invitee:
    """Return the factory contact's own company's place in an invitation (404 when it is not invited)."""
    return get_object_or_404(
        Invitee.objects.visible_to(user).select_related("supplier", "invitation"), invitation=invitation
    )


def invitee_get(*, user, pk) -> Invitee:
    """Return one invited supplier of an invitation (its answer, thread and samples) for staff."""
    return get_object_or_404(
        Invitee.objects.visible_to(user).select_related("supplier", "invitation", "answered_by"), pk=pk
    )


def invitee_thread(*, invitee: Invitee) -> list[InvitationMessage]:
    """Return the Q&A thread between the buyer and this one supplier, oldest first."""
    return list(invitee.messages.select_related("author").order_by("created_at", "pk"))


def invitee_samples(*, invitee: Invitee) -> list[Sample]:
    """Return the samples this supplier recorded for the invitation, with their evaluations."""
    return list(invitee.samples.select_related("evaluated_by").order_by("sent_on", "pk"))


def sample_get(*, user, pk) -> Sample:
    """Return one sample the user may see."""
    return get_object_or_404(
        Sample.objects.visible_to(user).select_related("invitee__invitation", "invitee__supplier"), pk=pk
    )
