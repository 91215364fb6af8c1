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


class TaskRun(models.Model):
    """When a periodic task last started, succeeded and failed, and on which worker (the health page reads it)."""

    task = models.CharField(_("task"), max_length=200, unique=True)
    last_started_at = models.DateTimeField(_("last started at"), null=True, blank=True)
    last_succeeded_at = models.DateTimeField(_("last succeeded at"), null=True, blank=True)
    last_failed_at = models.DateTimeField(_("last failed at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    worker = models.CharField(_("worker"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("task run")
        verbose_name_plural = _("task runs")
        ordering = ["task"]

    def __str__(self):
        return self.task


class PeriodRun(models.Model):
    """A periodic job's run for one period, recorded when it finished (core.periods): the next tick skips it."""

    job = models.CharField(_("job"), max_length=100)
    period = models.DateTimeField(_("due at"))
    finished_at = models.DateTimeField(_("finished at"), auto_now_add=True)
    result = models.IntegerField(_("result"), default=0)

    class Meta:
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")
        ordering = ["-period", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="period_run_once")]

    def __str__(self):
        return f"{self.job} {self.period:%Y-%m-%d %H:%M}"
