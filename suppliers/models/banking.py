"""A supplier's bank details, and the verified requests through which alone they change.

The account number is shown masked everywhere after entry (pages, API, admin): only its last 4 characters.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from ..querysets import SupplierOwnedQuerySet
from .registrations import mask_account
from .suppliers import Supplier


class BankAccount(models.Model):
    """Where a supplier is paid; changed only by a verified BankDetailsChange."""

    supplier = models.OneToOneField(Supplier, on_delete=models.CASCADE, related_name="bank_account")
    account_holder = models.CharField(_("account holder"), max_length=200)
    bank_name = models.CharField(_("bank name"), max_length=200)
    swift = models.CharField(_("SWIFT / BIC"), max_length=11, blank=True)
    account_number = models.CharField(_("account number or IBAN"), max_length=64)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=dj_timezone.now)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = SupplierOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")

    def __str__(self):
        return f"{self.bank_name} {self.account_masked}"

    @property
    def account_masked(self) -> str:
        """Return the account number with all but its last 4 characters hidden."""
        return mask_account(self.account_number)


class BankDetailsChange(models.Model):
    """A request to change a supplier's bank details, which staff verify (by a call-back) before it applies."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified and applied")
        REJECTED = "rejected", _("Rejected")

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="bank_changes")
    account_holder = models.CharField(_("account holder"), max_length=200)
    bank_name = models.CharField(_("bank name"), max_length=200)
    swift = models.CharField(_("SWIFT / BIC"), max_length=11, blank=True)
    account_number = models.CharField(_("account number or IBAN"), max_length=64)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    reason = models.TextField(_("reason for the change"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=dj_timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("verification note"), blank=True)

    objects = SupplierOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("bank details change")
        verbose_name_plural = _("bank details changes")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One open request at a time: a second would race the first through verification.
            models.UniqueConstraint(
                fields=["supplier"],
                condition=Q(status="pending"),
                name="one_pending_bank_change_per_supplier",
            )
        ]

    def __str__(self):
        return f"{self.supplier}: {self.bank_name} {self.account_masked}"

    @property
    def account_masked(self) -> str:
        """Return the requested account number with all but its last 4 characters hidden."""
        return mask_account(self.account_number)
