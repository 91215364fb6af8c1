"""Portal invitations of a supplier's contacts."""

from django.conf import settings
from django.db import models
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from core.models import SendOnceRow


class PortalInvitationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the invitations a user may see: all for staff, their own company's for a factory contact."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_staff_member:
            return self
        if user.is_portal_user and user.supplier_id:
            return self.filter(supplier_id=user.supplier_id)
        return self.none()

    def pending(self, *, now):
        """Return the invitations whose link still works: not used, revoked or replaced, and not expired."""
        return self.filter(status=PortalInvitation.Status.PENDING, expires_at__gt=now)


class PortalInvitation(SendOnceRow):
    """An invitation of a supplier's contact to the portal: a single-use link, of which only a hash is stored.

    The row is also the invitation email's send-once outbox entry (claimed with a lease, core.leases).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Invited")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        REPLACED = "replaced", _("Replaced by a newer invitation")

    supplier = models.ForeignKey(
        "suppliers.Supplier", verbose_name=_("supplier"), on_delete=models.CASCADE, related_name="invitations"
    )
    contact = models.ForeignKey(
        "suppliers.Contact", verbose_name=_("contact"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # The link's token is an HMAC (with the project's secret key) of the row's id and this random nonce, so that
    # the outbox can write it into the email later; the database holds only its SHA-256, for the lookup.
    nonce = models.CharField(max_length=32, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=dj_timezone.now, editable=False)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="portal_invitations",
        help_text=_("The portal account created when the invitation was accepted."),
    )

    objects = PortalInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("portal invitation")
        verbose_name_plural = _("portal invitations")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["contact", "status"])]

    def __str__(self):
        return f"{self.email} ({self.get_status_display()})"

    def is_usable(self, *, now) -> bool:
        """Return whether the link still works: pending and not expired."""
        return self.status == self.Status.PENDING and self.expires_at > now
