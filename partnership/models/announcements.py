"""Announcements and market insights the buyer publishes to one, several or all suppliers, with read receipts."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from suppliers.models import ProductCategory, Supplier
from suppliers.querysets import SupplierOwnedQuerySet


class AnnouncementQuerySet(models.QuerySet):
    """Announcements: staff see all; a factory contact only those addressed to its company and not withdrawn."""

    def visible_to(self, user):
        """Return the announcements a user may see."""
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        if user.is_staff_member:
            return self
        if user.is_portal_user and user.supplier_id:
            addressed = AnnouncementRecipient.objects.filter(
                announcement_id=OuterRef("pk"), supplier_id=user.supplier_id
            )
            return self.filter(Exists(addressed), withdrawn_at__isnull=True)
        return self.none()


class Announcement(models.Model):
    """A text the buyer publishes to suppliers: a market insight, an announcement or a policy change."""

    class Kind(models.TextChoices):
        MARKET_INSIGHT = "market_insight", _("Market insight")
        ANNOUNCEMENT = "announcement", _("Announcement")
        POLICY_CHANGE = "policy_change", _("Policy change")

    class Audience(models.TextChoices):
        ALL = "all", _("All active suppliers")
        CHOSEN = "chosen", _("Chosen suppliers")
        CATEGORY = "category", _("Suppliers of a product category")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ANNOUNCEMENT)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=10000)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    category = models.ForeignKey(
        ProductCategory,
        verbose_name=_("product category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("published by")
    )
    published_at = models.DateTimeField(_("published at"), default=dj_timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["-published_at"], name="announcement_published")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partnership:announcement_detail", args=[self.pk])

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class AnnouncementRecipientQuerySet(SupplierOwnedQuerySet):
    def portal_only(self):
        return self.filter(announcement__withdrawn_at__isnull=True)


class AnnouncementRecipient(models.Model):
    """One supplier an announcement was addressed to (the audience, resolved when it was published)."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="recipients")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+")

    objects = AnnouncementRecipientQuerySet.as_manager()

    class Meta:
        verbose_name = _("announcement recipient")
        verbose_name_plural = _("announcement recipients")
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "supplier"], name="one_recipient_per_announcement"
            )
        ]
        indexes = [models.Index(fields=["supplier", "announcement"], name="announcement_recip_supplier")]

    def __str__(self):
        return f"{self.announcement} → {self.supplier}"


class AnnouncementReadQuerySet(SupplierOwnedQuerySet):
    def portal_only(self):
        return self.filter(announcement__withdrawn_at__isnull=True)


class AnnouncementRead(models.Model):
    """A factory contact's read receipt: the first time it marked an announcement as read (one per contact)."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="reads")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("read by")
    )
    read_at = models.DateTimeField(_("read at"), default=dj_timezone.now)

    objects = AnnouncementReadQuerySet.as_manager()

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        ordering = ["read_at"]
        constraints = [models.UniqueConstraint(fields=["announcement", "user"], name="one_read_per_contact")]
        indexes = [models.Index(fields=["supplier", "announcement"], name="announcement_read_supplier")]

    def __str__(self):
        return f"{self.announcement}: {self.user} {self.read_at:%Y-%m-%d %H:%M}"
