"""Verification policies: per product category (or for all) and risk tier, what must be renewed and how often, and
which evidence may stand in for an on-site audit at a vetting gate."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from suppliers.models import CertificationStandard, ProductCategory, RiskTier

MONTHS = [MinValueValidator(1), MaxValueValidator(60)]


class VerificationPolicy(models.Model):
    """What a supplier of a category and risk tier must renew, how often, and what may replace an on-site audit."""

    category = models.ForeignKey(
        ProductCategory,
        verbose_name=_("product category"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="verification_policies",
        help_text=_("Leave empty for the default of every category without its own policy."),
    )
    risk_tier = models.CharField(_("risk tier"), max_length=10, choices=RiskTier.choices)
    audit_every_months = models.PositiveSmallIntegerField(
        _("on-site audit every (months)"), null=True, blank=True, validators=MONTHS
    )
    capacity_every_months = models.PositiveSmallIntegerField(
        _("capacity re-assessment every (months)"), null=True, blank=True, validators=MONTHS
    )
    # CertificationStandard values; each must be held verified and in force.
    required_certificates = models.JSONField(_("required certificates"), default=list, blank=True)
    replacement_certificate = models.CharField(
        _("audit replaced by a verified certificate of"),
        max_length=20,
        choices=CertificationStandard.choices,
        blank=True,
    )
    replacement_months_on_target = models.PositiveSmallIntegerField(
        _("plus months on target"), null=True, blank=True, validators=MONTHS
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("verification policy")
        verbose_name_plural = _("verification policies")
        ordering = ["category__name", "risk_tier", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "risk_tier"],
                condition=Q(category__isnull=False),
                name="one_verification_policy_per_category_and_tier",
                violation_error_message=_("This category already has a policy for this risk tier."),
            ),
            models.UniqueConstraint(
                fields=["risk_tier"],
                condition=Q(category__isnull=True),
                name="one_default_verification_policy_per_tier",
                violation_error_message=_("There is already a default policy for this risk tier."),
            ),
            models.CheckConstraint(
                condition=Q(replacement_certificate="", replacement_months_on_target__isnull=True)
                | ~Q(replacement_certificate="") & Q(replacement_months_on_target__isnull=False),
                name="verification_replacement_has_certificate_and_months",
                violation_error_message=_(
                    "An audit replacement needs both the certificate and the months on target."
                ),
            ),
        ]

    def __str__(self):
        category = self.category.name if self.category_id else _("All categories")
        return f"{category} — {self.get_risk_tier_display()}"

    def clean(self):
        unknown = set(self.required_certificates or []) - set(CertificationStandard.values)
        if unknown or not isinstance(self.required_certificates, list):
            raise ValidationError({"required_certificates": _("Choose certificate types from the list.")})
        if bool(self.replacement_certificate) != (self.replacement_months_on_target is not None):
            raise ValidationError(
                _("An audit replacement needs both the certificate and the months on target.")
            )
        # A replacement stands in for an audit the policy asks for; without one it would replace every audit gate.
        if self.replacement_certificate and not self.audit_every_months:
            raise ValidationError(
                {
                    "replacement_certificate": _(
                        "A replacement only stands in for a required audit: set how often the audit is due."
                    )
                }
            )
        if not (self.audit_every_months or self.capacity_every_months or self.required_certificates):
            raise ValidationError(_("A policy must require at least one thing to renew."))

    def required_certificate_labels(self) -> list[str]:
        """Return the required certificate types in words."""
        names = dict(CertificationStandard.choices)
        return [str(names.get(code, code)) for code in self.required_certificates]
