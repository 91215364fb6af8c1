"""KPI targets (default, per product category, per supplier), weekly KPI snapshots, red flags, and the weekly
manager digest with its send-once record."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalRecords

from audits.models import CorrectiveAction
from communications.models import SupplierIssue
from core.wording import reworded
from payments.models import InvoiceDiscrepancy
from suppliers.models import (
    ACTIVE_STAGES,  # noqa: F401 - defined with the stages; importable from here too
    Certification,
    CertificationStandard,
    ProductCategory,
    Supplier,
)
from suppliers.querysets import SupplierOwnedQuerySet

from .querysets import RedFlagQuerySet

# The sentences with values scorecards.alerts writes into a flag's `observed` and `target` (in English, by the
# nightly scan), recognised to be shown in the reader's language; plain ones ("expired") are message ids as is.
STORED_WORDING = (
    gettext_noop("expires %(day)s"),
    gettext_noop("due %(day)s"),
    gettext_noop("%(days)s days ago"),
    gettext_noop("≤ %(days)s days"),
    gettext_noop("last visit %(day)s"),
    gettext_noop("lapsed %(day)s"),
    gettext_noop("every %(months)s months"),
)


class Kpi(models.TextChoices):
    ON_TIME_DELIVERY = "on_time_delivery", _("On-time delivery")
    DEFECT_RATE = "defect_rate", _("Defect rate")
    RESPONSE_TIME = "response_time", _("Response time to issues")
    PAYMENT_TIMELINESS = "payment_timeliness", _("Payment timeliness (ours)")
    BUYER_RESPONSE_TIME = "buyer_response_time", _("Our response time to the supplier's issues")


class KpiTarget(models.Model):
    """A target for one KPI: the default (no category, no supplier), for a product category, or for one supplier."""

    kpi = models.CharField(_("KPI"), max_length=30, choices=Kpi.choices)
    category = models.ForeignKey(
        ProductCategory,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="kpi_targets",
        verbose_name=_("product category"),
    )
    supplier = models.ForeignKey(
        Supplier,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="kpi_targets",
        verbose_name=_("supplier"),
    )
    value = models.DecimalField(
        _("target"), max_digits=8, decimal_places=2, help_text=_("% for rates, hours for response times.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        ordering = ["kpi", "supplier", "category"]
        constraints = [
            # One target per scope: the default, each category, each supplier.
            models.UniqueConstraint(
                fields=["kpi"],
                condition=Q(category__isnull=True, supplier__isnull=True),
                name="one_default_target",
            ),
            models.UniqueConstraint(
                fields=["kpi", "category"],
                condition=Q(category__isnull=False),
                name="one_target_per_category",
            ),
            models.UniqueConstraint(
                fields=["kpi", "supplier"],
                condition=Q(supplier__isnull=False),
                name="one_target_per_supplier",
            ),
            models.CheckConstraint(
                condition=Q(category__isnull=True) | Q(supplier__isnull=True),
                name="target_for_a_category_or_a_supplier",
            ),
        ]

    def __str__(self):
        scope = self.supplier or self.category or _("default")
        return f"{self.get_kpi_display()} — {scope}: {self.value}"


class KpiSnapshot(models.Model):
    """One supplier's value of one KPI for one ISO week, as computed at the end of that week."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="kpi_snapshots")
    kpi = models.CharField(max_length=30, choices=Kpi.choices)
    week_start = models.DateField(_("week of"))
    numerator = models.IntegerField(default=0)
    denominator = models.IntegerField(default=0)
    sample = models.IntegerField(default=0)
    value = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(max_digits=8, decimal_places=2)
    met = models.BooleanField(null=True)

    objects = SupplierOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("KPI snapshot")
        verbose_name_plural = _("KPI snapshots")
        ordering = ["supplier", "kpi", "week_start"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "kpi", "week_start"], name="one_snapshot_per_week"),
        ]
        indexes = [models.Index(fields=["kpi", "week_start"])]

    def __str__(self):
        return f"{self.supplier} {self.kpi} {self.week_start}: {self.value}"


class CurrentKpi(models.Model):
    """One supplier's KPI figures over one window (the rolling 90 days or a calendar week, month or quarter), as
    kpis.py computed them at `as_of`: what the portfolio and the scorecards API rank, filter and page in SQL.

    Kept by services.current_kpis_refresh after each relevant write (that supplier) and by the nightly pass (every
    active supplier); a row is replaced only by one computed at the same or a later `as_of`, whatever order the
    refreshes commit in. `figures` holds each KPI's counts ({kpi: {numerator, denominator, ...}}, see kpi_values);
    `score` and `misses_target` are the card's, at the targets of that moment, so the page sorts and counts in SQL;
    `forecasting` the two-way card's figures (kpis.forecast_notice), which the API shows.
    """

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="current_kpis")
    period = models.CharField(
        _("period"), max_length=10
    )  # 90d, 2026-W48, 2026-11 or 2026-Q4 (scorecards.periods)
    start = models.DateField()
    end = models.DateField()
    today = models.DateField(help_text=_("The business day the figures run to."))
    as_of = models.DateTimeField(_("as of"))
    figures = models.JSONField(default=dict)
    score = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    misses_target = models.BooleanField(default=False)
    # The two-way card's advance notice and forecast accuracy (kpis.forecast_notice), as
    # kpis.encode_forecast_notice stores them; null: not computed yet (rows from before it was stored).
    forecasting = models.JSONField(null=True, blank=True)

    objects = SupplierOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("current KPI row")
        verbose_name_plural = _("current KPI rows")
        ordering = ["supplier", "period"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "period"], name="one_current_kpi_per_period")
        ]
        indexes = [models.Index(fields=["period", "score"])]

    def __str__(self):
        return f"{self.supplier} {self.period}: {self.score}"

    def kpi_values(self) -> dict:
        """Return {kpi: KpiValue} as kpis.py gave them (the empty value for a KPI with no events)."""
        from .kpis import decode_figures

        return decode_figures(self.figures)


class RedFlag(models.Model):
    """A missed target or a warning sign, raised once per (supplier, rule, period), worked to resolution."""

    class Rule(models.TextChoices):
        ON_TIME_DELIVERY = "on_time_delivery", _("On-time delivery below target")
        DEFECT_RATE = "defect_rate", _("Defect rate above target")
        UNANSWERED_ISSUE = "unanswered_issue", _("Issue unanswered past the response target")
        CONSISTENT_MISS = "consistent_miss", _("Same KPI missed three periods running")
        PRICE_ABOVE_AGREED = "price_above_agreed", _("Invoice price above the agreed price")
        HIDDEN_COST = "hidden_cost", _("Invoice charge not agreed on the order (hidden cost)")
        CERTIFICATION = "certification", _("Certification expiring or expired")
        CAPA_OVERDUE = "capa_overdue", _("Corrective action past due")
        NO_CONTACT = "no_contact", _("No contact for longer than the cadence allows")
        VISIT_DUE = "visit_due", _("Site visit due")
        VERIFICATION_DUE = "verification_due", _("Verification due (audit, assessment or certificate)")

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved")

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="red_flags")
    rule = models.CharField(_("rule"), max_length=30, choices=Rule.choices)
    period = models.CharField(
        _("period"), max_length=40, help_text=_("ISO week, or the object the flag is about.")
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    observed = models.CharField(_("observed"), max_length=100)
    target = models.CharField(_("target"), max_length=100, blank=True)
    recommended_action = models.CharField(_("recommended action"), max_length=200)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    url = models.CharField(max_length=300, blank=True)
    # The row the flag is about, where it has one (KPI flags have none). A factory contact sees the flag only
    # while it may see that row (RedFlagQuerySet.portal_only); a flag outlives no source, hidden or not.
    issue = models.ForeignKey(
        SupplierIssue,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="red_flags",
        verbose_name=_("issue"),
    )
    discrepancy = models.ForeignKey(
        InvoiceDiscrepancy,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="red_flags",
        verbose_name=_("discrepancy"),
    )
    certification = models.ForeignKey(
        Certification,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="red_flags",
        verbose_name=_("certification"),
    )
    corrective_action = models.ForeignKey(
        CorrectiveAction,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="red_flags",
        verbose_name=_("corrective action"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="red_flags",
        verbose_name=_("owner"),
    )
    state = models.CharField(_("state"), max_length=15, choices=State.choices, default=State.OPEN)
    escalated = models.BooleanField(_("escalated to managers"), default=False)
    raised_at = models.DateTimeField(_("raised at"), default=dj_timezone.now)
    # The evaluation run that raised it: tells each run which flags are its own, even when two run at once.
    run = models.UUIDField(null=True, blank=True, editable=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    # The source fields above, each a row whose portal rule the flag follows.
    SOURCES = ("issue", "discrepancy", "certification", "corrective_action")
    # Rules the portal never shows nor announces: site visits and re-verification are the buyer's to plan, and
    # either may be an unannounced audit.
    STAFF_ONLY_RULES = ("visit_due", "verification_due")

    objects = RedFlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("red flag")
        verbose_name_plural = _("red flags")
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "rule", "period"], name="one_flag_per_rule_and_period"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "supplier"]),
            # Each supplier's unresolved flags (the portfolio ranks by their count): resolved flags pile up over
            # the years and would be read and thrown away, supplier by supplier.
            models.Index(fields=["supplier"], condition=~Q(state="resolved"), name="redflag_unresolved_idx"),
            # Where INSERT … RETURNING is missing (SQLite), a scan finds the flags it raised by its run token.
            models.Index(fields=["run"], name="redflag_run_idx"),
        ]

    def __str__(self):
        return f"{self.supplier}: {self.get_rule_display()} ({self.period})"

    def get_absolute_url(self):
        return reverse("scorecards:flag_detail", args=[self.pk])

    def event_fields(self) -> dict:
        """Return what an outgoing event says about the flag (webhooks: kinds and keys, no free text)."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "period": self.period,
            "escalated": self.escalated,
        }

    def observed_text(self) -> str:
        """Say what was observed, in the reader's language (scorecards.alerts stores it in English)."""
        return reworded(self.observed, STORED_WORDING)

    def target_text(self) -> str:
        """Say the target, in the reader's language."""
        return reworded(self.target, STORED_WORDING)

    @property
    def period_label(self) -> str:
        """Say the period in words: "Week 48, 2026", "certificate #19", never the stored key."""
        return period_words(self.period)


# The keys of one-off flags ("cert-19"), worded: each names the row the flag is about.
_OBJECT_PERIODS = {
    "issue": _("issue #%(number)s"),
    "discrepancy": _("price discrepancy #%(number)s"),
    "charge": _("charge discrepancy #%(number)s"),
    "cert": _("certificate #%(number)s expiry"),
    "capa": _("corrective action #%(number)s"),
}


def period_words(key: str) -> str:
    """Word a red flag's period key: an ISO week, a KPI's run of weeks, or the row a one-off flag is about."""
    week, _sep, kpi = key.partition(":")
    year, sep, number = week.partition("-W")
    if sep and year.isdigit() and number.isdigit():
        words = _("Week %(week)s, %(year)s") % {"week": int(number), "year": year}
        if kpi in Kpi.values:
            words = _("%(kpi)s, three weeks to %(week)s") % {"kpi": Kpi(kpi).label, "week": words}
        return str(words)
    if key == "visit-never":
        return str(_("no site visit yet"))
    if key.startswith("visit-after-"):
        return str(_("since the site visit of %(day)s") % {"day": key.removeprefix("visit-after-")})
    if key.startswith("verify-"):
        return verification_period_words(key)
    kind, _dash, number = key.rpartition("-")
    if kind in _OBJECT_PERIODS and number.isdigit():
        return str(_OBJECT_PERIODS[kind] % {"number": number})
    return key


def verification_period_key(what: str, due_on) -> str:
    """Key a verification-due flag by what is due and its due date: renewed evidence moves the date (a new key)."""
    return f"verify-{what}-{due_on or 'never'}"


def verification_period_words(key: str) -> str:
    """Word a verification-due key: "On-site audit due 2026-07-01", "ISO 9001 certificate, never held"."""
    rest = key.removeprefix("verify-")
    what, due = (rest[:-6], None) if rest.endswith("-never") else (rest[:-11], rest[-10:])
    names = {"audit": _("On-site audit"), "capacity": _("Capacity re-assessment")}
    label = names.get(what) or _("%(name)s certificate") % {
        "name": dict(CertificationStandard.choices).get(what, what)
    }
    if due is None:
        return str(_("%(what)s, never done") % {"what": label})
    return str(_("%(what)s due %(day)s") % {"what": label, "day": due})


class RedFlagNote(models.Model):
    """One note on a red flag, kept for good: acknowledging, resolving or assigning adds one, none is overwritten."""

    class Kind(models.TextChoices):
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved")
        ASSIGNED = "assigned", _("Assigned")
        NOTE = "note", _("Note")

    flag = models.ForeignKey(RedFlag, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, default=Kind.NOTE)
    text = models.TextField(_("note"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("written at"), default=dj_timezone.now)

    class Meta:
        verbose_name = _("red flag note")
        verbose_name_plural = _("red flag notes")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.flag_id} {self.kind}: {self.text[:40]}"


class DigestPreference(models.Model):
    """A manager's choice for the weekly scorecard email: on or off, all suppliers or a filter."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference"
    )
    enabled = models.BooleanField(_("send me the weekly scorecard"), default=True)
    segment = models.CharField(_("only this segment"), max_length=20, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("only suppliers owned by"),
    )
    suppliers = models.ManyToManyField(
        Supplier, blank=True, related_name="+", verbose_name=_("only these suppliers")
    )

    class Meta:
        verbose_name = _("digest preference")
        verbose_name_plural = _("digest preferences")

    def __str__(self):
        return str(self.user)


class WeeklyDigest(models.Model):
    """The weekly scorecard email to one manager for one ISO week: written with its outbox state, sent once."""

    class State(models.TextChoices):
        PENDING = "pending", _("To send")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_digests"
    )
    iso_week = models.CharField(_("ISO week"), max_length=8)  # "2026-W48"
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(default=dj_timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # The lease (core.leases): who claimed it last and when; a claim older than the lease is taken again.
    claimed_by = models.CharField(_("claimed by"), max_length=100, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        verbose_name = _("weekly digest")
        verbose_name_plural = _("weekly digests")
        ordering = ["-iso_week"]
        constraints = [
            models.UniqueConstraint(fields=["manager", "iso_week"], name="one_digest_per_manager_and_week")
        ]

    def __str__(self):
        return f"{self.manager} {self.iso_week}"


DEFAULT_TARGETS = {
    Kpi.ON_TIME_DELIVERY: Decimal("95"),
    Kpi.DEFECT_RATE: Decimal("1"),
    Kpi.RESPONSE_TIME: Decimal("24"),
    Kpi.PAYMENT_TIMELINESS: Decimal("95"),
    Kpi.BUYER_RESPONSE_TIME: Decimal("24"),
}
# Higher is better for rates of success; lower is better for defects and hours.
HIGHER_IS_BETTER = {Kpi.ON_TIME_DELIVERY, Kpi.PAYMENT_TIMELINESS}


# Contests of scorecard rows live in their own module; imported here so Django registers the model with the app.
from .contests.models import RowContest  # noqa: E402, F401
from .letters.models import ReferenceLetter  # noqa: E402, F401
from .playbooks.models import ContractReview, GeneralManagerCopy, PlaybookAction  # noqa: E402, F401
