"""API actions on a contact for portal invitations (staff only): invite, send the link again, revoke it."""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import decorators, serializers, status
from rest_framework.response import Response

from core.api import ScopedModelSerializer, ScopedSerializer

from . import invitations
from .models import PortalInvitation


class InviteSerializer(ScopedSerializer):
    email = serializers.CharField(
        max_length=254, required=False, help_text="Default: the contact's email (a new one replaces it)."
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text="Language of the email and the account. Default: the contact's, else the supplier country's.",
    )


class PortalInvitationSerializer(ScopedModelSerializer):
    class Meta:
        model = PortalInvitation
        fields = [
            "id",
            "supplier",
            "contact",
            "email",
            "language",
            "status",
            "expires_at",
            "sent_by",
            "created_at",
            "accepted_at",
            "revoked_at",
            "sent_at",
        ]
        read_only_fields = fields


class RevokedSerializer(ScopedSerializer):
    revoked = serializers.IntegerField(
        read_only=True, help_text="How many pending invitations stopped working."
    )


class ContactInvitationActions:
    """Mixed into the contacts viewset: `invite`, `resend-invitation` and `revoke-invitation` on one contact."""

    @extend_schema(request=InviteSerializer, responses={201: PortalInvitationSerializer})
    @decorators.action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        """Invite the contact to the portal: an email with a single-use link valid 7 days."""
        contact = self.get_object()
        data = InviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = invitations.contact_invite(contact=contact, by=request.user, **data.validated_data)
        return Response(
            PortalInvitationSerializer(invitation, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={201: PortalInvitationSerializer})
    @decorators.action(detail=True, methods=["post"], url_path="resend-invitation")
    def resend_invitation(self, request, pk=None):
        """Send the contact a new link (same address and language); the previous link stops working."""
        contact = self.get_object()
        invitation = invitations.contact_invitation_resend(contact=contact, by=request.user)
        return Response(
            PortalInvitationSerializer(invitation, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={200: RevokedSerializer})
    @decorators.action(detail=True, methods=["post"], url_path="revoke-invitation")
    def revoke_invitation(self, request, pk=None):
        """Make the contact's pending invitation link stop working."""
        contact = self.get_object()
        revoked = invitations.contact_invitation_revoke(contact=contact, by=request.user)
        return Response({"revoked": revoked})
