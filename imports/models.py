"""Spreadsheet imports: the uploaded file, what a dry run found row by row, and how far the import got."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    SUPPLIERS = "suppliers", _("Suppliers")
    CONTACTS = "contacts", _("Supplier contacts")
    CERTIFICATIONS = "certifications", _("Certifications")
    REFERENCES = "references", _("Client references")
    ORDERS = "orders", _("Open purchase orders (one row per line)")
    RECEIPTS = "receipts", _("Receipts of deliveries")
    PRICE_LISTS = "price_lists", _("Price lists (one row per SKU and start date)")


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the jobs a user may see: staff see every job; factory contacts none."""
        if user.is_authenticated and user.is_staff_member:
            return self
        return self.none()


class ImportJob(models.Model):
    """One uploaded spreadsheet: checked by a dry run (the preview), then imported once the user confirms."""

    class Status(models.TextChoices):
        PREVIEWING = "previewing", _("Checking the rows")
        PREVIEWED = "previewed", _("Preview ready")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Nothing imported")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    file_name = models.CharField(_("file name"), max_length=200)
    file_kind = models.CharField(_("file type"), max_length=10)  # "csv" or "xlsx", sniffed from the bytes
    # The file itself, in the database: the web process and the worker may not share a disk. Emptied once
    # the import is over.
    content = models.BinaryField(_("content"), editable=False, default=b"")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PREVIEWING)
    only_good_rows = models.BooleanField(_("load only the good rows"), default=False)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("to create"), default=0)
    updated_count = models.PositiveIntegerField(_("to update"), default=0)
    skipped_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("bad rows"), default=0)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.file_name}"

    def get_absolute_url(self):
        return reverse("imports:detail", args=[self.pk])

    @property
    def percent(self) -> int:
        """Return how far the current run got, in percent of the file's rows."""
        if not self.total_rows:
            return 100 if self.status not in (self.Status.PREVIEWING, self.Status.IMPORTING) else 0
        return min(100, self.processed_rows * 100 // self.total_rows)

    @property
    def is_running(self) -> bool:
        """Return whether a worker is still going through the rows."""
        return self.status in (self.Status.PREVIEWING, self.Status.IMPORTING)

    @property
    def can_confirm(self) -> bool:
        """Return whether the preview allows an import (some rows are good: to load, or already loaded)."""
        good = self.created_count + self.updated_count + self.skipped_count
        return self.status == self.Status.PREVIEWED and good > 0


class ImportRow(models.Model):
    """What one row (a line of the file) would do or did: create, update, skip, or the errors that stop it."""

    class Action(models.TextChoices):
        CREATE = "create", _("Create")
        UPDATE = "update", _("Update")
        SKIP = "skip", _("Unchanged")
        ERROR = "error", _("Error")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(_("row"))  # as the spreadsheet numbers it: the header is row 1
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    label = models.CharField(_("record"), max_length=300, blank=True)
    # ["row 4, column country: country 'Chna' is not a country", ...]
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        ordering = ["job", "number"]
        indexes = [models.Index(fields=["job", "action", "number"])]

    def __str__(self):
        return f"{self.job_id}/{self.number}: {self.action}"
