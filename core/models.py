"""Abstract rows shared by the apps (core has no tables of its own)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SendOnceRow(models.Model):
    """An email to send once, claimed with a lease (core.leases): unsent while sent_at is empty."""

    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=100, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        abstract = True
